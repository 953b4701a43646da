"""A person's inbox: every source's items, grouped by intervention, each list cut short in SQL.

`inbox(user, today)` reads each source in two queries whatever the number of rows: a window
over each intervention's list numbers its items and counts them and keeps the ids of the first
`shown` of each, then those items are read with what they show. `waiting_count(user, today)`
counts what is waiting for the user, for the header, in one query. Both queries' SQL is built
once for a user, their groups and the day, and kept (`interventions.kit.compiled`); both
answers are kept until the data changes (`interventions.kit.kept`). `today` is a
parameter so that tests can say which day it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Func, IntegerField, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from interventions.access import permissions
from interventions.inbox.sources import SOURCES, Source, order_fields
from interventions.kit.compiled import CompiledQueries
from interventions.kit.kept import Kept
from interventions.models import Intervention
from interventions.models.data_version import current_version

if TYPE_CHECKING:
    from interventions.access.permissions import User

# How many items of each kind the inbox lists for each intervention; the rest are counted and
# linked to (a user in the improvement team of ten interventions may update a hundred
# programmes and a thousand milestones: docs/performance.md).
SHOWN = 10


@dataclass
class Shelf:
    """One source's items in one intervention: the first few, and how many there are."""

    source: Source
    title: str
    items: list[Any]
    count: int
    see_all: str

    @property
    def more(self) -> int:
        return self.count - len(self.items)


@dataclass
class InterventionInbox:
    intervention: Intervention
    shelves: dict[str, Shelf] = field(default_factory=dict)

    @property
    def listed(self) -> list[Shelf]:
        """The shelves with something on them, in the order of `SOURCES`."""
        return [self.shelves[s.key] for s in SOURCES if s.key in self.shelves]

    @property
    def waiting(self) -> int:
        return sum(shelf.count for shelf in self.shelves.values() if shelf.source.counted)


@dataclass
class Inbox:
    today: datetime.date
    may_update: bool
    interventions: list[InterventionInbox]

    @property
    def waiting(self) -> int:
        return sum(group.waiting for group in self.interventions)

    @property
    def due_by(self) -> datetime.date:
        return self.today + datetime.timedelta(days=settings.DUE_SOON_DAYS)

    def empty_notes(self, group: InterventionInbox) -> list[str]:
        """What a group says of the sources that have something to say when empty (nothing
        overdue …), for someone who may update the plan."""
        if not self.may_update:
            return []
        return [
            source.empty.format(days=settings.DUE_SOON_DAYS)
            for source in SOURCES
            if source.empty and source.key not in group.shelves
        ]


def capped(
    source: Source,
    user: User,
    today: datetime.date,
    shown: int | None = SHOWN,
    intervention: Intervention | None = None,
    interventions: dict[int, Intervention] | None = None,
) -> list[Any]:
    """The source's items for the user, each with `place` (its place in its intervention's
    list) and `listed` (how long that list is); only the first `shown` of each
    intervention's list, chosen in the database. Two queries: which items (SQL built once
    for the user and the day, `kit.compiled`), then those items with what they show.

    Given the user's `interventions` (by id), the items share those instances rather than
    each reading its own copy of its intervention (a user in ten interventions has hundreds
    of items)."""
    key = (source.key, *who_asks(user), today, shown, intervention.pk if intervention else None)
    chosen = _CHOSEN.get(key, lambda: _chosen(source, user, today, shown, intervention))
    names, found = chosen.rows()
    if not found:
        return []
    related, parents = _shared_interventions(source.related, interventions)
    items = chosen.model._default_manager.select_related(*related).in_bulk(
        [row[0] for row in found]
    )
    listed = []
    for row in found:  # the first column is the id; the rest are set on the item by name
        item = items[row[0]]
        for name, value in zip(names[1:], row[1:], strict=True):
            setattr(item, name, value)
        if interventions is not None:
            _attach(item, parents, interventions)
        listed.append(item)
    return listed


def _shared_interventions(
    related: tuple[str, ...], interventions: dict[int, Intervention] | None
) -> tuple[list[str], list[list[str]]]:
    """The relations to read with the items, and the paths to the objects whose
    `intervention` is set from the shared instances instead of being read with them."""
    if interventions is None:
        return list(related), []
    kept, parents = [], []
    for path in related:
        names = path.split("__")
        if names[-1] == "intervention":
            parents.append(names[:-1])
            if len(names) > 1:
                kept.append("__".join(names[:-1]))
        else:
            kept.append(path)
    return kept, parents


def _attach(item: Any, parents: list[list[str]], interventions: dict[int, Intervention]) -> None:
    for path in parents:
        target = item
        for name in path:
            target = getattr(target, name)
            if target is None:
                break
        if target is not None and target.intervention_id in interventions:
            target.intervention = interventions[target.intervention_id]


