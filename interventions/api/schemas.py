"""What the API returns: one schema per resource, and the page every list comes in.

Each schema is built from a row by a function here (`direction_out` …), given the day the
list is read as of where the pages read one, so that a figure means what it means on the page.
What a reader without full access may not read is left empty (`None`), never filled in.
"""

from __future__ import annotations

import datetime
import uuid

from ninja import Schema
from pydantic import Field

from boards.models import Meeting, Paper, Recommendation
from directions.models import Direction
from interventions.models import Intervention, Milestone, Programme


class Message(Schema):
    detail: str = Field(description="What went wrong, in words.")


class InterventionOut(Schema):
    slug: str
    title: str
    authority: str
    model: str = Field(description="The intervention's model, e.g. Ministerial Envoys.")
    status: str
    directions_date: datetime.date
    end_date: datetime.date | None
    public_pages: bool = Field(description="Its public pages are on.")
    access: str = Field(
        description='"full" for the intervention\'s own signed-in users; "published" for '
        "everyone else: only what its public pages publish."
    )


class DirectionOut(Schema):
    id: int
    set: str = Field(description="The set of Directions it belongs to.")
    set_made_on: datetime.date
    reference: str = Field(description="E.g. e, or e.ii for a sub-item.")
    parent: str | None = Field(description="The reference of its Direction, for a sub-item.")
    short_title: str
    text: str
    deadline_kind: str
    deadline_as_written: str
    first_due: datetime.date | None
    compliance: str = Field(
        description="Compliance as recorded now (compliance_label says it in words)."
    )
    compliance_label: str
    met_on: datetime.date | None
    compliance_source: str
    in_force: bool = Field(description="In force on the as-of day.")
    state: str = Field(description="Where it stood on the as-of day, in words.")


class RecommendationOut(Schema):
    id: int
    reference: str
    title: str
    text: str
    source: str = Field(description="Where it came from, as the intervention's model names it.")
    made_on: datetime.date
    meeting_id: int | None
    response_due: datetime.date | None
    overdue: bool = Field(description="No response and past its due date on the as-of day.")
    status: str
    response: str
    responded_on: datetime.date | None
    published_on: datetime.date | None = Field(
        description="When the council published its response; without sign-in every "
        "recommendation listed has one."
    )
    owner: str | None = Field(description="Who answers it (signed-in readers only).")


class MeetingOut(Schema):
    id: int
    board: str
    date: datetime.date
    title: str
    kind: str
    status: str
    published: bool = Field(description="Its papers are published.")
    minutes_approved: bool
    minutes: str | None = Field(
        description="Without sign-in, only once the Board has approved them; otherwise null."
    )


class PaperOut(Schema):
    uuid: uuid.UUID
    title: str
    meeting_id: int
    meeting_date: datetime.date
    board: str
    agenda_item: str | None
    content_type: str
    size: int | None = Field(description="In bytes.")
    exempt: bool = Field(description="Exempt from publication; never listed without sign-in.")
    url: str = Field(description="Where the file is downloaded.")


class ProgrammeOut(Schema):
    id: int
    number: int
    title: str
    aim: int = Field(description="The number of its strategic aim.")
    phase: str
    status: str
    rag: str
    required_by_directions: bool
    sponsor: str | None
    sro: str | None
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    milestone_count: int


class MilestoneOut(Schema):
    id: int
    programme: int = Field(description="The number of its programme.")
    number: str
    title: str
    start_as_written: str
    end_as_written: str
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    forecast_end: datetime.date | None
    actual_end: datetime.date | None
    status: str
    rag: str
    percent_complete: int | None
    schedule: str = Field(description="Where it stood against its dates on the as-of day.")


class Page[T](Schema):
    """One page of a list: how many there are in all, and where the pages either side are."""

    count: int = Field(description="How many there are in all, on every page.")
    next: str | None = Field(description="The address of the next page, if any.")
    previous: str | None = Field(description="The address of the previous page, if any.")
    items: list[T]


