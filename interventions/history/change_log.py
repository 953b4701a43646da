"""Keeping the change log (`interventions.models.ChangeLog`): what the reader of the audit trail
makes of each history record, written once, as the change is saved.

What changed counts, filters by kind and pages its changes in SQL from this table, then words
only the page it shows (`timeline.changes_in`). Every row follows from history alone:
`entry_rows` is the one place a row is made, from the same `Reader` the pages word entries
with, so that the log and the pages cannot disagree about a record.

- As changes are saved: `record_saved` (connected to simple-history's
  `post_create_historical_record` in `interventions.apps`) logs each new record.
- After every `migrate`, and after history written without signals (bulk inserts, such as the
  benchmark's synthetic data): `sync()` logs every record that has no row yet.
- From scratch: `rebuild()` (`manage.py rebuild_change_log`); `differences()` says where the
  log and history disagree (`manage.py rebuild_change_log --check`, and the tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef

from boards.models import Recommendation
from directions.models import Direction, DirectionSet
from interventions.history.timeline import LABELS, SOURCES, Reader, _before, pair_up
from interventions.models import (
    ChangeLog,
    ChangeRequest,
    Evidence,
    Milestone,
    Programme,
)
from interventions.models.data_version import new_version

BATCH = 2_000
# Objects whose records are read at once (a milestone may have a thousand records).
OBJECTS = 20
# The fields a row is compared on by `differences`.
COMPARED = ("intervention_id", "history_date", "rank", "user_id", "shown", "kinds")


def kinds_text(kinds: Iterable[str]) -> str:
    """ "new rag" as stored: each kind between spaces, so that `contains=" rag "` finds it."""
    words = sorted(kinds)
    return f" {' '.join(words)} " if words else ""


def _history(model: type[models.Model]) -> Any:
    return model.history.model  # type: ignore[attr-defined]  # simple-history adds `history`


def _interventions_of(model: type[models.Model], records: list[Any]) -> dict[int, int | None]:
    """The intervention of each record (by history_id), as `timeline.in_intervention` reads
    it: through the history of its programme, milestone or set of Directions."""
    if model in (Programme, Recommendation, Evidence):
        return {r.history_id: r.intervention_id for r in records}
    if model is Direction:
        sets = dict(
            DirectionSet.history.filter(id__in={r.direction_set_id for r in records})
            .values_list("id", "intervention_id")
            .distinct()
        )
        return {r.history_id: sets.get(r.direction_set_id) for r in records}
    if model is ChangeRequest:
        on: dict[int, int] = {}
        for milestone, programme in (
            Milestone.history.filter(id__in={r.milestone_id for r in records})
            .values_list("id", "programme_id")
            .distinct()
        ):
            if programme is not None:
                on.setdefault(milestone, programme)
        programme_of = {r.history_id: on.get(r.milestone_id) for r in records}
    else:  # Milestone, ProgrammeUpdate, Comment, Delegation: by their programme
        programme_of = {r.history_id: r.programme_id for r in records}
    interventions = dict(
        Programme.history.filter(id__in={p for p in programme_of.values() if p is not None})
        .values_list("id", "intervention_id")
        .distinct()
    )
    return {key: interventions.get(p) for key, p in programme_of.items()}


def entry_rows(model: type[models.Model], history_ids: Iterable[int]) -> list[ChangeLog]:
    """The log's rows for these history records of `model` (unsaved), each read with the
    record before it, as What changed reads them."""
    history = _history(model)
    records = list(
        history.objects.filter(history_id__in=list(history_ids)).annotate(before_id=_before(model))
    )
    wanted = [r.before_id for r in records if r.before_id]
    earlier = {r.history_id: r for r in history.objects.filter(history_id__in=wanted)}
    return _rows(model, [(record, earlier.get(record.before_id)) for record in records])


def _rows(model: type[models.Model], pairs: list[tuple[Any, Any | None]]) -> list[ChangeLog]:
    records = [record for record, _ in pairs]
    extra: dict[type[models.Model], set[Any]] = {
        Programme: {getattr(r, "programme_id", None) for r in records}
    }
    reader = Reader(pairs, "", extra)
    interventions = _interventions_of(model, records)
    rows = []
    for record, previous in pairs:
        entry = reader.entry(record, previous)
        rows.append(
            ChangeLog(
                model=LABELS[model],
                history_id=record.history_id,
                intervention_id=interventions[record.history_id],
                history_date=record.history_date,
                rank=SOURCES.index(model),
                user_id=record.history_user_id,
                shown=entry is not None,
                kinds=kinds_text(entry.kinds) if entry is not None else "",
            )
        )
    return rows


def _all_rows(model: type[models.Model], object_ids: Iterable[Any]) -> Iterator[ChangeLog]:
    """The log's rows for every record of these objects: each object's records read once, in
    order, each paired with the one before it (no search for the record before)."""
    history = _history(model).objects.select_related("history_user")
    batch: list[Any] = []
    count = 0
    for pk in object_ids:
        batch.append(pk)
        count += 1
        if count >= OBJECTS:
            yield from _rows(model, pair_up(history.filter(id__in=batch)))
            batch, count = [], 0
    if batch:
        yield from _rows(model, pair_up(history.filter(id__in=batch)))


def sync() -> int:
    """Log every history record that has no row yet; how many were written."""
    written = 0
    for model in SOURCES:
        label = LABELS[model]
        logged = ChangeLog.objects.filter(model=label, history_id=OuterRef("history_id"))
        unlogged = _history(model).objects.filter(~Exists(logged))
        objects = unlogged.order_by("id").values_list("id", flat=True).distinct()
        batch: list[ChangeLog] = []
        for row in _all_rows(model, objects.iterator(chunk_size=BATCH)):
            batch.append(row)
            if len(batch) == BATCH:
                written += _save(batch)
                batch = []
        written += _save(batch)
    if written:
        # History written without signals: answers kept from before it are out of date.
        new_version()
    return written


def _save(rows: list[ChangeLog]) -> int:
    """Write rows the log does not have yet (those it has are left as they are)."""
    if not rows:
        return 0
    have = set(
        ChangeLog.objects.filter(
            model=rows[0].model, history_id__in=[row.history_id for row in rows]
        ).values_list("history_id", flat=True)
    )
    new = [row for row in rows if row.history_id not in have]
    ChangeLog.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def rebuild() -> int:
    """Write the whole log again from history, and give the data a new version: it is run
    after history was written by other means, which kept answers cannot have seen."""
    ChangeLog.objects.all().delete()
    written = sync()
    new_version()
    return written


def differences(limit: int = 20) -> list[str]:
    """Where the log and history disagree (at most `limit`, in words); empty when they agree."""
    found: list[str] = []
    for model in SOURCES:
        label = LABELS[model]
        stored = {
            row["history_id"]: row
            for row in ChangeLog.objects.filter(model=label).values("history_id", *COMPARED)
        }
        objects = _history(model).objects.order_by("id").values_list("id", flat=True).distinct()
        for row in _all_rows(model, objects.iterator(chunk_size=BATCH)):
            have = stored.pop(row.history_id, None)
            want = {name: getattr(row, name) for name in COMPARED}
            if have is None:
                found.append(f"{label} #{row.history_id}: not in the log")
            elif any(have[name] != want[name] for name in COMPARED):
                found.append(f"{label} #{row.history_id}: logged {have}, history says {want}")
        found += [f"{label} #{pk}: in the log, not in history" for pk in stored]
        if len(found) >= limit:
            break
    return found[:limit]


def record_saved(history_instance: Any, **kwargs: Any) -> None:
    """Log a history record as it is written (simple-history's post_create_historical_record)."""
    model = history_instance.instance_type
    if model in LABELS:
        ChangeLog.objects.bulk_create(
            entry_rows(model, [history_instance.history_id]), ignore_conflicts=True
        )
