"""data/tower-hamlets-2025.yaml, once imported, says what the seed documents say.

Where practical the expected values are read from the seed text itself (shared/seeds), so a
transcription slip in the data file shows up here rather than in a report to the Board.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from boards.models import Board, Recommendation
from directions.models import Direction
from interventions.access import roles
from interventions.models import Authority, Intervention, Milestone, Programme, StrategicAim
from tests.factories import PersonFactory, UserFactory

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DATA = Path(settings.BASE_DIR) / "data"

pytestmark = pytest.mark.django_db


def seed(name: str) -> str:
    """A seed document's text. The seeds sit beside the checkout (CI has them); a test that
    compares with them is skipped, with this reason, where they are absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS} in this checkout")
    return (SEEDS / name).read_text(encoding="utf-8")


def written_date(day: str, month: str, year: int) -> datetime.date:
    return datetime.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()  # noqa: DTZ007


@pytest.fixture(scope="module")
def imported_once(django_db_setup, django_db_blocker):
    """The file imported once for the whole module (as TestCase.setUpTestData does): each
    test runs in its own savepoint inside this transaction, which is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_intervention", str(DATA / "tower-hamlets-2025.yaml"), verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def tower_hamlets(imported_once, db):
    return Intervention.objects.get(slug="tower-hamlets-2025")


# ---------------------------------------------------------------------------------- the seeds


def proposed_directions() -> dict[str, list[str]]:
    """The Directions of paragraph 14 of the letter of 12 November 2024: letter -> sub-items.

    "i." is both a letter and a numeral there; it is a Direction only where the next letter
    is expected (after h), otherwise a sub-item of the Direction before it.
    """
    text = seed("2024-11-12-mhclg-proposed-directions.txt")
    paragraph = text[text.index("\n14. ") :]
    directions: dict[str, list[str]] = {}
    letters = "abcdefghijklmnopqrstuvwxyz"
    for marker in re.findall(r"^\s*- ([a-z]+)\. ", paragraph, flags=re.MULTILINE):
        expected = letters[len(directions)]
        if marker == expected:
            directions[marker] = []
        else:
            directions[list(directions)[-1]].append(marker)
    return directions


def appendix_a_activities() -> list[tuple[list[str], str, str]]:
    """Each key activity row of the plan's Appendix A: (its numbers, start, end).

    A row with a start is an activity; rows without one continue a cell across a page
    break. A row may hold two numbered activities (8.2 and 8.3 share their dates) or none
    (programmes 4 and 5 do not number theirs).
    """
    text = seed("2025-continuous-improvement-plan.txt")
    appendix = text[text.index("Appendix A: Priority Programme Summaries") :]
    rows = []
    for line in appendix.splitlines():
        if not line.startswith("|"):
            continue
        cells = [re.sub(r"<[^>]+>", " ", cell).strip() for cell in line.strip()[1:-1].split("|")]
        if len(cells) != 6 or cells[4] in ("", "Start") or set(cells[4]) == {"-"}:
            continue
        numbers = re.findall(r"(?<![\d.])(\d{1,2}\.\d{1,2}) ", cells[3] + " ")
        rows.append((numbers, cells[4], cells[5]))
    return rows


def appendix_a_programme_numbers() -> set[int]:
    text = seed("2025-continuous-improvement-plan.txt")
    appendix = text[text.index("Appendix A: Priority Programme Summaries") :]
    return {int(n) for n in re.findall(r"^\| (\d{1,2})\. ", appendix, flags=re.MULTILINE)}


def test_the_seed_parsers_find_what_a_reader_finds():
    """Guards the parsers above, so the tests below compare with the real seed content."""
    directions = proposed_directions()
    assert "".join(directions) == "abcdefghijklmno"
    assert directions["a"] == ["i", "ii", "iii", "iv", "v", "vi"]
    assert directions["h"] == []
    activities = appendix_a_activities()
    assert activities[0] == (["1.1"], "Mar 2025", "Jul 2025")
    assert (["8.2", "8.3"], "May 2025", "Dec 2025") in activities
    assert appendix_a_programme_numbers() == set(range(1, 12))


# ---------------------------------------------------------------------------------- Directions


def test_the_fifteen_directions_are_lettered_a_to_o_in_order(tower_hamlets):
    refs = list(
        Direction.objects.for_intervention(tower_hamlets)
        .top_level()
        .order_by("position")
        .values_list("ref", flat=True)
    )

    assert refs == list(proposed_directions())
    assert "".join(refs) == "abcdefghijklmno"


def test_the_sub_items_are_those_of_a_e_and_k(tower_hamlets):
    items = Direction.objects.for_intervention(tower_hamlets).filter(parent__isnull=False)
    references = sorted(
        (item.parent.position, item.position, item.reference)
        for item in items.select_related("parent")
    )

    expected = [
        f"{letter}.{numeral}"
        for letter, numerals in proposed_directions().items()
        for numeral in numerals
    ]
    assert [reference for _, _, reference in references] == expected
    assert len(expected) == 14
    assert expected[:6] == ["a.i", "a.ii", "a.iii", "a.iv", "a.v", "a.vi"]
    assert expected[6:] == ["e.i", "e.ii", "e.iii", "e.iv", "e.v", "k.i", "k.ii", "k.iii"]


def direction(intervention: Intervention, ref: str) -> Direction:
    return Direction.objects.for_intervention(intervention).top_level().get(ref=ref)


@pytest.mark.parametrize(
    ("ref", "kind", "first"),
    [
        ("b", "relative", datetime.date(2025, 2, 22)),
        ("c", "relative", datetime.date(2025, 4, 22)),
        ("d", "relative", datetime.date(2025, 4, 22)),
        ("e", "relative", datetime.date(2025, 4, 22)),
        # Three months after 22 Jan 2025 by its words, but the first report goes to the Board's
        # June 2025 meeting (Envoys' report §1.11): recorded as its first_due.
        ("g", "recurring", datetime.date(2025, 6, 30)),
        ("j", "recurring", datetime.date(2025, 7, 22)),
        ("h", "event", None),
        ("a", "standing", None),
        ("k", "standing", None),
    ],
)
def test_each_direction_falls_due_as_its_words_say(tower_hamlets, ref, kind, first):
    assert direction(tower_hamlets, ref).deadline_kind == kind
    assert direction(tower_hamlets, ref).first_deadline() == first


def test_g_recurs_every_three_months_and_j_every_six(tower_hamlets):
    assert direction(tower_hamlets, "g").interval_months == 3
    assert direction(tower_hamlets, "j").interval_months == 6


def test_h_is_triggered_by_a_board_recommendation(tower_hamlets):
    assert direction(tower_hamlets, "h").event == "a recommendation from the Board"


# ---------------------------------------------------------------------------------- the plan


def test_the_plan_has_three_aims_and_eleven_programmes_numbered_1_to_11(tower_hamlets):
    assert StrategicAim.objects.filter(intervention=tower_hamlets).count() == 3
    numbers = list(
        Programme.objects.filter(intervention=tower_hamlets)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, 12))
    assert set(numbers) == appendix_a_programme_numbers()


def test_every_programme_has_a_senior_sponsor(tower_hamlets):
    without = Programme.objects.filter(intervention=tower_hamlets, sponsor__isnull=True)
    assert list(without.values_list("number", flat=True)) == []


def test_there_is_one_milestone_for_each_key_activity_of_appendix_a(tower_hamlets):
    activities = appendix_a_activities()
    milestones = Milestone.objects.filter(programme__intervention=tower_hamlets)

    assert milestones.count() == sum(max(1, len(numbers)) for numbers, _, _ in activities)
    assert milestones.count() == 40
    seed_numbers = {number for numbers, _, _ in activities for number in numbers}
    assert set(milestones.exclude(number="").values_list("number", flat=True)) == seed_numbers


def test_numbered_milestones_keep_the_start_and_end_exactly_as_appendix_a_writes_them(
    tower_hamlets,
):
    expected = {
        number: (start, end)
        for numbers, start, end in appendix_a_activities()
        for number in numbers
    }
    actual = {
        number: (start, end)
        for number, start, end in Milestone.objects.filter(programme__intervention=tower_hamlets)
        .exclude(number="")
        .values_list("number", "start_as_written", "end_as_written")
    }
    assert actual == expected


def milestone(intervention: Intervention, number: str) -> Milestone:
    return Milestone.objects.get(programme__intervention=intervention, number=number)


@pytest.mark.parametrize(
    ("number", "start", "end", "planned_start", "planned_end"),
    [
        ("1.6", "Dec 2025", "", datetime.date(2025, 12, 1), None),
        ("1.8", "Ongoing", "", None, None),
        ("7.1", "TBC", "", None, None),
        (
            "6.3",
            "Autumn 2025",
            "Spring 2026",
            datetime.date(2025, 9, 1),
            datetime.date(2026, 5, 31),
        ),
        ("2.2", "Apr 2025", "Sept 2025", datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)),
        ("6.1", "Sept 2024", "July 2025", datetime.date(2024, 9, 1), datetime.date(2025, 7, 31)),
    ],
)
def test_milestone_dates_are_kept_as_written_with_the_range_they_mean(
    tower_hamlets, number, start, end, planned_start, planned_end
):
    found = milestone(tower_hamlets, number)
    assert (found.start_as_written, found.end_as_written) == (start, end)
    assert (found.planned_start, found.planned_end) == (planned_start, planned_end)
    # With no baseline in the file, the agreed end is the last day the written end can mean.
    assert found.baseline_end == planned_end


def test_milestones_whose_dates_name_no_day_have_no_computed_date(tower_hamlets):
    milestones = Milestone.objects.filter(programme__intervention=tower_hamlets)
    undated_ends = milestones.filter(end_as_written__in=["", "Ongoing", "TBC"])
    undated_starts = milestones.filter(start_as_written__in=["Ongoing", "TBC"])

    assert sorted(undated_ends.values_list("number", flat=True)) == [
        "1.6",
        "1.8",
        "7.1",
        "8.1",
        "9.2",
    ]
    assert set(undated_ends.values_list("planned_end", flat=True)) == {None}
    assert sorted(undated_starts.values_list("number", flat=True)) == ["1.8", "7.1", "9.2"]
    assert set(undated_starts.values_list("planned_start", flat=True)) == {None}


# ---------------------------------------------------------------------------------- boards


def test_the_board_met_on_the_dates_the_envoys_report_gives(tower_hamlets):
    report = seed("2025-05-21-envoys-first-stocktake-report.txt")
    said = [
        re.search(r" on (\d{1,2})(?:st|nd|rd|th) ([A-Z][a-z]+)", paragraph)
        for paragraph in re.findall(r"^- 1\.(?:8|9|10)\. .*$", report, flags=re.MULTILINE)
    ]
    from_seed = [written_date(m[1], m[2], 2025) for m in said]

    tab = Board.objects.get(intervention=tower_hamlets, key="tab")
    dates = list(tab.meetings.order_by("date").values_list("date", flat=True))

    assert from_seed == [
        datetime.date(2025, 3, 18),
        datetime.date(2025, 4, 14),
        datetime.date(2025, 5, 12),
    ]
    assert dates == from_seed


# ---------------------------------------------------------------------------------- recommendations


def test_the_external_auditor_made_three_statutory_recommendations(tower_hamlets):
    assert "external auditor issued three statutory recommendations" in seed(
        "2025-05-21-envoys-first-stocktake-report.txt"
    )
    from_auditor = Recommendation.objects.filter(
        intervention=tower_hamlets, source="external_auditor"
    )
    assert from_auditor.count() == 3


def test_the_envoys_recommendations_are_made_on_the_date_of_their_report(tower_hamlets):
    report = seed("2025-05-21-envoys-first-stocktake-report.txt")
    dated = re.search(r"^(\d{1,2}) ([A-Z][a-z]+) (\d{4})$", report, flags=re.MULTILINE)
    report_date = written_date(dated[1], dated[2], int(dated[3]))
    assert report_date == datetime.date(2025, 5, 21)

    made_on = list(
        Recommendation.objects.filter(
            intervention=tower_hamlets, source="envoys_stocktake"
        ).values_list("made_on", flat=True)
    )
    assert len(made_on) == 8
    assert set(made_on) == {report_date}


# ---------------------------------------------------------------------------------- 2014


def test_the_2014_intervention_is_a_closed_commissioners_one_of_the_same_authority(
    tower_hamlets,
):
    call_command("import_intervention", str(DATA / "tower-hamlets-2014.yaml"), verbosity=0)

    earlier = Intervention.objects.get(slug="tower-hamlets-2014")
    assert (earlier.model, earlier.status) == ("commissioners", "closed")
    assert earlier.end_date == datetime.date(2017, 3, 1)
    assert Authority.objects.count() == 1
    assert earlier.authority == tower_hamlets.authority
    assert list(tower_hamlets.authority.interventions.values_list("slug", flat=True)) == [
        "tower-hamlets-2025",
        "tower-hamlets-2014",
    ]
    # The letter gives only the year of the Directions and the month powers were returned:
    # the record says no more than that.
    assert earlier.directions_date_text == "2014"
    assert earlier.scheduled_end_text == "March 2017"
    sets = {s.key: s.made_on_text for s in earlier.direction_sets.all()}
    assert sets == {"2014-directions": "2014", "2017-03-directions": "March 2017"}


def test_the_2025_dates_are_known_to_the_day(tower_hamlets):
    assert tower_hamlets.directions_date_text == "22 Jan 2025"
    assert tower_hamlets.scheduled_end_text == "21 Jan 2028"


def test_a_directions_page_says_its_text_is_the_proposed_text_and_where_it_comes_from(
    client, tower_hamlets
):
    """The seeds hold the Directions as proposed on 12 November 2024, not as made: the page
    says so, with the set's dates and its source, so a reader can trace what they read."""
    user = UserFactory(role=roles.ENVOY)
    PersonFactory(intervention=tower_hamlets, user=user)
    client.force_login(user)
    direction = Direction.objects.get(direction_set__intervention=tower_hamlets, ref="e")

    page = client.get(direction.get_absolute_url()).text

    assert "The set of Directions" in page
    assert "Made on" in page and "22 Jan 2025" in page
    assert "Proposed on" in page and "12 Nov 2024" in page
    assert "Representations by" in page and "25 Nov 2024" in page
    assert "as proposed on 12 November 2024" in page
    assert "2024-11-12-mhclg-proposed-directions.txt" in page


