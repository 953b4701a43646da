"""Every export, of every kind of page, as Excel and LibreOffice open it.

A list page, a deadline page and What changed all export through one path
(`interventions.kit.exports`): CSV begins with a UTF-8 byte-order mark (so Excel on Windows
reads "£", "é" and "—"), XLSX keeps dates as date cells and numbers as numbers, formula-like
text is quoted in both, and a format we do not write is refused.
"""

import codecs
import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import (
    BoardFactory,
    ChangeRequestFactory,
    DirectionFactory,
    DirectionSetFactory,
    MeetingFactory,
    MilestoneFactory,
    ProgrammeFactory,
    RecommendationFactory,
    StrategicAimFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
DT = datetime.datetime
TEXT = "Café budget £5,000 — agreed"
FORMULA = '=HYPERLINK("http://evil.example","click")'


# ---------------------------------------------------------------------------- reading them


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.startswith(codecs.BOM_UTF8)  # Excel then reads it as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list[openpyxl.cell.Cell]]:
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows()]


def column(rows, header: str) -> list[object]:
    """The values under `header` (the first row), below it."""
    headers = [cell.value if hasattr(cell, "value") else cell for cell in rows[0]]
    index = headers.index(header)
    return [row[index].value if hasattr(row[index], "value") else row[index] for row in rows[1:]]


def assert_refused(response) -> None:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    message = response.content.decode()
    assert "csv" in message
    assert "xlsx" in message


# ------------------------------------------------------------------------------- list page


@pytest.fixture
def milestones(intervention):
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention), number=3)
    MilestoneFactory(programme=programme, position=1, title=TEXT, percent_complete=40)
    MilestoneFactory(programme=programme, position=2, title=FORMULA, percent_complete=0)
    return reverse("interventions:milestone_list", kwargs={"slug": intervention.slug})


def test_a_list_csv_has_a_byte_order_mark_and_keeps_its_characters(client, officer, milestones):
    client.force_login(officer)

    rows = read_csv(client.get(f"{milestones}?_export=csv"))

    assert rows[0][:2] == ["No.", "Title"]  # the mark is not part of the first header
    assert column(rows, "Title") == [TEXT, "'" + FORMULA]
    assert column(rows, "Planned start") == ["2025-04-01", "2025-04-01"]
    assert column(rows, "% complete") == ["40", "0"]


def test_a_list_xlsx_has_date_cells_number_cells_and_no_formulas(client, officer, milestones):
    client.force_login(officer)

    rows = read_xlsx(client.get(f"{milestones}?_export=xlsx"))

    assert column(rows, "Title") == [TEXT, "'" + FORMULA]
    assert {cell.data_type for cell in rows[1] + rows[2]} <= {"s", "n", "d"}  # never "f"
    starts = column(rows, "Planned start")
    assert starts == [DT(2025, 4, 1), DT(2025, 4, 1)]  # noqa: DTZ001 - a date cell
    assert all(isinstance(value, datetime.datetime) for value in starts)
    start = rows[0].index(next(cell for cell in rows[0] if cell.value == "Planned start"))
    assert rows[1][start].is_date
    assert rows[1][start].number_format == "yyyy-mm-dd"  # shown as a day, without a time
    percents = column(rows, "% complete")
    assert percents == [40, 0]
    assert all(isinstance(value, int | float) for value in percents)
    assert column(rows, "Programme") == [3, 3]


def test_an_unknown_format_is_refused_on_a_list_page(client, officer, milestones):
    client.force_login(officer)

    assert_refused(client.get(f"{milestones}?_export=pdf"))
    # An empty value asks for no export: the page itself.
    assert client.get(f"{milestones}?_export=")["Content-Type"].startswith("text/html")


def test_a_stranger_is_not_told_about_formats(client, stranger, milestones):
    client.force_login(stranger)

    assert client.get(f"{milestones}?_export=pdf").status_code == 404


LIST_PAGES = [
    "interventions:programme_list",
    "interventions:milestone_list",
    "directions:direction_list",
    "boards:board_list",
    "boards:recommendation_list",
    "interventions:change_request_list",
]


@pytest.fixture
def every_list(intervention):
    """A row on every list page, with every kind of date and number they show."""
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    milestone = MilestoneFactory(programme=programme, percent_complete=25)
    DirectionFactory(direction_set=DirectionSetFactory(intervention=intervention))
    MeetingFactory(board=BoardFactory(intervention=intervention), date=D(2025, 4, 14))
    RecommendationFactory(intervention=intervention, response_due=D(2025, 6, 30))
    ChangeRequestFactory(milestone=milestone)


