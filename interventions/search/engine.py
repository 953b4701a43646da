"""Search across one intervention: what is searched, for whom, and how.

Each kind of thing searched (`KINDS`) names its text fields, the rows of the intervention a
user may see (the same rules as its own pages: `get_intervention` has already refused anyone
who may not see the intervention, and reports go through `reports.permissions.readable`, so a
draft never reaches someone its page refuses), and how a result is titled and linked.

On PostgreSQL the search is full text (English stemming, titles weighted above the rest,
ranked, with a highlighted extract from `ts_headline`); elsewhere (SQLite in development and
tests) every word must appear, in any field, as plain text, and the extract is cut in Python.
Either way the extract is escaped here, and only the highlight marks are HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, Model, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boards.models import Action, Meeting, Paper, Recommendation
from boards.permissions import readable_papers, recommendations_searchable
from directions.models import Direction
from interventions.models import Evidence, Intervention, Milestone, Person, Programme, StrategicAim
from reports.permissions import readable

if TYPE_CHECKING:
    from interventions.access.permissions import User

CONFIG = "english"
MAX_TERMS = 10
MAX_QUERY_LENGTH = 200
SNIPPET_CHARS = 220
# ts_headline marks its matches with these (Unicode private-use characters, which no escaping
# touches); the extract is escaped first and only then are the marks turned into <mark>.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)
SEPARATOR = " … "


@dataclass(frozen=True)
class Kind:
    """A kind of thing the search finds."""

    key: str
    singular: str
    plural: str
    titles: tuple[str, ...]  # searched and weighted highest
    texts: tuple[str, ...]  # searched; the extract is cut from these
    rows: Callable[[Intervention, User], QuerySet[Any]]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    context: Callable[[Any], str]

    def counted(self, n: int) -> str:
        """ "1 milestone", "12 milestones"."""
        return f"{n} {self.singular if n == 1 else self.plural}"


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    return meeting.get_absolute_url() + (f"#{anchor}" if anchor else "")


def _evidence_url(evidence: Evidence) -> str:
    if evidence.milestone is not None:
        return evidence.milestone.get_absolute_url() + "#evidence"
    return evidence.programme.get_absolute_url() + "#evidence"


def _evidence_context(evidence: Evidence) -> str:
    where = evidence.milestone if evidence.milestone_id is not None else evidence.programme
    kind = "file" if evidence.kind == "file" else "link"
    return f"Evidence ({kind}) for {where}"


def _person_context(person: Person) -> str:
    return ", ".join(part for part in (person.post, person.organisation) if part)


def _report_context(report: Any) -> str:
    label = report.intervention.words.report_label(report.kind)
    state = "issued" if report.status == "final" else "draft"
    return f"{label}, as of {report.as_of:%-d %B %Y} ({state})"


KINDS: tuple[Kind, ...] = (
    Kind(
        key="directions",
        singular="Direction",
        plural="Directions",
        titles=("ref", "short_title"),
        texts=("text", "deadline_as_written"),
        rows=lambda i, u: Direction.objects.for_intervention(i).select_related(
            "parent", "direction_set__intervention"
        ),
        title=lambda d: f"Direction {d}",
        url=lambda d: d.get_absolute_url(),
        context=lambda d: d.direction_set.title,
    ),
    Kind(
        key="aims",
        singular="strategic aim",
        plural="strategic aims",
        titles=("title",),
        texts=("outcomes",),
        rows=lambda i, u: StrategicAim.objects.filter(intervention=i).select_related(
            "intervention"
        ),
        title=str,
        url=lambda a: (
            reverse("interventions:programme_list", kwargs={"slug": a.intervention.slug})
            + f"?aim={a.pk}"
        ),
        context=lambda a: "Its programmes",
    ),
    Kind(
        key="programmes",
        singular="programme",
        plural="programmes",
        titles=("title",),
        texts=("purpose",),
        rows=lambda i, u: Programme.objects.filter(intervention=i).select_related("intervention"),
        title=lambda p: f"Programme {p}",
        url=lambda p: p.get_absolute_url(),
        context=lambda p: "Closed" if p.closed_on else "",
    ),
    Kind(
        key="milestones",
        singular="milestone",
        plural="milestones",
        titles=("number", "title"),
        texts=("commentary", "next_steps", "steps"),
        rows=lambda i, u: Milestone.objects.filter(programme__intervention=i).select_related(
            "programme__intervention"
        ),
        title=str,
        url=lambda m: m.get_absolute_url(),
        context=lambda m: f"Programme {m.programme}",
    ),
    Kind(
        key="meetings",
        singular="meeting",
        plural="meetings",
        titles=("title",),
        texts=("summary", "decisions", "minutes"),
        rows=lambda i, u: Meeting.objects.filter(board__intervention=i).select_related(
            "board__intervention"
        ),
        title=str,
        url=_meeting_url,
        context=lambda m: m.get_status_display(),
    ),
    Kind(
        key="papers",
        singular="paper",
        plural="papers",
        titles=("title",),
        texts=("original_name",),
        rows=lambda i, u: readable_papers(
            u,
            Paper.objects.filter(meeting__board__intervention=i).select_related(
                "meeting__board__intervention"
            ),
        ),
        title=str,
        url=lambda p: _meeting_url(p.meeting, "papers"),
        context=lambda p: f"{'Exempt' if p.exempt else 'Public'} paper for {p.meeting}",
    ),
    Kind(
        key="actions",
        singular="action",
        plural="actions",
        titles=("text",),
        texts=(),
        rows=lambda i, u: Action.objects.filter(meeting__board__intervention=i).select_related(
            "meeting__board__intervention"
        ),
        title=lambda a: str(a),
        url=lambda a: _meeting_url(a.meeting, "actions"),
        context=lambda a: f"{a.get_status_display()} action from {a.meeting}",
    ),
    Kind(
        key="recommendations",
        singular="recommendation",
        plural="recommendations",
        titles=("reference", "title"),
        texts=("text", "response"),
        rows=lambda i, u: recommendations_searchable(
            u, Recommendation.objects.filter(intervention=i).select_related("intervention")
        ),
        title=lambda r: f"Recommendation {r}",
        url=lambda r: r.get_absolute_url(),
        context=lambda r: (
            "Response published"
            if r.published_on
            else "Response not yet published"
            if r.responded_on
            else "No response yet"
        ),
    ),
    Kind(
        key="evidence",
        singular="piece of evidence",
        plural="pieces of evidence",
        titles=("title",),
        texts=("original_name",),
        rows=lambda i, u: Evidence.objects.filter(intervention=i).select_related(
            "programme__intervention", "milestone__programme__intervention"
        ),
        title=str,
        url=_evidence_url,
        context=_evidence_context,
    ),
    Kind(
        key="people",
        singular="person",
        plural="people",
        titles=("name",),
        texts=("post", "organisation"),
        rows=lambda i, u: Person.objects.filter(intervention=i).select_related("intervention"),
        title=str,
        url=lambda p: (
            reverse("interventions:intervention_detail", kwargs={"slug": p.intervention.slug})
            + "#people"
        ),
        context=_person_context,
    ),
    Kind(
        key="reports",
        singular="report",
        plural="reports",
        titles=("title",),
        texts=("foreword", "summary"),
        rows=lambda i, u: readable(u, i),
        title=str,
        url=lambda r: r.get_absolute_url(),
        context=_report_context,
    ),
)
KIND_KEYS = {kind.key: kind for kind in KINDS}


def terms_of(query: str) -> list[str]:
    """The words of a query, without quotes or operators, at most `MAX_TERMS`."""
    words = re.findall(r"[\w][\w.'’&/-]*", query[:MAX_QUERY_LENGTH])
    seen: list[str] = []
    for word in words:
        word = word.strip(".'’-/")
        if word and word.lower() not in (w.lower() for w in seen):
            seen.append(word)
    return seen[:MAX_TERMS]


def full_text() -> bool:
    """Full-text search where the database has it (PostgreSQL)."""
    return connection.vendor == "postgresql"


def _highlighted(text: str, terms: Iterable[str]) -> SafeString:
    """An escaped extract of `text` around the first match, each match in <mark>."""
    patterns = [re.escape(term) for term in terms if term]
    if not text or not patterns:
        return mark_safe(escape(text[:SNIPPET_CHARS]))
    matcher = re.compile("|".join(patterns), re.IGNORECASE)
    first = matcher.search(text)
    start = 0 if first is None else max(0, first.start() - SNIPPET_CHARS // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start  # type: ignore[union-attr]
    end = min(len(text), start + SNIPPET_CHARS)
    piece = text[start:end]
    parts: list[str] = ["…" if start else ""]
    position = 0
    for match in matcher.finditer(piece):
        parts.append(escape(piece[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(piece[position:]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))


def marked(headline: str) -> SafeString:
    """`ts_headline`'s extract, escaped, its matches (and only them) in <mark>."""
    pieces: list[str] = []
    position = 0
    for match in MARKED.finditer(headline):
        pieces.append(escape(_unmarked(headline[position : match.start()])))
        pieces.append(f"<mark>{escape(_unmarked(match.group(1)))}</mark>")
        position = match.end()
    pieces.append(escape(_unmarked(headline[position:])))
    return mark_safe("".join(pieces))