@pytest.mark.parametrize("ref", ["c", "d", "e"])
def test_c_d_and_e_were_met_on_14_april_2025_as_the_envoys_report_records(
    client, tower_hamlets, ref
):
    """§1.9 of the Envoys' report of 21 May 2025: the Board's inaugural meeting on 14 April
    2025 "formally agreed these plans as a first iteration"."""
    user = UserFactory(role=roles.ENVOY)
    PersonFactory(intervention=tower_hamlets, user=user)
    client.force_login(user)
    found = direction(tower_hamlets, ref)

    page = client.get(found.get_absolute_url()).text

    assert (found.compliance, found.met_on) == ("met", datetime.date(2025, 4, 14))
    assert "Met on" in page and "14 Apr 2025" in page
    assert "Envoys&#x27; first stocktake report, 21 May 2025, §1.9" in page


def test_gs_first_report_is_due_at_the_june_2025_board_meeting(client, tower_hamlets):
    """§1.11: "The first one will come to the June 2025 meeting"; the day is not given."""
    user = UserFactory(role=roles.ENVOY)
    PersonFactory(intervention=tower_hamlets, user=user)
    client.force_login(user)
    g = direction(tower_hamlets, "g")

    page = client.get(g.get_absolute_url()).text

    assert (g.first_due, g.first_due_precision) == (datetime.date(2025, 6, 30), "month")
    assert "first due June 2025" in page
    assert "§1.11" in page


