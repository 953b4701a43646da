# Shared by scripts/demo.sh, scripts/test.sh and .ci/run: find Python 3.12+, make .venv.

find_python() {
  local candidate version
  # pyenv keeps several versions; its shims fail unless one is selected, so choose the newest
  # installed 3.12+ explicitly.
  if command -v pyenv >/dev/null 2>&1; then
    version=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$' | sort -V | tail -n 1)
    if [ -n "$version" ]; then export PYENV_VERSION="$version"; fi
  fi
  for candidate in python3.13 python3.12 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      PYTHON=$(command -v "$candidate")
      return 0
    fi
  done
  echo "Stocktake needs Python 3.12 or newer, and none was found." >&2
  echo "Install it (e.g. 'apt install python3' on Debian 13 / Ubuntu 24.04) and try again." >&2
  return 1
}

ensure_venv() {
  # Creates .venv and installs the project with its test tools; reinstalls only when
  # pyproject.toml has changed since the last install.
  local stamp=.venv/.installed-from
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    find_python
    echo "Creating .venv with $("$PYTHON" --version)"
    rm -rf .venv
    "$PYTHON" -m venv .venv
  fi
  local wanted
  wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[dev]"
    echo "$wanted" > "$stamp"
  fi
}
