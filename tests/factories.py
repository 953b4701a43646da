"""factory_boy factories for every model. Values vary per instance (Sequence/Faker)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from boards.models import Board, BoardMembership, Meeting, Recommendation
from directions.models import Direction, DirectionSet
from interventions.models import (
    Appointment,
    Authority,
    ChangeRequest,
    Comment,
    Delegation,
    Evidence,
    Intervention,
    Milestone,
    Person,
    Plan,
    Programme,
    ProgrammeUpdate,
    StrategicAim,
    Theme,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        """`UserFactory(role="Envoy")` puts the user in that role's group."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Borough {n}")
    slug = factory.Sequence(lambda n: f"borough-{n}")
    kind = "london_borough"


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    authority = factory.SubFactory(AuthorityFactory)
    slug = factory.Sequence(lambda n: f"intervention-{n}")
    title = factory.Sequence(lambda n: f"Best Value intervention {n}")
    model = "ministerial_envoys"
    directions_date = datetime.date(2025, 1, 22)
    duration_months = 36
    status = "active"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    intervention = factory.SubFactory(InterventionFactory)
    key = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Faker("name", locale="en_GB")
    post = factory.Faker("job", locale="en_GB")
    organisation = "Council"


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    role = "envoy"
    starts_on = datetime.date(2025, 1, 22)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    intervention = factory.SubFactory(InterventionFactory)
    title = "Continuous Improvement Plan"


class StrategicAimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicAim

    intervention = factory.SubFactory(InterventionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Faker("sentence", nb_words=6)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    aim = factory.SubFactory(StrategicAimFactory)
    intervention = factory.SelfAttribute("aim.intervention")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Faker("sentence", nb_words=5)
    purpose = factory.Faker("paragraph")
    sponsor = factory.SubFactory(
        PersonFactory, intervention=factory.SelfAttribute("..intervention")
    )
    sro = factory.SubFactory(PersonFactory, intervention=factory.SelfAttribute("..intervention"))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    programme = factory.SubFactory(ProgrammeFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda m: f"{m.programme.number}.{m.position}")
    title = factory.Faker("sentence", nb_words=8)
    start_as_written = "Apr 2025"
    end_as_written = "Sept 2025"


class DirectionSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectionSet

    intervention = factory.SubFactory(InterventionFactory)
    key = factory.Sequence(lambda n: f"directions-{n}")
    title = "Directions"
    made_on = factory.SelfAttribute("intervention.directions_date")


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Direction

    direction_set = factory.SubFactory(DirectionSetFactory)
    position = factory.Sequence(lambda n: n + 1)
    ref = factory.Sequence(lambda n: "abcdefghijklmnopqrstuvwxyz"[n % 26] * (1 + n // 26 % 2))
    short_title = factory.Faker("sentence", nb_words=4)
    text = factory.Faker("paragraph")
    deadline_kind = "relative"
    deadline_as_written = "Within three months of the date of these Directions"
    offset_months = 3


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    intervention = factory.SubFactory(InterventionFactory)
    key = factory.Sequence(lambda n: f"board-{n}")
    name = factory.Sequence(lambda n: f"Board {n}")
    kind = "tab"
    cadence_months = 1


class BoardMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMembership

    board = factory.SubFactory(BoardFactory)
    person = factory.SubFactory(
        PersonFactory, intervention=factory.SelfAttribute("..board.intervention")
    )
    role = "member"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    date = factory.Sequence(lambda n: datetime.date(2025, 3, 1) + datetime.timedelta(days=n))
    kind = "formal"
    status = "held"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    intervention = factory.SubFactory(InterventionFactory)
    reference = factory.Sequence(lambda n: f"REC-{n}")
    source = "envoys_stocktake"
    title = factory.Faker("sentence", nb_words=6)
    text = factory.Faker("paragraph")
    made_on = datetime.date(2025, 5, 21)


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    programme = factory.SubFactory(ProgrammeFactory)
    person = factory.SubFactory(
        PersonFactory, intervention=factory.SelfAttribute("..programme.intervention")
    )
    granted_by = factory.SubFactory(UserFactory)
    starts_on = datetime.date(2025, 1, 22)


class ProgrammeUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeUpdate

    programme = factory.SubFactory(ProgrammeFactory)
    period_start = datetime.date(2025, 4, 1)
    rag = "amber"
    summary = factory.Faker("paragraph")
    author = factory.SubFactory(UserFactory)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    programme = factory.SubFactory(ProgrammeFactory)
    intervention = factory.SelfAttribute("programme.intervention")
    uuid = factory.Faker("uuid4", cast_to=None)
    kind = "link"
    title = factory.Faker("sentence", nb_words=4)
    url = factory.Sequence(lambda n: f"https://example.org/papers/{n}")
    added_by = factory.SubFactory(UserFactory)


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeRequest

    milestone = factory.SubFactory(MilestoneFactory)
    kind = "end_date"
    proposed_end = datetime.date(2025, 12, 31)
    reason = factory.Faker("sentence")
    requested_by = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    programme = factory.SubFactory(ProgrammeFactory)
    kind = "challenge"
    text = factory.Faker("paragraph")
    author = factory.SubFactory(UserFactory)


class BoardRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "boards.BoardRequirement"

    board = factory.SubFactory(BoardFactory)
    description = factory.Sequence(lambda n: f"Requirement {n}")
    role = "member"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "boards.Action"

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Faker("sentence", nb_words=8)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "boards.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Faker("sentence", nb_words=5)


class PaperFactory(factory.django.DjangoModelFactory):
    """A paper with a small PDF stored like an upload."""

    class Meta:
        model = "boards.Paper"

    meeting = factory.SubFactory(MeetingFactory)
    uuid = factory.Faker("uuid4", cast_to=None)
    title = factory.Faker("sentence", nb_words=4)
    file = factory.django.FileField(filename="paper.pdf", data=b"%PDF-1.7\n%%EOF\n")
    original_name = "paper.pdf"
    content_type = "application/pdf"
    size = 15
    added_by = factory.SubFactory(UserFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "boards.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(
        PersonFactory, intervention=factory.SelfAttribute("..meeting.board.intervention")
    )
    status = "present"


class MeasureFactory(factory.django.DjangoModelFactory):
    """A success measure of a theme: a percentage to raise from 50 to 90 over 2025-26."""

    class Meta:
        model = "interventions.Measure"

    intervention = factory.SubFactory(InterventionFactory)
    title = factory.Sequence(lambda n: f"Share of complaints answered on time ({n})")
    rationale = factory.Faker("sentence", nb_words=10)
    unit = "%"
    theme = factory.LazyFunction(lambda: Theme.objects.get(slug="governance"))
    baseline_value = 50.0
    baseline_on = datetime.date(2025, 4, 1)
    target_value = 90.0
    target_on = datetime.date(2026, 4, 1)
    direction = "higher"
    source = "Complaints system, monthly extract"
    owner = factory.SubFactory(PersonFactory, intervention=factory.SelfAttribute("..intervention"))
    frequency = "quarterly"
    proposed_on = datetime.date(2025, 3, 1)


class MeasureReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interventions.MeasureReading"

    measure = factory.SubFactory(MeasureFactory)
    taken_on = factory.Sequence(lambda n: datetime.date(2025, 4, 1) + datetime.timedelta(days=n))
    value = 60.0
    commentary = factory.Faker("sentence", nb_words=8)


class RiskFactory(factory.django.DjangoModelFactory):
    """A plan-wide risk, amber with its mitigations (3 × 3 = 9), raised in spring 2025."""

    class Meta:
        model = "interventions.Risk"

    intervention = factory.SubFactory(InterventionFactory)
    kind = "risk"
    title = factory.Sequence(lambda n: f"Capacity to deliver the plan ({n})")
    description = factory.Faker("sentence", nb_words=12)
    cause = "Vacancies in key posts"
    effect = "Milestones slip"
    owner = factory.SubFactory(PersonFactory, intervention=factory.SelfAttribute("..intervention"))
    inherent_likelihood = 4
    inherent_impact = 4
    residual_likelihood = 3
    residual_impact = 3
    raised_on = datetime.date(2025, 4, 1)
    review_on = datetime.date(2099, 1, 1)
    source = "Risk register, April 2025"


class MitigationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interventions.Mitigation"

    risk = factory.SubFactory(RiskFactory)
    action = factory.Faker("sentence", nb_words=8)
    owner = factory.SubFactory(
        PersonFactory, intervention=factory.SelfAttribute("..risk.intervention")
    )
    due_on = datetime.date(2025, 9, 30)
