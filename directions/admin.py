from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directions.models import Direction, DirectionSet, IntervalVariation, ReportingDuty


@admin.register(DirectionSet)
class DirectionSetAdmin(SimpleHistoryAdmin):
    list_display = ["title", "intervention", "made_on", "status"]
    list_filter = ["intervention", "status"]


class IntervalVariationInline(admin.TabularInline):
    model = IntervalVariation
    extra = 0


@admin.register(Direction)
class DirectionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "direction_set", "deadline_kind", "compliance", "status"]
    list_filter = ["direction_set__intervention", "deadline_kind", "compliance", "status"]
    search_fields = ["short_title", "text"]
    list_select_related = ["direction_set", "parent"]
    filter_horizontal = ["themes", "programmes"]
    inlines = [IntervalVariationInline]


@admin.register(IntervalVariation)
class IntervalVariationAdmin(SimpleHistoryAdmin):
    list_display = ["direction", "duty", "effective_from", "interval_months", "directed_by"]


class DutyVariationInline(admin.TabularInline):
    model = IntervalVariation
    fk_name = "duty"
    exclude = ["direction"]
    extra = 0


@admin.register(ReportingDuty)
class ReportingDutyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "intervention", "report_kind", "direction", "interval_months"]
    list_filter = ["intervention", "report_kind"]
    list_select_related = ["intervention", "direction"]
    inlines = [DutyVariationInline]