def test_the_people_in_role_are_those_the_papers_say_held_it_then(tower_hamlets):
    from interventions.models import Appointment

    def holders(role: str, day: datetime.date) -> list[str]:
        appointments = Appointment.objects.filter(person__intervention=tower_hamlets, role=role)
        return sorted(a.person.name for a in appointments.current(day))

    # The interim Monitoring Officer until the plan of 14 April 2025 names her successor; the
    # Section 151 Officer had left by the Envoys' report of 21 May 2025 (§3.7).
    assert holders("monitoring_officer", datetime.date(2025, 2, 1)) == ["Linda Walker"]
    assert holders("monitoring_officer", datetime.date(2025, 6, 1)) == ["Shupriya Iqbal"]
    assert holders("s151_officer", datetime.date(2025, 2, 1)) == ["Julie Lorraine"]
    assert holders("s151_officer", datetime.date(2025, 6, 1)) == []


def test_the_auditors_recommendations_say_only_the_month_they_were_made(tower_hamlets):
    auditor = Recommendation.objects.filter(intervention=tower_hamlets, source="external_auditor")

    assert {r.made_on_text for r in auditor} == {"February 2025"}
    assert auditor.count() == 3


@pytest.mark.parametrize("ref", ["a", "f", "m", "o"])
def test_as_written_shows_only_the_directions_own_words(client, tower_hamlets, ref):
    user = UserFactory(role=roles.ENVOY)
    PersonFactory(intervention=tower_hamlets, user=user)
    client.force_login(user)
    direction = Direction.objects.get(
        direction_set__intervention=tower_hamlets, ref=ref, parent__isnull=True
    )

    page = client.get(direction.get_absolute_url()).text

    assert direction.deadline_as_written == ""
    assert "The Direction does not state a deadline." in page
    assert "No deadline stated" not in page


