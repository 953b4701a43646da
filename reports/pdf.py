"""A report as HTML and as a PDF: the template for its kind, and WeasyPrint printing that HTML
with a URL fetcher that reads only our own static files and data: URIs.

The page's preview, the background task and `manage.py build_report` all call `render_html`
and `render_pdf` here, so each shows exactly what the others would.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

from reports.context import report_context
from reports.models import Report

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

# WeasyPrint logs every page of every layout pass at INFO; a build would fill the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_html(report: Report, context: dict[str, Any] | None = None) -> str:
    """The report as one HTML document: what the preview shows and WeasyPrint prints."""
    context = context if context is not None else report_context(report)
    return render_to_string(f"reports/pdf/{report.kind}.html", context)


# The reports' stylesheet is linked by the template (reports/pdf/base.html), not inlined: the
# Content Security Policy forbids inline styles on the preview page. WeasyPrint reads the same
# file through `_static_file`.


def _static_file(url: str) -> Path | None:
    """The file behind one of our static URLs (`/static/css/…` as WeasyPrint resolves it
    against `file:///`), from the app folders in development or STATIC_ROOT in production."""
    parsed = urlparse(url)
    # STATIC_URL itself, not static(""): under the hashed (manifest) storage of production,
    # static("") looks for a manifest entry named "" and raises, so every file was refused.
    prefix = urlparse(settings.STATIC_URL).path
    if parsed.scheme != "file" or not parsed.path.startswith(prefix):
        return None
    name = posixpath.normpath(unquote(parsed.path.removeprefix(prefix)))
    if name.startswith(("../", "/")) or name == "..":
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    return None


def _fetcher() -> URLFetcher:
    # Imported only when a PDF is printed, so loading this module (for the preview's HTML)
    # does not load WeasyPrint.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no types
        """Reports read our own static files (the stylesheet) and data: URIs (the charts),
        nothing else: building a report never reaches the network or other files. A file it
        cannot read stops the build (WeasyPrint's `fail_on_errors`): a statutory report
        printed without its stylesheet must fail, not be stored as if it were built."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_file(url)
            if path is None:
                raise ValueError(f"A report reads only its own static files, not {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher(fail_on_errors=True)


class PdfBuildFailed(Exception):
    """The PDF could not be printed as it must be (e.g. its stylesheet could not be read);
    nothing was built."""


def render_pdf(html: str) -> bytes:
    """HTML to a tagged PDF (PDF/UA-1) printed with the reports' stylesheet: language and
    title come from the document. PdfBuildFailed if a file it links cannot be read."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    try:
        pdf: bytes = HTML(string=html, base_url="file:///", url_fetcher=_fetcher()).write_pdf(
            pdf_variant="pdf/ua-1", uncompressed_pdf=False
        )
    except FatalURLFetchingError as error:  # a BaseException, so that WeasyPrint stops
        cause = error.__cause__ or error
        raise PdfBuildFailed(f"The report could not be printed: {cause}") from error
    return pdf
