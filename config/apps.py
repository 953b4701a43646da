from django.apps import AppConfig


class StocktakeConfig(AppConfig):
    """Project-wide wiring that belongs to no domain app: security event logging."""

    name = "config"
    label = "stocktake_config"
    verbose_name = "Stocktake"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.core.signals import request_finished

        from config import observability

        user_logged_in.connect(observability.log_login, dispatch_uid="stocktake_log_login")
        user_login_failed.connect(
            observability.log_login_failed, dispatch_uid="stocktake_log_login_failed"
        )
        request_finished.connect(
            observability.forget_request_id, dispatch_uid="stocktake_forget_request_id"
        )
        user_locked_out.connect(
            observability.log_locked_out, dispatch_uid="stocktake_log_locked_out"
        )
