"""Import and export of a whole intervention (interventions/interchange.py and its commands).

Every bad file below is the real data/tower-hamlets-2025.yaml with exactly one thing changed,
so each test shows that one problem is found, named precisely, and that nothing is written.
"""

import copy
import datetime
import io
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models.signals import post_save
from django.urls import reverse

from interventions.access import roles
from interventions.interchange.exporter import export_intervention
from interventions.interchange.importer import ImportFailed, import_intervention, parse, read
from interventions.models import Authority, DataVersion, Intervention, Programme, Theme
from interventions.themes import BEST_VALUE_THEMES
from reports.exit_readiness import readiness
from reports.models import ExitJudgement
from tests.factories import AuthorityFactory, UserFactory
from tests.test_interchange_lossless import wipe

DATA = Path(settings.BASE_DIR) / "data"
TOWER_HAMLETS_2025 = DATA / "tower-hamlets-2025.yaml"
TOWER_HAMLETS_2014 = DATA / "tower-hamlets-2014.yaml"
COMMISSIONERS = Path(__file__).resolve().parent / "data" / "commissioners.yaml"
DOMAIN_APPS = ("interventions", "directions", "boards", "reports")

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------- helpers


def run(command: str, *args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def import_file(path: Path, *args: str) -> str:
    return run("import_intervention", str(path), *args)[0]


def import_refused(path: Path, *args: str) -> str:
    with pytest.raises(CommandError) as caught:
        import_file(path, *args)
    return str(caught.value)


def export_text(slug: str) -> str:
    return run("export_intervention", slug)[0]


def row_counts() -> dict[str, int]:
    """Rows of every table of the domain apps (history and link tables included), except the
    Best Value themes, which are reference data from a migration, and the data's version
    token (`interventions.models.data_version`), which is bookkeeping."""
    return {
        model._meta.label: model._default_manager.count()
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model not in (Theme, DataVersion)
    }


def assert_nothing_written() -> None:
    written = {label: count for label, count in row_counts().items() if count}
    assert written == {}


def the_2025_file() -> dict:
    return yaml.safe_load(TOWER_HAMLETS_2025.read_text(encoding="utf-8"))


def bad_file(tmp_path: Path, document: object, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def empty_the_database() -> None:
    """Every table emptied, then only the reference data the migrations add put back."""
    if connection.vendor == "postgresql":
        # The test runs in a transaction in which PostgreSQL defers foreign-key checks, and
        # it refuses to TRUNCATE a table with checks pending: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--no-input", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert Intervention.objects.count() == 0
    assert Theme.objects.count() == 0
    for position, (slug, name) in enumerate(BEST_VALUE_THEMES, start=1):
        Theme.objects.create(slug=slug, name=name, position=position)


# ---------------------------------------------------------------------------------- round trip


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        (TOWER_HAMLETS_2025, "tower-hamlets-2025"),
        (TOWER_HAMLETS_2014, "tower-hamlets-2014"),
        (COMMISSIONERS, "borsetshire-2023"),
    ],
)
def test_export_then_import_into_an_empty_database_then_export_gives_the_same_file(
    tmp_path, path, slug
):
    import_file(path)
    exported = tmp_path / f"{slug}.yaml"
    run("export_intervention", slug, "--output", str(exported))
    first = exported.read_text(encoding="utf-8")

    empty_the_database()
    assert_nothing_written()
    import_file(exported)
    second = export_text(slug)

    assert second == first
    # The file is the whole intervention, not an empty shell that trivially matches.
    original = parse(path.read_text(encoding="utf-8"), name=path.name)
    reread = parse(first, name="exported.yaml")
    assert reread.intervention == original.intervention
    assert reread.people == original.people
    assert reread.boards == original.boards
    assert len(reread.direction_sets) == len(original.direction_sets)
    assert len(reread.recommendations) == len(original.recommendations)
    assert reread.reports_issued == original.reports_issued


def test_export_keeps_milestone_dates_exactly_as_written():
    import_file(TOWER_HAMLETS_2025)
    exported = parse(export_text("tower-hamlets-2025"), name="exported.yaml")
    original = parse(TOWER_HAMLETS_2025.read_text(encoding="utf-8"), name="original.yaml")

    def written(data):
        return [
            (milestone.number, milestone.title, milestone.start, milestone.end)
            for aim in data.plan.aims
            for programme in aim.programmes
            for milestone in programme.milestones
        ]

    assert written(exported) == written(original)


