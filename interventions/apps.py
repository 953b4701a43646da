from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = "Interventions and plans"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_groups, sender=self)


def _sync_groups(**kwargs: object) -> None:
    from interventions.access.roles import sync_groups

    sync_groups()
