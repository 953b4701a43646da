# ruff: noqa: E501  (the tables below keep one line per URL name, to be read across)
"""Every URL of the project, for every kind of user: the answer each must get.

The test walks the URL resolver, so a page added without a line in MATRIX fails the test:
decide who may see it and add the line. Each line is

    "namespace:url_name": (OBJECT, (anonymous, officer, other_officer, improvement_team,
                                    envoy, board_member, administrator, stranger, department)),

where OBJECT names the world object whose URL arguments the page takes (see `World.kwargs`;
None for a page without arguments) and each answer is a status code for a GET, or LOGIN for a
redirect to the sign-in page. The roles:

- anonymous: not signed in;
- officer: a council officer, SRO of the programme the URLs point at;
- other_officer: a council officer of the same intervention, SRO of another programme;
- improvement_team, envoy, board_member: named in the intervention in that role;
- administrator: in the Administrator group and staff (as `create_demo_users` makes them);
- stranger: a council officer of another intervention;
- department: the Department, granted the intervention (named in it): it reads, as a Board
  member does, but no exempt paper (nor draft or unpublished response), comments on nothing,
  and alone (with the administrator) opens the portfolio.

The Django admin (`admin:` names) is one gate for all its pages: ADMIN_SITE below checks that
every admin page sends everyone but the administrator to the admin's sign-in, and opens for the
administrator; ADMIN_EXCEPTIONS lists the admin pages that answer otherwise.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from directions.models import IntervalVariation
from interventions.access import roles
from interventions.dates.periods import ReportingPeriod
from interventions.evidence import services as evidence_service
from interventions.models import FeedToken, Programme, ReminderSent, Theme
from interventions.work.items import period_slug
from reports import build as report_build
from reports.context import report_context
from reports.models import ExitJudgement, Expectation, Report
from tests.deadline_factories import IntervalVariationFactory, ReportingDutyFactory
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AppointmentFactory,
    AttendanceFactory,
    BoardFactory,
    BoardMembershipFactory,
    BoardRequirementFactory,
    ChangeRequestFactory,
    CommentFactory,
    DelegationFactory,
    DirectionFactory,
    InterventionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    MeetingFactory,
    MilestoneFactory,
    MitigationFactory,
    PaperFactory,
    PersonFactory,
    PlanFactory,
    ProgrammeFactory,
    ProgrammeUpdateFactory,
    RecommendationFactory,
    RiskFactory,
    UserFactory,
)

JAN_2025 = datetime.date(2025, 1, 31)

ROLES = (
    "anonymous",
    "officer",
    "other_officer",
    "improvement_team",
    "envoy",
    "board_member",
    "administrator",
    "stranger",
    "department",
)
LOGIN = "login"  # 302 to the sign-in page, with ?next=
ADMIN_LOGIN = "admin login"  # 302 to the admin's sign-in page

# fmt: off
MATRIX: dict[str, tuple[str | None, tuple[int | str, ...]]] = {
    # name: (object, (anonymous, officer, other_officer, improvement_team, envoy, board_member, administrator, stranger, department))
    "login": (None, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "logout": (None, (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405)),
    "accessibility": (None, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "healthz": (None, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "oidc_authentication_init": (None, (404, 404, 404, 404, 404, 404, 404, 404, 404)),  # SSO off
    "oidc_authentication_callback": (None, (404, 404, 404, 404, 404, 404, 404, 404, 404)),  # SSO off
    "interventions:intervention_list": (None, (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200)),
    "interventions:my_work": (None, (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The portfolio, the one page across interventions: the Department's and the administrator's.
    "interventions:portfolio": (None, (LOGIN, 403, 403, 403, 403, 403, 200, 403, 200)),
    "interventions:intervention_detail": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:dashboard": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:programme_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:milestone_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    # Success measures: everyone in the intervention reads them; the improvement team manages
    # them and records the Board's agreement; the owner (the officer) enters readings; only
    # the oversight agrees a measure for itself (not even an administrator).
    "interventions:measure_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:measure_create": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:measure_detail": ("measure", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:measure_edit": ("measure", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:reading_add": ("measure", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:reading_edit": ("reading", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:measure_agree": ("measure", (LOGIN, 403, 403, 403, 200, 403, 403, 404, 403)),
    "interventions:measure_board_agreement": ("measure", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:change_request_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:plan_changes": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:plan_add_aim": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:plan_add_programme": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:plan_renumber": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:plan_move_programme": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:plan_merge": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:plan_close_programme": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:plan_close_aim": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:whats_changed": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    # The RAID log: everyone in the intervention reads it; the improvement team adds to it; a
    # risk's owner (the officer) and the improvement team update it.
    "interventions:risk_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:risk_heatmap": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:risk_create": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:risk_detail": ("risk", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:risk_edit": ("risk", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:risk_review": ("risk", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:risk_close": ("risk", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:mitigation_add": ("risk", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:mitigation_edit": ("mitigation", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    # Everyone in the intervention searches it; each result is one their own pages show them.
    "interventions:search": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:programme_detail": ("programme", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:programme_edit": ("programme", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:milestones_bulk_edit": ("programme", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:programme_updates": ("programme", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:programme_update_edit": ("period", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:programme_delegations": ("programme", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:end_delegation": ("delegation", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:programme_evidence_add": ("programme", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:programme_comment_add": ("programme", (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405)),
    "interventions:milestone_detail": ("milestone", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:milestone_edit": ("milestone", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:change_request_new": ("milestone", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:milestone_evidence_add": ("milestone", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "interventions:milestone_comment_add": ("milestone", (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405)),
    "interventions:change_request_detail": ("change_request", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    # A challenge (the envoy's, on the officer's programme): who may update the programme
    # answers it, the challenger and the improvement team resolve it; only they take part.
    "interventions:challenge_reply": ("challenge", (LOGIN, 200, 403, 200, 200, 403, 200, 404, 403)),
    "interventions:challenge_resolve": ("challenge", (LOGIN, 403, 403, 200, 200, 403, 200, 404, 403)),
    "interventions:evidence_download": ("evidence", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:object_history": ("history", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "directions:direction_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "directions:direction_detail": ("direction", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "directions:direction_edit": ("direction", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:board_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "boards:board_detail": ("board", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "boards:recommendation_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "boards:recommendation_detail": ("recommendation", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    # The improvement team runs the Board (its secretariat); everyone in the intervention reads.
    "boards:meeting_detail": ("meeting", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "boards:meeting_create": ("board", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:meeting_edit": ("meeting", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:agenda_item_add": ("meeting", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:agenda_item_edit": ("agenda_item", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:paper_add": ("meeting", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:paper_edit": ("paper", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:paper_download": ("exempt_paper", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404)),
    "boards:attendance_record": ("meeting", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:action_add": ("meeting", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:action_edit": ("action", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:recommendation_add": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "boards:recommendation_edit": ("recommendation", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    # The council answers: the officer who owns the recommendation, or the secretariat.
    "boards:recommendation_respond": ("recommendation", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    # Deadlines: everyone in the intervention reads them; the improvement team varies a duty's
    # interval. A feed needs no sign-in: its secret address is the key, whoever holds it.
    "interventions:deadline_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:deadline_overdue": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:deadline_next": ("deadline_days", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:deadline_calendar": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:deadline_calendar_month": ("calendar_month", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:deadline_people": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:deadline_themes": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:deadline_feeds": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:deadline_feed_revoke": ("feed_token", (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405)),
    "interventions:deadline_feed": ("feed", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "interventions:deadline_schedules": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "interventions:variation_add": ("duty", (LOGIN, 404, 404, 200, 404, 404, 200, 404, 404)),
    "interventions:variation_edit": ("variation", (LOGIN, 404, 404, 200, 404, 404, 200, 404, 404)),
    # Reports: the improvement team writes and issues them (Envoys write their stocktakes);
    # a draft is theirs alone; Envoys and Board members read issued reports, and officers
    # once the improvement team shares them.
    "reports:report_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "reports:report_create": ("intervention", (LOGIN, 403, 403, 200, 200, 403, 200, 404, 403)),
    "reports:report_detail": ("draft_report", (LOGIN, 404, 404, 200, 404, 404, 200, 404, 404)),
    "reports:report_edit": ("draft_report", (LOGIN, 404, 404, 200, 404, 404, 200, 404, 404)),
    "reports:report_preview": ("draft_report", (LOGIN, 404, 404, 200, 404, 404, 200, 404, 404)),
    "reports:report_build": ("draft_report", (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405)),
    "reports:report_download": ("issued_report", (LOGIN, 404, 404, 200, 200, 200, 200, 404, 200)),
    "reports:report_docx": ("issued_report", (LOGIN, 404, 404, 200, 200, 200, 200, 404, 200)),
    "reports:report_finalise": ("draft_report", (LOGIN, 404, 404, 200, 404, 404, 200, 404, 404)),
    "reports:report_share": ("issued_report", (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405)),
    # A report's sources are read by whoever reads the report: the issued report's list by its
    # readers, a draft's record versions by the improvement team.
    "reports:report_sources": ("issued_report", (LOGIN, 404, 404, 200, 200, 200, 200, 404, 200)),
    "reports:source_version": ("report_source", (LOGIN, 404, 404, 200, 404, 404, 200, 404, 404)),
    # A report issued outside Stocktake: the improvement team records it and corrects the
    # record; whoever may read it and is not of the improvement team is refused.
    "reports:report_record_issued": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "reports:report_unstyled": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "reports:report_reissue": ("issued_report", (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405)),
    "reports:report_correct": ("elsewhere_report", (LOGIN, 404, 404, 200, 403, 403, 200, 404, 403)),
    "boards:recommendation_publish": ("recommendation", (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Expectations: everyone in the intervention reads them; the improvement team records and
    # edits them; the person it falls to (the officer) answers it, as may the improvement team;
    # only the oversight judges it, as its own act (not even an administrator).
    "reports:expectation_list": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "reports:expectation_create": ("intervention", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "reports:expectation_detail": ("expectation", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "reports:expectation_edit": ("expectation", (LOGIN, 403, 403, 200, 403, 403, 200, 404, 403)),
    "reports:expectation_answer": ("expectation", (LOGIN, 200, 403, 200, 403, 403, 200, 404, 403)),
    "reports:expectation_judge": ("expectation", (LOGIN, 403, 403, 403, 200, 403, 403, 404, 403)),
    # Readiness to exit: everyone in the intervention reads it; only the oversight records a
    # judgement of a theme, as its own act (not even an administrator).
    "reports:exit_readiness": ("intervention", (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200)),
    "reports:exit_judge": ("intervention", (LOGIN, 403, 403, 403, 200, 403, 403, 404, 403)),
    # Public pages need no sign-in while switched on; an exempt paper is never public.
    "boards:public_home": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "boards:public_meeting": ("meeting", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "boards:public_recommendation_list": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "boards:public_paper": ("paper", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The API (/api/v1/): open without sign-in; the public get what the public pages publish
    # (the world's intervention has them on), an intervention's own users what their pages
    # show; its plan only to its own users (the stranger is of another intervention).
    "api:api-root": (None, (302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "api:docs": (None, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:openapi-json": (None, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:intervention_list": (None, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:intervention_detail": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:direction_list": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:direction_csv": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:recommendation_list": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:recommendation_csv": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:meeting_list": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:meeting_csv": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:paper_list": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:paper_csv": ("intervention", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api:programme_list": ("intervention", (404, 200, 200, 200, 200, 200, 200, 404, 200)),
    "api:programme_csv": ("intervention", (404, 200, 200, 200, 200, 200, 200, 404, 200)),
    "api:milestone_list": ("intervention", (404, 200, 200, 200, 200, 200, 200, 404, 200)),
    "api:milestone_csv": ("intervention", (404, 200, 200, 200, 200, 200, 200, 404, 200)),
}

# Pages that only take a POST (a GET is 405 above): the answer to posting an empty form, which
# changes nothing. Signed-in users who may comment get the form back with its errors (200).
POST_ONLY: dict[str, tuple[int | str, ...]] = {
    "logout": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302),
    "interventions:programme_comment_add": (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404),
    "interventions:milestone_comment_add": (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404),
    # Only the feed's owner may revoke it; anyone else is told it does not exist.
    "interventions:deadline_feed_revoke": (LOGIN, 302, 404, 404, 404, 404, 404, 404, 404),
    "reports:report_build": (LOGIN, 404, 404, 302, 404, 404, 302, 404, 404),
    # Envoys and Board members read an issued report but may not share it.
    "reports:report_share": (LOGIN, 404, 404, 302, 403, 403, 302, 404, 403),
    "reports:report_reissue": (LOGIN, 404, 404, 302, 403, 403, 302, 404, 403),
    "boards:recommendation_publish": (LOGIN, 302, 403, 302, 403, 403, 302, 404, 403),
}

# The Django admin is one gate: anonymous visitors go to the sign-in page, signed-in users who
# are not staff to the admin's own sign-in, the (staff) administrator gets the page. These
# admin pages answer otherwise, by design:
ADMIN_SITE = (LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN, ADMIN_LOGIN)
# The admin site's own pages send anonymous visitors to the admin's sign-in, not the service's.
ADMIN_SITE_PAGE = (ADMIN_LOGIN, *ADMIN_SITE[1:])
ADMIN_EXCEPTIONS: dict[str, tuple[int | str, ...]] = {
    "admin:index": ADMIN_SITE_PAGE,
    "admin:app_list": ADMIN_SITE_PAGE,
    "admin:jsi18n": ADMIN_SITE_PAGE,
    "admin:password_change": ADMIN_SITE_PAGE,
    "admin:password_change_done": ADMIN_SITE_PAGE,
    "admin:view_on_site": (*ADMIN_SITE_PAGE[:6], 302, ADMIN_LOGIN, ADMIN_LOGIN),  # on to the object's page
    "admin:login": (200, 200, 200, 200, 200, 200, 302, 200, 200),  # staff go on to the index
    "admin:logout": (ADMIN_LOGIN, 302, 302, 302, 302, 302, 405, 302, 302),  # POST only
    "admin:autocomplete": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, ADMIN_LOGIN, ADMIN_LOGIN),  # needs its query
    # Nobody adds or deletes comments or change requests, nor adds sign-in records.
    "admin:interventions_comment_add": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
    "admin:interventions_comment_delete": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
    "admin:interventions_changerequest_add": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
    "admin:interventions_changerequest_delete": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
    "admin:axes_accessattempt_add": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
    "admin:axes_accesslog_add": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
    "admin:axes_accessfailurelog_add": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
    # The change log is kept from history: nobody adds or deletes its rows.
    "admin:interventions_changelog_add": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
    "admin:interventions_changelog_delete": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
    # The data's version is renewed by every change saved: nobody adds or deletes it.
    "admin:interventions_dataversion_add": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
    "admin:interventions_dataversion_delete": (*ADMIN_SITE[:6], 403, *ADMIN_SITE[7:]),
}
# fmt: on


def arguments_of(pattern: Any) -> set[str]:
    return set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)


def walk(
    patterns: list, namespace: str | None = None, inherited: frozenset[str] = frozenset()
) -> Iterator[tuple[str | None, Any, frozenset[str]]]:
    """Each named URL with the arguments of its whole route (the prefixes it is included under
    count: every page of an intervention takes the slug from its prefix)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner, inherited | arguments_of(pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, pattern, inherited | arguments_of(pattern)


def url_names() -> dict[str, frozenset[str]]:
    """Every URL name with the arguments its route takes."""
    names: dict[str, frozenset[str]] = {}
    for name, _pattern, arguments in walk(get_resolver().url_patterns):
        if name:
            names.setdefault(name, arguments)
    return names


@dataclass
class World:
    """An intervention with one of everything, the users of every role, and the URL arguments
    of each object."""

    users: dict[str, Any]
    kwargs: dict[str, dict[str, Any]] = field(default_factory=dict)


def build_world() -> World:
    intervention = InterventionFactory()
    elsewhere = InterventionFactory()

    def member(role: str, where=intervention, **user_fields: Any):
        user = UserFactory(role=role, **user_fields)
        person = PersonFactory(intervention=where, user=user)
        return user, person

    officer, officer_person = member(roles.COUNCIL_OFFICER)
    other_officer, other_person = member(roles.COUNCIL_OFFICER)
    users = {
        "anonymous": None,
        "officer": officer,
        "other_officer": other_officer,
        "improvement_team": member(roles.IMPROVEMENT_TEAM)[0],
        "envoy": member(roles.ENVOY)[0],
        "board_member": member(roles.BOARD_MEMBER)[0],
        "administrator": UserFactory(role=roles.ADMINISTRATOR, is_staff=True),
        "stranger": member(roles.COUNCIL_OFFICER, where=elsewhere)[0],
        "department": member(roles.DEPARTMENT)[0],
    }
    programme = ProgrammeFactory(aim__intervention=intervention, sro=officer_person)
    ProgrammeFactory(aim__intervention=intervention, sro=other_person)
    milestone = MilestoneFactory(programme=programme)
    PlanFactory(intervention=intervention)
    AppointmentFactory(person=officer_person)
    direction = DirectionFactory(direction_set__intervention=intervention)
    IntervalVariation.objects.create(
        direction=direction, effective_from=intervention.directions_date, interval_months=2
    )
    board = BoardFactory(intervention=intervention)
    meeting = MeetingFactory(board=board)
    BoardMembershipFactory(board=board)
    recommendation = RecommendationFactory(
        intervention=intervention, meeting=meeting, owner=officer_person
    )
    intervention.public_pages = True
    intervention.save()
    meeting.published = True
    meeting.save()
    BoardRequirementFactory(board=board)
    agenda_item = AgendaItemFactory(meeting=meeting)
    paper = PaperFactory(meeting=meeting)
    exempt_paper = PaperFactory(
        meeting=meeting, exempt=True, exemption_reason="Paragraph 3: financial affairs"
    )
    action = ActionFactory(meeting=meeting)
    AttendanceFactory(meeting=meeting)
    duty = ReportingDutyFactory(intervention=intervention)
    variation = IntervalVariationFactory(duty=duty)
    draft_report = Report.objects.create(
        intervention=intervention, kind="board", title="Q1 delivery report", as_of=JAN_2025
    )
    issued_report = Report.objects.create(
        intervention=intervention, kind="sos", title="First report", as_of=JAN_2025
    )
    report_build.finalise(issued_report, users["improvement_team"])
    # A draft of today, whose sources are today's records: its version pages.
    sourced_draft = Report.objects.create(
        intervention=intervention, kind="sos", title="Today's draft", as_of=timezone.localdate()
    )
    source = next(s for part in report_context(sourced_draft)["sources"] for s in part["sources"])
    elsewhere_report = Report.objects.create(
        intervention=intervention,
        kind="stocktake",
        title="First stocktake",
        as_of=JAN_2025,
        status="final",
        issued_elsewhere=True,
        issued_on_date=JAN_2025,
        issued_by="Ministerial Envoys",
        document_reference="Letter of 31 January 2025",
    )
    measure = MeasureFactory(intervention=intervention, owner=officer_person)
    expectation = Expectation.objects.create(
        intervention=intervention,
        report=elsewhere_report,
        paragraph="4.4",
        title="Cultural change plan",
        quoted="We would expect a clear plan in six months' time.",
        owner=officer_person,
    )
    ExitJudgement.objects.create(
        intervention=intervention,
        theme=Theme.objects.get(slug="governance"),
        judgement="not_ready",
        commentary="Scrutiny is not yet embedded.",
        judged_on=JAN_2025,
    )
    reading = MeasureReadingFactory(measure=measure)
    risk = RiskFactory(intervention=intervention, owner=officer_person)
    mitigation = MitigationFactory(risk=risk)
    feed_token = FeedToken.objects.create(user=officer, intervention=intervention)
    ReminderSent.objects.create(
        person=officer_person, sent_on=timezone.localdate(), email="officer@example.org", items=1
    )
    delegation = DelegationFactory(programme=programme)
    change_request = ChangeRequestFactory(milestone=milestone)
    ProgrammeUpdateFactory(programme=programme)
    CommentFactory(programme=programme)
    challenge = CommentFactory(programme=programme, author=users["envoy"], kind="challenge")
    evidence = evidence_service.add_file(
        programme=programme,
        title="Cabinet report",
        upload=SimpleUploadedFile("report.txt", b"Cabinet report", content_type="text/plain"),
        by=officer,
    )
    for log in (AccessAttempt, AccessLog, AccessFailureLog):
        fields = {"user_agent": "", "http_accept": "", "path_info": "/login/", "username": "x"}
        if log is AccessAttempt:
            fields.update(get_data="", post_data="", failures_since_start=1)
        log.objects.create(attempt_time=timezone.now(), ip_address="192.0.2.1", **fields)

    slug = intervention.slug
    period = period_slug(ReportingPeriod.containing(timezone.localdate()))
    return World(
        users=users,
        kwargs={
            "intervention": {"slug": slug},
            "programme": {"slug": slug, "number": programme.number},
            "milestone": {"slug": slug, "pk": milestone.pk},
            "measure": {"slug": slug, "pk": measure.pk},
            "expectation": {"slug": slug, "pk": expectation.pk},
            "reading": {"slug": slug, "pk": measure.pk, "reading": reading.pk},
            "risk": {"slug": slug, "pk": risk.pk},
            "mitigation": {"slug": slug, "pk": risk.pk, "mitigation": mitigation.pk},
            "change_request": {"slug": slug, "pk": change_request.pk},
            "challenge": {"slug": slug, "pk": challenge.pk},
            "delegation": {"slug": slug, "number": programme.number, "pk": delegation.pk},
            "evidence": {"slug": slug, "uuid": evidence.uuid},
            "period": {"slug": slug, "number": programme.number, "period": period},
            "history": {"slug": slug, "kind": "milestone", "pk": milestone.pk},
            "direction": {"slug": slug, "pk": direction.pk},
            "board": {"slug": slug, "key": board.key},
            "recommendation": {"slug": slug, "pk": recommendation.pk},
            "meeting": {"slug": slug, "pk": meeting.pk},
            "agenda_item": {"slug": slug, "pk": agenda_item.pk},
            "action": {"slug": slug, "pk": action.pk},
            "paper": {"slug": slug, "uuid": paper.uuid},
            "exempt_paper": {"slug": slug, "uuid": exempt_paper.uuid},
            "draft_report": {"slug": slug, "pk": draft_report.pk},
            "issued_report": {"slug": slug, "pk": issued_report.pk},
            "elsewhere_report": {"slug": slug, "pk": elsewhere_report.pk},
            "report_source": {
                "slug": slug,
                "pk": sourced_draft.pk,
                "kind": source.kind,
                "record_id": source.id,
                "version": source.version,
            },
            "deadline_days": {"slug": slug, "days": 30},
            "calendar_month": {"slug": slug, "year": 2025, "month": 7},
            "feed_token": {"slug": slug, "pk": feed_token.pk},
            "feed": {"token": feed_token.token},
            "duty": {"slug": slug, "kind": "duty", "pk": duty.pk},
            "variation": {"slug": slug, "pk": variation.pk},
        },
    )


def answer(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login") + "?next="):
            return LOGIN
    return response.status_code


def clients(world: World) -> dict[str, Client]:
    result = {}
    for role, user in world.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        result[role] = client
    return result


def admin_model(name: str):
    """The model an admin URL name is about (admin:<app>_<model>_<action>), if any."""
    for model in admin.site._registry:
        if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def admin_url(name: str) -> str:
    """The admin page `name`, pointing at the first row of its model where it needs one."""
    model = admin_model(name)
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "interventions"})
    if name == "admin:view_on_site":
        programme = Programme.objects.first()
        content_type = ContentType.objects.get_for_model(Programme)
        return reverse(name, kwargs={"content_type_id": content_type.pk, "object_id": programme.pk})
    if name == "admin:auth_user_password_change":
        return reverse(name, kwargs={"id": get_user_model().objects.first().pk})
    if name.endswith("_simple_history"):
        row = model.objects.first()
        assert row is not None, f"build_world() makes no {model.__name__} for {name} to show"
        return reverse(name, args=[row.pk, row.history.first().history_id])
    if model is not None and name.endswith(("_change", "_delete", "_history")):
        row = model.objects.first()
        assert row is not None, f"build_world() makes no {model.__name__} for {name} to show"
        return reverse(name, kwargs={"object_id": row.pk})
    return reverse(name)


