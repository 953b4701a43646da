"""Factories for reporting duties, interval variations and reports (used by the deadline
tests)."""

import datetime

import factory
from django.utils import timezone

from directions.models import IntervalVariation, ReportingDuty
from reports.models import Report
from tests.factories import InterventionFactory


class ReportingDutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingDuty

    intervention = factory.SubFactory(InterventionFactory)
    report_kind = "stocktake"
    title = factory.Sequence(lambda n: f"Reporting duty {n}")
    first_due_months = 4


class IntervalVariationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntervalVariation

    effective_from = factory.Sequence(lambda n: datetime.date(2025, 9, 1) + datetime.timedelta(n))
    interval_months = 2


def issued_at(day: datetime.date) -> datetime.datetime:
    """Noon UK time on `day`, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    intervention = factory.SubFactory(InterventionFactory)
    kind = "sos"
    title = factory.Sequence(lambda n: f"Report {n}")
    as_of = datetime.date(2025, 6, 30)
    status = "final"
    finalised_at = factory.LazyAttribute(lambda r: issued_at(r.as_of + datetime.timedelta(14)))
