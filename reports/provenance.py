"""Where a report's figures come from: the history records behind each of its sections.

A report is built from history records (`reports.snapshot`), never from today's rows, so each
table row and figure it prints came from one version of one record: a milestone as it was
recorded at a moment, by someone. This module finds those records in the report's context,
section by section, and says what each is (kind, id, version, when it was recorded, by whom):

- the preview links each table row to the version it shows (`source_link` in
  `reports.templatetags.report_sources`), and each figure to its section's list of sources;
- the PDF ends with a "Sources" appendix listing them per section;
- an issued report stores the list with its SHA-256 (`Report.sources`, `sources_sha256`), so a
  reviewer can check any figure later against the version page (`reports.views.source_version`)
  even after the record has changed again.

The version of a record is its history record's id (`history_id`): it never changes, so a
link made today reaches the same version after any later edit.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

# What each section of a report prints, by the keys of its context (`reports.context`): the
# history records found under those keys are its sources. A section not named here is looked
# for under its own key ("measures" under context["measures"]), so a new section that keeps
# its data under its key has its sources found without a line here.
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "directions": ("direction_progress", "directions"),
    "programmes": ("programmes", "period_updates"),
    "milestones": ("done_in_period", "slipped", "overdue"),
    "decisions": ("decisions",),
    "plan": ("snap.plan", "aims", "progress", "programmes"),
    "outlook": ("outlook",),
    "board": ("board_work",),
    "movement": ("movement",),
    "recommendations": ("recommendations",),
    "next_period": ("meetings_next", "upcoming"),
    "themes": ("themes",),
    "new_recommendations": ("stocktake_recommendations",),
}
# The executive summary's charts count the programmes and milestones of the plan on the day.
SUMMARY_KEYS = ("snap.programmes", "snap.milestones")
EVIDENCE_KEYS = ("evidence",)

# The fields of a record that name a person of the intervention: the people a row prints
# by name (an SRO, an owner, who attended) are among its sources too.
PERSON_FIELDS = ("sro_id", "sponsor_id", "lead_member_id", "owner_id", "person_id")


@dataclasses.dataclass(frozen=True)
class Source:
    """One version of one record behind a report."""

    kind: str  # the model's name in lower case: "milestone"
    label: str  # what the reader calls it: "Milestone"
    id: int
    version: int  # the history record's id
    recorded_at: datetime.datetime
    by: str  # who recorded it ("" when the record was written by an import or a migration)
    title: str  # the record's own words, to recognise it by

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "id": self.id,
            "version": self.version,
            "recorded_at": self.recorded_at.isoformat(),
            "by": self.by,
            "title": self.title,
        }


def is_record(value: object) -> bool:
    """A simple-history record (its class has the tracked model as `instance_type`)."""
    return hasattr(type(value), "instance_type") and hasattr(value, "history_id")


def kind_of(record: Any) -> str:
    return str(type(record).instance_type._meta.model_name)


def label_of(record: Any) -> str:
    return str(type(record).instance_type._meta.verbose_name).capitalize()


def records_in(value: object, seen: set[int] | None = None) -> Iterator[Any]:
    """Every history record found in a context value: in dicts, lists, tuples, sets and
    dataclasses (the movement, the charts of measures), in the order they are met."""
    seen = set() if seen is None else seen
    if is_record(value):
        yield value
        return
    if isinstance(value, (str, bytes, int, float, bool, datetime.date)) or value is None:
        return
    if isinstance(value, models.Model):
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, dict):
        for item in value.values():
            yield from records_in(item, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from records_in(item, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from records_in(getattr(value, f.name), seen)


def _lookup(context: dict[str, Any], key: str) -> object:
    value: object = context
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value


def title_of(record: Any) -> str:
    """The record's own words, shortened, to recognise it by in a list of sources."""
    for name in ("short_title", "title", "name", "post", "text", "summary", "reference"):
        text = getattr(record, name, "")
        if isinstance(text, str) and text.strip():
            words = " ".join(text.split())
            return words if len(words) <= 70 else words[:69] + "…"
    number = getattr(record, "number", "") or getattr(record, "ref", "")
    return str(number)


def _unique(records: Iterable[Any]) -> list[Any]:
    found: dict[tuple[str, int], Any] = {}
    for record in records:
        found.setdefault((kind_of(record), record.history_id), record)
    return list(found.values())


def _with_people(records: list[Any], people: dict[int, Any]) -> list[Any]:
    named = [
        people[pk]
        for record in records
        for name in PERSON_FIELDS
        if (pk := getattr(record, name, None)) is not None and pk in people
    ]
    return _unique([*records, *named])


