"""The audit trail made readable: timelines of one object, and "What changed" in an intervention."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interventions.history.timeline import changes_in, timeline_for
from interventions.kit.exports import spreadsheet_safe
from interventions.kit.kept import forget_all
from interventions.models import Theme
from tests.conftest import PERSONAS
from tests.factories import (
    ChangeRequestFactory,
    CommentFactory,
    DelegationFactory,
    DirectionFactory,
    DirectionSetFactory,
    EvidenceFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgrammeUpdateFactory,
    RecommendationFactory,
    StrategicAimFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
LONDON = ZoneInfo("Europe/London")


def edit(obj, user=None, reason="", at=None, **values):
    """Save a change to a fresh copy of `obj` as `user` would, with a reason and a time."""
    obj = type(obj).objects.get(pk=obj.pk)
    for name, value in values.items():
        setattr(obj, name, value)
    if user is not None:
        obj._history_user = user
    if reason:
        obj._change_reason = reason
    if at is not None:
        obj._history_date = at
    obj.save()
    return obj


def create(factory, user, **values):
    """A new row made by `user` (factories alone record no user)."""
    obj = factory.build(**values)
    obj._history_user = user
    obj.save()
    return obj


def titles(entries):
    return [entry.title for entry in entries]


@pytest.fixture
def ann(intervention):
    return UserFactory(first_name="Ann", last_name="Officer")


@pytest.fixture
def milestone(intervention):
    """A milestone created on the day the Directions were made (its changes come later)."""
    aim = StrategicAimFactory(intervention=intervention)
    milestone = MilestoneFactory.build(programme=ProgrammeFactory(aim=aim), rag="green")
    milestone._history_date = datetime.datetime(2025, 1, 22, 10, 0, tzinfo=UTC)
    milestone.save()
    return milestone


# ---------------------------------------------------------------------- timeline wording


def test_a_rag_change_says_what_who_when_and_why(milestone, ann):
    at = datetime.datetime(2025, 6, 3, 13, 5, tzinfo=UTC)  # 14:05 in London (BST)
    edit(milestone, ann, "Supplier withdrew", at=at, rag="red")

    newest = timeline_for(milestone)[0]

    assert newest.title == "RAG changed from Green to Red"
    assert newest.who == "Ann Officer"
    assert newest.reason == "Supplier withdrew"
    assert newest.byline == "by Ann Officer, 3 Jun 2025 14:05"
    assert "rag" in newest.kinds


def test_a_date_set_changed_and_cleared_reads_as_three_sentences(milestone, ann):
    edit(milestone, ann, forecast_end=datetime.date(2025, 11, 30))
    edit(milestone, ann, forecast_end=datetime.date(2025, 12, 31))
    edit(milestone, ann, forecast_end=None)

    assert titles(timeline_for(milestone))[:3] == [
        "Forecast end cleared (was 31 Dec 2025)",
        "Forecast end changed from 30 Nov 2025 to 31 Dec 2025",
        "Forecast end set to 30 Nov 2025",
    ]


def test_a_creation_says_created_with_its_reason_and_lists_no_fields(intervention):
    aim = StrategicAimFactory(intervention=intervention)
    programme = ProgrammeFactory.build(aim=aim, sponsor=None, sro=None)
    programme._change_reason = "Imported from tower-hamlets-2025.yaml"
    programme.save()

    (created,) = timeline_for(programme)

    assert created.title == "Created"
    assert created.who == "Imported"
    assert created.reason == "Imported from tower-hamlets-2025.yaml"
    assert created.listed_changes == []
    assert created.byline.startswith("Imported, ")


def test_a_change_without_a_user_or_import_is_by_the_system(milestone):
    edit(milestone, rag="amber")
    assert timeline_for(milestone)[0].who == "System"


def test_entries_are_newest_first_and_several_fields_are_listed(milestone, ann):
    first = datetime.datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    edit(milestone, ann, at=first, rag="amber")
    edit(milestone, ann, at=first + datetime.timedelta(days=1), status="in_progress", rag="red")

    newest, older, created = timeline_for(milestone)

    assert newest.title == "Status and RAG changed"
    assert [c.sentence for c in newest.listed_changes] == [
        "Status changed from Not started to In progress",
        "RAG changed from Amber to Red",
    ]
    assert older.title == "RAG changed from Green to Amber"
    assert created.title == "Created"
    assert newest.when > older.when > created.when


def test_a_long_commentary_is_named_and_quoted_not_repeated_in_the_sentence(milestone, ann):
    text = "Interviews moved to October. " * 6
    edit(milestone, ann, commentary=text)

    newest = timeline_for(milestone)[0]

    assert newest.title == "Commentary added"
    assert newest.listed_changes == []
    assert newest.quoted == text


def test_a_programme_shows_its_theme_links_and_period_updates_but_not_its_milestones(
    intervention, ann
):
    aim = StrategicAimFactory(intervention=intervention)
    programme = ProgrammeFactory(aim=aim)
    MilestoneFactory(programme=programme)
    programme._history_user = ann
    programme.themes.add(Theme.objects.get(slug="culture"))
    update = ProgrammeUpdateFactory(programme=programme, rag="amber", summary="On track")
    edit(update, ann, rag="red")

    entries = timeline_for(programme)

    assert titles(entries) == [
        "RAG changed from Amber to Red",
        "Update for Q1 2025/26 added",
        "Themes: added Culture",
        "Created",
    ]
    assert entries[0].part == "Update for Q1 2025/26"
    assert entries[1].quote == "On track"


def test_a_direction_and_a_recommendation_show_their_links(intervention, ann):
    direction = DirectionFactory(direction_set=DirectionSetFactory(intervention=intervention))
    direction._history_user = ann
    direction.themes.add(Theme.objects.get(slug="governance"))
    recommendation = RecommendationFactory(intervention=intervention)
    recommendation._history_user = ann
    recommendation.directions.add(direction)
    edit(recommendation, ann, "Agreed at TAB", status="closed")

    assert titles(timeline_for(direction))[0] == "Themes: added Governance"
    rec_titles = titles(timeline_for(recommendation))
    assert rec_titles[1] == f"Directions: added {direction}"
    assert rec_titles[0].startswith("Status changed from Open to ")


def test_a_sponsor_change_names_the_people(intervention, ann):
    aim = StrategicAimFactory(intervention=intervention)
    programme = ProgrammeFactory(aim=aim)
    before, after = programme.sponsor, programme.sro
    edit(programme, ann, sponsor=after)

    assert timeline_for(programme)[0].title == (
        f"Senior Sponsor changed from {before.name} to {after.name}"
    )


def test_the_timeline_partial_renders_on_its_own_and_escapes_user_text(milestone, ann):
    edit(milestone, ann, "<script>alert('reason')</script>", commentary="<b>bold</b> " * 30)

    html = render_to_string("includes/timeline.html", {"timeline": timeline_for(milestone)})

    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;reason&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "by Ann Officer, " in html
    assert "style=" not in html


def test_an_empty_timeline_says_so():
    html = render_to_string("includes/timeline.html", {"timeline": []})
    assert "No changes have been recorded yet." in html


# ------------------------------------------------------------------------ history pages


def history_url(intervention, kind, pk):
    return reverse(
        "interventions:object_history", kwargs={"slug": intervention.slug, "kind": kind, "pk": pk}
    )


@pytest.fixture
def objects(intervention, milestone):
    direction = DirectionFactory(direction_set=DirectionSetFactory(intervention=intervention))
    return {
        "programme": milestone.programme,
        "milestone": milestone,
        "direction": direction,
        "recommendation": RecommendationFactory(intervention=intervention),
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["programme", "milestone", "direction", "recommendation"])
def test_everyone_in_the_intervention_reads_each_history(
    client, request, objects, intervention, persona, kind
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(history_url(intervention, kind, objects[kind].pk))
    assert response.status_code == 200
    assert response.context["timeline"][0].title == "Created"


@pytest.mark.parametrize("kind", ["programme", "milestone", "direction", "recommendation"])
def test_a_stranger_gets_404_and_anonymous_is_sent_to_sign_in(
    client, objects, intervention, stranger, kind
):
    url = history_url(intervention, kind, objects[kind].pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_another_interventions_object_is_not_found_through_this_one(
    client, intervention, other_intervention, officer
):
    theirs = MilestoneFactory(programme=ProgrammeFactory(intervention=other_intervention))
    client.force_login(officer)
    assert client.get(history_url(intervention, "milestone", theirs.pk)).status_code == 404


def test_an_unknown_kind_is_not_found(client, intervention, officer, milestone):
    client.force_login(officer)
    assert client.get(history_url(intervention, "person", milestone.pk)).status_code == 404


def test_the_history_page_escapes_a_script_in_a_reason(client, intervention, officer, milestone):
    edit(milestone, officer, "<script>alert(1)</script>", rag="red")
    client.force_login(officer)

    response = client.get(history_url(intervention, "milestone", milestone.pk))

    assert b"<script>alert(1)</script>" not in response.content
    assert b"Reason: &lt;script&gt;alert(1)&lt;/script&gt;" in response.content


# ---------------------------------------------------------------------- what changed


def changes_url(intervention, **params):
    url = reverse("interventions:whats_changed", kwargs={"slug": intervention.slug})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def rows(response):
    return list(response.context["table"].data)


@pytest.fixture
def story(intervention, ann):
    """Two programmes, one on Culture, with a RAG change, a date change, a comment and a
    change request, by two people."""
    other = UserFactory(first_name="Bob", last_name="Envoy")
    PersonFactory(intervention=intervention, user=other)  # which offers him as a filter
    aim = StrategicAimFactory(intervention=intervention)
    culture = ProgrammeFactory(aim=aim)
    culture.themes.add(Theme.objects.get(slug="culture"))
    plain = ProgrammeFactory(aim=aim)
    milestone = MilestoneFactory(programme=plain)
    edit(culture, ann, "Supplier withdrew", rag="red")
    edit(milestone, ann, forecast_end=datetime.date(2025, 12, 31))
    create(
        CommentFactory, other, programme=plain, milestone=milestone, author=other, text="Why late?"
    )
    create(ChangeRequestFactory, ann, milestone=milestone, requested_by=ann)
    return {"culture": culture, "plain": plain, "milestone": milestone, "bob": other}


def test_the_page_lists_the_last_30_days_newest_first(client, intervention, officer, story):
    old = timezone.now() - datetime.timedelta(days=40)
    edit(story["plain"], officer, "Long ago", at=old, status="on_hold")
    client.force_login(officer)

    listed = rows(client.get(changes_url(intervention)))

    assert "Long ago" not in [entry.reason for entry in listed]
    assert [entry.when for entry in listed] == sorted((e.when for e in listed), reverse=True)
    assert listed[0].title == "Change requested: Move the end date past the baseline"


def test_a_date_range_chooses_the_days(client, intervention, officer, story):
    old = datetime.datetime(2025, 3, 10, 23, 30, tzinfo=UTC)  # 10 March in London too
    edit(story["plain"], officer, "In March", at=old, status="on_hold")
    client.force_login(officer)

    march = rows(
        client.get(changes_url(intervention, from_date="2025-03-10", to_date="2025-03-10"))
    )
    later = rows(
        client.get(changes_url(intervention, from_date="2025-03-11", to_date="2025-03-31"))
    )

    assert [entry.reason for entry in march] == ["In March"]
    assert later == []


def test_a_range_that_ends_before_it_starts_is_an_error(client, intervention, officer):
    client.force_login(officer)
    response = client.get(changes_url(intervention, from_date="2025-05-02", to_date="2025-05-01"))
    assert response.status_code == 200
    assert "The end of the range must be on or after its start" in response.content.decode()
    assert rows(response) == []


def test_each_filter_narrows_the_rows(client, intervention, officer, ann, story):
    client.force_login(officer)
    everything = rows(client.get(changes_url(intervention)))

    def subjects(**params):
        return {entry.subject for entry in rows(client.get(changes_url(intervention, **params)))}

    by_programme = subjects(programme=story["culture"].pk)
    by_person = subjects(person=story["bob"].pk)
    culture = Theme.objects.get(slug="culture")
    by_theme = subjects(theme=culture.pk)
    rag_changes = subjects(kind="rag")

    culture_name = f"Programme {story['culture'].number}: {story['culture'].title}"
    assert len(everything) > len(by_programme)
    assert by_programme == {culture_name}
    assert by_theme == {culture_name}
    assert by_person == {
        f"Challenge on milestone {story['milestone'].label} {story['milestone'].title}"
    }
    assert rag_changes == {culture_name}
    assert {e.title for e in rows(client.get(changes_url(intervention, kind="dates")))} == {
        "Forecast end set to 31 Dec 2025",
        "Change requested: Move the end date past the baseline",
    }
    comments = rows(client.get(changes_url(intervention, kind="comments")))
    assert [entry.quote for entry in comments] == ["Why late?"]
    requests = rows(client.get(changes_url(intervention, kind="change_requests")))
    assert len(requests) == 1
    new_items = rows(client.get(changes_url(intervention, kind="new")))
    assert {entry.title for entry in new_items} >= {"Created", "Challenge added"}
    assert all("new" in entry.kinds for entry in new_items)


def test_another_interventions_changes_are_not_listed(
    client, intervention, other_intervention, officer, story
):
    theirs = ProgrammeFactory(intervention=other_intervention)
    edit(theirs, officer, "Elsewhere", rag="red")
    client.force_login(officer)

    listed = rows(client.get(changes_url(intervention)))

    assert "Elsewhere" not in [entry.reason for entry in listed]
    # Nor can their programme be chosen as a filter.
    response = client.get(changes_url(intervention, programme=theirs.pk))
    assert rows(response) == []
    assert "Select a valid choice" in response.content.decode()


def test_the_csv_has_exactly_the_filtered_rows_and_neutralises_formulas(
    client, intervention, officer, story
):
    edit(story["culture"], officer, '=HYPERLINK("http://evil.example","click")', rag="amber")
    client.force_login(officer)

    shown = rows(client.get(changes_url(intervention, kind="rag")))
    response = client.get(changes_url(intervention, kind="rag", _export="csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    header, *lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["Recorded", "With effect from", "Who", "What", "Change", "Reason"]
    assert [(line[3], line[4]) for line in lines] == [(e.subject, e.summary) for e in shown]
    assert len(lines) == 2
    assert lines[0][5] == '\'=HYPERLINK("http://evil.example","click")'
    assert lines[0][4] == "RAG changed from Red to Amber"
    assert lines[1][5] == "Supplier withdrew"


def test_the_csv_export_is_not_paginated(client, intervention, officer, milestone):
    for percent in range(1, 56):
        edit(milestone, officer, percent_complete=percent)
    client.force_login(officer)

    table = client.get(changes_url(intervention)).context["table"]
    response = client.get(changes_url(intervention, _export="csv"))

    assert len(table.page.object_list) == 50
    assert table.paginator.count == 56  # 55 edits and the programme's creation
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 1 + 56


def test_past_the_count_limit_the_page_says_more_than_and_lists_the_newest(
    client, intervention, officer, milestone, monkeypatch
):
    from interventions.history.tables import PagedEntries

    monkeypatch.setattr(PagedEntries, "COUNTED_UP_TO", 20)
    for percent in range(1, 56):
        edit(milestone, officer, percent_complete=percent)
    client.force_login(officer)

    response = client.get(changes_url(intervention))
    page = response.content.decode()
    table = response.context["table"]

    assert "More than 20</strong> changes" in page
    assert "showing 1 to 20 of the newest 20" in page
    assert table.paginator.count == 20
    # The newest first, as without the limit; the download still holds every change.
    assert rows(response)[0].title == "Percent complete changed from 54 to 55"
    download = client.get(changes_url(intervention, _export="csv"))
    assert len(list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))) == 1 + 56


def test_under_the_count_limit_the_page_counts_exactly(client, intervention, officer, milestone):
    for percent in range(1, 6):
        edit(milestone, officer, percent_complete=percent)
    client.force_login(officer)

    page = client.get(changes_url(intervention)).content.decode()

    assert "<strong>6</strong> changes" in page
    assert "More than" not in page


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("RAG changed", "RAG changed"),
        ("", ""),
    ],
)
def test_csv_cells_that_look_like_formulas_are_prefixed(value, safe):
    assert spreadsheet_safe(value) == safe


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_in_the_intervention_reads_what_changed(
    client, request, intervention, story, persona
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(changes_url(intervention))
    assert response.status_code == 200
    assert len(rows(response)) > 0
    assert client.get(changes_url(intervention, _export="csv")).status_code == 200


def test_what_changed_is_404_for_a_stranger_and_asks_anonymous_to_sign_in(
    client, intervention, stranger
):
    response = client.get(changes_url(intervention))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.get(changes_url(intervention, _export="csv"))
    assert response.status_code == 302

    client.force_login(stranger)
    assert client.get(changes_url(intervention)).status_code == 404
    assert client.get(changes_url(intervention, _export="csv")).status_code == 404


def test_the_page_escapes_user_text(client, intervention, officer, milestone):
    edit(milestone, officer, "<script>alert(1)</script>", commentary="<script>x()</script>")
    client.force_login(officer)
    content = client.get(changes_url(intervention)).content.decode()
    assert "<script>alert(1)" not in content and "<script>x()" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_changes_in_uses_london_days(intervention, milestone, officer):
    # 23:30 UTC on 31 May is 00:30 on 1 June in London.
    edit(milestone, officer, at=datetime.datetime(2025, 5, 31, 23, 30, tzinfo=UTC), rag="red")
    june = changes_in(intervention, datetime.date(2025, 6, 1), datetime.date(2025, 6, 1))
    may = changes_in(intervention, datetime.date(2025, 5, 31), datetime.date(2025, 5, 31))
    assert titles(june) == ["RAG changed from Green to Red"]
    assert may == []


def test_changes_in_can_read_only_the_newest_records(intervention, milestone, officer):
    programme = milestone.programme
    for day, rag in ((2, "amber"), (3, "red"), (4, "green")):
        at = datetime.datetime(2025, 6, day, 12, tzinfo=UTC)
        edit(milestone, officer, at=at, rag=rag)
        edit(programme, officer, at=at + datetime.timedelta(hours=1), rag=rag)
    june = (datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))
    everything = changes_in(intervention, *june)
    newest = changes_in(intervention, *june, newest=3)
    assert len(everything) == 6
    assert [entry.when for entry in newest] == [entry.when for entry in everything[:3]]


# ------------------------------------------------------------------------ query counts


def grow(intervention, user, programme, n):
    """Add `n` of every kind of change to the intervention, and to `programme`'s history."""
    aim = programme.aim
    direction_set = DirectionSetFactory(intervention=intervention)
    culture = Theme.objects.get(slug="culture")
    themes = list(Theme.objects.all())
    for i in range(n):
        other = ProgrammeFactory(aim=aim)
        milestone = MilestoneFactory(programme=other)
        edit(other, user, "Grow", rag="red", sponsor=other.sro)
        edit(milestone, user, "Grow", forecast_end=datetime.date(2025, 12, 31))
        direction = DirectionFactory(direction_set=direction_set)
        direction._history_user = user
        direction.themes.add(culture)
        direction.programmes.add(other)
        recommendation = RecommendationFactory(intervention=intervention, owner=other.sro)
        recommendation._history_user = user
        recommendation.programmes.add(other)
        recommendation.directions.add(direction)
        ProgrammeUpdateFactory(programme=other, author=user)
        CommentFactory(programme=other, milestone=milestone, author=user)
        ChangeRequestFactory(milestone=milestone, requested_by=user)
        EvidenceFactory(programme=other, milestone=milestone, added_by=user)
        DelegationFactory(programme=other, person=other.sro, granted_by=user)
        # The programme whose history is counted grows too.
        edit(programme, user, f"Grow {i}", rag=["red", "amber"][i % 2], sponsor=other.sro)
        programme._history_user = user
        programme.themes.set([themes[i % len(themes)]])
        period = datetime.date(2030 + programme.updates.count(), 4, 1)
        update = ProgrammeUpdateFactory(programme=programme, author=user, period_start=period)
        edit(update, user, rag="red")


