"""The audit trail as people read it: one object's timeline, and what changed in an intervention.

Both are built on django-simple-history's records and `audit.changes`, which says what differs
between a record and the one before it. Each record becomes an `Entry`: when (aware, shown in
Europe/London), who, the reason given, and the changes in plain words, newest first.

What each includes:
- `timeline_for(obj)`: the object's own records (its fields and its many-to-many links) for a
  programme, milestone, Direction or recommendation; for a programme also its period updates.
  A milestone's changes are on the milestone's own timeline, not the programme's.
- `changes_in(intervention, ...)`: every record in a date range of the intervention's
  programmes, milestones, Directions, recommendations, period updates, comments and challenges,
  change requests, evidence and delegations. People, boards, meetings and the plan's aims are
  reference data kept by administrators and are not shown.

Queries are bounded by the number of models, never by the number of records: one query of
records per model (users joined), one of the records before them, one per many-to-many link,
and one per related model whose names are shown.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from simple_history.models import HistoricalRecords

from boards.models import Meeting, Recommendation
from directions.models import Direction, DirectionSet
from interventions.dates.periods import ReportingPeriod
from interventions.kit.changes import FieldChange, changes
from interventions.kit.lists import person_name
from interventions.models import (
    ChangeLog,
    ChangeRequest,
    Comment,
    Delegation,
    Evidence,
    Intervention,
    Milestone,
    Person,
    Programme,
    ProgrammeUpdate,
)

LONDON = ZoneInfo("Europe/London")

# The kinds of change the "What changed" page filters by. An entry may be of several kinds
# (a new challenge is both "new" and "comments").
KINDS: list[tuple[str, str]] = [
    ("new", "New items"),
    ("rag", "RAG changes"),
    ("status", "Status changes"),
    ("dates", "Date changes"),
    ("progress", "Progress and commentary"),
    ("updates", "Period updates"),
    ("comments", "Comments and challenges"),
    ("change_requests", "Change requests"),
    ("evidence", "Evidence"),
]

STATUS_FIELDS = {"status", "phase", "compliance"}
PROGRESS_FIELDS = {
    "percent_complete",
    "commentary",
    "next_steps",
    "summary",
    "risks",
    "decisions_needed",
    "response",
}
# The kind every record of these models is, whatever changed.
MODEL_KINDS: dict[type[models.Model], str] = {
    ProgrammeUpdate: "updates",
    Comment: "comments",
    ChangeRequest: "change_requests",
    Evidence: "evidence",
}
# Fields that the byline or the heading already say, or that mean nothing to a reader.
QUIET_FIELDS = {
    "decided_by",
    "decided_at",
    "baseline_before",
    "uuid",
    "file",
    "content_type",
    "size",
    "original_name",
    "author",
    "added_by",
    "requested_by",
    "granted_by",
}
# A text change longer than this is named in the sentence and quoted beneath it.
QUOTE_AFTER = 120

# The models of the "What changed" page, in the order an equal time lists them.
SOURCES: list[type[models.Model]] = [
    Programme,
    Milestone,
    Direction,
    Recommendation,
    ProgrammeUpdate,
    Comment,
    ChangeRequest,
    Evidence,
    Delegation,
]
# How the change log names each (`interventions.models.ChangeLog.model`).
LABELS: dict[type[models.Model], str] = {model: model._meta.label_lower for model in SOURCES}


@dataclass(frozen=True)
class Change:
    """One change in an entry: a sentence, and for a long text the new text to quote."""

    sentence: str
    full: str  # the whole change in one line, for exports
    text: str = ""
    kind: str = ""
    label: str = ""  # what changed: "RAG", "Forecast end"


@dataclass
class Entry:
    """One history record as a reader sees it."""

    when: datetime.datetime
    who: str
    user_id: int | None
    reason: str
    title: str
    changes: list[Change]
    kinds: frozenset[str]
    subject: str  # what changed: "Milestone 2.1 Recruit a permanent lead"
    part: str = ""  # on an object's timeline, the part of it that changed ("Update for Q1 …")
    url: str = ""
    quote: str = ""  # the text of a new comment, update or change request
    # The day the change took effect, when that was before the day it was recorded (an
    # import, a change entered late): `interventions.models.valid_time`.
    took_effect: datetime.date | None = None
    key: tuple = field(default=(), repr=False)
    # The model and id of the row the record is of.
    source: tuple[type[models.Model], int] | None = field(default=None, repr=False, compare=False)

    @property
    def local_when(self) -> datetime.datetime:
        return self.when.astimezone(LONDON)

    @property
    def byline(self) -> str:
        """ "by A. Officer, 3 Jun 2025 14:05" (or "Imported, …")."""
        when = self.local_when
        stamp = f"{when.day} {when:%b %Y %H:%M}"
        byline = f"by {self.who}, {stamp}" if self.user_id else f"{self.who}, {stamp}"
        if self.took_effect:
            byline += f", with effect from {self.took_effect.day} {self.took_effect:%b %Y}"
        return byline

    @property
    def listed_changes(self) -> list[Change]:
        """The changes to list beneath the heading: none when the heading already says it."""
        if len(self.changes) == 1 and self.changes[0].sentence == self.title:
            return []
        return self.changes

    @property
    def quoted(self) -> str:
        """The text to quote beneath the heading: a new comment's, or the one long text
        the heading names ("Commentary changed")."""
        if self.quote:
            return self.quote
        if len(self.changes) == 1 and self.changes[0].sentence == self.title:
            return self.changes[0].text
        return ""

    @property
    def summary(self) -> str:
        """The whole entry in one line, for exports."""
        changed = bool(self.changes) and "new" not in self.kinds
        parts = [] if changed else [self.title]
        parts += [change.full for change in self.changes]
        if self.quote:
            parts.append(self.quote)
        return "; ".join(parts)


# ------------------------------------------------------------------------------ names


def user_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _name_querysets() -> dict[type[models.Model], tuple[models.QuerySet, Any]]:
    """How to fetch each related model's names without a query per row."""
    User = get_user_model()
    return {
        User: (User.objects.all(), user_name),
        Person: (Person.objects.all(), person_name),
        Direction: (Direction.objects.select_related("parent"), str),
        Meeting: (Meeting.objects.select_related("board"), str),
        Milestone: (Milestone.objects.all(), lambda m: f"{m.label} {m.title}"),
    }


