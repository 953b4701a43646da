"""Directions in force on a date, and dated compliance.

A small Commissioners-style intervention with three sets of Directions: the first superseded by
the second on 1 Jun 2021, the second revoked on 1 Mar 2023, the third in force "up to and
including 30 April 2028". As of a day in each set's life, the list page, its CSV, the
dashboard's counts, the deadline engine and a report show only that set.
"""

from __future__ import annotations

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
import yaml
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from directions import in_force
from directions.models import Direction, DirectionSet
from interventions.deadlines.engine import State, deadlines_for
from reports.context import report_context
from tests.deadline_factories import ReportFactory
from tests.factories import DirectionFactory, DirectionSetFactory
from tests.test_interchange import (
    assert_nothing_written,
    bad_file,
    empty_the_database,
    export_text,
    import_file,
    import_refused,
    the_2025_file,
)

D = datetime.date
pytestmark = pytest.mark.django_db

FIRST_LIFE, SECOND_LIFE, THIRD_LIFE = D(2020, 1, 1), D(2022, 1, 1), D(2024, 1, 1)


def as_imported(*models: type) -> None:
    """Date every history record of the factories' sets and Directions as an import dates
    them: true from the day their set was made (`interventions.models.valid_time`)."""
    for direction_set in DirectionSet.objects.all():
        if DirectionSet in models:
            DirectionSet.history.filter(id=direction_set.pk).update(
                valid_from=direction_set.made_on
            )
        if Direction in models:
            Direction.history.filter(direction_set_id=direction_set.pk).update(
                valid_from=direction_set.made_on
            )


@pytest.fixture
def commissioners(intervention):
    # The intervention the personas of tests/conftest.py belong to, as a Commissioners one.
    intervention.model = "commissioners"
    intervention.directions_date = D(2019, 3, 1)
    intervention.duration_months = 120
    intervention.save()
    third = DirectionSetFactory(
        intervention=intervention,
        key="third",
        title="Third Directions",
        made_on=D(2023, 3, 1),
        expires_on=D(2028, 4, 30),
    )
    second = DirectionSetFactory(
        intervention=intervention,
        key="second",
        title="Second Directions",
        made_on=D(2021, 6, 1),
        status="revoked",
        status_changed_on=D(2023, 3, 1),
    )
    first = DirectionSetFactory(
        intervention=intervention,
        key="first",
        title="First Directions",
        made_on=D(2019, 3, 1),
        status="superseded",
        status_changed_on=D(2021, 6, 1),
        superseded_by=second,
    )
    sets = {"first": first, "second": second, "third": third}
    directions = {}
    for key, direction_set in sets.items():
        a = DirectionFactory(
            direction_set=direction_set, ref="a", position=1, short_title=f"Plan of the {key}"
        )
        directions[key] = a
        DirectionFactory(direction_set=direction_set, parent=a, ref="i", position=1)
    # The first set's six-monthly report: due 1 Sep 2019, then every six months.
    directions["first-b"] = DirectionFactory(
        direction_set=first,
        ref="b",
        position=2,
        short_title="Six-monthly report",
        deadline_kind="recurring",
        offset_months=None,
        interval_months=6,
    )
    as_imported(Direction, DirectionSet)
    return SimpleNamespace(intervention=intervention, sets=sets, directions=directions)


def keys_in_force(intervention, day):
    return sorted(
        {
            d.direction_set.key
            for d in Direction.objects.for_intervention(intervention).in_force_on(day)
        }
    )


# ---------------------------------------------------------------------------- the one rule


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2019, 2, 28), []),
        (FIRST_LIFE, ["first"]),
        (D(2021, 5, 31), ["first"]),
        (D(2021, 6, 1), ["second"]),
        (SECOND_LIFE, ["second"]),
        (THIRD_LIFE, ["third"]),
        (D(2028, 4, 30), ["third"]),  # up to and including
        (D(2028, 5, 1), []),
    ],
)
def test_one_set_is_in_force_on_each_day_of_its_life(commissioners, day, expected):
    assert keys_in_force(commissioners.intervention, day) == expected
    in_memory = sorted(
        s.key for s in commissioners.sets.values() if s.in_force_on(day)
    )  # the instance method, by the same rule
    assert in_memory == expected
    assert sorted(DirectionSet.objects.in_force_on(day).values_list("key", flat=True)) == expected


