from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = "Interventions and plans"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from simple_history.signals import post_create_historical_record

        from interventions.history.change_log import record_saved
        from interventions.models.data_version import new_version

        post_migrate.connect(_sync_groups, sender=self)
        post_migrate.connect(_sync_change_log, sender=self)
        post_migrate.connect(_new_data_version, sender=self)
        # The change log is written as each history record is (interventions.history.change_log).
        post_create_historical_record.connect(record_saved, dispatch_uid="change_log")
        # Each change gives the data a new version: answers kept from the old one are worked
        # out again (interventions.kit.kept).
        post_create_historical_record.connect(new_version, dispatch_uid="data_version")


def _sync_groups(**kwargs: object) -> None:
    from interventions.access.roles import sync_groups

    sync_groups()


def _sync_change_log(**kwargs: object) -> None:
    """Log any history record that has no row in the change log yet: after the migration that
    adds the log, and after history written without signals (docs/performance.md)."""
    from django.db import connection

    from interventions.history.change_log import sync
    from interventions.models import ChangeLog

    # Migrating back to before the log leaves no table to fill.
    if ChangeLog._meta.db_table in connection.introspection.table_names():
        sync()


def _new_data_version(**kwargs: object) -> None:
    """A migration may change data without history records (interventions.kit.kept)."""
    from django.db import connection

    from interventions.models import DataVersion
    from interventions.models.data_version import new_version

    if DataVersion._meta.db_table in connection.introspection.table_names():
        new_version()
