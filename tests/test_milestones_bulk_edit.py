"""A programme's milestones updated together: the single edit's rules and version checks for
each row, one effective date for the batch, all or nothing, history only for changed rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from interventions.models import ChangeRequest, Milestone
from tests.factories import DelegationFactory, MilestoneFactory, ProgrammeFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(intervention, officer):
    programme = ProgrammeFactory(intervention=intervention, sro=officer.people.get())
    for position in (1, 2, 3):
        MilestoneFactory(
            programme=programme,
            position=position,
            start_as_written="Apr 2025",
            end_as_written="Sept 2025",
        )
    return programme


def _url(programme):
    return reverse(
        "interventions:milestones_bulk_edit",
        kwargs={"slug": programme.intervention.slug, "number": programme.number},
    )


def _as_opened(programme, **more):
    """The form as the page shows it: every row's current values."""
    data = {"effective_on": timezone.localdate().isoformat()}
    for milestone in programme.milestones.order_by("position"):
        prefix = f"m{milestone.pk}-"
        data.update(
            {
                f"{prefix}version": milestone.version,
                f"{prefix}status": milestone.status,
                f"{prefix}rag": milestone.rag,
                f"{prefix}percent_complete": milestone.percent_complete,
                f"{prefix}forecast_end": milestone.forecast_end.isoformat()
                if milestone.forecast_end
                else "",
                f"{prefix}commentary": milestone.commentary,
                f"{prefix}reason": "",
            }
        )
    data.update(more)
    return data


def _milestones(programme):
    return list(programme.milestones.order_by("position"))