def test_the_queryset_and_the_instance_agree_on_every_direction_and_sub_item(commissioners):
    own_end = commissioners.directions["third"]
    own_end.expires_on = D(2025, 12, 31)
    own_end.save()
    for day in [
        D(2019, 1, 1),
        FIRST_LIFE,
        D(2021, 6, 1),
        SECOND_LIFE,
        D(2025, 12, 31),
        D(2026, 1, 1),
    ]:
        in_db = set(Direction.objects.in_force_on(day).values_list("pk", flat=True))
        in_memory = {d.pk for d in Direction.objects.for_list() if d.in_force_on(day)}
        assert in_db == in_memory, day


def test_a_sub_item_follows_its_direction_and_a_direction_its_own_earlier_end(commissioners):
    a = commissioners.directions["third"]
    a.status, a.status_changed_on = "revoked", D(2025, 1, 1)
    a.save()
    item = a.items.get()

    assert not Direction.objects.filter(pk=item.pk).in_force_on(D(2025, 6, 1)).exists()
    assert Direction.objects.filter(pk=item.pk).in_force_on(D(2024, 12, 31)).exists()
    assert item.state_on(D(2025, 6, 1)) == "Revoked on 1 Jan 2025"


def test_an_ended_status_without_a_date_is_never_shown_in_force():
    window = in_force.Window("revoked", None, None)

    assert not window.holds(D(2000, 1, 1))
    assert window.q(D(2000, 1, 1)) == (
        ~Q(status="proposed")
        & (~Q(status__in=in_force.ENDED) | Q(status_changed_on__gt=D(2000, 1, 1)))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=D(2000, 1, 1)))
    )


def test_each_state_reads_as_a_user_would_say_it(commissioners):
    first, second, third = (commissioners.sets[k] for k in ("first", "second", "third"))

    assert first.state_on(D(2019, 1, 1)) == "Not yet made"
    assert first.state_on(FIRST_LIFE) == "In force"
    assert first.state_on(SECOND_LIFE) == "Superseded by Second Directions on 1 Jun 2021"
    assert second.state_on(THIRD_LIFE) == "Revoked on 1 Mar 2023"
    assert third.state_on(THIRD_LIFE) == "In force (up to and including 30 Apr 2028)"
    assert third.state_on(D(2028, 5, 1)) == "Expired at the end of 30 Apr 2028"
    # A Direction follows its set.
    b = commissioners.directions["first-b"]
    assert b.state_on(THIRD_LIFE) == "Superseded by Second Directions on 1 Jun 2021"


# ------------------------------------------------------------------------------ list page