def resolve(wanted: dict[type[models.Model], set[Any]]) -> dict[tuple[type, Any], Any]:
    """The objects named by (model, pk): one query per model."""
    found: dict[tuple[type, Any], Any] = {}
    querysets = _name_querysets()
    for model, pks in wanted.items():
        pks.discard(None)
        if not pks:
            continue
        queryset = querysets.get(model, (model._default_manager.all(), str))[0]
        for obj in queryset.filter(pk__in=pks):
            found[(model, obj.pk)] = obj
    return found


def names_of(objects: dict[tuple[type, Any], Any]) -> dict[tuple[type, Any], str]:
    querysets = _name_querysets()
    return {
        (model, pk): querysets.get(model, (None, str))[1](obj)
        for (model, pk), obj in objects.items()
    }


# ----------------------------------------------------------------------- many-to-many


@functools.cache
def m2m_fields(model: type[models.Model]) -> tuple[models.ManyToManyField, ...]:
    """The audited links of `model`. Cached: reaching the history class through
    `model.history` builds a manager each time, which cost most of a long page's time when
    asked once per record (docs/performance.md)."""
    records = model.history.model  # type: ignore[attr-defined]  # simple-history adds `history`
    return tuple(records._history_m2m_fields)


def m2m_sets(
    model: type[models.Model], history_ids: Iterable[int]
) -> dict[str, dict[int, set[Any]]]:
    """For each audited link of `model`, the targets each history record had: one query each."""
    history_ids = list(history_ids)
    result: dict[str, dict[int, set[Any]]] = {}
    for m2m in m2m_fields(model):
        targets: dict[int, set[Any]] = defaultdict(set)
        if history_ids:
            rows = HistoricalRecords.m2m_models[m2m].objects.filter(history_id__in=history_ids)
            target = f"{m2m.m2m_reverse_field_name()}_id"
            for history_id, pk in rows.values_list("history_id", target):
                targets[history_id].add(pk)
        result[m2m.name] = targets
    return result


# ----------------------------------------------------------------------------- reading