# Text that a spreadsheet would take for a date or a percentage it cannot sort or sum.
DATE_OR_PERCENT_AS_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}.*|\d{1,2} [A-Z][a-z]{2,8} \d{4}|\d+(\.\d+)?%"
)


@pytest.mark.parametrize("name", ["interventions:intervention_list", *LIST_PAGES])
def test_no_list_xlsx_holds_a_date_or_a_percentage_as_text(
    client, officer, intervention, every_list, name
):
    client.force_login(officer)
    kwargs = {} if name == "interventions:intervention_list" else {"slug": intervention.slug}

    rows = read_xlsx(client.get(reverse(name, kwargs=kwargs) + "?_export=xlsx"))

    assert len(rows) > 1
    as_text = [
        (rows[0][index].value, cell.value)
        for row in rows[1:]
        for index, cell in enumerate(row)
        if isinstance(cell.value, str)
        and DATE_OR_PERCENT_AS_TEXT.fullmatch(cell.value)
        and not rows[0][index].value.endswith("(as written)")  # the words beside a date cell
    ]
    assert as_text == []


def test_the_dates_that_lists_write_as_words_are_date_cells(
    client, officer, intervention, every_list
):
    client.force_login(officer)

    def xlsx(name, **kwargs):
        url = reverse(name, kwargs=kwargs)
        return read_xlsx(client.get(url + "?_export=xlsx"))

    slug = intervention.slug
    recommendations = xlsx("boards:recommendation_list", slug=slug)
    assert column(recommendations, "Response due") == [DT(2025, 6, 30)]  # noqa: DTZ001
    assert column(recommendations, "Response overdue") in (["Yes"], ["No"])
    directions = xlsx("directions:direction_list", slug=slug)
    assert column(directions, "First due") == [DT(2025, 4, 22)]  # noqa: DTZ001
    interventions = xlsx("interventions:intervention_list")
    assert column(interventions, "Directions date") == [DT(2025, 1, 22)]  # noqa: DTZ001
    assert column(interventions, "Directions date (as written)") == ["22 Jan 2025"]
    requests = xlsx("interventions:change_request_list", slug=slug)
    assert isinstance(column(requests, "Requested")[0], datetime.datetime)
    assert "" not in [cell.value for cell in requests[0]]  # no column of "Decide" links


@pytest.mark.parametrize("name", LIST_PAGES)
def test_every_list_refuses_an_unknown_format(client, officer, intervention, name):
    client.force_login(officer)

    assert_refused(client.get(reverse(name, kwargs={"slug": intervention.slug}) + "?_export=ods"))


def test_text_typed_with_angle_brackets_is_exported_as_typed(client, officer, intervention):
    aim = StrategicAimFactory(intervention=intervention)
    ProgrammeFactory(aim=aim, title="Pay <b>rises</b> & Tom &amp; Jerry")
    client.force_login(officer)
    url = reverse("interventions:programme_list", kwargs={"slug": intervention.slug})

    rows = read_csv(client.get(f"{url}?_export=csv"))

    assert column(rows, "Title") == ["Pay <b>rises</b> & Tom &amp; Jerry"]


# --------------------------------------------------------------------------- deadline page


@pytest.fixture
def deadlines(intervention):
    """Two Directions made 22 Jan 2025, both due three months later (22 Apr 2025)."""
    direction_set = DirectionSetFactory(intervention=intervention)
    DirectionFactory(direction_set=direction_set, ref="a", short_title=TEXT, offset_months=3)
    DirectionFactory(direction_set=direction_set, ref="b", short_title=FORMULA, offset_months=3)
    url = reverse("interventions:deadline_list", kwargs={"slug": intervention.slug})
    return f"{url}?as_of=2025-04-01&source=direction"


def test_a_deadline_csv_has_a_byte_order_mark_and_keeps_its_characters(client, officer, deadlines):
    client.force_login(officer)

    rows = read_csv(client.get(f"{deadlines}&_export=csv"))

    assert rows[0][:5] == ["Due", "What", "Kind", "Source", "State"]
    assert sorted(column(rows, "What")) == sorted([TEXT, "'" + FORMULA])
    assert column(rows, "Due") == ["2025-04-22", "2025-04-22"]
    assert column(rows, "Days left") == ["21", "21"]


