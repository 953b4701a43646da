from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from boards.models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    BoardMembership,
    BoardRequirement,
    Meeting,
    Paper,
    Recommendation,
)


class MembershipInline(admin.TabularInline):
    model = BoardMembership
    extra = 0


class RequirementInline(admin.TabularInline):
    model = BoardRequirement
    extra = 0


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "intervention", "cadence_months"]
    list_filter = ["intervention", "kind"]
    list_select_related = ["parent", "intervention"]
    inlines = [MembershipInline, RequirementInline]


@admin.register(BoardMembership)
class BoardMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "board", "role", "theme", "starts_on", "ends_on"]
    list_filter = ["board__intervention", "role"]
    list_select_related = ["person", "board", "theme"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "board", "title", "kind", "status", "published"]
    list_filter = ["board__intervention", "kind", "status", "published"]
    list_select_related = ["board"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "source", "made_on", "response_due", "status"]
    list_filter = ["intervention", "source", "status"]
    search_fields = ["reference", "title", "text"]
    list_select_related = ["intervention"]
    filter_horizontal = ["directions", "programmes"]


@admin.register(Paper)
class PaperAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "exempt"]
    list_filter = ["meeting__board__intervention", "exempt"]
    list_select_related = ["meeting__board"]
    readonly_fields = ["uuid", "file", "original_name", "content_type", "size", "added_by"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "meeting", "owner", "due_on", "status"]
    list_filter = ["meeting__board__intervention", "status"]
    list_select_related = ["meeting__board", "owner"]


admin.site.register([AgendaItem, Attendance, BoardRequirement], SimpleHistoryAdmin)
