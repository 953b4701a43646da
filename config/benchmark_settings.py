"""Production settings for `manage.py benchmark` when static files cannot be collected.

Collecting static files for the manifest storage fails while the vendored GOV.UK CSS refers to
an image that is not vendored. Page timings do not depend on it (static files are not
requested), so the benchmark then names files without the manifest instead of not running.
"""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