def test_a_deadline_xlsx_has_date_cells_number_cells_and_no_formulas(client, officer, deadlines):
    client.force_login(officer)

    response = client.get(f"{deadlines}&_export=xlsx")

    rows = read_xlsx(response)
    assert "-deadlines-all-as-of-2025-04-01.xlsx" in response["Content-Disposition"]
    assert sorted(column(rows, "What")) == sorted([TEXT, "'" + FORMULA])
    assert {cell.data_type for row in rows[1:] for cell in row} <= {"s", "n", "d"}
    assert column(rows, "Due") == [DT(2025, 4, 22), DT(2025, 4, 22)]  # noqa: DTZ001
    days = column(rows, "Days left")
    assert days == [21, 21]
    assert all(isinstance(value, int | float) for value in days)


@pytest.mark.parametrize("name", ["interventions:deadline_list", "interventions:deadline_overdue"])
def test_a_deadline_page_refuses_an_unknown_format(client, officer, intervention, name):
    client.force_login(officer)

    url = reverse(name, kwargs={"slug": intervention.slug})
    assert_refused(client.get(f"{url}?_export=pdf"))


def test_a_deadline_page_offers_csv_and_xlsx_of_its_filters(client, officer, deadlines):
    client.force_login(officer)

    html = client.get(f"{deadlines}&page=1").content.decode()

    assert "as_of=2025-04-01&amp;source=direction&amp;_export=csv" in html
    assert "as_of=2025-04-01&amp;source=direction&amp;_export=xlsx" in html
    assert "page=1&amp;_export" not in html


# ---------------------------------------------------------------------------- What changed


@pytest.fixture
def changes(intervention, officer):
    """A milestone's progress changed twice by the officer on 1 July 2025, at 13:05 and 13:20
    UTC (14:05 and 14:20 in London): once with a reason in pounds and accents, once with a
    reason that looks like a formula."""
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    milestone = MilestoneFactory.build(programme=programme)
    milestone._history_date = DT(2025, 6, 2, 9, 0, tzinfo=datetime.UTC)
    milestone.save()
    for reason, percent, minute in ((TEXT, 10, 5), (FORMULA, 20, 20)):
        milestone.percent_complete = percent
        milestone._history_user = officer
        milestone._change_reason = reason
        milestone._history_date = DT(2025, 7, 1, 13, minute, tzinfo=datetime.UTC)
        milestone.save()
    url = reverse("interventions:whats_changed", kwargs={"slug": intervention.slug})
    return f"{url}?kind=progress&from_date=2025-07-01&to_date=2025-07-01"


def test_a_what_changed_csv_has_a_byte_order_mark_and_keeps_its_characters(
    client, officer, changes
):
    client.force_login(officer)

    rows = read_csv(client.get(f"{changes}&_export=csv"))

    assert rows[0] == ["Recorded", "With effect from", "Who", "What", "Change", "Reason"]
    assert sorted(column(rows, "Reason")) == sorted([TEXT, "'" + FORMULA])
    assert column(rows, "Recorded") == ["2025-07-01 14:20", "2025-07-01 14:05"]  # UK time


def test_a_what_changed_xlsx_has_datetime_cells_and_no_formulas(client, officer, changes):
    client.force_login(officer)

    rows = read_xlsx(client.get(f"{changes}&_export=xlsx"))

    assert sorted(column(rows, "Reason")) == sorted([TEXT, "'" + FORMULA])
    assert {cell.data_type for row in rows[1:] for cell in row} <= {"s", "n", "d"}
    whens = column(rows, "Recorded")
    assert whens == [DT(2025, 7, 1, 14, 20), DT(2025, 7, 1, 14, 5)]  # noqa: DTZ001 - UK time
    assert all(isinstance(when, datetime.datetime) for when in whens)
    # The change itself is one line of words, not the page's markup.
    assert all("<" not in change for change in column(rows, "Change"))


def test_what_changed_refuses_an_unknown_format(client, officer, changes):
    client.force_login(officer)

    assert_refused(client.get(f"{changes}&_export=pdf"))


def test_what_changed_offers_csv_and_xlsx_of_its_filters(client, officer, changes):
    client.force_login(officer)

    html = client.get(f"{changes}&page=1").content.decode()

    query = "?kind=progress&amp;from_date=2025-07-01&amp;to_date=2025-07-01"
    assert f"{query}&amp;_export=csv" in html
    assert f"{query}&amp;_export=xlsx" in html
    assert "page=1&amp;_export" not in html
