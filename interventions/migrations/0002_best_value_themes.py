from django.db import migrations

THEMES = [
    ("continuous-improvement", "Continuous Improvement"),
    ("leadership", "Leadership"),
    ("governance", "Governance"),
    ("culture", "Culture"),
    ("use-of-resources", "Use of Resources"),
    ("service-delivery", "Service Delivery"),
    ("partnerships", "Partnerships and Community Engagement"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("interventions", "Theme")
    for position, (slug, name) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("interventions", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