def intervention_out(intervention: Intervention, full: bool) -> InterventionOut:
    return InterventionOut(
        slug=intervention.slug,
        title=intervention.title,
        authority=intervention.authority.name,
        model=intervention.get_model_display(),
        status=intervention.get_status_display(),
        directions_date=intervention.directions_date,
        end_date=intervention.end_date,
        public_pages=intervention.public_pages,
        access="full" if full else "published",
    )


def direction_out(direction: Direction, as_of: datetime.date) -> DirectionOut:
    return DirectionOut(
        id=direction.pk,
        set=direction.direction_set.title,
        set_made_on=direction.direction_set.made_on,
        reference=direction.reference,
        parent=direction.parent.reference if direction.parent_id else None,
        short_title=direction.short_title,
        text=direction.text,
        deadline_kind=direction.get_deadline_kind_display(),
        deadline_as_written=direction.deadline_as_written,
        first_due=direction.first_deadline(),
        compliance=direction.compliance,
        compliance_label=direction.get_compliance_display(),
        met_on=direction.met_on,
        compliance_source=direction.compliance_source,
        in_force=direction.in_force_on(as_of),
        state=direction.state_on(as_of),
    )


def recommendation_out(
    recommendation: Recommendation, as_of: datetime.date, full: bool, published_only: bool = False
) -> RecommendationOut:
    owner = recommendation.owner if full else None
    # An unpublished response is not read by a reader of published ones only (the Department).
    withheld = published_only and not recommendation.response_published
    return RecommendationOut(
        id=recommendation.pk,
        reference=recommendation.reference,
        title=recommendation.title,
        text=recommendation.text,
        source=recommendation.get_source_display(),
        made_on=recommendation.made_on,
        meeting_id=recommendation.meeting_id,
        response_due=recommendation.response_due,
        overdue=recommendation.is_overdue(as_of),
        status=recommendation.get_status_display(),
        response="" if withheld else recommendation.response,
        responded_on=None if withheld else recommendation.responded_on,
        published_on=recommendation.published_on,
        owner=owner.name if owner is not None else None,
    )


def meeting_out(meeting: Meeting, full: bool) -> MeetingOut:
    shows_minutes = full or meeting.minutes_approved
    return MeetingOut(
        id=meeting.pk,
        board=meeting.board.name,
        date=meeting.date,
        title=meeting.title,
        kind=meeting.get_kind_display(),
        status=meeting.get_status_display(),
        published=meeting.published,
        minutes_approved=meeting.minutes_approved,
        minutes=meeting.minutes if shows_minutes else None,
    )


def paper_out(paper: Paper, url: str) -> PaperOut:
    return PaperOut(
        uuid=paper.uuid,
        title=paper.title,
        meeting_id=paper.meeting_id,
        meeting_date=paper.meeting.date,
        board=paper.meeting.board.name,
        agenda_item=paper.agenda_item.title if paper.agenda_item is not None else None,
        content_type=paper.content_type,
        size=paper.size,
        exempt=paper.exempt,
        url=url,
    )


def programme_out(programme: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        id=programme.pk,
        number=programme.number,
        title=programme.title,
        aim=programme.aim.number,
        phase=programme.get_phase_display(),
        status=programme.get_status_display(),
        rag=programme.get_rag_display(),
        required_by_directions=programme.required_by_directions,
        sponsor=programme.sponsor.name if programme.sponsor else None,
        sro=programme.sro.name if programme.sro else None,
        opened_on=programme.opened_on,
        closed_on=programme.closed_on,
        milestone_count=getattr(programme, "milestone_count", 0),
    )


def milestone_out(milestone: Milestone, schedule: str) -> MilestoneOut:
    return MilestoneOut(
        id=milestone.pk,
        programme=milestone.programme.number,
        number=milestone.number,
        title=milestone.title,
        start_as_written=milestone.start_as_written,
        end_as_written=milestone.end_as_written,
        planned_start=milestone.planned_start,
        planned_end=milestone.planned_end,
        forecast_end=milestone.forecast_end,
        actual_end=milestone.actual_end,
        status=milestone.get_status_display(),
        rag=milestone.get_rag_display(),
        percent_complete=milestone.percent_complete,
        schedule=schedule,
    )