def test_programme_4_has_both_sponsors_and_says_what_the_plan_does_not_state(client, tower_hamlets):
    user = UserFactory(role=roles.ENVOY)
    PersonFactory(intervention=tower_hamlets, user=user)
    client.force_login(user)
    programme = Programme.objects.get(intervention=tower_hamlets, number=4)

    page = client.get(programme.get_absolute_url()).text

    # Appendix A: "CD HASC (Georgia Chimbani) and CD Housing and Regeneration (David Joyce)".
    assert "Georgia Chimbani and David Joyce" in page
    assert "Entered by the improvement team, not stated in the plan: phase, status, RAG" in page
    culture = Programme.objects.get(intervention=tower_hamlets, number=11)
    assert culture.not_in_source == ["status", "rag", "themes"]  # its phase is stated


def test_the_2014_interventions_people_are_those_in_role_when_it_ended(client, tower_hamlets):
    call_command("import_intervention", str(DATA / "tower-hamlets-2014.yaml"), verbosity=0)
    earlier = Intervention.objects.get(slug="tower-hamlets-2014")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    page = client.get(earlier.get_absolute_url()).text

    assert "People in role when the intervention ended (March 2017)" in page
    people = page[page.index("People in role when") :]
    assert "John Biggs" in people
    # Removed before June 2015; Secretary of State only from 2018.
    assert "Lutfur Rahman" not in people
    assert "James Brokenshire" not in people
