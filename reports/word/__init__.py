"""Reports as Word documents: working copies the improvement team edits into committee
papers (`reports.word.document`)."""

from reports.word.document import DOCX_CONTENT_TYPE, docx_filename, render_docx

__all__ = ["DOCX_CONTENT_TYPE", "docx_filename", "render_docx"]