def list_url(intervention, **params):
    url = reverse("directions:direction_list", kwargs={"slug": intervention.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.mark.parametrize(
    ("day", "key"), [(FIRST_LIFE, "first"), (SECOND_LIFE, "second"), (THIRD_LIFE, "third")]
)
def test_the_list_and_its_csv_show_only_the_set_in_force_with_its_set(
    client, officer, commissioners, day, key
):
    client.force_login(officer)
    label = commissioners.sets[key].label

    page = client.get(list_url(commissioners.intervention, as_of=day.isoformat()))
    rows = [row.record for row in page.context["table"].page.object_list]
    exported = list(
        csv.reader(
            io.StringIO(
                client.get(
                    list_url(commissioners.intervention, as_of=day.isoformat(), _export="csv")
                ).content.decode("utf-8-sig")
            )
        )
    )

    assert {row.direction_set.key for row in rows} == {key}
    assert label in page.text  # each reference says its set: three sets, three "a"s
    assert exported[0][0] == "Set"
    assert {line[0] for line in exported[1:]} == {f"{commissioners.sets[key].title} ({label})"}


def test_the_list_shows_superseded_and_revoked_directions_only_when_asked(
    client, officer, commissioners
):
    client.force_login(officer)
    intervention = commissioners.intervention

    today = client.get(list_url(intervention))
    asked = client.get(list_url(intervention, superseded="on", as_of=THIRD_LIFE.isoformat()))

    assert "Show superseded and revoked Directions" in today.text
    assert {r.record.direction_set.key for r in today.context["table"].rows} == {"third"}
    assert {r.record.direction_set.key for r in asked.context["table"].rows} == {
        "first",
        "second",
        "third",
    }
    assert "Superseded by Second Directions on 1 Jun 2021" in asked.text
    assert "Revoked on 1 Mar 2023" in asked.text


def test_a_single_set_has_no_set_column(client, officer, intervention):
    DirectionFactory(direction_set=DirectionSetFactory(intervention=intervention))
    client.force_login(officer)

    page = client.get(list_url(intervention))

    assert "direction_set" not in [column.name for column in page.context["table"].columns]


# ----------------------------------------------------------------------------- dashboard


@pytest.mark.parametrize(
    ("day", "key"), [(FIRST_LIFE, "first"), (SECOND_LIFE, "second"), (THIRD_LIFE, "third")]
)
def test_the_dashboard_counts_only_the_directions_in_force(
    client, officer, commissioners, day, key
):
    client.force_login(officer)
    url = reverse("interventions:dashboard", kwargs={"slug": commissioners.intervention.slug})

    context = client.get(f"{url}?as_of={day.isoformat()}").context

    expected = 2 if key == "first" else 1
    assert context["directions"]["totals"] == {"directions": expected, "items": 1}
    assert f"as_of={day.isoformat()}" in context["directions"]["url"]


# ------------------------------------------------------------------------ deadline engine


def test_a_superseded_directions_duties_stop_and_those_missed_before_stay_missed(
    commissioners,
):
    items = [
        item
        for item in deadlines_for(commissioners.intervention, THIRD_LIFE)
        if item.reference == "Direction b (first, made 1 Mar 2019)"  # each names its set
    ]

    # Every six months from 1 Sep 2019 until the set was superseded on 1 Jun 2021.
    assert [item.due for item in items] == [
        D(2019, 9, 1),
        D(2020, 3, 1),
        D(2020, 9, 1),
        D(2021, 3, 1),
    ]
    assert {item.state for item in items} == {State.MISSED}


def test_the_engine_does_not_list_directions_not_yet_made(commissioners):
    items = deadlines_for(commissioners.intervention, FIRST_LIFE)

    urls = {item.url for item in items}
    assert commissioners.directions["first"].get_absolute_url() in urls
    assert commissioners.directions["second"].get_absolute_url() not in urls
    assert commissioners.directions["third"].get_absolute_url() not in urls


def test_a_direction_met_after_the_as_of_day_is_not_met_then(commissioners):
    a = commissioners.directions["third"]  # due 1 Jun 2023
    a.compliance, a.met_on, a.compliance_source = "met", D(2023, 7, 1), "Board minutes, §4"
    a.save()

    def state_on(day):
        (item,) = [
            i
            for i in deadlines_for(commissioners.intervention, day)
            if i.url == a.get_absolute_url()
        ]
        return item

    assert state_on(D(2023, 6, 15)).state == State.MISSED
    late = state_on(D(2023, 7, 1))
    assert (late.state, late.satisfied_on, late.basis) == (
        State.MET_LATE,
        D(2023, 7, 1),
        "Board minutes, §4",
    )


def test_met_without_a_date_counts_from_the_first_history_record_that_says_met(intervention):
    a = DirectionFactory(direction_set=DirectionSetFactory(intervention=intervention))
    a.compliance = "met"
    a.save()
    recorded = timezone.make_aware(datetime.datetime(2025, 5, 10, 9, 0))  # noqa: DTZ001
    a.history.filter(compliance="met").update(history_date=recorded)
    a.evidence = "Later note"
    a.save()  # a later record, still met: the first one says since when

    def state(day):
        (item,) = deadlines_for(intervention, day)
        return item.state

    assert state(D(2025, 5, 9)) == State.MISSED
    assert state(D(2025, 5, 10)) == State.MET


def test_a_directions_page_says_how_it_ended_instead_of_next_due(client, officer, commissioners):
    client.force_login(officer)
    b = commissioners.directions["first-b"]

    text = client.get(b.get_absolute_url()).text

    assert "Next due" not in text
    assert "Superseded by Second Directions on 1 Jun 2021: its duties stopped" in text


# --------------------------------------------------------------------------------- reports


@pytest.mark.parametrize(
    ("day", "key"), [(FIRST_LIFE, "first"), (SECOND_LIFE, "second"), (THIRD_LIFE, "third")]
)
def test_a_report_lists_only_the_directions_in_force_on_its_date(commissioners, day, key):
    # Drafts: an issued report reads the record as it stood when it was issued, and these
    # Directions were recorded today.
    report = ReportFactory(
        intervention=commissioners.intervention, kind="sos", as_of=day, status="draft"
    )

    context = report_context(report)

    assert {commissioners.sets[key].pk} == {
        row["direction"].direction_set_id for row in context["directions"]
    }
    assert context["snap"].several_sets is False  # one set in force on each day
    assert all(row["set_label"] == "" for row in context["directions"])


def test_a_report_counts_met_only_from_the_met_date(commissioners):
    a = DirectionFactory(
        direction_set=commissioners.sets["third"],
        ref="c",
        position=3,
        compliance="met",
        met_on=D(2024, 6, 1),
    )
    as_imported(Direction)
    before = ReportFactory(
        intervention=commissioners.intervention, as_of=D(2024, 1, 1), status="draft"
    )
    after = ReportFactory(
        intervention=commissioners.intervention, as_of=D(2024, 7, 1), status="draft"
    )

    (row_before,) = [r for r in report_context(before)["directions"] if r["direction"].id == a.pk]
    (row_after,) = [r for r in report_context(after)["directions"] if r["direction"].id == a.pk]

    assert row_before["compliance"] != "met"
    assert row_before["compliance_label"] == "Not met by then (met on 1 Jun 2024)"
    assert (row_after["compliance"], row_after["compliance_label"]) == ("met", "Met on 1 Jun 2024")


# ------------------------------------------------------------------------- recording it


def edit(client, direction, **data):
    url = reverse(
        "directions:direction_edit", args=[direction.direction_set.intervention.slug, direction.pk]
    )
    return client.post(url, {"version": direction.version, "evidence": "", **data})


@pytest.mark.parametrize(
    ("met_on", "message"),
    [
        ("2019-01-01", "must be on or after the date of the Directions (1 Mar 2019)"),
        ("2999-01-01", "must be today or earlier"),
    ],
)
def test_a_met_date_before_the_directions_or_in_the_future_is_refused(
    client, improvement_team, intervention, met_on, message
):
    a = DirectionFactory(
        direction_set=DirectionSetFactory(intervention=intervention, made_on=D(2019, 3, 1))
    )
    client.force_login(improvement_team)

    response = edit(client, a, compliance="met", met_on=met_on)

    assert message in response.text
    assert Direction.objects.get(pk=a.pk).met_on is None


def test_the_met_date_and_its_source_are_saved(client, improvement_team, intervention):
    a = DirectionFactory(direction_set=DirectionSetFactory(intervention=intervention))
    client.force_login(improvement_team)

    response = edit(
        client, a, compliance="met", met_on="2025-04-14", compliance_source="Board minutes §3"
    )

    assert response.status_code == 302
    saved = Direction.objects.get(pk=a.pk)
    assert (saved.met_on, saved.compliance_source) == (D(2025, 4, 14), "Board minutes §3")
    page = client.get(a.get_absolute_url()).text
    assert "14 Apr 2025" in page and "Board minutes §3" in page


# ---------------------------------------------------------------------- import refusals
#
# Each file is the real data/tower-hamlets-2025.yaml with one contradiction added; each is
# refused with a message naming the set or Direction, and nothing is written.


def refused(tmp_path, change) -> str:
    document = the_2025_file()
    change(document)
    message = import_refused(bad_file(tmp_path, document))
    assert_nothing_written()
    return message


def the_set(document):
    return document["direction_sets"][0]


def revoke_the_set_only(document):
    the_set(document).update(status="revoked", status_changed_on=D(2026, 1, 1))


def test_a_revoked_set_whose_directions_are_still_in_force_is_refused(tmp_path):
    message = refused(tmp_path, revoke_the_set_only)

    assert (
        "Direction a of the set '2025-directions' is still in force after the set was revoked "
        "on 2026-01-01"
    ) in message


def test_a_status_date_before_the_set_was_made_is_refused(tmp_path):
    def change(document):
        revoke_the_set_only(document)
        the_set(document)["status_changed_on"] = D(2024, 12, 1)
        for direction in the_set(document)["directions"]:
            direction.update(status="revoked", status_changed_on=D(2024, 12, 1))

    message = refused(tmp_path, change)

    assert (
        "the set '2025-directions' is revoked on 2024-12-01, before it was made "
        "(made_on 2025-01-22)"
    ) in message
    assert "Direction a of the set '2025-directions' is revoked on 2024-12-01" in message


def test_a_set_made_after_the_intervention_ended_is_refused(tmp_path):
    def change(document):
        document["intervention"]["end_date"] = D(2027, 1, 1)
        later = {**the_set(document), "key": "2027-directions", "made_on": D(2027, 2, 1)}
        later["directions"] = [
            {k: v for k, v in d.items() if k not in ("met_on", "compliance_source")}
            | {"compliance": "not_assessed"}
            for d in later["directions"][:1]
        ]
        document["direction_sets"].append(later)

    message = refused(tmp_path, change)

    assert (
        "the set '2027-directions' is made on 2027-02-01, after the intervention ended "
        "(end_date 2027-01-01)"
    ) in message


def test_a_set_superseded_by_one_made_after_the_day_it_was_superseded_is_refused(tmp_path):
    def change(document):
        later = {
            "key": "2026-revised",
            "title": "Revised Directions",
            "made_on": D(2026, 3, 1),
        }
        document["direction_sets"].append(later)
        the_set(document).update(
            status="superseded", status_changed_on=D(2026, 2, 1), superseded_by="2026-revised"
        )
        for direction in the_set(document)["directions"]:
            direction.update(status="superseded", status_changed_on=D(2026, 2, 1))

    message = refused(tmp_path, change)

    assert (
        "the set '2025-directions' (made 2025-01-22) is superseded on 2026-02-01 by "
        "'2026-revised', made on 2026-03-01"
    ) in message


def test_a_met_date_before_the_directions_were_made_is_refused(tmp_path):
    def change(document):
        the_set(document)["directions"][2]["met_on"] = D(2024, 12, 1)  # c

    message = refused(tmp_path, change)

    assert (
        "Direction c of the set '2025-directions' was met on 2024-12-01, before the Directions "
        "were made (2025-01-22)"
    ) in message


def test_a_met_date_without_compliance_met_is_refused(tmp_path):
    def change(document):
        the_set(document)["directions"][2]["compliance"] = "on_track"  # c, met_on 14 Apr 2025

    message = refused(tmp_path, change)

    assert "met_on is given (2025-04-14) but compliance is 'on_track', not 'met'" in message


def test_the_dated_states_and_met_dates_go_out_and_come_back(tmp_path):
    def change(document):
        document["direction_sets"][0]["expires_on"] = D(2028, 1, 21)

    document = the_2025_file()
    change(document)
    import_file(bad_file(tmp_path, document, "good.yaml"))
    first = export_text("tower-hamlets-2025")
    empty_the_database()
    import_file(bad_file(tmp_path, yaml.safe_load(first), "again.yaml"))

    assert export_text("tower-hamlets-2025") == first
    exported = yaml.safe_load(first)["direction_sets"][0]
    assert exported["expires_on"] == D(2028, 1, 21)
    c = exported["directions"][2]
    assert (c["met_on"], c["compliance"]) == (D(2025, 4, 14), "met")
    assert "§1.9" in c["compliance_source"]
    g = exported["directions"][6]
    assert g["deadline"]["first_due"] == D(2025, 6, 30)
    assert g["deadline"]["first_due_precision"] == "month"
    assert "§1.11" in g["deadline"]["first_due_source"]


def test_the_deadline_list_says_what_paper_a_met_date_rests_on(client, officer, commissioners):
    a = commissioners.directions["third"]
    a.compliance, a.met_on, a.compliance_source = "met", D(2023, 5, 1), "Board <minutes> §4"
    a.save()
    client.force_login(officer)
    url = reverse("interventions:deadline_list", kwargs={"slug": commissioners.intervention.slug})

    text = client.get(url).text

    assert "Rests on: Board &lt;minutes&gt; §4" in text
