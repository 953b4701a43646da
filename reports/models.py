"""Reports built from the intervention's audited state as it stood on a date."""

from __future__ import annotations

import datetime
import hashlib
import os
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Length, StrIndex, Substr
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from directions.choices import ReportKind
from interventions.choices import DatePrecision, SlipBaseline
from interventions.dates.periods import ReportingPeriod
from interventions.kit.routing import address
from interventions.models.base import History, TimestampedModel
from interventions.models.intervention import as_precise
from interventions.models.valid_time import end_of
from reports.choices import BuildState, ExitReadiness, ExpectationJudgement, ReportStatus

# A build of even the largest report takes well under a minute; one still unfinished after
# this long has lost its worker, and may be started again.
BUILD_STALLS_AFTER = datetime.timedelta(minutes=10)

# What may still change on an issued report: who may read it, not what it says.
CHANGEABLE_WHEN_ISSUED = {"shared_with_officers", "updated"}

# A report issued outside Stocktake is only a record of someone else's document: the
# improvement team may correct that record (with a reason, audited), never turn it into a
# report Stocktake builds.
CORRECTABLE_WHEN_ISSUED_ELSEWHERE = CHANGEABLE_WHEN_ISSUED | {
    "kind",
    "title",
    "as_of",
    "issued_on_date",
    "issued_by",
    "addressed_to",
    "published_url",
    "document_reference",
    "full_council_on",
    "version",
}


class ReportIssued(Exception):
    """An issued report was about to be changed, rebuilt or deleted; nothing was changed."""