# ---------------------------------------------------------------------------------- validation


def test_a_file_that_is_not_yaml_is_refused_with_the_line_of_the_problem(tmp_path):
    lines = TOWER_HAMLETS_2025.read_text(encoding="utf-8").splitlines()
    lines.insert(9, "\tkind: london_borough")  # a tab cannot start a YAML token: line 10
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")

    message = import_refused(path)

    assert f"{path}: line 10, column 1: not valid YAML" in message
    assert "nothing was changed" in message
    assert_nothing_written()


def test_a_list_at_the_top_level_is_refused(tmp_path):
    path = bad_file(tmp_path, [the_2025_file()])

    message = import_refused(path)

    assert f"{path}: (top level): expected a mapping with `format: stocktake-intervention`" in (
        message
    )
    assert_nothing_written()


def test_a_file_of_another_format_is_refused(tmp_path):
    document = the_2025_file()
    document["format"] = "stocktake-plan"
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert (
        f"{path}: format: Input should be 'stocktake-intervention' (found 'stocktake-plan')"
        in message
    )
    assert_nothing_written()


def test_a_missing_directions_date_is_refused(tmp_path):
    document = the_2025_file()
    del document["intervention"]["directions_date"]
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert f"{path}: intervention.directions_date: Field required" in message
    assert_nothing_written()


def test_an_impossible_date_is_refused(tmp_path):
    document = the_2025_file()
    document["intervention"]["directions_date"] = "2025-13-22"
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert f"{path}: intervention.directions_date: Input should be a valid date" in message
    assert "(found '2025-13-22')" in message
    assert_nothing_written()


def test_an_unknown_field_is_refused_not_ignored(tmp_path):
    document = the_2025_file()
    document["plan"]["aims"][0]["programmes"][0]["colour"] = "red"
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert (
        f"{path}: plan.aims[0].programmes[0].colour: Extra inputs are not permitted (found 'red')"
        in message
    )
    assert_nothing_written()


def test_a_deadline_kind_outside_the_choices_is_refused_listing_the_allowed_kinds(tmp_path):
    document = the_2025_file()
    document["direction_sets"][0]["directions"][6]["deadline"]["kind"] = "monthly"
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert (
        f"{path}: direction_sets[0].directions[6].deadline.kind: Input should be 'relative', "
        "'recurring', 'event', 'standing' or 'fixed' (found 'monthly')"
    ) in message
    assert_nothing_written()


def test_a_relative_deadline_without_months_is_refused(tmp_path):
    document = the_2025_file()
    deadline = document["direction_sets"][0]["directions"][1]["deadline"]
    assert deadline["kind"] == "relative"
    del deadline["months"]
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert (
        f"{path}: direction_sets[0].directions[1].deadline: a relative deadline needs months"
        in message
    )
    assert_nothing_written()


def test_a_percentage_over_100_is_refused(tmp_path):
    document = the_2025_file()
    document["plan"]["aims"][0]["programmes"][0]["milestones"][0]["percent_complete"] = 150
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert (
        f"{path}: plan.aims[0].programmes[0].milestones[0].percent_complete: "
        "Input should be less than or equal to 100 (found 150)"
    ) in message
    assert_nothing_written()


def test_two_people_with_the_same_key_are_refused(tmp_path):
    document = the_2025_file()
    twin = copy.deepcopy(document["people"][0])
    twin["name"] = "Someone Else"
    document["people"].append(twin)
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert f"{path}: people: the key {twin['key']!r} is used by more than one person" in message
    assert "(1 problem)" in message
    assert_nothing_written()


def test_a_sponsor_who_is_not_in_people_is_refused(tmp_path):
    document = the_2025_file()
    document["plan"]["aims"][0]["programmes"][0]["sponsor"] = "jo-bloggs"
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert (
        f"{path}: plan.aims[0].programmes[0].sponsor: "
        "expected the key of a person in `people`, found 'jo-bloggs'"
    ) in message
    assert_nothing_written()


def test_a_recommendation_linked_to_a_direction_that_does_not_exist_is_refused(tmp_path):
    document = the_2025_file()
    document["recommendations"][3]["directions"] = ["2025-directions/z"]
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert (
        f"{path}: recommendations[3].directions[0]: "
        "expected `SET/REF` of a Direction, found '2025-directions/z'"
    ) in message
    assert_nothing_written()


