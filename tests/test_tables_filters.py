"""Tables, tags and filters, each on its own."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse

from boards.filters import RecommendationFilterSet
from boards.models import Recommendation
from directions.filters import DirectionFilterSet
from directions.models import Direction
from directions.tables import DirectionTable
from directions.views import in_reading_order
from interventions.choices import RAG, RAG_TAG_COLOURS
from interventions.models import Milestone, Programme, Theme
from interventions.plan.filters import MilestoneFilterSet, ProgrammeFilterSet
from interventions.plan.tables import ProgrammeTable
from tests.factories import (
    DirectionFactory,
    DirectionSetFactory,
    MilestoneFactory,
    ProgrammeFactory,
    RecommendationFactory,
)


def render(template: str, **context: object) -> str:
    return Template("{% load stocktake %}" + template).render(Context(context))


def test_a_tag_shows_the_word_and_the_colour():
    html = render('{% tag_for value "rag" %}', value="amber")

    assert html == '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>'


def test_a_tag_takes_a_colour_map_as_well_as_its_name():
    html = render("{% tag_for value colours %}", value="red", colours=RAG_TAG_COLOURS)

    assert html == '<strong class="govuk-tag govuk-tag--red">Red</strong>'


def test_an_unknown_value_is_shown_as_a_grey_tag_with_its_text():
    html = render('{% tag_for value "compliance" %}', value="<b>odd</b>")

    assert html == '<strong class="govuk-tag govuk-tag--grey">&lt;b&gt;odd&lt;/b&gt;</strong>'


@pytest.mark.django_db
def test_the_programme_table_shows_rag_as_a_tag():
    ProgrammeFactory(rag="red", status="in_progress")
    table = ProgrammeTable(Programme.objects.for_list())

    row = table.rows[0]

    assert row.get_cell("rag") == '<strong class="govuk-tag govuk-tag--red">Red</strong>'
    assert "In progress" in row.get_cell("status")


@pytest.mark.django_db
def test_sub_items_follow_their_direction_and_are_marked(intervention):
    direction_set = DirectionSetFactory(intervention=intervention)
    a = DirectionFactory(direction_set=direction_set, ref="a", position=1)
    b = DirectionFactory(direction_set=direction_set, ref="b", position=2)
    DirectionFactory(direction_set=direction_set, parent=a, ref="ii", position=2)
    DirectionFactory(direction_set=direction_set, parent=a, ref="i", position=1)
    DirectionFactory(direction_set=direction_set, parent=b, ref="i", position=1)

    table = DirectionTable(in_reading_order(Direction.objects.for_list()))

    assert [row.record.reference for row in table.rows] == ["a", "a.i", "a.ii", "b", "b.i"]
    marked = ["app-table__row--item" in row.attrs["class"] for row in table.rows]
    assert marked == [False, True, True, False, True]


@pytest.mark.django_db
def test_a_sub_item_without_its_own_deadline_says_it_shares_its_directions():
    a = DirectionFactory(ref="a")
    DirectionFactory(direction_set=a.direction_set, parent=a, ref="i", deadline_as_written="")
    table = DirectionTable(in_reading_order(Direction.objects.for_list()))

    assert table.rows[1].get_cell("deadline") == "As Direction a"
    assert "First due 22 Apr 2025" in table.rows[0].get_cell("deadline")


def scoped(intervention):
    """What the list view gives filters: a request that knows its intervention."""
    return SimpleNamespace(intervention=intervention, user=None)


@pytest.mark.django_db
def test_programmes_filter_by_rag_and_by_required(intervention):
    red = ProgrammeFactory(aim__intervention=intervention, rag="red", required_by_directions=True)
    ProgrammeFactory(aim__intervention=intervention, rag="green")
    queryset = Programme.objects.filter(intervention=intervention)

    by_rag = ProgrammeFilterSet({"rag": "red"}, queryset, request=scoped(intervention))
    required = ProgrammeFilterSet({"required": "true"}, queryset, request=scoped(intervention))

    assert list(by_rag.qs) == [red]
    assert list(required.qs) == [red]


@pytest.mark.django_db
def test_programmes_filter_by_theme(intervention):
    governance = ProgrammeFactory(aim__intervention=intervention)
    governance.themes.add(Theme.objects.get(slug="governance"))
    ProgrammeFactory(aim__intervention=intervention)
    theme = Theme.objects.get(slug="governance")

    filterset = ProgrammeFilterSet(
        {"theme": theme.pk}, Programme.objects.all(), request=scoped(intervention)
    )

    assert list(filterset.qs) == [governance]


@pytest.mark.django_db
def test_a_filter_offers_only_this_interventions_choices(intervention, other_intervention):
    mine = ProgrammeFactory(aim__intervention=intervention)
    theirs = ProgrammeFactory(aim__intervention=other_intervention)

    filterset = MilestoneFilterSet({}, Milestone.objects.all(), request=scoped(intervention))
    offered = list(filterset.form.fields["programme"].queryset)

    assert offered == [mine]
    refused = MilestoneFilterSet(
        {"programme": theirs.pk}, Milestone.objects.all(), request=scoped(intervention)
    )
    assert not refused.is_valid()


@pytest.mark.django_db
def test_milestones_filter_by_programme_and_status(intervention):
    one = MilestoneFactory(programme__aim__intervention=intervention, status="complete")
    MilestoneFactory(programme__aim__intervention=intervention, status="complete")
    MilestoneFactory(programme=one.programme, status="not_started")
    queryset = Milestone.objects.all()

    filterset = MilestoneFilterSet(
        {"programme": one.programme.pk, "status": "complete"},
        queryset,
        request=scoped(intervention),
    )

    assert list(filterset.qs) == [one]


@pytest.mark.django_db
def test_directions_filter_by_compliance_and_deadline_kind(intervention):
    direction_set = DirectionSetFactory(intervention=intervention)
    met = DirectionFactory(direction_set=direction_set, compliance="met")
    DirectionFactory(direction_set=direction_set, compliance="at_risk")
    standing = DirectionFactory(direction_set=direction_set, deadline_kind="standing")
    queryset = Direction.objects.all()

    by_compliance = DirectionFilterSet(
        {"compliance": "met"}, queryset, request=scoped(intervention)
    )
    by_kind = DirectionFilterSet(
        {"deadline_kind": "standing"}, queryset, request=scoped(intervention)
    )

    assert list(by_compliance.qs) == [met]
    assert list(by_kind.qs) == [standing]


@pytest.mark.django_db
def test_recommendations_filter_by_answered(intervention):
    answered = RecommendationFactory(
        intervention=intervention, responded_on=datetime.date(2025, 6, 1), response="Agreed."
    )
    waiting = RecommendationFactory(intervention=intervention)
    queryset = Recommendation.objects.all()

    yes = RecommendationFilterSet({"answered": "true"}, queryset, request=scoped(intervention))
    no = RecommendationFilterSet({"answered": "false"}, queryset, request=scoped(intervention))

    assert list(yes.qs) == [answered]
    assert list(no.qs) == [waiting]


def test_a_filtered_list_page_shows_only_matching_rows(client, intervention, officer):
    ProgrammeFactory(aim__intervention=intervention, title="Red programme", rag="red")
    ProgrammeFactory(aim__intervention=intervention, title="Green programme", rag="green")
    client.force_login(officer)
    url = reverse("interventions:programme_list", kwargs={"slug": intervention.slug})

    html = client.get(url, {"rag": "red"}).text

    assert "Red programme" in html
    assert "Green programme" not in html
    assert "Clear filters" in html


def test_an_empty_list_says_so_in_plain_english(client, intervention, officer):
    client.force_login(officer)
    url = reverse("interventions:programme_list", kwargs={"slug": intervention.slug})

    html = client.get(url, {"rag": "red"}).text

    assert "No programmes match these filters." in html


def test_sortable_headers_are_links_and_the_sorted_one_has_aria_sort(client, intervention, officer):
    ProgrammeFactory(aim__intervention=intervention)
    client.force_login(officer)
    url = reverse("interventions:programme_list", kwargs={"slug": intervention.slug})

    html = client.get(url, {"sort": "-title"}).text

    assert 'aria-sort="descending"' in html
    assert 'href="?sort=number"' in html


def test_a_long_list_is_paged_with_govuk_pagination(client, intervention, officer):
    programme = ProgrammeFactory(aim__intervention=intervention)
    MilestoneFactory.create_batch(51, programme=programme)
    client.force_login(officer)
    url = reverse("interventions:milestone_list", kwargs={"slug": intervention.slug})

    first = client.get(url).text
    second = client.get(url, {"page": 2}).text

    assert 'class="govuk-pagination"' in first
    assert 'rel="next"' in first
    assert "<strong>51</strong> milestones, showing 51 to 51" in second


@pytest.mark.parametrize("sort", ["authority", "-authority", "title", "-directions_date"])
def test_the_intervention_list_sorts_by_each_column(client, intervention, officer, sort):
    client.force_login(officer)

    response = client.get(reverse("interventions:intervention_list"), {"sort": sort})

    assert response.status_code == 200
    assert intervention.title in response.text


def test_a_complete_milestone_gets_the_default_blue_tag_without_a_modifier():
    html = render("{% tag_for value colours %}", value=RAG.COMPLETE, colours=RAG_TAG_COLOURS)
    assert html == '<strong class="govuk-tag">Complete</strong>'