def check(clients_by_role: dict[str, Client], name: str, url: str, expected, method="get"):
    """Mismatches between what each role got and what the table expects, as readable lines."""
    problems = []
    for role, want in zip(ROLES, expected, strict=True):
        got = answer(getattr(clients_by_role[role], method)(url))
        if got != want:
            problems.append(
                f"{method.upper()} {name} ({url}) as {role}: got {got}, expected {want}"
            )
    return problems


@pytest.fixture
def world(db) -> World:
    return build_world()


def test_every_url_name_has_a_line_in_the_table():
    names = {name for name in url_names() if not name.startswith("admin:")}
    missing = sorted(names - set(MATRIX))
    assert not missing, f"Add these URL names to MATRIX in {__file__}: {missing}"
    assert not sorted(set(MATRIX) - names), "MATRIX names URLs that no longer exist"
    assert set(POST_ONLY) <= {n for n, (_, want) in MATRIX.items() if 405 in want}
    assert set(ADMIN_EXCEPTIONS) <= set(url_names())


def test_the_table_is_well_formed():
    for name, (obj, expected) in MATRIX.items():
        assert len(expected) == len(ROLES), name
        needs = url_names()[name]
        assert (obj is None) == (not needs), f"{name}: arguments {needs}, object {obj}"


def test_every_page_answers_each_role_as_the_table_says(world):
    by_role = clients(world)
    problems = []
    for name, (obj, expected) in MATRIX.items():
        url = reverse(name, kwargs=world.kwargs[obj] if obj else {})
        problems += check(by_role, name, url, expected)
    assert not problems, "\n".join(problems)


