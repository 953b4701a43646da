"""The portfolio page: the Department's (and an administrator's) view across interventions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from interventions.access.permissions import sees_portfolio
from interventions.kit.lists import ObjectListView
from interventions.models import Intervention
from interventions.portfolio.filters import PortfolioFilterSet
from interventions.portfolio.rows import PortfolioRow, portfolio_rows
from interventions.portfolio.tables import PortfolioTable


class PortfolioView(ObjectListView):
    """Every intervention the user is granted, one row each, as of a day; each row links to
    that intervention's dashboard. The rows are the user's own interventions
    (`Intervention.objects.visible_to`), never another's."""

    queryset = Intervention.objects.select_related("authority").order_by("authority__name", "title")
    filterset_class = PortfolioFilterSet
    table_class = PortfolioTable
    template_name = "portfolio/portfolio.html"
    title = "Portfolio"
    item_name = "interventions"
    item_name_one = "intervention"
    intro = (
        "Where each intervention you are granted stands, side by side, by the same rules as "
        "its dashboard. Choose an intervention to open its dashboard."
    )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not sees_portfolio(request.user):
            raise PermissionDenied("The portfolio is the Department's page.")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        visible = Intervention.objects.visible_to(self.request.user)
        return super().get_queryset().filter(pk__in=visible.values("pk"))

    def get_table_data(self) -> list[PortfolioRow]:
        filterset: PortfolioFilterSet = self.filterset
        rows = portfolio_rows(list(self.object_list), filterset.day, timezone.localdate())
        if filterset.overdue_only:
            rows = [row for row in rows if row.overdue]
        return rows

    def get_export_filename(self, export_format: str) -> str:
        return f"portfolio-{self.filterset.day.isoformat()}.{export_format}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        table = context["table"]
        context.update(
            on=self.filterset.day,
            today=timezone.localdate(),
            section="portfolio",
            synthetic=any(row.synthetic for row in table.data),
        )
        return context