def _label(text: str) -> str:
    return text[:1].upper() + text[1:]


def _field_kind(model: type[models.Model], name: str) -> str:
    if name == "rag":
        return "rag"
    if name in STATUS_FIELDS:
        return "status"
    if name in PROGRESS_FIELDS:
        return "progress"
    model_field = model._meta.get_field(name)
    if isinstance(model_field, models.DateField) or name.endswith("_as_written"):
        return "dates"
    return ""


def _as_change(model: type[models.Model], change: FieldChange) -> Change:
    kind = _field_kind(model, change.field)
    full = change.sentence()
    label = change.label
    if len(change.old) + len(change.new) <= QUOTE_AFTER:
        return Change(full, full, kind=kind, label=label)
    if not change.new:
        return Change(f"{label} cleared", full, kind=kind, label=label)
    verb = "added" if not change.old else "changed"
    return Change(f"{label} {verb}", f"{label} {verb}: {change.new}", change.new, kind, label)


def _lower_first(label: str) -> str:
    """ "Forecast end" → "forecast end" inside a sentence; "RAG" stays "RAG"."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class Reader:
    """Turns history records (each with the one before it) into entries, in bounded queries."""

    def __init__(
        self,
        pairs: list[tuple[Any, Any | None]],
        slug: str = "",
        extra: dict[type[models.Model], set[Any]] | None = None,
    ) -> None:
        self.pairs = pairs
        self.slug = slug
        by_model: dict[type[models.Model], list[int]] = defaultdict(list)
        for record, previous in pairs:
            by_model[record.instance_type].append(record.history_id)
            if previous is not None:
                by_model[record.instance_type].append(previous.history_id)
        self.links = {model: m2m_sets(model, ids) for model, ids in by_model.items()}
        wanted = self._wanted(extra or {})
        self.objects = resolve(wanted)
        self.related = names_of(self.objects)

    def _wanted(self, extra: dict[type[models.Model], set[Any]]) -> dict[type, set[Any]]:
        wanted: dict[type, set[Any]] = defaultdict(set)
        for model, pks in extra.items():
            wanted[model] |= pks
        for record, previous in self.pairs:
            model = record.instance_type
            for model_field in model._meta.concrete_fields:
                if not isinstance(model_field, models.ForeignKey):
                    continue
                value = getattr(record, model_field.attname)
                before = getattr(previous, model_field.attname, None)
                if previous is not None and value != before:
                    wanted[model_field.related_model] |= {value, before}
                if model_field.name in {"programme", "milestone", "person", "parent"}:
                    wanted[model_field.related_model].add(value)
            for m2m in m2m_fields(model):
                target = m2m.related_model
                for targets in self.links[model][m2m.name].values():
                    wanted[target] |= targets
        return wanted

    def name(self, model: type[models.Model], pk: Any) -> str:
        return self.related.get((model, pk), f"#{pk}" if pk is not None else "")

    def entries(self) -> list[Entry]:
        result = [self.entry(record, previous) for record, previous in self.pairs]
        kept = [entry for entry in result if entry is not None]
        return sorted(kept, key=lambda entry: entry.key, reverse=True)

    def entry(self, record: Any, previous: Any | None) -> Entry | None:
        model = record.instance_type
        kinds = {MODEL_KINDS[model]} if model in MODEL_KINDS else set()
        quote = ""
        reason = record.history_change_reason or ""
        found: list[Change]
        if record.history_type == "-":
            title, found = "Deleted", []
        elif record.history_type == "+" or previous is None:
            kinds.add("new")
            title, found, quote = self.creation(record)
            if model is ChangeRequest and not reason:
                reason = record.reason
        else:
            found = self.field_changes(record, previous) + self.link_changes(record, previous)
            if not found:
                return None  # saved with nothing a reader would see as a change
            title = self.heading(record, found)
        kinds |= {change.kind for change in found if change.kind}
        user = record.history_user
        if user is not None:
            who = user_name(user)
        elif "import" in reason.lower():
            who = "Imported"
        else:
            who = "System"
        return Entry(
            when=record.history_date,
            who=who,
            user_id=record.history_user_id,
            reason=reason,
            title=title,
            changes=found,
            kinds=frozenset(kinds),
            subject=self.subject(record),
            part=self.part(record),
            url=self.url(record),
            quote=quote,
            took_effect=record.valid_from,
            key=(record.history_date, SOURCES.index(model), record.history_id),
            source=(model, record.id),
        )

    def heading(self, record: Any, found: list[Change]) -> str:
        if len(found) == 1:
            return found[0].sentence
        labels = list(dict.fromkeys(change.label for change in found))
        return f"{_join([labels[0], *map(_lower_first, labels[1:])])} changed"

    def field_changes(self, record: Any, previous: Any) -> list[Change]:
        model = record.instance_type
        return [
            _as_change(model, change)
            for change in changes(record, previous, self.related)
            if change.field not in QUIET_FIELDS
        ]

    def link_changes(self, record: Any, previous: Any) -> list[Change]:
        model = record.instance_type
        found = []
        for m2m in m2m_fields(model):
            links = self.links[model][m2m.name]
            now, before = links.get(record.history_id, set()), links.get(previous.history_id, set())
            if now == before:
                continue
            target = m2m.related_model
            added = sorted(self.name(target, pk) for pk in now - before)
            removed = sorted(self.name(target, pk) for pk in before - now)
            words = []
            if added:
                words.append(f"added {', '.join(added)}")
            if removed:
                words.append(f"removed {', '.join(removed)}")
            label = _label(str(m2m.verbose_name))
            sentence = f"{label}: {'; '.join(words)}"
            found.append(Change(sentence, sentence, label=label))
        return found

    def creation(self, record: Any) -> tuple[str, list[Change], str]:
        """A creation's heading, anything worth listing, and the text to quote."""
        model = record.instance_type
        if model is Comment:
            return f"{record.get_kind_display()} added", [], record.text
        if model is ProgrammeUpdate:
            title = f"Update for {ReportingPeriod(record.period_start)} added"
            rag = f"RAG {record.get_rag_display()}"
            return title, [Change(rag, rag, kind="rag")], record.summary
        if model is ChangeRequest:
            found = []
            if record.proposed_end:
                text = f"Proposed end {record.proposed_end.day} {record.proposed_end:%b %Y}"
                found.append(Change(text, text, kind="dates"))
            if record.proposed_title:
                text = f"Proposed title: {record.proposed_title}"
                found.append(Change(text, text))
            return f"Change requested: {record.get_kind_display()}", found, ""
        if model is Evidence:
            return f"Evidence added: {record.title}", [], ""
        if model is Delegation:
            scope = (
                self.name(Milestone, record.milestone_id)
                if record.milestone_id
                else "the whole programme"
            )
            until = f" until {record.ends_on.day} {record.ends_on:%b %Y}" if record.ends_on else ""
            text = (
                f"{self.name(Person, record.person_id)} may update {scope} from "
                f"{record.starts_on.day} {record.starts_on:%b %Y}{until}"
            )
            return "Delegation added", [Change(text, text)], ""
        return "Created", [], ""

    def subject(self, record: Any) -> str:
        """What the record is about, as a list of changes names it."""
        model = record.instance_type
        if model is Programme:
            return f"Programme {record.number}: {record.title}"
        if model is Milestone:
            return f"Milestone {record.number or ''} {record.title}".replace("  ", " ")
        if model is Direction:
            ref = record.ref
            if record.parent_id:
                parent = self.objects.get((Direction, record.parent_id))
                ref = f"{parent.ref}.{ref}" if parent else ref
            title = f". {record.short_title}" if record.short_title else ""
            return f"Direction {ref}{title}"
        if model is Recommendation:
            return f"Recommendation {record.reference}: {record.title}"
        where = self._where(record)
        if model is ProgrammeUpdate:
            return f"Update for {ReportingPeriod(record.period_start)}, {where}"
        if model is Comment:
            return f"{record.get_kind_display()} on {where}"
        if model is ChangeRequest:
            return f"Change request for {where}"
        if model is Evidence:
            return f"Evidence for {where}: {record.title}"
        return f"Delegation of {where}"

    def part(self, record: Any) -> str:
        """On a programme's timeline, which period update changed (its creation says so)."""
        if record.instance_type is ProgrammeUpdate and record.history_type != "+":
            return f"Update for {ReportingPeriod(record.period_start)}"
        return ""

    def _where(self, record: Any) -> str:
        milestone_id = getattr(record, "milestone_id", None)
        if milestone_id:
            return f"milestone {self.name(Milestone, milestone_id)}"
        programme = self.objects.get((Programme, getattr(record, "programme_id", None)))
        return f"programme {programme.number}" if programme else "a programme"

    def url(self, record: Any) -> str:
        """The page of what changed, while it exists and the slug is known."""
        if not self.slug or record.history_type == "-":
            return ""
        model = record.instance_type
        slug = self.slug
        milestone_id = getattr(record, "milestone_id", None)
        if model is Milestone or milestone_id:
            pk = record.id if model is Milestone else milestone_id
            return reverse("interventions:milestone_detail", kwargs={"slug": slug, "pk": pk})
        if model is Direction:
            return reverse("directions:direction_detail", kwargs={"slug": slug, "pk": record.id})
        if model is Recommendation:
            return reverse("boards:recommendation_detail", kwargs={"slug": slug, "pk": record.id})
        number = (
            record.number
            if model is Programme
            else getattr(self.objects.get((Programme, record.programme_id)), "number", None)
        )
        if number is None:
            return ""
        return reverse("interventions:programme_detail", kwargs={"slug": slug, "number": number})