def test_a_response_published_before_it_was_given_is_refused(tmp_path):
    document = the_2025_file()
    recommendation = document["recommendations"][3]
    assert "responded_on" not in recommendation
    recommendation["published_on"] = "2025-06-01"
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert (
        f"{path}: recommendations[3]: published_on needs responded_on: "
        "only a response can be published"
    ) in message
    assert_nothing_written()


def test_a_value_only_the_database_column_refuses_rolls_back_rows_already_written(tmp_path):
    document = the_2025_file()
    document["people"][0]["name"] = "N" * 201  # Person.name is a CharField(max_length=200)
    path = bad_file(tmp_path, document)
    saved = []

    def record(sender, instance, created, **kwargs):
        saved.append(sender)

    post_save.connect(record, sender=Authority, dispatch_uid="test-rollback-authority")
    post_save.connect(record, sender=Intervention, dispatch_uid="test-rollback-intervention")
    try:
        message = import_refused(path)
    finally:
        post_save.disconnect(sender=Authority, dispatch_uid="test-rollback-authority")
        post_save.disconnect(sender=Intervention, dispatch_uid="test-rollback-intervention")

    assert saved == [Authority, Intervention]  # these were written before the bad person
    assert (
        f"{path}: people[0].name: Ensure this value has at most 200 characters (it has 201)."
        in message
    )
    assert "nothing was changed" in message
    assert_nothing_written()


def test_import_failed_lists_each_problem_as_file_path_and_message(tmp_path):
    document = the_2025_file()
    document["plan"]["aims"][0]["programmes"][0]["sponsor"] = "jo-bloggs"
    document["plan"]["aims"][0]["programmes"][1]["sro"] = "no-one"
    path = bad_file(tmp_path, document)

    with pytest.raises(ImportFailed) as caught:
        read(path)

    assert caught.value.errors == [
        f"{path}: plan.aims[0].programmes[0].sponsor: "
        "expected the key of a person in `people`, found 'jo-bloggs'",
        f"{path}: plan.aims[0].programmes[1].sro: "
        "expected the key of a person in `people`, found 'no-one'",
    ]


# ---------------------------------------------------------------------------------- refusals


def test_importing_the_same_file_again_is_refused_and_changes_nothing():
    import_file(TOWER_HAMLETS_2025)
    before = row_counts()

    message = import_refused(TOWER_HAMLETS_2025)

    assert "An intervention with the slug 'tower-hamlets-2025' already exists" in message
    assert "nothing was changed" in message
    assert row_counts() == before


def test_skip_existing_succeeds_and_changes_nothing():
    import_file(TOWER_HAMLETS_2025)
    before = row_counts()

    output = import_file(TOWER_HAMLETS_2025, "--skip-existing")

    assert "tower-hamlets-2025 is already present; left unchanged." in output
    assert row_counts() == before


def test_an_existing_authority_slug_with_another_name_is_refused():
    AuthorityFactory(slug="tower-hamlets", name="Tower Hamlets Borough Council")

    message = import_refused(TOWER_HAMLETS_2025)

    assert (
        "The authority 'tower-hamlets' already exists as 'Tower Hamlets Borough Council'" in message
    )
    assert "the file says 'London Borough of Tower Hamlets'" in message
    assert Authority.objects.get().name == "Tower Hamlets Borough Council"
    assert Intervention.objects.count() == 0
    assert Intervention.history.count() == 0


def test_skip_existing_does_not_hide_a_clash_of_authority_names():
    # --skip-existing is for an intervention that is already present. Here it is not: the
    # authority's name differs, so the file must still be refused, not reported as present.
    AuthorityFactory(slug="tower-hamlets", name="Tower Hamlets Borough Council")

    message = import_refused(TOWER_HAMLETS_2025, "--skip-existing")

    assert "already exists as 'Tower Hamlets Borough Council'" in message
    assert Intervention.objects.count() == 0


# ---------------------------------------------------------------------------------- history


def test_each_imported_programme_has_one_history_row_giving_the_file_as_reason():
    import_file(TOWER_HAMLETS_2025)

    programmes = Programme.objects.order_by("number")
    assert programmes.count() == 11
    for programme in programmes:
        rows = list(programme.history.values_list("history_type", "history_change_reason"))
        assert rows == [("+", "Imported from tower-hamlets-2025.yaml")], programme.number


