"""Links from a report's preview to the records behind it (`reports.provenance`).

`{% source_link record %}` in a table row of a report's template: in the preview (whose context
has `sources_url`), a link to the version of the record the row shows; in the PDF, nothing (the
PDF lists its sources in its appendix instead).
`{% sources_of "milestones" %}`: a link from a figure to its section's list of sources, in the
preview and in the PDF alike (it is an internal link of the document).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from reports import provenance

register = template.Library()


@register.simple_tag(takes_context=True)
def source_link(context: template.Context, record: Any) -> str:
    base = context.get("sources_url")
    if not base or not provenance.is_record(record):
        return ""
    kind = provenance.kind_of(record)
    return format_html(
        '<a class="source-link" href="{}{}/{}/{}/">Source<span class="visually-hidden">: {} {},'
        " version {}</span></a>",
        base,
        kind,
        record.id,
        record.history_id,
        provenance.label_of(record).lower(),
        record.id,
        record.history_id,
    )


@register.simple_tag
def sources_of(key: str) -> str:
    return format_html('<a class="sources-of" href="#sources-{}">Sources of these figures</a>', key)