# ----------------------------------------------------------------------------- timelines

TIMELINE_MODELS = (Programme, Milestone, Direction, Recommendation)


def pair_up(records: Iterable[Any]) -> list[tuple[Any, Any | None]]:
    """Each record with the one before it of the same object (records in any order)."""
    by_object: dict[Any, list[Any]] = defaultdict(list)
    for record in records:
        by_object[(record.instance_type, record.id)].append(record)
    pairs = []
    for rows in by_object.values():
        rows.sort(key=lambda r: (r.history_date, r.history_id))
        pairs += list(zip(rows, [None, *rows[:-1]], strict=True))
    return pairs


def timeline_for(obj: models.Model, slug: str = "") -> list[Entry]:
    """The history of a programme (with its period updates), milestone, Direction or
    recommendation, newest first."""
    if not isinstance(obj, TIMELINE_MODELS):
        raise TypeError(f"No timeline for {type(obj).__name__}")
    records = list(obj.history.select_related("history_user"))
    extra: dict[type[models.Model], set[Any]] = {}
    if isinstance(obj, Programme):
        records += ProgrammeUpdate.history.filter(programme_id=obj.pk).select_related(
            "history_user"
        )
        extra = {Programme: {obj.pk}}
    return Reader(pair_up(records), slug, extra).entries()