def test_an_officer_updates_several_milestones_at_once(client, programme, officer):
    first, second, third = _milestones(programme)
    client.force_login(officer)

    response = client.post(
        _url(programme),
        _as_opened(
            programme,
            **{
                f"m{first.pk}-status": "in_progress",
                f"m{first.pk}-rag": "amber",
                f"m{first.pk}-percent_complete": 40,
                f"m{first.pk}-commentary": "Consultation open.",
                f"m{second.pk}-rag": "green",
                f"m{second.pk}-forecast_end": "2025-08-29",
            },
        ),
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert (first.rag, first.percent_complete, first.commentary) == (
        "amber",
        40,
        "Consultation open.",
    )
    assert second.forecast_end == D(2025, 8, 29)
    # Only the rows that changed have a new version and a history record.
    assert (first.version, second.version, third.version) == (2, 2, 1)
    assert (first.history.count(), second.history.count(), third.history.count()) == (2, 2, 1)


def test_the_batch_happened_on_the_day_given(client, programme, officer):
    first, *_ = _milestones(programme)
    client.force_login(officer)
    too_early = client.post(
        _url(programme),
        _as_opened(programme, effective_on="2025-06-30", **{f"m{first.pk}-rag": "red"}),
    )
    assert "the day the newest of the changed rows was first on record" in (
        too_early.content.decode()
    )
    first.history.update(valid_from=D(2025, 4, 1))  # on record since the plan was agreed

    client.post(
        _url(programme),
        _as_opened(
            programme,
            effective_on="2025-06-30",
            **{f"m{first.pk}-status": "complete", f"m{first.pk}-percent_complete": 100},
        ),
    )

    first.refresh_from_db()
    assert first.actual_end == D(2025, 6, 30)
    assert first.history.latest("history_id").valid_from == D(2025, 6, 30)


def test_a_date_in_the_future_is_refused(client, programme, officer):
    first, *_ = _milestones(programme)
    client.force_login(officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        _url(programme),
        _as_opened(programme, effective_on=tomorrow.isoformat(), **{f"m{first.pk}-rag": "red"}),
    )

    assert "cannot be in the future" in response.content.decode()
    first.refresh_from_db()
    assert first.rag != "red"


def test_one_bad_row_saves_nothing(client, programme, officer):
    first, second, _ = _milestones(programme)
    client.force_login(officer)

    response = client.post(
        _url(programme),
        _as_opened(
            programme,
            **{
                f"m{first.pk}-rag": "green",
                f"m{second.pk}-status": "complete",
                f"m{second.pk}-percent_complete": 50,
            },
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Milestone {second.label}: A complete milestone is 100% complete." in page
    first.refresh_from_db()
    assert first.rag != "green" and first.version == 1


def test_a_stale_row_is_refused_explained_and_nothing_is_saved(client, programme, officer):
    first, second, _ = _milestones(programme)
    client.force_login(officer)
    opened = _as_opened(
        programme,
        **{f"m{first.pk}-rag": "amber", f"m{second.pk}-commentary": "Mine."},
    )
    # Someone else saves the second milestone after the page was opened.
    second.commentary = "Theirs."
    second.version = 2
    second.save()

    response = client.post(_url(programme), opened)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed a milestone after you opened this page" in page
    assert "Theirs." in page  # what they changed
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.rag != "amber" and first.version == 1
    assert second.commentary == "Theirs."
    # Saving again, after reading it, applies the answers on top.
    assert f'name="m{second.pk}-version" value="2"' in page
    opened[f"m{second.pk}-version"] = 2
    assert client.post(_url(programme), opened).status_code == 302
    second.refresh_from_db()
    assert second.commentary == "Mine."


def test_a_slip_needs_a_reason_and_goes_for_approval(client, programme, officer):
    first, *_ = _milestones(programme)
    client.force_login(officer)
    late = (first.baseline_end + datetime.timedelta(days=30)).isoformat()

    refused = client.post(
        _url(programme), _as_opened(programme, **{f"m{first.pk}-forecast_end": late})
    )
    saved = client.post(
        _url(programme),
        _as_opened(
            programme,
            **{f"m{first.pk}-forecast_end": late, f"m{first.pk}-reason": "Supplier late."},
        ),
    )

    assert "Say why the forecast end moves past the baseline end" in refused.content.decode()
    assert saved.status_code == 302
    request = ChangeRequest.objects.get(milestone=first)
    assert (request.kind, request.reason) == ("end_date", "Supplier late.")
    first.refresh_from_db()
    assert first.history.latest("history_id").history_change_reason == "Supplier late."


@pytest.mark.parametrize("persona", ["envoy", "board_member", "stranger"])
def test_people_who_cannot_update_the_programme_are_refused(client, programme, persona, request):
    first, *_ = _milestones(programme)
    client.force_login(request.getfixturevalue(persona))

    get = client.get(_url(programme))
    post = client.post(_url(programme), _as_opened(programme, **{f"m{first.pk}-rag": "red"}))

    expected = 404 if persona == "stranger" else 403
    assert (get.status_code, post.status_code) == (expected, expected)
    first.refresh_from_db()
    assert first.rag != "red"


def test_the_improvement_team_may_update_them(client, programme, improvement_team):
    first, *_ = _milestones(programme)
    client.force_login(improvement_team)

    response = client.post(_url(programme), _as_opened(programme, **{f"m{first.pk}-rag": "red"}))

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.rag == "red"


def test_a_delegate_of_one_milestone_sees_and_updates_only_that_one(
    client, intervention, programme, officer
):
    first, second, _ = _milestones(programme)
    from interventions.access import roles
    from tests.conftest import _member

    delegate = _member(intervention, roles.COUNCIL_OFFICER)
    DelegationFactory(programme=programme, milestone=second, person=delegate.people.get())
    client.force_login(delegate)

    page = client.get(_url(programme)).content.decode()
    response = client.post(
        _url(programme),
        {
            "effective_on": timezone.localdate().isoformat(),
            f"m{first.pk}-version": 1,
            f"m{first.pk}-rag": "red",
            **{
                key: value
                for key, value in _as_opened(programme, **{f"m{second.pk}-rag": "red"}).items()
                if key.startswith(f"m{second.pk}-")
            },
        },
    )

    assert f"m{second.pk}-rag" in page and f"m{first.pk}-rag" not in page
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.rag, second.rag) == ("not_started", "red")


def test_nothing_changed_saves_nothing(client, programme, officer):
    client.force_login(officer)

    response = client.post(_url(programme), _as_opened(programme), follow=True)

    assert "Nothing was changed" in response.content.decode()
    assert all(m.history.count() == 1 for m in programme.milestones.all())


def test_the_commissioners_improvement_team_updates_a_programmes_milestones(
    client, commissioners, commissioner_personas
):
    programme = commissioners.programmes.filter(milestones__isnull=False).first()
    milestone = programme.milestones.order_by("position").first()
    client.force_login(commissioner_personas["improvement_team"])

    page = client.get(_url(programme)).content.decode()
    response = client.post(
        _url(programme), _as_opened(programme, **{f"m{milestone.pk}-rag": "amber"})
    )

    assert "Envoy" not in page
    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).rag == "amber"
