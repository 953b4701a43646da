"""Who may read, write and issue reports.

- The improvement team of an intervention creates, edits, builds and issues every kind of
  report, and reads drafts. Envoys write stocktakes, so they may do the same for stocktakes.
- Issued reports are read by the improvement team, Envoys and Board members. Council officers
  read an issued report when the improvement team has shared it with officers (one switch on
  the report's page, which may be set after issue: it changes who reads it, not what it says).
- Nobody changes an issued report (the model refuses; see `Report.save`).
- The improvement team records reports issued outside Stocktake, and corrects those records
  (with a reason). Such a record is issued from the start: it is read like any issued report
  and is never edited as a draft, built or finalised.

Anyone outside the intervention gets 404 before these are asked (`get_intervention`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from directions.choices import ReportKind
from interventions.access import roles
from interventions.access.permissions import has_role, is_improvement_team_of, person_in
from interventions.querysets import sees_everything
from reports.choices import ReportStatus
from reports.models import Report, ReportQuerySet

if TYPE_CHECKING:
    from interventions.access.permissions import User
    from interventions.models import Intervention


def _envoy_of(user: User, intervention: Intervention) -> bool:
    return has_role(user, roles.ENVOY) and person_in(user, intervention) is not None


def can_write(user: User, intervention: Intervention, kind: str) -> bool:
    """May create, edit, build and issue reports of this kind in the intervention."""
    if is_improvement_team_of(user, intervention):
        return True
    return kind == ReportKind.STOCKTAKE and _envoy_of(user, intervention)


def can_edit(user: User, report: Report) -> bool:
    return not report.is_final and can_write(user, report.intervention, report.kind)


def can_record_issued_elsewhere(user: User, intervention: Intervention) -> bool:
    """May record a report that was issued outside Stocktake."""
    return is_improvement_team_of(user, intervention)


def can_correct(user: User, report: Report) -> bool:
    """May correct the record of a report issued outside Stocktake."""
    return report.issued_elsewhere and is_improvement_team_of(user, report.intervention)


def can_share(user: User, report: Report) -> bool:
    return is_improvement_team_of(user, report.intervention)


def readable(user: User, intervention: Intervention) -> ReportQuerySet:
    """The intervention's reports the user may read (the caller has checked they can see the
    intervention)."""
    reports = Report.objects.filter(intervention=intervention)
    if sees_everything(user) or is_improvement_team_of(user, intervention):
        return reports
    allowed = Q(pk__in=[])
    if has_role(user, roles.ENVOY) or has_role(user, roles.BOARD_MEMBER):
        allowed |= Q(status=ReportStatus.FINAL)
    if has_role(user, roles.COUNCIL_OFFICER):
        allowed |= Q(status=ReportStatus.FINAL, shared_with_officers=True)
    if _envoy_of(user, intervention):
        allowed |= Q(kind=ReportKind.STOCKTAKE)
    return reports.filter(allowed)


def can_read(user: User, report: Report) -> bool:
    return readable(user, report.intervention).filter(pk=report.pk).exists()