def _unmarked(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


def _text_of(row: Model, fields: Iterable[str]) -> str:
    return SEPARATOR.join(value for field in fields if (value := str(getattr(row, field) or "")))


@dataclass
class Result:
    """One thing found: its title, where it is, a line of context and an escaped extract."""

    title: str
    url: str
    context: str
    snippet: SafeString


class Search:
    """A search of one intervention for one user."""

    def __init__(self, intervention: Intervention, user: User, query: str) -> None:
        self.intervention = intervention
        self.user = user
        self.query = query.strip()[:MAX_QUERY_LENGTH]
        self.terms = terms_of(self.query)

    def matches(self, kind: Kind) -> QuerySet[Any]:
        """The rows of `kind` the user may see that match, best first."""
        rows = kind.rows(self.intervention, self.user)
        if not self.terms:
            return rows.none()
        if full_text():
            return self._full_text(kind, rows)
        return self._plain(kind, rows)

    def _full_text(self, kind: Kind, rows: QuerySet[Any]) -> QuerySet[Any]:
        vector: Any = SearchVector(*kind.titles, weight="A", config=CONFIG)
        if kind.texts:
            vector = vector + SearchVector(*kind.texts, weight="B", config=CONFIG)
        query = SearchQuery(self.query, config=CONFIG, search_type="websearch")
        # References and parts of words ("7.3", "govern") that the parser does not match.
        partial = Q()
        for field in kind.titles:
            partial |= Q(**{f"{field}__icontains": self.query})
        found: QuerySet[Any] = (
            rows.annotate(search_document=vector, rank=SearchRank(vector, query))
            .filter(Q(search_document=query) | partial)
            .order_by("-rank", "pk")
        )
        return found

    def _plain(self, kind: Kind, rows: QuerySet[Any]) -> QuerySet[Any]:
        fields = (*kind.titles, *kind.texts)
        for term in self.terms:
            anywhere = Q()
            for field in fields:
                anywhere |= Q(**{f"{field}__icontains": term})
            rows = rows.filter(anywhere)
        ordering: list[str] = [str(field) for field in rows.model._meta.ordering or ["pk"]]
        return rows.order_by(*ordering, "pk")

    def with_extracts(self, kind: Kind, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Add the highlighted extract (PostgreSQL), worked out only for the rows shown."""
        if not full_text() or not kind.texts:
            return rows
        source: Any = F(kind.texts[0])
        if len(kind.texts) > 1:
            joined: list[Any] = []
            for field in kind.texts:
                joined += [F(field), Value(SEPARATOR)]
            source = Concat(*joined[:-1], output_field=TextField())
        headline = SearchHeadline(
            source,
            SearchQuery(self.query, config=CONFIG, search_type="websearch"),
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=SEPARATOR,
        )
        annotated: QuerySet[Any] = rows.annotate(extract=headline)
        return annotated

    def result(self, kind: Kind, row: Any) -> Result:
        if not kind.texts:
            snippet = mark_safe("")
        elif full_text():
            snippet = marked(getattr(row, "extract", "") or "")
        else:
            snippet = _highlighted(_text_of(row, kind.texts), self.terms)
        return Result(
            title=kind.title(row), url=kind.url(row), context=kind.context(row), snippet=snippet
        )
