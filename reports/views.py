"""Pages for reports: the register, starting a draft, writing its narrative, previewing,
building the PDF in the background, issuing it and downloading it; and recording (and
correcting the record of) a report issued outside Stocktake.

Permission is checked here on the server for every request (`reports.permissions`); someone
outside the intervention gets 404, as does a reader asking for a report they may not read.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from directions.choices import ReportKind
from interventions.kit.changes import changes
from interventions.kit.downloads import stored_file_response
from interventions.kit.exports import export_response, refuse_unknown_format, requested_format
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.kit.saving import versioned_edit
from interventions.models import Intervention, Theme
from interventions.models.base import set_change_reason
from reports import build, drafting, pdf, provenance, word
from reports import permissions as can
from reports.choices import (
    BUILD_STATE_TAG_COLOURS,
    REPORT_STATUS_TAG_COLOURS,
    SECTIONS,
    BuildState,
    ReportStatus,
)
from reports.context import report_context
from reports.forms import (
    ReportCorrectionForm,
    ReportCreateForm,
    ReportIssuedElsewhereForm,
    ReportNarrativeForm,
)
from reports.models import Report, ReportIssued
from reports.tasks import build_report_pdf

logger = logging.getLogger(__name__)

# While a build is waiting or running, the report's page asks the browser to reload it.
REFRESH_SECONDS = 3


def _register_crumbs(intervention: Intervention, *more: tuple[str, str]) -> list:
    url = reverse("reports:report_list", kwargs={"slug": intervention.slug})
    return crumbs_for(intervention, ("Reports", url), *more)


def _report(request: HttpRequest, intervention: Intervention, pk: int) -> Report:
    """The report, if the user may read it; else 404."""
    report = get_object_or_404(
        Report.objects.select_related("intervention__authority", "finalised_by", "previous"),
        intervention=intervention,
        pk=pk,
    )
    if not can.can_read(request.user, report):
        raise Http404
    return report


def _kinds_for(request: HttpRequest, intervention: Intervention) -> list[str]:
    return [
        kind
        for kind in intervention.words.report_kinds
        if can.can_write(request.user, intervention, kind)
    ]


@intervention_page
def report_list(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """The register of an intervention's reports: issued ones with their checksums, and the
    drafts the user may work on."""
    reports = can.readable(request.user, intervention).select_related(
        "finalised_by", "intervention"
    )
    context = {
        "intervention": intervention,
        "section": "reports",
        "crumbs": crumbs_for(intervention),
        "issued": [r for r in reports if r.is_final],
        "drafts": [r for r in reports if not r.is_final],
        "can_create": bool(_kinds_for(request, intervention)),
        "can_record_issued_elsewhere": can.can_record_issued_elsewhere(request.user, intervention),
        "status_colours": REPORT_STATUS_TAG_COLOURS,
    }
    return render(request, "reports/report_list.html", context)


@intervention_page
def report_create(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    kinds = _kinds_for(request, intervention)
    if not kinds:
        raise PermissionDenied(
            f"Only the improvement team (and {intervention.words.oversight_plural}, for the "
            "reports they write) start reports."
        )
    form = ReportCreateForm(request.POST or None, intervention=intervention, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        report.intervention = intervention
        report.previous = report.find_previous()
        drafting.prefill(report)
        set_change_reason(report, "Draft started")
        report.save()
        messages.success(request, f"Draft started: {report.title}")
        return redirect(report.get_absolute_url())
    return render(
        request,
        "reports/report_create.html",
        {
            "intervention": intervention,
            "section": "reports",
            "crumbs": _register_crumbs(intervention),
            "form": form,
        },
    )


@intervention_page
def report_detail(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    report = _report(request, intervention, pk)
    if report.issued_elsewhere:
        return _issued_elsewhere_detail(request, report)
    if report.build_state == BuildState.RUNNING and report.build_stalled:
        # Its worker died: say so now rather than "Building 60%" for ever.
        build.reap_stalled_builds(report.pk)
        report = _report(request, intervention, pk)
    # Still running after that: a live worker is recording its PDF (its row locked).
    building = report.is_building or report.build_state == BuildState.RUNNING
    context = {
        "intervention": report.intervention,
        "section": "reports",
        "crumbs": _register_crumbs(report.intervention),
        "report": report,
        "can_edit": can.can_edit(request.user, report),
        "can_share": can.can_share(request.user, report),
        "building": building,
        "checksum_ok": report.verify_checksum(),
        "status_colours": REPORT_STATUS_TAG_COLOURS,
        "build_colours": BUILD_STATE_TAG_COLOURS,
        "sections": [(title, report.commentary_for(key)) for key, title in SECTIONS[report.kind]],
        "judgements": [
            (theme.name, report.judgement_for(theme.slug)) for theme in Theme.objects.all()
        ]
        if report.kind == ReportKind.STOCKTAKE
        else [],
    }
    response = render(request, "reports/report_detail.html", context)
    if building:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@intervention_page
def report_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    report = _report(request, intervention, pk)
    if not can.can_edit(request.user, report):
        raise PermissionDenied("This report cannot be changed.")
    form = ReportNarrativeForm(request.POST or None, instance=report)

    return versioned_edit(
        request,
        form,
        reason=lambda: form.cleaned_data["reason"],
        message="Report updated.",
        done=report.get_absolute_url(),
        page=lambda stale: render(
            request,
            "reports/report_edit.html",
            {
                "intervention": report.intervention,
                "section": "reports",
                "crumbs": _register_crumbs(
                    report.intervention, (report.title, report.get_absolute_url())
                ),
                "report": report,
                "form": form,
                "stale": stale,
            },
        ),
    )


@intervention_page
def report_preview(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The report's HTML, exactly as the PDF is printed from it."""
    report = _report(request, intervention, pk)
    if report.issued_elsewhere:
        # Stocktake did not make it: a page built from the record would not be that report.
        raise Http404("A report issued outside Stocktake has no preview.")
    context = report_context(report)
    context["preview_back_url"] = report.get_absolute_url()
    context["sources_url"] = _sources_url(report)
    return HttpResponse(pdf.render_html(report, context))