# The SQL that chooses each source's items, and the header's count, for each user and day.
_CHOSEN = CompiledQueries()
_COUNTS = CompiledQueries()
# The answers themselves, for each user and day, while the data stays the same. An inbox holds
# up to a few hundred rows (a user in the improvement team of ten interventions): the last 64
# users' are kept in each worker process.
_INBOXES = Kept(kept=64)
_WAITING = Kept(kept=4096)


def who_asks(user: User) -> tuple[Any, ...]:
    """What the inbox depends on besides the data and the day: the user, their groups, and how
    many days ahead "due soon" looks (a key for what is kept of it)."""
    return (user.pk, user.is_superuser, permissions.group_names(user), settings.DUE_SOON_DAYS)


def _chosen(
    source: Source,
    user: User,
    today: datetime.date,
    shown: int | None,
    intervention: Intervention | None,
) -> QuerySet[Any]:
    """The ids of the source's items to show, in order, with their place, the length of their
    intervention's list and anything else the source works out (a milestone's due date)."""
    rows = source.rows(user, today)
    if intervention is not None:
        rows = rows.filter(**{source.intervention: intervention.pk})
    order = order_fields(source)
    each = [F(source.intervention)]
    worked_out = list(rows.query.annotations)
    rows = rows.annotate(
        place=Window(RowNumber(), partition_by=each, order_by=order),
        listed=Window(Count("pk"), partition_by=each),
    )
    if shown is not None:
        rows = rows.filter(place__lte=shown)
    return rows.order_by(F(source.intervention), *order).values_list(
        "pk", "place", "listed", *worked_out
    )


def _intervention_of(source: Source, item: Any) -> Intervention:
    """The item's intervention, reached through the relations the source selects."""
    path = source.intervention.removesuffix("_id").split("__")
    target = item
    for name in path:
        target = getattr(target, name)
    assert isinstance(target, Intervention)
    return target


def inbox(
    user: User,
    today: datetime.date,
    shown: int | None = SHOWN,
    intervention: Intervention | None = None,
) -> Inbox:
    """Everything waiting for the user, grouped by intervention (or in one intervention):
    the user's interventions, one or two queries per source after the user's roles are
    known, and one or two to know whether they may update anything, whatever the number of
    rows. Kept until the data changes (`interventions.kit.kept`): then one query."""
    key = (*who_asks(user), today, shown, intervention.pk if intervention else None)
    return _INBOXES.get(key, current_version(), lambda: _inbox(user, today, shown, intervention))


def _inbox(
    user: User, today: datetime.date, shown: int | None, intervention: Intervention | None
) -> Inbox:
    groups: dict[int, InterventionInbox] = {}
    shared = (
        {intervention.pk: intervention}
        if intervention is not None
        else Intervention.objects.visible_to(user).in_bulk()
    )
    for source in SOURCES:
        for item in capped(source, user, today, shown, intervention, shared):
            place = _intervention_of(source, item)
            group = groups.setdefault(place.pk, InterventionInbox(place))
            shelf = group.shelves.get(source.key)
            if shelf is None:
                shelf = group.shelves[source.key] = Shelf(
                    source, source.title(today), [], item.listed, source.see_all(place, today)
                )
            shelf.items.append(item)
    may_update = (
        permissions.programmes_editable_by(user, on=today).exists()
        or permissions.milestones_editable_by(user, on=today).exists()
    )
    ordered = sorted(groups.values(), key=lambda g: (g.intervention.title, g.intervention.pk))
    return Inbox(today=today, may_update=may_update, interventions=ordered)


def waiting_count(user: User, today: datetime.date) -> int:
    """How many items are waiting for the user across every counted source: one query (after
    the user's roles), one scalar subquery per source; its SQL is built once for the user and
    the day (`kit.compiled`)."""
    if not user.is_authenticated:
        return 0
    key = (*who_asks(user), today)

    def count() -> int:
        _, rows = _COUNTS.get(key, lambda: _counts(user, today)).rows()
        return sum(int(value or 0) for row in rows for value in row)

    # Kept until the data changes (interventions.kit.kept): most pages then ask only the
    # data's version.
    counted: int = _WAITING.get(key, current_version(), count)
    return counted


def _counts(user: User, today: datetime.date) -> QuerySet[Any]:
    assert user.is_authenticated  # `waiting_count` answers 0 for anyone else
    counts = {
        source.key: Coalesce(
            Subquery(
                source.rows(user, today)
                .order_by()
                .annotate(n=Func(F("pk"), function="COUNT"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        )
        for source in SOURCES
        if source.counted
    }
    return get_user_model().objects.filter(pk=user.pk).annotate(**counts).values(*counts)
