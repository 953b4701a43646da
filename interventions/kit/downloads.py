"""Serving stored files (evidence, Board papers, report PDFs) safely."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def stored_file_response(file: FieldFile, filename: str, content_type: str) -> FileResponse:
    """The file as a download the browser must not sniff, render inline or run scripts from,
    and that no cache keeps (a paper may be found exempt later, a person's access may end)."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
