"""Who may read, write and issue reports.

- Only the kinds of report the intervention's model has exist in it (`intervention.words`):
  an Envoys intervention has the delivery report to the Board, the report to the Secretary of
  State and the Envoys' stocktake; a Commissioners one has the council's report to the
  Commissioners and the Commissioners' report to the Secretary of State.
- The improvement team of an intervention creates, edits, builds and issues every kind of
  report its model has, and reads drafts. The oversight (Envoys, Commissioners …) may do the
  same for the kinds the model says they write (the Envoys' stocktake; the Commissioners'
  report to the Secretary of State), and is refused the others.
- Issued reports are read by the improvement team, the oversight, Board members and the
  Department (never a draft: `permissions.reads_only_published`). Council officers
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

from interventions.access import roles
from interventions.access.permissions import (
    has_role,
    is_improvement_team_of,
    is_oversight_of,
    person_in,
    reads_only_published,
)
from interventions.querysets import sees_everything
from reports.choices import ReportStatus
from reports.models import Expectation, Report, ReportQuerySet

if TYPE_CHECKING:
    from interventions.access.permissions import User
    from interventions.models import Intervention, Person


def can_write(user: User, intervention: Intervention, kind: str) -> bool:
    """May create, edit, build and issue reports of this kind in the intervention."""
    words = intervention.words
    if kind not in words.report_kinds:
        return False
    if is_improvement_team_of(user, intervention):
        return True
    return words.oversight_writes(kind) and is_oversight_of(user, intervention)


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
    reports = Report.objects.filter(intervention=intervention).select_related("intervention")
    if sees_everything(user) or is_improvement_team_of(user, intervention):
        return reports
    if reads_only_published(user):
        # The Department reads issued reports only, never a draft, of whatever kind.
        return reports.filter(status=ReportStatus.FINAL)
    allowed = Q(pk__in=[])
    if has_role(user, roles.OVERSIGHT) or has_role(user, roles.BOARD_MEMBER):
        allowed |= Q(status=ReportStatus.FINAL)
    if has_role(user, roles.COUNCIL_OFFICER):
        allowed |= Q(status=ReportStatus.FINAL, shared_with_officers=True)
    if is_oversight_of(user, intervention):
        allowed |= Q(kind__in=intervention.words.oversight_kinds)
    return reports.filter(allowed)


def can_read(user: User, report: Report) -> bool:
    return readable(user, report.intervention).filter(pk=report.pk).exists()


# Expectations (`reports.models.Expectation`): everyone in the intervention reads them; the
# improvement team records and edits them; the person who owns one (and the improvement team)
# answers it; only the intervention's oversight judges it, as its own act (not even an
# administrator may judge for them).


def can_manage_expectations(user: User, intervention: Intervention) -> bool:
    """Recording an expectation from a report, and editing it: the improvement team's."""
    return is_improvement_team_of(user, intervention)


def can_answer_expectation(user: User, expectation: Expectation) -> bool:
    """The expectation's owner answers it for the council; so may the improvement team. Once
    it is judged, the answer is what was judged and stays as it is."""
    if not user.is_authenticated or expectation.judgement:
        return False
    if is_improvement_team_of(user, expectation.intervention):
        return True
    owner = expectation.owner
    return owner is not None and owner.user_id is not None and owner.user_id == user.pk


def judging_person(user: User, intervention: Intervention) -> Person | None:
    """The person who judges for the oversight: the user's own record, if they are the
    intervention's oversight (an administrator is not)."""
    if sees_everything(user) or not is_oversight_of(user, intervention):
        return None
    return person_in(user, intervention)


def can_judge_expectation(user: User, expectation: Expectation) -> bool:
    return judging_person(user, expectation.intervention) is not None
