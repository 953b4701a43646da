from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from interventions.models import (
    Appointment,
    Authority,
    ChangeRequest,
    Comment,
    Delegation,
    Evidence,
    Intervention,
    Measure,
    MeasureReading,
    Milestone,
    Mitigation,
    Person,
    Plan,
    Programme,
    ProgrammeUpdate,
    Risk,
    StrategicAim,
    Theme,
)
from interventions.models.calendar_feeds import FeedToken, ReminderSent
from interventions.models.change_log import ChangeLog
from interventions.models.data_version import DataVersion


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]


@admin.register(Authority)
class AuthorityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "slug"]
    search_fields = ["name"]


@admin.register(Intervention)
class InterventionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "authority", "model", "directions_date", "status"]
    list_filter = ["model", "status"]
    search_fields = ["title", "authority__name"]
    list_select_related = ["authority"]


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "post", "organisation", "is_organisation", "intervention", "user"]
    list_filter = ["intervention", "is_organisation"]
    search_fields = ["name", "post", "organisation"]
    list_select_related = ["intervention", "user"]
    raw_id_fields = ["user"]
    inlines = [AppointmentInline]


@admin.register(Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "role", "theme", "starts_on", "ends_on", "interim"]
    list_filter = ["role", "person__intervention"]
    list_select_related = ["person", "theme"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "intervention", "agreed_on"]


@admin.register(StrategicAim)
class StrategicAimAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "intervention"]
    list_filter = ["intervention"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["position", "number", "title", "start_as_written", "end_as_written", "status", "rag"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "intervention", "phase", "status", "rag"]
    list_filter = ["intervention", "phase", "status", "rag", "required_by_directions"]
    search_fields = ["title", "purpose"]
    list_select_related = ["intervention"]
    filter_horizontal = ["themes"]
    inlines = [MilestoneInline]
    # Set by the programme's quarterly updates (`ProgrammeUpdate.carry_to_programme`).
    readonly_fields = ["status", "rag"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "programme",
        "start_as_written",
        "end_as_written",
        "baseline_end",
        "status",
        "rag",
    ]
    list_filter = ["programme__intervention", "status", "rag"]
    search_fields = ["title", "number"]
    list_select_related = ["programme"]
    # The original baseline is the first end agreed: change control never moves it.
    readonly_fields = ["planned_start", "planned_end", "original_baseline_end"]


class MeasureReadingInline(admin.TabularInline):
    model = MeasureReading
    extra = 0


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "intervention", "theme", "owner", "agreement"]
    list_filter = ["intervention", "agreement", "theme"]
    search_fields = ["title", "rationale"]
    list_select_related = ["intervention", "theme", "owner"]
    inlines = [MeasureReadingInline]


@admin.register(MeasureReading)
class MeasureReadingAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "taken_on", "value"]
    list_filter = ["measure__intervention"]
    list_select_related = ["measure"]


class MitigationInline(admin.TabularInline):
    model = Mitigation
    extra = 0


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "intervention", "kind", "programme", "score", "status"]
    list_filter = ["intervention", "kind", "band", "status"]
    search_fields = ["reference", "title", "description"]
    list_select_related = ["intervention", "programme"]
    inlines = [MitigationInline]


@admin.register(Mitigation)
class MitigationAdmin(SimpleHistoryAdmin):
    list_display = ["risk", "due_on", "done_on"]
    list_filter = ["risk__intervention"]
    list_select_related = ["risk"]


@admin.register(ProgrammeUpdate)
class ProgrammeUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "period_start", "rag", "status", "author", "updated"]
    list_filter = ["programme__intervention", "rag", "period_start"]
    list_select_related = ["programme", "author"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The update is where the programme's RAG and status are set, here as on its page.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            obj.carry_to_programme()


@admin.register(Delegation)
class DelegationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "programme", "milestone", "starts_on", "ends_on", "granted_by"]
    list_filter = ["programme__intervention"]
    list_select_related = ["person", "programme", "milestone", "granted_by"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "programme", "milestone", "added_by", "created"]
    list_filter = ["intervention", "kind"]
    list_select_related = ["programme", "milestone", "added_by"]
    # Files are added through the service, which checks type and size.
    readonly_fields = ["uuid", "file", "original_name", "content_type", "size"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows nobody adds, changes or deletes in the admin: only read there."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class RecordOnlyAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Rows that are part of the record: read in the admin, changed only by the service's own
    pages (change requests are decided there; comments are never edited or deleted)."""


@admin.register(ChangeRequest)
class ChangeRequestAdmin(RecordOnlyAdmin):
    list_display = ["milestone", "kind", "status", "requested_by", "decided_by", "created"]
    list_filter = ["milestone__programme__intervention", "kind", "status"]
    list_select_related = ["milestone", "requested_by", "decided_by"]


@admin.register(Comment)
class CommentAdmin(RecordOnlyAdmin):
    list_display = ["programme", "milestone", "kind", "author", "created"]
    list_filter = ["programme__intervention", "kind"]
    list_select_related = ["programme", "milestone", "author"]


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Calendar feeds; the secret itself is never shown."""

    list_display = ["user", "intervention", "mine_only", "created", "revoked_at"]
    list_filter = ["intervention", "mine_only"]
    list_select_related = ["user", "intervention"]
    readonly_fields = ["user", "intervention", "mine_only"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """The record of reminder emails sent; nobody edits it."""

    list_display = ["person", "sent_on", "email", "items", "sent_at"]
    list_filter = ["sent_on"]
    list_select_related = ["person"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    """What changed's index of the audit trail, kept from history as changes are saved;
    nobody edits it (`manage.py rebuild_change_log` rebuilds it from history)."""

    list_display = ["history_date", "model", "history_id", "intervention_id", "shown", "kinds"]
    list_filter = ["model", "shown"]


@admin.register(DataVersion)
class DataVersionAdmin(ReadOnlyAdmin):
    """The token of the data's current version (interventions.kit.kept): renewed by every
    change saved; nobody edits it."""

    list_display = ["token"]
