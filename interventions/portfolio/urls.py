"""The portfolio's address, in the interventions namespace: `/portfolio/`."""

from django.urls import path

from interventions.portfolio.views import PortfolioView

urlpatterns = [
    path("portfolio/", PortfolioView.as_view(), name="portfolio"),
]
