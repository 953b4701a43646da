"""Deadlines as an iCalendar feed that Outlook and other calendar programs can subscribe to."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from interventions.deadlines.engine import Occurrence
from interventions.kit.lists import person_name
from interventions.models import Intervention

# The domain part of every UID: an occurrence keeps its UID from one fetch to the next, so a
# calendar updates the event instead of adding another.
UID_DOMAIN = "stocktake"


def calendar_for(
    intervention: Intervention,
    items: Iterable[Occurrence],
    *,
    base_url: str = "",
    mine_only: bool = False,
) -> bytes:
    """An all-day event on each due date, saying what is due, what meets it and its state."""
    cal = Calendar()
    cal.add("prodid", "-//Stocktake//Deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = f"{intervention.title}: {'my deadlines' if mine_only else 'deadlines'}"
    cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for item in items:
        event = Event()
        event.add("uid", f"{intervention.slug}-{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + datetime.timedelta(days=1))
        event.add("summary", f"{item.what} [{item.state.label}]")
        lines = [
            f"Source: {item.reference}",
            f"Met by: {item.satisfied_by}",
            f"State on {item.as_of:%-d %B %Y}: {item.state.label}",
        ]
        if item.satisfied_on:
            lines.append(f"Met on: {item.satisfied_on:%-d %B %Y}")
        if item.responsible:
            lines.append(f"Responsible: {person_name(item.responsible)}")
        if item.themes:
            lines.append(f"Themes: {item.theme_names}")
        event.add("description", "\n".join(lines))
        event.add("url", f"{base_url}{item.url}")
        event.add("categories", [item.source.label])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
