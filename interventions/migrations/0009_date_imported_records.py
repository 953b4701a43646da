"""Rows imported before history records carried the day a change took effect were read as true
"from the start" by a rule in the report snapshot. That rule is gone: each imported row's
creation record now says the day it became true, by the rules the importer follows for new
imports (`interventions.interchange.importer`), kept here as they were when this was written.
"""

import datetime

from django.db import migrations

ALWAYS = datetime.date(1900, 1, 1)
IMPORTED = "Imported from"


def date_imported_records(apps, schema_editor):
    Intervention = apps.get_model("interventions", "Intervention")
    Plan = apps.get_model("interventions", "Plan")
    Programme = apps.get_model("interventions", "Programme")
    DirectionSet = apps.get_model("directions", "DirectionSet")
    Direction = apps.get_model("directions", "Direction")
    Board = apps.get_model("boards", "Board")

    starts = dict(Intervention.objects.values_list("pk", "directions_date"))
    plan_days = {
        intervention: agreed_on or starts.get(intervention)
        for intervention, agreed_on in Plan.objects.values_list("intervention_id", "agreed_on")
    }
    programme_interventions = dict(Programme.objects.values_list("pk", "intervention_id"))
    set_days = dict(DirectionSet.objects.values_list("pk", "made_on"))
    direction_days = {
        pk: set_days.get(set_id)
        for pk, set_id in Direction.objects.values_list("pk", "direction_set_id")
    }
    board_interventions = dict(Board.objects.values_list("pk", "intervention_id"))

    rules = {
        ("interventions", "Authority"): lambda r: ALWAYS,
        ("interventions", "Intervention"): lambda r: ALWAYS,
        ("interventions", "Person"): lambda r: ALWAYS,
        ("interventions", "Appointment"): lambda r: r.starts_on or ALWAYS,
        ("interventions", "Plan"): lambda r: r.agreed_on or starts.get(r.intervention_id),
        ("interventions", "StrategicAim"): lambda r: plan_days.get(r.intervention_id),
        ("interventions", "Programme"): lambda r: plan_days.get(r.intervention_id),
        ("interventions", "Milestone"): lambda r: plan_days.get(
            programme_interventions.get(r.programme_id)
        ),
        ("directions", "DirectionSet"): lambda r: r.made_on,
        ("directions", "Direction"): lambda r: set_days.get(r.direction_set_id),
        ("directions", "ReportingDuty"): lambda r: (
            direction_days.get(r.direction_id) if r.direction_id else starts.get(r.intervention_id)
        ),
        ("directions", "IntervalVariation"): lambda r: r.effective_from,
        ("boards", "Board"): lambda r: starts.get(r.intervention_id),
        ("boards", "BoardRequirement"): lambda r: starts.get(
            board_interventions.get(r.board_id)
        ),
        ("boards", "BoardMembership"): lambda r: r.starts_on
        or starts.get(board_interventions.get(r.board_id)),
        ("boards", "Meeting"): lambda r: r.date,
        ("boards", "Recommendation"): lambda r: r.made_on,
        ("reports", "Report"): lambda r: r.issued_on_date,
    }
    for (app_label, model_name), rule in rules.items():
        history = apps.get_model(app_label, f"Historical{model_name}")
        imported = history.objects.filter(
            valid_from__isnull=True, history_change_reason__startswith=IMPORTED
        )
        for record in imported.iterator():
            day = rule(record)
            if day is not None:
                history.objects.filter(history_id=record.history_id).update(valid_from=day)


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0008_history_valid_from"),
        ("directions", "0006_history_valid_from"),
        ("boards", "0004_history_valid_from"),
        ("reports", "0005_history_valid_from"),
    ]

    operations = [migrations.RunPython(date_imported_records, migrations.RunPython.noop)]