def sections(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The sources of each part of the report, in the report's order: the summary, each
    numbered section, the evidence appendix. Each part: its number and title, an anchor, and
    its sources ordered by kind and id. One query in all (the names of who recorded them)."""
    snap = context["snap"]
    parts: list[tuple[str, str, str, tuple[str, ...]]] = [
        ("summary", "1", "Executive summary", SUMMARY_KEYS)
    ]
    for section in context["section_list"]:
        keys = SECTION_KEYS.get(section["key"], (section["key"],))
        parts.append((section["key"], str(section["number"]), section["title"], keys))
    parts.append(("evidence", "", "Appendix: evidence", EVIDENCE_KEYS))
    found = []
    for key, number, title, keys in parts:
        records = _unique(r for k in keys for r in records_in(_lookup(context, k)))
        found.append((key, number, title, _with_people(records, snap.people)))
    users = _names({r.history_user_id for _, _, _, rs in found for r in rs})
    result = []
    for key, number, title, records in found:
        sources = sorted(
            (
                Source(
                    kind=kind_of(r),
                    label=label_of(r),
                    id=r.id,
                    version=r.history_id,
                    recorded_at=r.history_date,
                    by=users.get(r.history_user_id, ""),
                    title=title_of(r),
                )
                for r in records
            ),
            key=lambda s: (s.label, s.id, s.version),
        )
        result.append(
            {
                "key": key,
                "number": number,
                "title": title,
                "anchor": f"sources-{key}",
                "sources": sources,
            }
        )
    return result


def _names(ids: set[int | None]) -> dict[int | None, str]:
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    users = get_user_model().objects.filter(pk__in=wanted)
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def as_data(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sources as stored with an issued report (JSON)."""
    return [
        {
            "key": part["key"],
            "number": part["number"],
            "title": part["title"],
            "sources": [source.as_dict() for source in part["sources"]],
        }
        for part in parts
    ]


def checksum(data: list[dict[str, Any]]) -> str:
    """The SHA-256 of the stored sources, over their JSON with sorted keys and no spaces: the
    same list always gives the same checksum."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def listed(data: list[dict[str, Any]], kind: str, pk: int, version: int) -> bool:
    """Whether a version of a record is among stored sources."""
    return any(
        source["kind"] == kind and source["id"] == pk and source["version"] == version
        for part in data
        for source in part["sources"]
    )


# ------------------------------------------------------------------- a version, on its page


def model_of(kind: str) -> type[models.Model] | None:
    """The tracked model a source's kind names, among the apps of a report."""
    for app_label in ("interventions", "directions", "boards", "reports"):
        try:
            model = apps.get_model(app_label, kind)
        except LookupError:
            continue
        if hasattr(model, "history"):
            return model
    return None


def intervention_of(model: type[models.Model], record: Any) -> int | None:
    """The intervention a history record belongs to: its own `intervention_id`, or through
    the history of the record it belongs to (a milestone's programme, a meeting's board), so
    that it is found even when that record has since been deleted."""
    for _ in range(5):
        if model._meta.model_name == "intervention":
            return int(record.id)
        if hasattr(record, "intervention_id"):
            value = record.intervention_id
            return int(value) if value is not None else None
        parent = next(
            (
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.ForeignKey)
                and hasattr(f.related_model, "history")
                and getattr(record, f.attname, None) is not None
            ),
            None,
        )
        if parent is None:
            return None
        related = parent.related_model
        assert isinstance(related, type) and issubclass(related, models.Model)
        found = (
            related.history.filter(id=getattr(record, parent.attname))  # type: ignore[attr-defined]
            .order_by("-history_date", "-history_id")
            .first()
        )
        if found is None:
            return None
        model, record = related, found
    return None


def version_fields(
    model: type[models.Model], record: Any, words: Any = None
) -> list[tuple[str, str]]:
    """A version's fields as the page lists them: each field's name and its value as the
    record held it (choices by their labels, links to other records by their ids). `words`,
    the intervention's (`intervention.words`), names a recommendation's source as its model
    does."""
    rows = []
    for f in model._meta.concrete_fields:
        # The row's id is in the heading; its timestamps and edit counter are bookkeeping.
        if f.name in ("id", "created", "modified", "updated", "version") or f.name.startswith(
            "search"
        ):
            continue
        if isinstance(f, models.ForeignKey) and f.related_model is get_user_model():
            continue  # an account, not part of the record the report read
        value = getattr(record, f.attname, None)
        if f.choices and value not in (None, ""):
            text = str(dict(f.flatchoices).get(value, value))
            if words is not None and model._meta.label_lower == "boards.recommendation":
                text = words.source_label(value, text) if f.name == "source" else text
        elif isinstance(f, models.ForeignKey):
            name = str(f.related_model._meta.verbose_name).capitalize()
            text = f"{name} {value}" if value else ""
        elif isinstance(value, datetime.datetime):
            text = timezone.localtime(value).strftime("%-d %B %Y, %H:%M")
        elif isinstance(value, datetime.date):
            text = value.strftime("%-d %B %Y")
        elif isinstance(value, bool):
            text = "Yes" if value else "No"
        elif value is None:
            text = ""
        else:
            text = str(value)
        rows.append((str(f.verbose_name).capitalize(), text))
    return rows