@deconstructible(path="reports.models.ReportStorage")
class ReportStorage(FileSystemStorage):
    """Report PDFs live outside the web root, in settings.REPORTS_ROOT (read on every use, so
    it follows the setting), with no URL: only a view that checks permission serves them.

    A file is never overwritten (each build gets a new name) and the file of an issued
    report is never deleted.
    """

    def __init__(self) -> None:
        super().__init__(base_url=None, file_permissions_mode=0o440)

    @property
    def base_location(self) -> str:
        return str(settings.REPORTS_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def delete(self, name: str) -> None:
        if Report.objects.filter(pdf=name, status=ReportStatus.FINAL).exists():
            raise ReportIssued("The PDF of an issued report is never deleted.")
        super().delete(name)


report_storage = ReportStorage()


def report_path(instance: Report, filename: str) -> str:
    # A new name for every build: an issued file is never overwritten by a later one.
    return f"{instance.intervention_id}/{instance.pk}-{uuid.uuid4().hex}.pdf"


class ReportQuerySet(models.QuerySet["Report"]):
    def issued(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.FINAL)

    def drafts(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.DRAFT)

    def update(self, **kwargs: Any) -> int:
        # Bulk updates skip save(); the same rule applies to them.
        if set(kwargs) - CHANGEABLE_WHEN_ISSUED and self.issued().exists():
            raise ReportIssued("Issued reports cannot be changed.")
        return super().update(**kwargs)


class Report(TimestampedModel):
    """One report of the intervention (to the Board or whoever oversees the council, to the
    Secretary of State, or the oversight's stocktake: which kinds exist, what they are called
    and who writes them is the intervention's model, `intervention.words`), built as things
    stood on its as-of date; once issued it never changes.

    The facts come from the audited history as of the end of `as_of` (UK time); the narrative
    (foreword, summary, commentary per section, and for stocktakes the oversight's judgement
    per Best Value theme) is written here. Finalising stores the PDF with its SHA-256.

    A report issued outside Stocktake (before the intervention was tracked here, or produced
    elsewhere) is recorded as issued from the start (`issued_elsewhere`): who issued it, on
    what day, and where it is published. It has no PDF or checksum, is never built, edited as
    a draft or finalised, and discharges a reporting duty exactly as a report issued here does.
    """

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    title = models.CharField(max_length=300)
    as_of = models.DateField(help_text="The report shows things as they stood on this date.")
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    full_council_on = models.DateField(
        null=True,
        blank=True,
        help_text="Reports to the Secretary of State go to Full Council first.",
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The last issued report of the same kind before this one: movement is "
        "measured from its as-of date.",
    )
    foreword = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    slips_against = models.CharField(
        "Measure slips against",
        max_length=10,
        choices=SlipBaseline.choices,
        default=SlipBaseline.ORIGINAL,
        help_text="A milestone has slipped when its forecast end is later than this baseline.",
    )
    commentary = models.JSONField(
        default=dict, blank=True, help_text="Commentary for each section, by section key."
    )
    judgements = models.JSONField(
        "Judgements",
        default=dict,
        blank=True,
        help_text="For stocktakes: the narrative judgement of those who wrote it (the Envoys, "
        "the Board), by Best Value theme slug.",
    )
    # The covering letter: to whom, how it opens and closes, and who signs it. Pre-filled when
    # the draft is started (`reports.drafting`), from the intervention's people in role on
    # the as-of date; edited in the draft; frozen with the rest once issued.
    addressee_address = models.TextField(
        "Addressee's address",
        blank=True,
        help_text="The lines under the addressee's name, e.g. the department and its address.",
    )
    salutation = models.CharField(max_length=200, blank=True, help_text="E.g. “Dear Minister,”.")
    letter_body = models.TextField(
        "Covering letter", blank=True, help_text="The letter that goes with the report."
    )
    sign_off = models.CharField(max_length=100, blank=True, help_text="E.g. “Yours sincerely,”.")
    signatories = models.JSONField(
        default=list,
        blank=True,
        help_text="Who signs the letter, in order: a list of {name, role}.",
    )
    direction_commentary = models.JSONField(
        default=dict,
        blank=True,
        help_text="The progress narrative for each Direction in force on the as-of date, by "
        "the Direction's id.",
    )
    theme_ratings = models.JSONField(
        default=dict,
        blank=True,
        help_text="For stocktakes: the rating of progress for each Best Value theme, by slug.",
    )
    new_recommendations = models.TextField(
        blank=True,
        help_text="For stocktakes: the recommendations it makes, one paragraph each.",
    )
    shared_with_officers = models.BooleanField(
        default=False,
        help_text="Once issued, council officers may read it too (the oversight and Board "
        "members always may).",
    )
    pdf = models.FileField(storage=report_storage, upload_to=report_path, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    pdf_built_at = models.DateTimeField(null=True, blank=True)
    # The records behind each section of the stored PDF, each at the version it printed
    # (reports/provenance.py), and the SHA-256 of that list: kept with the PDF so that any
    # figure of an issued report can be traced and checked later.
    sources = models.JSONField(default=list, blank=True, editable=False)
    sources_sha256 = models.CharField("SHA-256 of the sources", max_length=64, blank=True)
    build_state = models.CharField(
        max_length=10, choices=BuildState.choices, default=BuildState.NONE
    )
    build_progress = models.PositiveSmallIntegerField(default=0)
    build_message = models.CharField(max_length=300, blank=True)
    build_task_id = models.CharField(max_length=64, blank=True)
    build_requested_at = models.DateTimeField(null=True, blank=True)
    # The one build a report may have at a time (reports/build.py): claimed by a conditional
    # update of this row, named by a token that every step of the task must still hold, and
    # kept alive by the worker renewing the lease while it runs. A lease that runs out means
    # the worker died: the build is failed by the next page view or worker.
    build_token = models.CharField(max_length=32, blank=True, editable=False)
    build_lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="corrected_copies",
        help_text="A corrected copy of this issued report, which stays on record with its "
        "PDF and checksum (e.g. one printed without its stylesheet).",
    )
    issue_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Set while the build under way is the issuing of the report, and by whom.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by each saved edit; refuses stale edits."
    )
    issued_elsewhere = models.BooleanField(
        "Issued outside Stocktake",
        default=False,
        editable=False,
        help_text="Recorded as issued elsewhere: Stocktake did not build it and holds no PDF.",
    )
    issued_on_date = models.DateField(
        "Issued on",
        null=True,
        blank=True,
        help_text="For a report issued outside Stocktake: the day it was issued.",
    )
    issued_on_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="For a report issued outside Stocktake: how much of the date the record "
        "gives; a month or a year is stored as its first day.",
    )
    issued_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="For a report issued outside Stocktake: who issued it, e.g. “Ministerial "
        "Envoys”, “Commissioners”.",
    )
    addressed_to = models.CharField(
        max_length=200, blank=True, help_text="Who it was sent to, e.g. “Minister of State”."
    )
    published_url = models.URLField(
        "Published at",
        max_length=500,
        blank=True,
        help_text="The address where it is published.",
    )
    document_reference = models.CharField(
        max_length=300,
        blank=True,
        help_text="A reference that finds the document, e.g. the letter's date and sender.",
    )
    history = History()

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "kind"]
        constraints = [
            # Recorded as issued, with a day, and never with a PDF of Stocktake's making.
            models.CheckConstraint(
                condition=models.Q(issued_elsewhere=False)
                | models.Q(
                    status=ReportStatus.FINAL,
                    issued_on_date__isnull=False,
                    finalised_at__isnull=True,
                    pdf="",
                    sha256="",
                ),
                name="report_issued_elsewhere_is_an_issued_record",
                violation_error_message="A report issued outside Stocktake is recorded as issued, "
                "with the day, and has no PDF.",
            ),
            models.CheckConstraint(
                condition=models.Q(issued_elsewhere=False)
                | ~models.Q(published_url="")
                | ~models.Q(document_reference=""),
                name="report_issued_elsewhere_says_where_it_is",
                violation_error_message="Enter the address where it is published, or "
                "a document reference.",
            ),
            models.CheckConstraint(
                condition=models.Q(issued_elsewhere=False)
                | models.Q(as_of__lte=models.F("issued_on_date")),
                name="report_issued_elsewhere_as_of_not_after_issue",
                violation_error_message="The as-of date must be on or before the date "
                "it was issued.",
            ),
            models.CheckConstraint(
                condition=models.Q(issued_elsewhere=True) | models.Q(issued_on_date__isnull=True),
                name="report_issued_on_date_only_when_issued_elsewhere",
                violation_error_message="Only a report issued outside Stocktake has a "
                "recorded issue date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return address("reports:report_detail", slug=self.intervention.slug, pk=self.pk)

    @property
    def issued_on(self) -> datetime.date | None:
        """The day the report was issued: finalised here (in UK time), or as recorded for a
        report issued outside Stocktake."""
        if self.issued_elsewhere:
            return self.issued_on_date
        if self.finalised_at is None:
            return None
        return timezone.localdate(self.finalised_at)

    @property
    def issued_on_text(self) -> str:
        """The day it was issued, as precisely as it is known ("May 2025" for a letter the
        record dates only by its month)."""
        day = self.issued_on
        if day is None:
            return ""
        precision = self.issued_on_precision if self.issued_elsewhere else DatePrecision.DAY
        return as_precise(day, precision)

    # Replaces Django's own, so that every page and PDF names the kind as the intervention's
    # model does.
    def get_kind_display(self) -> str:  # type: ignore[no-redef]
        """The kind as the intervention's model names it ("Envoys' stocktake", "Commissioners'
        report to the Secretary of State"): `interventions.vocabulary`."""
        return self.intervention.words.report_label(self.kind)

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL

    @property
    def is_building(self) -> bool:
        """A build is waiting or running, and has not stalled."""
        return (
            self.build_state in (BuildState.QUEUED, BuildState.RUNNING) and not self.build_stalled
        )

    @property
    def build_stalled(self) -> bool:
        """A build has been waiting for too long (no worker took it), or its worker stopped
        renewing its lease (the worker died mid-build)."""
        now = timezone.now()
        if self.build_state == BuildState.RUNNING:
            return self.build_lease_until is None or self.build_lease_until < now
        if self.build_state != BuildState.QUEUED:
            return False
        started = self.build_requested_at
        return started is None or now - started > BUILD_STALLS_AFTER

    @property
    def is_issuing(self) -> bool:
        return self.is_building and self.issue_requested_by_id is not None

    @property
    def period(self) -> ReportingPeriod:
        """The quarter a delivery report to the Board covers: the one its as-of date is in."""
        return ReportingPeriod.containing(self.as_of)

    @property
    def snapshot_at(self) -> datetime.datetime:
        """The last moment of the as-of date in UK time: the report shows the state then."""
        return snapshot_moment(self.as_of)

    def commentary_for(self, key: str) -> str:
        return str((self.commentary or {}).get(key, ""))

    def judgement_for(self, theme_slug: str) -> str:
        return str((self.judgements or {}).get(theme_slug, ""))

    def rating_for(self, theme_slug: str) -> str:
        return str((self.theme_ratings or {}).get(theme_slug, ""))

    def direction_commentary_for(self, direction_id: int) -> str:
        return str((self.direction_commentary or {}).get(str(direction_id), ""))

    def find_previous(self) -> Report | None:
        """The latest issued report of the same kind, as of an earlier date."""
        return (
            Report.objects.issued()
            .filter(intervention_id=self.intervention_id, kind=self.kind, as_of__lt=self.as_of)
            .exclude(pk=self.pk)
            .order_by("-as_of", "-finalised_at")
            .first()
        )

    def clean(self) -> None:
        """The rules of a record of a report issued outside Stocktake (a report made here
        has its dates checked by its forms)."""
        super().clean()
        if not self.issued_elsewhere:
            return
        errors: dict[str, str] = {}
        if self.issued_on_date is None:
            errors["issued_on_date"] = "Enter the date it was issued."
        elif self.as_of and self.as_of > self.issued_on_date:
            errors["as_of"] = "The as-of date must be on or before the date it was issued."
        if not self.issued_by.strip():
            errors["issued_by"] = "Enter who issued it."
        if not self.published_url and not self.document_reference.strip():
            errors["published_url"] = (
                "Enter the address where it is published, or a document reference."
            )
        if self.full_council_on and self.kind != ReportKind.SOS:
            errors["full_council_on"] = "Only reports to the Secretary of State go to Full Council."
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            stored = Report.objects.filter(pk=self.pk).first()
            if stored is not None and stored.is_final:
                changed = {
                    field.attname
                    for field in self._meta.concrete_fields
                    if getattr(stored, field.attname) != getattr(self, field.attname)
                }
                allowed = (
                    CORRECTABLE_WHEN_ISSUED_ELSEWHERE
                    if stored.issued_elsewhere
                    else CHANGEABLE_WHEN_ISSUED
                )
                if changed - allowed:
                    raise ReportIssued(f"{stored} has been issued and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_final or Report.objects.issued().filter(pk=self.pk).exists():
            raise ReportIssued(f"{self} has been issued and cannot be deleted.")
        return super().delete(*args, **kwargs)

    def verify_checksum(self) -> bool | None:
        """Whether the stored PDF still has the SHA-256 recorded when it was built; None when
        there is no PDF."""
        if not self.pdf or not self.sha256:
            return None
        try:
            with self.pdf.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except FileNotFoundError:
            return False
        return digest == self.sha256

    @property
    def pdf_filename(self) -> str:
        kind: dict[str, str] = {
            ReportKind.BOARD: "board",
            ReportKind.SOS: "sos",
            ReportKind.STOCKTAKE: "stocktake",
        }
        suffix = "" if self.is_final else "-draft"
        return f"{self.intervention.slug}-{kind.get(self.kind, self.kind)}-{self.as_of}{suffix}.pdf"


def snapshot_moment(day: datetime.date) -> datetime.datetime:
    """The end of a day in UK time, as an aware datetime: history up to then counts."""
    return end_of(day)


@receiver(pre_delete, sender=Report)
def refuse_deleting_issued(sender: type[Report], instance: Report, **kwargs: Any) -> None:
    """Deleting through a queryset or a cascade skips Report.delete(); this still refuses."""
    if instance.is_final:
        raise ReportIssued(f"{instance} has been issued and cannot be deleted.")


# The section's number of a paragraph reference: "4" of "4.16".
SECTION_NUMBER = Substr("paragraph", 1, StrIndex(Concat("paragraph", Value(".")), Value(".")) - 1)


class ExpectationQuerySet(models.QuerySet["Expectation"]):
    def for_list(self) -> ExpectationQuerySet:
        return self.select_related(
            "intervention", "report__intervention", "owner", "judged_by"
        ).prefetch_related("themes", "programmes")

    def unanswered(self) -> ExpectationQuerySet:
        """Still waiting for the council's answer: neither answered nor judged."""
        return self.filter(answered_on__isnull=True, judgement="")

    def awaiting_judgement(self) -> ExpectationQuerySet:
        """Answered, and not yet judged."""
        return self.filter(answered_on__isnull=False, judgement="")


class Expectation(TimestampedModel):
    """What the oversight (the Envoys, the Commissioners …, as the intervention's model names
    them) said in a report that it expects of the council, by when where the report says so.

    It comes from one issued report (issued in Stocktake or recorded as issued elsewhere), at
    a paragraph, in the report's own words. The council answers it, with evidence; the
    oversight judges it in its next report: met, partly met or not met, on a day. It counts
    from the day its report was issued; its answer from the day it was answered and its
    judgement from the day it was made (`as_it_stood`), whenever each was entered.
    """

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="expectations"
    )
    report = models.ForeignKey(
        Report,
        # Refused while it sets expectations, unless they go with it (the intervention).
        on_delete=models.RESTRICT,
        related_name="expectations",
        help_text="The issued report that sets it out.",
    )
    paragraph = models.CharField(
        max_length=20, help_text="The paragraph of the report it is in, e.g. “4.4”."
    )
    title = models.CharField(
        max_length=200, help_text="A few words that name it in lists, e.g. “Cultural change plan”."
    )
    quoted = models.TextField(
        "The report's words",
        help_text="The expectation as the report words it, quoted exactly.",
    )
    due_on = models.DateField(
        "Due",
        null=True,
        blank=True,
        help_text="Leave empty where the report gives no date (“going forward”).",
    )
    due_wording = models.CharField(
        "When, in the report's words",
        max_length=200,
        blank=True,
        help_text="E.g. “in six months' time”: how the report says when.",
    )
    programmes = models.ManyToManyField(
        "interventions.Programme", blank=True, related_name="expectations"
    )
    themes = models.ManyToManyField(
        "interventions.Theme",
        blank=True,
        related_name="expectations",
        verbose_name="Best Value themes",
    )
    owner = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_expectations",
        help_text="Who answers it for the council.",
    )
    answer = models.TextField(blank=True, help_text="The council's answer: what it has done.")
    answered_on = models.DateField(null=True, blank=True)
    evidence = models.ManyToManyField(
        "interventions.Evidence",
        blank=True,
        related_name="expectations",
        help_text="Evidence already added to the plan's programmes that shows it.",
    )
    evidence_url = models.URLField(
        "Evidence link",
        max_length=500,
        blank=True,
        help_text="Where else the evidence can be read, e.g. a published paper.",
    )
    judgement = models.CharField(max_length=12, choices=ExpectationJudgement.choices, blank=True)
    judged_on = models.DateField(null=True, blank=True)
    judged_by = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expectations_judged",
    )
    judged_in = models.ForeignKey(
        Report,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expectations_judged",
        help_text="The report that gives the judgement, where it is recorded here.",
    )
    judgement_commentary = models.TextField(
        "Commentary", blank=True, help_text="Why it was judged so."
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by each saved edit; refuses stale edits."
    )
    history = History(m2m_fields=[programmes, themes, evidence])

    objects = ExpectationQuerySet.as_manager()

    class Meta:
        # Paragraphs as the report numbers them: 1.14 before 4.4 before 4.16 before 10.1 (the
        # section's number by its length then itself, then the whole reference likewise).
        ordering = [
            "report__as_of",
            "report_id",
            Length(SECTION_NUMBER),
            SECTION_NUMBER,
            Length("paragraph"),
            "paragraph",
            "pk",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "paragraph", "title"],
                name="expectation_unique_in_its_report",
            ),
            models.CheckConstraint(
                condition=models.Q(judgement="") | models.Q(judged_on__isnull=False),
                name="expectation_judged_on_a_day",
                violation_error_message="A judgement is made on a day.",
            ),
            models.CheckConstraint(
                condition=models.Q(answer="") | models.Q(answered_on__isnull=False),
                name="expectation_answered_on_a_day",
                violation_error_message="An answer is given on a day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph}: {self.title}"

    def get_absolute_url(self) -> str:
        return address("reports:expectation_detail", slug=self.intervention.slug, pk=self.pk)

    @property
    def set_on(self) -> datetime.date:
        """The day it was set: the day its report was issued (its as-of date until then)."""
        return self.report.issued_on or self.report.as_of

    def took_effect_on(self, previous: Any) -> datetime.date | None:
        """An expectation counts from the day its report was issued, an answer from the day it
        was given, a judgement from the day it was made, whenever each was entered."""
        days = []
        if previous is None:
            days.append(self.set_on)
        if self.answered_on and (previous is None or previous.answered_on != self.answered_on):
            days.append(self.answered_on)
        if self.judged_on and (previous is None or previous.judged_on != self.judged_on):
            days.append(self.judged_on)
        return min(days, default=None)

    @classmethod
    def as_it_stood(cls, record: Any, day: datetime.date) -> Any:
        """A history record of an expectation as it stood on `day`: answered only from the day
        it was answered, judged only from the day it was judged."""
        if record.answered_on and record.answered_on > day:
            record.answered_on = None
            record.answer = ""
            record.evidence_url = ""
        if record.judged_on and record.judged_on > day:
            record.judged_on = None
            record.judgement = ""
            record.judged_by_id = None
            record.judged_in_id = None
            record.judgement_commentary = ""
        return record


class ExitJudgement(TimestampedModel):
    """The oversight's judgement, on a day, of whether the council could leave intervention on
    one Best Value theme: ready, nearly ready or not ready, and why.

    Each judgement is a record of its own, never edited: a later one supersedes it from its
    own date (`reports.exit_readiness`), and the earlier ones stay on record. It counts from
    the day it was made, whenever it was entered.
    """

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="exit_judgements"
    )
    theme = models.ForeignKey(
        "interventions.Theme",
        on_delete=models.RESTRICT,
        related_name="exit_judgements",
        verbose_name="Best Value theme",
    )
    judgement = models.CharField(max_length=12, choices=ExitReadiness.choices)
    commentary = models.TextField(help_text="Why it was judged so: the evidence, and what remains.")
    judged_on = models.DateField(help_text="The day it was judged.")
    judged_by = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exit_judgements",
        help_text="The member of the oversight who recorded it.",
    )
    history = History()

    class Meta:
        ordering = ["-judged_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.theme}: {self.get_judgement_display()} ({self.judged_on:%d %b %Y})"

    def took_effect_on(self, previous: Any) -> datetime.date | None:
        """A judgement counts from the day it was made, whenever it was entered."""
        return self.judged_on if previous is None else None


def paragraph_order(paragraph: str) -> str:
    """A paragraph's reference as text that sorts as its numbers do: each number part padded
    ("4.16" → "00004.00016", after "00004.00004"), any other part as it is."""
    return ".".join(
        part.zfill(5) if part.isdigit() else part for part in paragraph.strip().split(".")
    )
