"""CSV and XLSX exports of list pages: exactly the filtered rows, safe to open in a spreadsheet."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from interventions.kit.exports import cell_text, spreadsheet_safe
from tests.factories import (
    DirectionFactory,
    DirectionSetFactory,
    MilestoneFactory,
    ProgrammeFactory,
    RecommendationFactory,
    StrategicAimFactory,
)

DANGEROUS = ["=1+2", "+SUM(A1)", "-3+4", "@cmd", "\tTabbed", "\rReturned"]


def programmes_url(intervention, **params) -> str:
    url = reverse("interventions:programme_list", kwargs={"slug": intervention.slug})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def read_csv(response) -> list[list[str]]:
    # The file begins with a UTF-8 byte-order mark, for Excel.
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def programmes(intervention):
    aim = StrategicAimFactory(intervention=intervention)
    return {
        "red": [ProgrammeFactory(aim=aim, rag="red", title=f"Red {n}") for n in range(3)],
        "green": [ProgrammeFactory(aim=aim, rag="green", title=f"Green {n}") for n in range(2)],
    }


def test_the_csv_holds_exactly_the_filtered_rows(client, officer, intervention, programmes):
    client.force_login(officer)

    response = client.get(programmes_url(intervention, rag="red", _export="csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:2] == ["No.", "Title"]
    assert sorted(row[1] for row in body) == ["Red 0", "Red 1", "Red 2"]
    # Tags are exported as their words, not their markup.
    assert {row[header.index("RAG")] for row in body} == {"Red"}


def test_the_xlsx_holds_exactly_the_filtered_rows(client, officer, intervention, programmes):
    client.force_login(officer)

    response = client.get(programmes_url(intervention, rag="green", _export="xlsx"))

    assert response.status_code == 200
    rows = read_xlsx(response)
    assert rows[0][:2] == ["No.", "Title"]
    assert sorted(row[1] for row in rows[1:]) == ["Green 0", "Green 1"]


def test_an_export_holds_every_page_of_rows_in_the_pages_order(client, officer, intervention):
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    for position in range(1, 56):  # more than one page of 50
        MilestoneFactory(programme=programme, position=position, title=f"Step {position:02}")
    client.force_login(officer)
    url = reverse("interventions:milestone_list", kwargs={"slug": intervention.slug})

    page = client.get(url)
    response = client.get(f"{url}?sort=-label&_export=csv")

    assert len(page.context["table"].page.object_list) == 50
    titles = [row[1] for row in read_csv(response)[1:]]
    assert titles == [f"Step {n:02}" for n in range(55, 0, -1)]


def test_dates_are_dates_in_xlsx_and_iso_in_csv(client, officer, intervention):
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    MilestoneFactory(programme=programme, start_as_written="Apr 2025")
    client.force_login(officer)
    url = reverse("interventions:milestone_list", kwargs={"slug": intervention.slug})

    csv_rows = read_csv(client.get(f"{url}?_export=csv"))
    xlsx_rows = read_xlsx(client.get(f"{url}?_export=xlsx"))

    column = csv_rows[0].index("Planned start")
    assert csv_rows[1][column] == "2025-04-01"
    assert xlsx_rows[1][column] == datetime.datetime(2025, 4, 1)  # noqa: DTZ001 - a date cell


def test_formula_like_text_is_quoted_in_csv_and_xlsx(client, officer, intervention):
    aim = StrategicAimFactory(intervention=intervention)
    for title in DANGEROUS:
        ProgrammeFactory(aim=aim, title=title)
    client.force_login(officer)

    csv_titles = [
        row[1] for row in read_csv(client.get(programmes_url(intervention, _export="csv")))[1:]
    ]
    xlsx = client.get(programmes_url(intervention, _export="xlsx"))
    xlsx_titles = [row[1] for row in read_xlsx(xlsx)[1:]]
    cells = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active["B"][1:]

    expected = ["'" + title for title in DANGEROUS]
    assert csv_titles == expected
    assert xlsx_titles == expected
    assert {cell.data_type for cell in cells} == {"s"}  # text, never a formula


def test_only_text_that_could_start_a_formula_is_changed():
    assert spreadsheet_safe("Governance") == "Governance"
    assert spreadsheet_safe("A-level = fine") == "A-level = fine"
    assert spreadsheet_safe(3) == 3
    assert spreadsheet_safe(cell_text('<strong class="govuk-tag">Red</strong>')) == "Red"
    assert spreadsheet_safe(cell_text("<b>=1</b>")) == "'=1"
    assert spreadsheet_safe(cell_text("Tom &amp; Jerry")) == "Tom & Jerry"


def test_the_page_links_to_exports_of_its_current_filters(
    client, officer, intervention, programmes
):
    client.force_login(officer)

    html = client.get(programmes_url(intervention, rag="red", page=1)).content.decode()

    assert "?rag=red&amp;_export=csv" in html
    assert "?rag=red&amp;_export=xlsx" in html
    assert "page=1&amp;_export" not in html


def test_other_formats_are_refused_naming_the_ones_there_are(
    client, officer, intervention, programmes
):
    client.force_login(officer)

    response = client.get(programmes_url(intervention, _export="json"))

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "csv" in response.content.decode()
    assert "xlsx" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "interventions:programme_list",
        "interventions:milestone_list",
        "directions:direction_list",
        "boards:board_list",
        "boards:recommendation_list",
        "interventions:change_request_list",
    ],
)
def test_another_interventions_user_cannot_export(client, stranger, intervention, name):
    client.force_login(stranger)

    response = client.get(reverse(name, kwargs={"slug": intervention.slug}) + "?_export=csv")

    assert response.status_code == 404


def test_signing_in_is_needed_to_export(client, intervention, programmes):
    response = client.get(programmes_url(intervention, _export="csv"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_directions_export_their_deadline_as_one_sentence(client, officer, intervention):
    direction_set = DirectionSetFactory(intervention=intervention)
    DirectionFactory(direction_set=direction_set, ref="c")
    client.force_login(officer)
    url = reverse("directions:direction_list", kwargs={"slug": intervention.slug})

    rows = read_csv(client.get(f"{url}?_export=csv"))

    deadline = rows[1][rows[0].index("Deadline")]
    assert deadline.startswith("Relative to the date of the Directions; “Within three months")
    assert "; First due " in deadline


def test_recommendations_export_the_filtered_rows(client, officer, intervention):
    RecommendationFactory(intervention=intervention, title="Open one")
    RecommendationFactory(intervention=intervention, title="Closed one", status="closed")
    client.force_login(officer)
    url = reverse("boards:recommendation_list", kwargs={"slug": intervention.slug})

    rows = read_xlsx(client.get(f"{url}?status=open&_export=xlsx"))

    assert [row[1] for row in rows[1:]] == ["Open one"]


def test_empty_cells_are_empty_not_a_dash(client, officer, intervention):
    RecommendationFactory(intervention=intervention, response_due=None, owner=None)
    client.force_login(officer)
    url = reverse("boards:recommendation_list", kwargs={"slug": intervention.slug})

    header, row = read_csv(client.get(f"{url}?_export=csv"))

    assert row[header.index("Response due")] == ""
    assert "—" in client.get(url).content.decode()  # the page still shows the dash