def test_a_refused_role_is_refused_the_same_way_when_it_posts(world):
    """The checks are on the server, not just on the form: posting gets the same refusal."""
    by_role = clients(world)
    problems = []
    # Signing out last, since it ends each session.
    for name in sorted(MATRIX, key=lambda name: name == "logout"):
        obj, expected = MATRIX[name]
        url = reverse(name, kwargs=world.kwargs[obj] if obj else {})
        if name in POST_ONLY:
            problems += check(by_role, name, url, POST_ONLY[name], method="post")
            continue
        if name.startswith("api:") and name != "api:api-root":
            # The API is read-only: a POST is refused as a method, for everyone.
            problems += check(by_role, name, url, (405,) * len(ROLES), method="post")
            continue
        for role, want in zip(ROLES, expected, strict=True):
            if want in (403, 404, LOGIN):
                got = answer(by_role[role].post(url))
                if got != want:
                    problems.append(f"POST {name} ({url}) as {role}: got {got}, expected {want}")
    assert not problems, "\n".join(problems)


def test_every_admin_page_is_for_the_administrator_only(world):
    by_role = clients(world)
    # Every admin page is checked for the anonymous visitor, the most trusted role that is not
    # staff and the administrator; the admin's gate treats every other non-staff role alike,
    # which the index checks for all of them below.
    roles_checked = ("anonymous", "improvement_team", "administrator")
    subset = {role: by_role[role] for role in roles_checked}
    problems = []
    for name in sorted(n for n in url_names() if n.startswith("admin:")):
        expected = ADMIN_EXCEPTIONS.get(name, ADMIN_SITE)
        url = admin_url(name)
        for role in roles_checked:
            want = expected[ROLES.index(role)]
            got = answer(subset[role].get(url))
            if got != want:
                problems.append(f"GET {name} ({url}) as {role}: got {got}, expected {want}")
    problems += check(by_role, "admin:index", reverse("admin:index"), ADMIN_SITE_PAGE)
    assert not problems, "\n".join(problems)