NOT_IN_THE_FILE = {
    "IntervalVariation",
    # The Tower Hamlets seeds state no success measures (docs/data-format.md).
    "Measure",
    "MeasureReading",
    # Nor risk tables: the 2025 plan puts its risks in an appendix the seeds do not hold.
    "Risk",
    "Mitigation",
    "ProgrammeUpdate",
    "Evidence",
    "ChangeRequest",
    "Delegation",
    "Comment",
    # Meetings' agendas, papers, attendance and action logs are kept in the service.
    "AgendaItem",
    "Paper",
    "Attendance",
    "Action",
}


def test_every_imported_row_records_the_file_as_its_change_reason(tmp_path):
    # The seeds record no judgement of readiness to exit: this copy of the file gains one.
    document = the_2025_file()
    document["exit_judgements"] = [A_JUDGEMENT]
    import_file(bad_file(tmp_path, document, TOWER_HAMLETS_2025.name))

    reasons = {
        model.__name__: set(model.history.values_list("history_change_reason", flat=True))
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        # Tracked models only (not historical models, link tables or themes) that the file
        # has rows of: it has no interval variations, and officers' updates, evidence,
        # change requests, delegations and comments are not part of the format.
        if hasattr(model._meta, "simple_history_manager_attribute")
        and model.__name__ not in NOT_IN_THE_FILE
    }

    assert reasons == dict.fromkeys(
        [
            "Authority",
            "Intervention",
            "Person",
            "Appointment",
            "Plan",
            "StrategicAim",
            "Programme",
            "Milestone",
            "DirectionSet",
            "Direction",
            "Board",
            "BoardMembership",
            "BoardRequirement",
            "Meeting",
            "Recommendation",
            "ReportingDuty",
            "Report",
            "Expectation",
            "ExitJudgement",
        ],
        {"Imported from tower-hamlets-2025.yaml"},
    )


# ---------------------------------------------------------------------------------- exit judgements

# A judgement for the tests only: the seeds record none.
A_JUDGEMENT = {
    "theme": "governance",
    "judgement": "not_ready",
    "commentary": "Test only: scrutiny is not yet embedded.",
    "judged_on": datetime.date(2025, 6, 2),
    "judged_by": "kim-bromley-derry",
}


def judged(intervention, day):
    """Each theme's latest judgement on `day`, as the exit readiness page reads it."""
    return {
        row["theme"].slug: (row["judgement"]["value"], row["judgement"]["on"])
        for row in readiness(intervention, day)["themes"]
        if row["judgement"]
    }


