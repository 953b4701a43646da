from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from reports.models import ExitJudgement, Expectation, Report

if settings.TASKS_BACKEND != "database":
    # The task queue's admin reads each row through the backend that queued it; with builds
    # run immediately nothing is queued, and its pages would fail on any row, so hide them.
    from django_tasks_db.models import DBTaskResult

    admin.site.unregister(DBTaskResult)


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    """Drafts can be corrected here; an issued report is shown read-only and cannot be
    deleted (the model refuses too). A report issued outside Stocktake is recorded and
    corrected by the improvement team on its page (with a reason), not here."""

    list_display = [
        "title",
        "intervention",
        "kind",
        "as_of",
        "status",
        "finalised_at",
        "issued_elsewhere",
    ]
    list_filter = ["kind", "status", "issued_elsewhere", "intervention"]
    search_fields = ["title"]
    list_select_related = ["intervention"]
    readonly_fields = [
        "status",
        "finalised_at",
        "finalised_by",
        "pdf",
        "sha256",
        "pdf_built_at",
        "build_state",
        "build_progress",
        "build_message",
        "build_task_id",
        "issued_elsewhere",
        "issued_on_date",
        "issued_by",
        "addressed_to",
        "published_url",
        "document_reference",
    ]
    raw_id_fields = ["previous"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_final:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_final:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> dict:
        # Bulk delete would try issued reports too; the model would refuse, with a server error.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: Any = None,
    ) -> Any:
        # Reverting an issued report to an earlier record would change it.
        obj = self.get_object(request, object_id)
        if request.method == "POST" and obj is not None and obj.is_final:
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Expectation)
class ExpectationAdmin(SimpleHistoryAdmin):
    """Expectations are recorded, answered and judged on their own pages (the judgement only
    by the oversight); here they can be read and corrected by an administrator."""

    list_display = ["paragraph", "title", "intervention", "report", "due_on", "judgement"]
    list_filter = ["intervention", "judgement"]
    search_fields = ["title", "quoted", "paragraph"]
    raw_id_fields = ["report", "owner", "judged_by", "judged_in"]
    filter_horizontal = ["programmes", "themes", "evidence"]


@admin.register(ExitJudgement)
class ExitJudgementAdmin(SimpleHistoryAdmin):
    """Exit judgements are recorded on the exit readiness page, by the oversight only; here
    they can be read and corrected by an administrator."""

    list_display = ["theme", "judgement", "intervention", "judged_on", "judged_by"]
    list_filter = ["intervention", "judgement", "theme"]
    search_fields = ["commentary"]
    raw_id_fields = ["judged_by"]