# ------------------------------------------------------------------- the intervention


def programme_ids_of(intervention: Intervention) -> models.QuerySet:
    # From the history tables, so that the changes of a deleted programme still show.
    return Programme.history.filter(intervention_id=intervention.pk).values("id")


def in_intervention(model: type[models.Model], intervention: Intervention) -> Q:
    """The history records of `model` that belong to the intervention."""
    programmes = programme_ids_of(intervention)
    if model in (Programme, Recommendation, Evidence):
        return Q(intervention_id=intervention.pk)
    if model in (Milestone, ProgrammeUpdate, Comment, Delegation):
        return Q(programme_id__in=programmes)
    if model is ChangeRequest:
        return Q(milestone_id__in=milestone_ids_of(programmes))
    if model is Direction:
        sets = DirectionSet.history.filter(intervention_id=intervention.pk).values("id")
        return Q(direction_set_id__in=sets)
    raise TypeError(model)


def milestone_ids_of(programmes: Any) -> models.QuerySet:
    return Milestone.history.filter(programme_id__in=programmes).values("id")


def belonging_to(model: type[models.Model], programmes: Any, directions: Any) -> Q:
    """The records of `model` about these programmes or Directions (or what belongs to them)."""
    if model is Programme:
        return Q(id__in=programmes)
    if model in (Milestone, ProgrammeUpdate, Comment, Delegation, Evidence):
        return Q(programme_id__in=programmes)
    if model is ChangeRequest:
        return Q(milestone_id__in=milestone_ids_of(programmes))
    if model is Direction:
        return Q(id__in=directions) | Q(parent_id__in=directions)
    if model is Recommendation:
        links = Recommendation.programmes.through.objects.filter(programme_id__in=programmes)
        to_directions = Recommendation.directions.through.objects.filter(
            direction_id__in=directions
        )
        return Q(id__in=links.values("recommendation_id")) | Q(
            id__in=to_directions.values("recommendation_id")
        )
    raise TypeError(model)