def test_exit_judgements_round_trip_with_their_days_and_history(tmp_path, client):
    document = the_2025_file()
    document["exit_judgements"] = [A_JUDGEMENT]
    import_file(bad_file(tmp_path, document, "with-a-judgement.yaml"))
    intervention = Intervention.objects.get(slug="tower-hamlets-2025")
    # An Envoy corrects it on the page the same day, and later judges culture.
    envoy = UserFactory(role=roles.OVERSIGHT, username="envoy-kbd")
    person = intervention.people.get(key="kim-bromley-derry")
    person.user = envoy
    person.save()
    client.force_login(envoy)
    address = reverse("reports:exit_judge", kwargs={"slug": intervention.slug})
    for theme, judgement, day in (
        ("governance", "nearly_ready", "2025-06-02"),
        ("culture", "ready", "2025-09-30"),
    ):
        data = {
            "theme": str(Theme.objects.get(slug=theme).pk),
            "judgement": judgement,
            "judged_on": day,
            "commentary": f"Judged {theme} <b>in full</b>.",
        }
        assert client.post(address, data).status_code == 302
    days = [datetime.date(2025, 6, 1), datetime.date(2025, 6, 2), datetime.date(2025, 10, 1)]
    before = [judged(intervention, day) for day in days]
    assert before == [
        {},
        {"governance": ("nearly_ready", datetime.date(2025, 6, 2))},
        {
            "governance": ("nearly_ready", datetime.date(2025, 6, 2)),
            "culture": ("ready", datetime.date(2025, 9, 30)),
        },
    ]

    first = export_text("tower-hamlets-2025")
    imported, corrected, culture = yaml.safe_load(first)["exit_judgements"]
    # The one from a file is dated by the file again; those entered here carry their history.
    assert imported == A_JUDGEMENT
    assert (corrected["theme"], corrected["judgement"], corrected["judged_by"]) == (
        "governance",
        "nearly_ready",
        "kim-bromley-derry",
    )
    assert corrected["commentary"] == "Judged governance <b>in full</b>."
    [version] = corrected["versions"]
    assert (version["by"], version["valid_from"]) == ("envoy-kbd", datetime.date(2025, 6, 2))
    assert culture["theme"] == "culture" and len(culture["versions"]) == 1

    wipe(intervention)
    assert not ExitJudgement.objects.exists()
    again = import_intervention(
        parse(first, name="copy.yaml"), reason="Imported from copy.yaml", name="copy.yaml"
    )

    assert export_intervention(again) == first
    assert [judged(again, day) for day in days] == before
    rows = list(again.exit_judgements.order_by("pk"))
    assert [row.judged_on for row in rows] == [
        datetime.date(2025, 6, 2),
        datetime.date(2025, 6, 2),
        datetime.date(2025, 9, 30),
    ]
    assert [row.judged_by.key for row in rows] == ["kim-bromley-derry"] * 3
    history = [
        list(row.history.values_list("history_type", "history_change_reason", "valid_from"))
        for row in rows
    ]
    assert history[0] == [("+", "Imported from copy.yaml", datetime.date(2025, 6, 2))]
    assert rows[1].history.get().history_user == envoy
    assert rows[1].history.get().valid_from == datetime.date(2025, 6, 2)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"theme": "ethics"},
            "exit_judgements[1].theme: Input should be 'continuous-improvement', 'leadership', "
            "'governance', 'culture', 'use-of-resources', 'service-delivery' or 'partnerships' "
            "(found 'ethics')",
        ),
        (
            {"judged_by": "jo-bloggs"},
            "exit_judgements[1].judged_by: expected the key of a person in `people`, "
            "found 'jo-bloggs'",
        ),
        (
            {"judgement": "almost"},
            "exit_judgements[1].judgement: Input should be 'ready', 'nearly_ready' or "
            "'not_ready' (found 'almost')",
        ),
        ({"commentary": " "}, "exit_judgements[1].commentary: String should have at least 1"),
        (
            {"judged_on": datetime.date.today() + datetime.timedelta(days=1)},  # noqa: DTZ011
            "exit_judgements[1]: judged_on (",
        ),
    ],
)
def test_a_bad_exit_judgement_is_refused_by_its_position_and_nothing_is_written(
    tmp_path, change, problem
):
    document = the_2025_file()
    document["exit_judgements"] = [A_JUDGEMENT, {**A_JUDGEMENT, **change}]
    path = bad_file(tmp_path, document)

    message = import_refused(path)

    assert f"{path}: {problem}" in message
    assert "(1 problem)" in message
    assert "nothing was changed" in message
    assert_nothing_written()


# ---------------------------------------------------------------------------------- export


def test_export_writes_to_the_output_file(tmp_path):
    import_file(TOWER_HAMLETS_2025)
    output = tmp_path / "out.yaml"

    stdout, stderr = run("export_intervention", "tower-hamlets-2025", "--output", str(output))

    text = output.read_text(encoding="utf-8")
    assert text == export_intervention(Intervention.objects.get(slug="tower-hamlets-2025"))
    assert text.startswith("format: stocktake-intervention\nversion: 1\n")
    assert stdout == ""
    assert f"Wrote tower-hamlets-2025 to {output}." in stderr


def test_export_writes_to_standard_output_without_a_file():
    import_file(TOWER_HAMLETS_2025)

    stdout, _ = run("export_intervention", "tower-hamlets-2025")

    assert stdout == export_intervention(Intervention.objects.get(slug="tower-hamlets-2025"))
    assert parse(stdout, name="stdout").intervention.slug == "tower-hamlets-2025"


def test_export_of_an_unknown_slug_names_the_known_ones():
    import_file(TOWER_HAMLETS_2025)
    import_file(TOWER_HAMLETS_2014)

    with pytest.raises(CommandError) as caught:
        run("export_intervention", "tower-hamlets-2030")

    assert str(caught.value) == (
        "No intervention with the slug 'tower-hamlets-2030' "
        "(known: tower-hamlets-2025, tower-hamlets-2014)."
    )


def test_export_with_no_interventions_says_none_are_known():
    with pytest.raises(CommandError) as caught:
        run("export_intervention", "tower-hamlets-2025")

    assert "(known: none)" in str(caught.value)