def count_queries(client, url):
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("filtered", [False, True])
def test_what_changed_makes_the_same_queries_at_ten_times_the_rows(
    client, intervention, officer, filtered
):
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    client.force_login(officer)
    params = {"theme": Theme.objects.get(slug="culture").pk, "person": officer.pk}
    url = changes_url(intervention, **(params if filtered else {}))
    grow(intervention, officer, programme, 1)
    small = count_queries(client, url)
    grow(intervention, officer, programme, 9)
    # Session and user, the user's groups, the intervention; the filter choices (programmes,
    # people, themes) and each chosen one; per model of change, its records (users joined)
    # and the records before them; one per audited link; one per related model named.
    assert count_queries(client, url) == small
    assert len(rows(client.get(url))) > 10


@pytest.mark.parametrize("kind", ["programme", "direction", "recommendation", "milestone"])
def test_a_history_page_makes_the_same_queries_at_ten_times_the_rows(
    client, intervention, officer, kind
):
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    client.force_login(officer)
    grow(intervention, officer, programme, 1)
    objects = {
        "programme": programme,
        "direction": intervention.direction_sets.get().directions.first(),
        "recommendation": intervention.recommendations.first(),
        "milestone": programme.milestones.first() or MilestoneFactory(programme=programme),
    }
    obj = objects[kind]
    url = history_url(intervention, kind, obj.pk)
    small = count_queries(client, url)
    grow(intervention, officer, programme, 9)
    # The others grow by their own edits.
    field, values = {
        "programme": ("purpose", []),
        "direction": ("position", range(100, 109)),
        "recommendation": ("title", [f"Title {i}" for i in range(9)]),
        "milestone": ("percent_complete", range(1, 10)),
    }[kind]
    for value in values:
        edit(obj, officer, "Grow", **{field: value})
    # Session and user, groups, the intervention, the object; its records (users joined),
    # a programme's period updates, one per audited link, one per related model named.
    assert count_queries(client, url) == small
