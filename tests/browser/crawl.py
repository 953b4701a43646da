"""A crawl of the pages one person can reach, each checked at 1280 and 375 pixels wide.

From a few pages to start from, the crawl follows every link to a page of the service that is
in the intervention being tested (or in no intervention, such as My work), one page per URL
pattern: the first milestone's page stands for every milestone's page. So a page added to the
service is checked as soon as something links to it, with no list to keep up to date.

At each width the page must not scroll sideways (a wide table may scroll inside its own
labelled region, never the page), and axe-core must find nothing serious or critical. axe-core
is the slow part, so a page whose content is the same as one already audited (the same page
seen by a reader in another role) is not audited twice: `Audits` remembers what was audited.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.urls import Resolver404, resolve

WIDTHS = (1280, 375)
HEIGHT = 900
BLOCKING = {"serious", "critical"}
# Addresses a crawl must not open: they act rather than show (signing out), leave the service
# (single sign-on) or are not pages (the health check).
NOT_PAGES = {"logout", "healthz", "oidc_authentication_init", "oidc_authentication_callback"}
NOT_PAGE_NAMESPACES = {"admin"}
# Query parameters that show a page another way, so make a pattern of their own; the others
# (filters, sorting, paging) show the same page with other rows.
MEANINGFUL_QUERIES = {"as_of"}
# Room for every pattern a role reaches today and the pages still to come; the crawl stops
# there so that it can never run away.
MAX_PAGES = 120

# The main content without what differs between two views of the same page: the form's
# one-time token and the numbers (ids in links, counts, dates).
SIGNATURE_JS = """() => {
  const main = document.querySelector('main') || document.body;
  return main.innerHTML
    .replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, '')
    .replace(/[0-9]+/g, '0');
}"""

OVERFLOW_JS = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= window.innerWidth) return null;
  // The outermost elements that stick out past the right edge, to say what to fix.
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right <= window.innerWidth + 1 || box.width === 0) continue;
    if (culprits.some(c => c.contains(el))) continue;
    culprits.push(el);
    if (culprits.length === 5) break;
  }
  const names = culprits.map(el => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    if (el.classList.length) name += '.' + [...el.classList].join('.');
    return `${name} (${Math.round(el.getBoundingClientRect().right)}px)`;
  });
  return `the page is ${root.scrollWidth}px wide in a ${window.innerWidth}px window: `
    + names.join(', ');
}"""


def violations(page) -> list[str]:
    """Run axe-core (already in the page, see `with_axe`); describe each serious or critical
    violation."""
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in found
        if v["impact"] in BLOCKING
    ]


def sideways_scroll(page) -> str | None:
    """What makes the page wider than the window, or None when it fits."""
    return page.evaluate(OVERFLOW_JS)


def with_axe(context, axe_script: Path) -> None:
    """Put axe-core in every page the context opens. Through the DevTools protocol, which the
    Content Security Policy does not govern: a <script> tag would be refused."""
    context.add_init_script(path=str(axe_script))


@dataclass
class Audits:
    """The page contents axe-core has audited, shared by the crawls of one test run."""

    done: set[str] = field(default_factory=set)

    def first_time(self, page) -> bool:
        signature = hashlib.sha256(page.evaluate(SIGNATURE_JS).encode()).hexdigest()
        if signature in self.done:
            return False
        self.done.add(signature)
        return True


@dataclass
class Crawl:
    """What one crawl saw: the pages it checked, those axe-core audited, the problems."""

    checked: list[str] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def note(self, url: str, problem: str) -> None:
        self.problems.setdefault(url, []).append(problem)

    def timed(self, what: str, started: float) -> None:
        self.seconds[what] = self.seconds.get(what, 0.0) + time.perf_counter() - started

    def report(self) -> str:
        spent = ", ".join(f"{what} {seconds:.0f}s" for what, seconds in self.seconds.items())
        lines = [
            f"{len(self.checked)} pages checked, {len(self.audited)} audited by axe-core "
            f"({spent}); problems on {len(self.problems)}:"
        ]
        for url, problems in self.problems.items():
            lines += [url, *(f"  - {problem}" for problem in problems)]
        return "\n".join(lines)


def pattern_of(url: str, slug: str) -> str | None:
    """The URL pattern a link is an instance of, or None if the crawl should not follow it:
    outside the service, in another intervention, or not a page."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.url_name in NOT_PAGES or NOT_PAGE_NAMESPACES & set(match.namespaces):
        return None
    if match.kwargs.get("slug", slug) != slug:
        return None
    shown_as = sorted({key for key, _ in parse_qsl(parts.query)} & MEANINGFUL_QUERIES)
    return match.route + "".join(f"?{key}" for key in shown_as)


def crawl(
    page,
    base_url: str,
    starts: Iterable[str],
    slug: str,
    audits: Audits | None = None,
    max_pages: int = MAX_PAGES,
) -> Crawl:
    """Check each page of `starts`, then one page of each pattern reachable from them.

    Pages to start from are chosen where one pattern has pages unlike each other (a draft
    report, and one issued outside Stocktake); a start this person may not open is passed
    over, but a link they were shown must work. The page's context must have axe-core (see
    `with_axe`)."""
    audits = audits if audits is not None else Audits()
    result = Crawl()
    chosen = list(dict.fromkeys(starts))
    queue = deque(chosen)
    seen: set[str] = set()
    opened: set[str] = set()
    while queue and len(result.checked) < max_pages:
        url = queue.popleft()
        pattern = pattern_of(url, slug)
        if pattern is None or url in opened or (pattern in seen and url not in chosen):
            continue
        seen.add(pattern)
        opened.add(url)
        started = time.perf_counter()
        response = _open(page, url)
        result.timed("opening", started)
        if response is None:  # a download: a file, not a page
            continue
        if response.status >= 400:
            if url not in chosen:
                result.note(url, f"the link leads to an error page ({response.status})")
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        result.checked.append(url)
        _check(page, url, result, audit=audits.first_time(page))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            href = href.split("#", 1)[0]
            if href.startswith(base_url):
                path = href[len(base_url) :] or "/"
                if pattern_of(path, slug) not in seen:
                    queue.append(path)
    return result


def _check(page, url: str, result: Crawl, audit: bool) -> None:
    if audit:
        result.audited.append(url)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        overflow = sideways_scroll(page)
        if overflow:
            result.note(url, f"{width}px: {overflow}")
        if audit:
            started = time.perf_counter()
            for problem in violations(page):
                result.note(url, f"{width}px: {problem}")
            result.timed(f"axe-core at {width}px", started)
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})


def _open(page, url: str):
    from playwright.sync_api import Error

    try:
        return page.goto(url)
    except Error as error:
        if "Download is starting" in str(error):
            return None
        raise