def _before(model: type[models.Model]) -> Subquery:
    """The history_id of the record just before each record of the same object."""
    history = model.history.model  # type: ignore[attr-defined]  # simple-history adds `history`
    # The first condition alone lets the (id, history_date, history_id) index start at the
    # record's own date, instead of walking back from the object's newest record.
    earlier = history.objects.filter(id=OuterRef("id"), history_date__lte=OuterRef("history_date"))
    earlier = earlier.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    return Subquery(earlier.order_by("-history_date", "-history_id").values("history_id")[:1])


# A change to a recommendation's response, for a reader who reads published responses only
# (the Department) while the response is not published: the change is named, never quoted.
RESPONSE_LABEL = "Response"
RESPONSE_WITHHELD = "Response changed (not published yet)"


def withhold_responses(entries: list[Entry]) -> list[Entry]:
    """The entries with the words of each unpublished response left out, for a reader who
    reads published responses only (`boards.permissions.can_read_response`). One query."""
    ids = {e.source[1] for e in entries if e.source and e.source[0] is Recommendation}
    if not ids:
        return entries
    unpublished = set(
        Recommendation.objects.filter(pk__in=ids, published_on__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for entry in entries:
        if entry.source is None or entry.source[0] is not Recommendation:
            continue
        if entry.source[1] not in unpublished:
            continue
        entry.changes = [
            Change(sentence=RESPONSE_WITHHELD, full=RESPONSE_WITHHELD, kind=c.kind, label=c.label)
            if c.label == RESPONSE_LABEL
            else c
            for c in entry.changes
        ]
        if any(c.label == RESPONSE_LABEL for c in entry.changes):
            entry.quote = ""
            if entry.title.startswith(RESPONSE_LABEL):
                entry.title = RESPONSE_WITHHELD
    return entries


# How many slices (pages) of one `Changes` are kept once read.
SLICES_KEPT = 10


class Changes(Sequence[Entry]):
    """The changes `changes_in` found: counted, filtered and paged in SQL from the change log
    (`interventions.models.ChangeLog`), worded only for the slice that is read. Its length is
    one query; a slice is one query of the log, one of records per model, and the Reader's
    queries for that slice's names and links."""

    def __init__(self, rows: models.QuerySet, slug: str, withhold: bool = False) -> None:
        self.rows = rows
        self.slug = slug
        # Leave out the words of unpublished responses (`withhold_responses`).
        self.withhold = withhold
        self._length: int | None = None
        self._counted_up_to: dict[int, int] = {}
        self._all: list[Entry] | None = None
        # The slices read, by (start, stop), the first few only: a kept Changes
        # (interventions.kit.kept) serves the pages most read without wording them again.
        self._slices: dict[tuple[int | None, int | None], list[Entry]] = {}

    def __len__(self) -> int:
        if self._all is not None:
            return len(self._all)
        if self._length is None:
            self._length = self.rows.count()
        return self._length

    def count_up_to(self, limit: int) -> int:
        """How many there are, counting no further than `limit` (one query, whose cost stops
        growing there)."""
        if self._all is not None or self._length is not None:
            return min(len(self), limit)
        counted = self._counted_up_to.get(limit)
        if counted is None:
            counted = self._counted_up_to[limit] = self.rows[:limit].count()
            if counted < limit:
                self._length = counted
        return counted

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> list[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | list[Entry]:
        if self._all is not None:
            return self._all[index]
        if isinstance(index, slice):
            if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop or 0) < 0:
                return self.all()[index]
            key = (index.start, index.stop)
            found = self._slices.get(key)
            if found is None:
                found = self._read(self.rows[index])
                if len(self._slices) < SLICES_KEPT:
                    self._slices[key] = found
            return list(found)
        if index < 0:
            return self.all()[index]
        found = self._read(self.rows[index : index + 1])
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a list-like, compared by its entries

    def all(self) -> list[Entry]:
        if self._all is None:
            self._all = self._read(self.rows)
        return self._all

    def _read(self, rows: models.QuerySet) -> list[Entry]:
        """The entries of these log rows, newest first."""
        by_model: dict[str, list[int]] = defaultdict(list)
        for label, history_id in rows.values_list("model", "history_id"):
            by_model[label].append(history_id)
        records: list[Any] = []
        earlier: list[Any] = []
        for model in SOURCES:
            ids = by_model.get(LABELS[model])
            if not ids:
                continue
            history = model.history  # type: ignore[attr-defined]  # simple-history adds `history`
            found = list(
                history.filter(history_id__in=ids)
                .select_related("history_user")
                .annotate(before_id=_before(model))
            )
            records += found
            wanted = [r.before_id for r in found if r.before_id and r.history_type != "+"]
            if wanted:
                earlier += history.filter(history_id__in=wanted)
        before = {(row.instance_type, row.history_id): row for row in earlier}
        pairs = [(r, before.get((r.instance_type, r.before_id))) for r in records]
        extra: dict[type[models.Model], set[Any]] = {
            Programme: {getattr(r, "programme_id", None) for r, _ in pairs}
        }
        entries = Reader(pairs, self.slug, extra).entries()
        return withhold_responses(entries) if self.withhold else entries


def changes_in(
    intervention: Intervention,
    start: datetime.date,
    end: datetime.date,
    *,
    user: Any = None,
    programme: Programme | None = None,
    theme: Any = None,
    kind: str = "",
    newest: int | None = None,
    withhold: bool = False,
) -> Changes:
    """Every change in the intervention from `start` to `end` (London days, inclusive), newest
    first, narrowed to a person who made it, a programme (and what belongs to it), a Best Value
    theme (programmes and Directions linked to it, and what belongs to them) and a kind.

    Counted, filtered and paged in SQL (the change log); only what is read is worded. `newest`
    reads only the latest records, for pages that show the most recent few. `withhold`
    leaves out the words of unpublished responses, for a reader of published ones only."""
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=LONDON)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, LONDON)
    rows = ChangeLog.objects.filter(
        intervention_id=intervention.pk, history_date__gte=since, history_date__lt=until
    )
    if newest is None:
        rows = rows.filter(shown=True)
    if user is not None:
        rows = rows.filter(user_id=user.pk)
    scopes: list[tuple[Any, Any]] = []
    if programme is not None:
        scopes.append(([programme.pk], []))
    if theme is not None:
        scopes.append(
            (
                Programme.themes.through.objects.filter(theme=theme).values("programme_id"),
                Direction.themes.through.objects.filter(theme=theme).values("direction_id"),
            )
        )
    for programmes, directions in scopes:
        within = Q()
        for model in SOURCES:
            history = model.history  # type: ignore[attr-defined]  # simple-history adds `history`
            records = history.filter(belonging_to(model, programmes, directions))
            within |= Q(model=LABELS[model], history_id__in=records.values("history_id"))
        rows = rows.filter(within)
    if kind:
        rows = rows.filter(kinds__contains=f" {kind} ")
    # Newest first; at the same moment in the order of SOURCES, as `Reader.entries` sorts.
    rows = rows.order_by("-history_date", "-rank", "-history_id")
    if newest is not None:
        # The latest records, shown or not, worded at once: those with nothing to show drop
        # out as they did when every record of the range was worded.
        rows = rows[:newest]
        changes = Changes(rows, intervention.slug, withhold)
        changes.all()
        return changes
    return Changes(rows, intervention.slug, withhold)


def recent_history(
    obj: models.Model, slug: str, count: int = 5, withhold: bool = False
) -> dict[str, Any]:
    """Context for the History section of a detail page: the latest entries and a link to
    the whole history (`withhold`: see `withhold_responses`)."""
    entries = timeline_for(obj, slug)
    if withhold:
        entries = withhold_responses(entries)
    kind = type(obj).__name__.lower()
    return {
        "timeline": entries[:count],
        "timeline_total": len(entries),
        "history_page": reverse(
            "interventions:object_history", kwargs={"slug": slug, "kind": kind, "pk": obj.pk}
        ),
    }