def _sources_url(report: Report) -> str:
    """The start of the address of a source's version page: kind/id/version/ follow."""
    return reverse(
        "reports:report_sources", kwargs={"slug": report.intervention.slug, "pk": report.pk}
    )


def _report_sources(report: Report) -> list[dict[str, Any]]:
    """The sources of the report: as stored with its PDF once issued; for a draft, as it
    would be built now (the preview's)."""
    if report.is_final:
        return list(report.sources or [])
    return provenance.as_data(report_context(report)["sources"])


@intervention_page
def report_sources(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The records behind the report, part by part, as a page; `?_export=csv` downloads
    them. For an issued report, the list kept with it and the check of its SHA-256."""
    report = _report(request, intervention, pk)
    if report.issued_elsewhere:
        raise Http404("A report issued outside Stocktake was not built from the record.")
    parts = _report_sources(report)
    refused = refuse_unknown_format(request)
    if refused is not None:
        return refused
    export_format = requested_format(request)
    if export_format is not None:
        rows = [
            [
                part["number"],
                part["title"],
                source["label"],
                source["id"],
                source["version"],
                datetime.datetime.fromisoformat(source["recorded_at"]),
                source["by"],
                source["title"],
            ]
            for part in parts
            for source in part["sources"]
        ]
        header = ["Part", "Title", "Record", "Number", "Version", "Recorded", "By", "Words"]
        return export_response(
            header, rows, export_format, f"report-{report.pk}-sources", title="Sources"
        )
    stored_ok = (
        provenance.checksum(parts) == report.sources_sha256 if report.sources_sha256 else None
    )
    shown = [
        {
            **part,
            "sources": [
                {**source, "recorded": datetime.datetime.fromisoformat(source["recorded_at"])}
                for source in part["sources"]
            ],
        }
        for part in parts
    ]
    context = {
        "intervention": intervention,
        "section": "reports",
        "crumbs": _register_crumbs(intervention, (str(report), report.get_absolute_url())),
        "report": report,
        "parts": shown,
        "total": sum(len(part["sources"]) for part in parts),
        "stored_ok": stored_ok,
        "sources_url": _sources_url(report),
    }
    return render(request, "reports/report_sources.html", context)


@intervention_page
def source_version(
    request: HttpRequest,
    intervention: Intervention,
    pk: int,
    kind: str,
    record_id: int,
    version: int,
) -> HttpResponse:
    """One version of one record behind the report, as it was recorded: each of its fields,
    when and by whom, and whether the record has changed since. Only the versions the report
    read are shown (404 for any other), to those who may read the report."""
    report = _report(request, intervention, pk)
    if report.issued_elsewhere:
        raise Http404("A report issued outside Stocktake was not built from the record.")
    model = provenance.model_of(kind)
    if model is None or not provenance.listed(_report_sources(report), kind, record_id, version):
        raise Http404("This report did not read that record.")
    history: Any = model.history  # type: ignore[attr-defined]  # added by simple-history
    record = get_object_or_404(
        history.select_related("history_user"), history_id=version, id=record_id
    )
    if provenance.intervention_of(model, record) != intervention.pk:
        raise Http404("That record is not of this intervention.")
    later = history.filter(id=record_id, history_date__gt=record.history_date).order_by(
        "history_date"
    )
    current = model._default_manager.filter(pk=record_id).first()
    user = record.history_user
    context = {
        "intervention": intervention,
        "section": "reports",
        "crumbs": _register_crumbs(
            intervention,
            (str(report), report.get_absolute_url()),
            ("Sources", _sources_url(report)),
        ),
        "report": report,
        "record": record,
        "label": str(model._meta.verbose_name).capitalize(),
        "title": provenance.title_of(record),
        "fields": provenance.version_fields(model, record, intervention.words),
        "by": (user.get_full_name() or user.get_username()) if user else "",
        "reason": getattr(record, "history_change_reason", "") or "",
        "later": later.count(),
        "latest": later.last(),
        "current_url": _url_of(current),
        "deleted": current is None,
    }
    return render(request, "reports/source_version.html", context)


def _url_of(obj: Any) -> str:
    try:
        return str(obj.get_absolute_url()) if obj is not None else ""
    except (AttributeError, NoReverseMatch):
        return ""


@require_POST
@intervention_page
def report_build(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """Start building the draft PDF in the background; the report's page shows progress."""
    report = _report(request, intervention, pk)
    if not can.can_edit(request.user, report):
        raise PermissionDenied("This report cannot be rebuilt.")
    _queue(request, report)
    return redirect(report.get_absolute_url())


def _queue(request: HttpRequest, report: Report, issuing_by: Any = None) -> bool:
    """Claim the report's one build (refused while another waits or runs) and queue it."""
    try:
        token = build.claim_build(report, issuing_by=issuing_by)
    except build.BuildRefused:
        messages.info(request, "The PDF is already being built. Wait for it to finish.")
        return False
    except ReportIssued:
        messages.error(request, "This report has already been issued.")
        return False
    try:
        result = build_report_pdf.enqueue(report.pk, token)
    except Exception:
        # Queueing failed (e.g. the task table is unreachable): log it, tell the user.
        logger.exception("Could not queue the build of report %s", report.pk)
        build.give_up(report.pk, token, "The build could not be queued.")
        messages.error(request, "The PDF could not be built. Try again, or tell an administrator.")
        return False
    build.record_task(report.pk, token, str(result.id))
    return True


@intervention_page
def report_download(request: HttpRequest, intervention: Intervention, pk: int) -> FileResponse:
    """The report's stored PDF, to those who may read the report."""
    report = _report(request, intervention, pk)
    if not report.pdf:
        raise Http404("This report has no PDF yet.")
    response = stored_file_response(report.pdf, report.pdf_filename, "application/pdf")
    if report.sha256:
        response["X-Checksum-SHA256"] = report.sha256
    return response


@intervention_page
def report_docx(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The report as a Word working copy, to those who may read the report: made now from
    the same context as its PDF (an issued report's from the record as it was issued), and
    saying on its first page that the PDF is the record."""
    report = _report(request, intervention, pk)
    if report.issued_elsewhere:
        # Stocktake did not make it: a document built from the record would not be that report.
        raise Http404("A report issued outside Stocktake has no Word copy.")
    response = HttpResponse(word.render_docx(report), content_type=word.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{word.docx_filename(report)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@intervention_page
def report_finalise(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """Confirm, then issue the report: its PDF is built once more, stored with its checksum,
    and never changes again."""
    report = _report(request, intervention, pk)
    if not can.can_edit(request.user, report):
        raise PermissionDenied("This report cannot be issued by you, or has been issued.")
    if request.method == "POST":
        # Issuing prints the report once more: a task, like any build, and refused while one
        # is under way.
        if _queue(request, report, issuing_by=request.user):
            report.refresh_from_db()
            if report.is_final:
                messages.success(request, f"Issued: {report.title}")
            else:
                messages.info(request, "Issuing: the final PDF is being built.")
        return redirect(report.get_absolute_url())
    return render(
        request,
        "reports/report_finalise.html",
        {
            "intervention": report.intervention,
            "section": "reports",
            "crumbs": _register_crumbs(
                report.intervention, (report.title, report.get_absolute_url())
            ),
            "report": report,
        },
    )


@require_POST
@intervention_page
def report_share(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The improvement team lets council officers read an issued report, or stops them."""
    report = _report(request, intervention, pk)
    if not can.can_share(request.user, report):
        raise PermissionDenied
    report.shared_with_officers = request.POST.get("shared") == "yes"
    reason = (
        "Shared with officers" if report.shared_with_officers else "No longer shared with officers"
    )
    set_change_reason(report, reason)
    report.save()
    messages.success(request, reason)
    return redirect(report.get_absolute_url())


# ------------------------------------------------------------ reports issued outside Stocktake


def _record_history(report: Report) -> list[dict]:
    """The record's history, newest first: when, who, the reason given and what changed."""
    records = list(report.history.select_related("history_user").order_by("history_id"))
    entries = []
    for index, record in enumerate(records):
        previous = records[index - 1] if index else None
        user = record.history_user
        entries.append(
            {
                "when": record.history_date,
                "who": (user.get_full_name() or user.get_username()) if user else "",
                "reason": record.history_change_reason or "",
                "changes": [] if previous is None else changes(record, previous),
                "created": previous is None,
            }
        )
    return entries[::-1]


def _issued_elsewhere_detail(request: HttpRequest, report: Report) -> HttpResponse:
    return render(
        request,
        "reports/report_issued_elsewhere.html",
        {
            "intervention": report.intervention,
            "section": "reports",
            "crumbs": _register_crumbs(report.intervention),
            "report": report,
            "can_correct": can.can_correct(request.user, report),
            "can_share": can.can_share(request.user, report),
            "history": _record_history(report),
        },
    )


@intervention_page
def report_record_issued(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """The improvement team records a report that was issued outside Stocktake."""
    if not can.can_record_issued_elsewhere(request.user, intervention):
        raise PermissionDenied("Only the improvement team records reports issued elsewhere.")
    record = Report(intervention=intervention, issued_elsewhere=True, status=ReportStatus.FINAL)
    form = ReportIssuedElsewhereForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        set_change_reason(report, "Recorded as issued outside Stocktake")
        report.save()
        messages.success(request, f"Recorded: {report.title}")
        return redirect(report.get_absolute_url())
    return render(
        request,
        "reports/report_record_issued.html",
        {
            "intervention": intervention,
            "section": "reports",
            "crumbs": _register_crumbs(intervention),
            "form": form,
        },
    )


@intervention_page
def report_correct(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The improvement team corrects the record of a report issued outside Stocktake, giving
    a reason; someone else's correction saved meanwhile is shown, not overwritten."""
    report = _report(request, intervention, pk)
    if not report.issued_elsewhere:
        raise Http404("Only the record of a report issued outside Stocktake is corrected.")
    if not can.can_correct(request.user, report):
        raise PermissionDenied("Only the improvement team corrects this record.")
    # Validating the form writes the input onto the object: name it as it is stored.
    crumbs = _register_crumbs(report.intervention, (report.title, report.get_absolute_url()))
    stored_title = report.title
    form = ReportCorrectionForm(request.POST or None, instance=report)

    return versioned_edit(
        request,
        form,
        reason=lambda: form.cleaned_data["reason"],
        message="Record corrected.",
        done=report.get_absolute_url(),
        page=lambda stale: render(
            request,
            "reports/report_correct.html",
            {
                "intervention": report.intervention,
                "section": "reports",
                "crumbs": crumbs,
                "report": report,
                "stored_title": stored_title,
                "form": form,
                "stale": stale,
            },
        ),
    )


@intervention_page
def report_unstyled(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """Issued reports whose PDF was printed without its stylesheet (no cover page, running
    header or page numbers), each with a way to reissue it as a corrected copy."""
    if not can.can_record_issued_elsewhere(request.user, intervention):
        raise PermissionDenied("Only the improvement team reissues reports.")
    issued = (
        Report.objects.issued()
        .filter(intervention=intervention, issued_elsewhere=False)
        .exclude(pdf="")
        .select_related("finalised_by", "intervention")
        .prefetch_related("corrected_copies")
        .order_by("-finalised_at")
    )
    return render(
        request,
        "reports/report_unstyled.html",
        {
            "intervention": intervention,
            "section": "reports",
            "crumbs": _register_crumbs(intervention),
            "reports": [r for r in issued if build.printed_without_stylesheet(r)],
        },
    )


@require_POST
@intervention_page
def report_reissue(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """Reissue an issued report printed without its stylesheet as a corrected copy: a new
    report, issued as a task, that names the original; the original keeps its PDF and
    checksum."""
    original = _report(request, intervention, pk)
    if not can.can_share(request.user, original):
        raise PermissionDenied("Only the improvement team reissues reports.")
    if not original.is_final or not build.printed_without_stylesheet(original):
        messages.info(request, "This report's PDF has its stylesheet: there is nothing to correct.")
        return redirect(original.get_absolute_url())
    try:
        copy = build.start_corrected_copy(original)
    except build.BuildRefused:
        messages.info(request, "This report already has a corrected copy.")
        return redirect(original.get_absolute_url())
    _queue(request, copy, issuing_by=request.user)
    copy.refresh_from_db()
    if copy.is_final:
        messages.success(request, f"Reissued as a corrected copy: {copy.title}")
    return redirect(copy.get_absolute_url())
