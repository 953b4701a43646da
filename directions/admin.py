from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directions.models import Direction, DirectionSet, IntervalVariation


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
    list_display = ["direction", "effective_from", "interval_months", "directed_by"]
