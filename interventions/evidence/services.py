"""Evidence and challenge: the files and links behind a reported status, and the comments and
challenges of the oversight (Envoys, Commissioners …), Board members and officers.

Uploads are checked here, not in the browser: the extension must be one we accept, the content
must really be of that kind (its first bytes, never the browser's content type), and the size
must be within `settings.EVIDENCE_MAX_BYTES`. The stored name is the evidence's uuid under its
intervention's folder in `settings.EVIDENCE_ROOT`; the uploaded name is only kept, cleaned, to
show and to name the download.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Prefetch
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from interventions.access import permissions
from interventions.choices import CommentKind, EvidenceKind
from interventions.evidence.forms import CommentForm
from interventions.models import Comment, Evidence, Milestone, Programme
from interventions.models.base import set_change_reason

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

# The first bytes each kind of file starts with. Office Open XML and OpenDocument files are
# ZIP archives.
PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = b"PK\x03\x04"
SIGNATURES: dict[str, bytes] = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".pptx": ZIP,
    ".odt": ZIP,
    ".ods": ZIP,
}
# Plain text kinds have no signature: they must decode as UTF-8 and hold no NUL bytes.
TEXT_EXTENSIONS = {".csv", ".txt"}

# history_change_reason is a CharField(max_length=100).
REASON_MAX_LENGTH = 100


def size_text(size: int) -> str:
    """A size as people read it: "20.0 MB" (with an ordinary space, for messages)."""
    return filesizeformat(size).replace("\xa0", " ")


def accepted_extensions() -> list[str]:
    return sorted(settings.EVIDENCE_TYPES)


def clean_filename(name: str) -> str:
    """The uploaded name made safe to show and to offer as a download name: its last path
    part only, without control characters or anything a header or a shell would treat
    specially. It never decides where the file is stored."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[<>:\"|?*;'`$%]", "_", name).strip(" ").rstrip(".")
    if name.startswith("."):  # no hidden files, and ".pdf" keeps its extension
        name = f"evidence{name}"
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext)] + ext
    return name


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _is_utf8_text(upload: UploadedFile) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        for chunk in upload.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def _starts_with(upload: UploadedFile, signature: bytes) -> bool:
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    return head == signature


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The cleaned original name and the content type to store, or a ValidationError on the
    `file` field that says what is wrong."""
    name = clean_filename(upload.name or "")
    extension = _extension(name)
    types = settings.EVIDENCE_TYPES
    if extension not in types:
        raise ValidationError(
            {
                "file": "The selected file must be a "
                + ", ".join(ext.lstrip(".").upper() for ext in accepted_extensions()[:-1])
                + " or "
                + accepted_extensions()[-1].lstrip(".").upper()
            },
            code="extension",
        )
    if not upload.size:
        raise ValidationError({"file": "The selected file is empty"}, code="empty")
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {"file": f"The selected file must be {size_text(limit)} or smaller"},
            code="too_large",
        )
    kind = extension.lstrip(".").upper()
    if extension in TEXT_EXTENSIONS:
        matches = _is_utf8_text(upload)
    else:
        matches = _starts_with(upload, SIGNATURES[extension])
    if not matches:
        raise ValidationError(
            {"file": f"The selected file is not really a {kind} file: its content does not match"},
            code="content",
        )
    return name or f"evidence{extension}", types[extension]


def check_url(url: str) -> str:
    """Links must be web addresses (http or https), never javascript:, data: or file:."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {"url": "Enter a web address that starts with http:// or https://"}, code="url"
        ) from None
    return url


def _reason(title: str) -> str:
    return Truncator(f"Evidence added: {title}").chars(REASON_MAX_LENGTH)


def _check_scope(programme: Programme, milestone: Milestone | None) -> None:
    if milestone is not None and milestone.programme_id != programme.pk:
        raise ValueError("The milestone is not part of the programme.")


def add_file(
    *,
    programme: Programme,
    title: str,
    upload: UploadedFile,
    by: User,
    milestone: Milestone | None = None,
) -> Evidence:
    """Check an upload and store it as evidence. Nothing is written if a check fails."""
    _check_scope(programme, milestone)
    original_name, content_type = check_upload(upload)
    evidence = Evidence(
        intervention_id=programme.intervention_id,
        programme=programme,
        milestone=milestone,
        uuid=uuid.uuid4(),
        kind=EvidenceKind.FILE,
        title=title,
        original_name=original_name,
        content_type=content_type,
        size=upload.size,
        added_by=by,
    )
    set_change_reason(evidence, _reason(title))
    save_with_file(evidence, evidence.file, upload)
    return evidence


def save_with_file(obj: models.Model, field_file: FieldFile, upload: File) -> None:
    """Store the upload in the row's file field and save the row; if the row cannot be saved,
    the stored file goes too, so no file is left that no row names. The field's upload_to
    names the file (e.g. "<intervention>/<uuid>"): the uploaded name plays no part."""
    upload.seek(0)
    field_file.save("upload", upload, save=False)
    try:
        with transaction.atomic():
            obj.save()
    except BaseException:
        if field_file.name is not None:  # it is: `save` above named the file
            field_file.storage.delete(field_file.name)
        raise


def add_link(
    *,
    programme: Programme,
    title: str,
    url: str,
    by: User,
    milestone: Milestone | None = None,
) -> Evidence:
    """Record a link (to a published paper, a SharePoint page…) as evidence."""
    _check_scope(programme, milestone)
    evidence = Evidence(
        intervention_id=programme.intervention_id,
        programme=programme,
        milestone=milestone,
        uuid=uuid.uuid4(),
        kind=EvidenceKind.LINK,
        title=title,
        url=check_url(url),
        added_by=by,
    )
    set_change_reason(evidence, _reason(title))
    evidence.save()
    return evidence


def add_comment(
    *,
    programme: Programme,
    kind: str,
    text: str,
    by: User,
    milestone: Milestone | None = None,
) -> Comment:
    """Record a challenge or comment. Comments are part of the record: never edited."""
    _check_scope(programme, milestone)
    comment = Comment(programme=programme, milestone=milestone, kind=kind, text=text, author=by)
    set_change_reason(comment, f"{comment.get_kind_display()} added")
    comment.save()
    return comment


class ThreadRefused(Exception):
    """A reply or resolution that cannot be made; the message says why, in plain words."""


def reply_to_challenge(*, challenge: Comment, text: str, by: User) -> Comment:
    """Add a reply to a challenge's thread. A reply by someone who may answer it answers it
    (the first such reply is the answer, who and when kept on the challenge); the
    challenger's reply to an answered challenge asks again, so it awaits a new answer.
    A resolved challenge takes no more replies: raise a new one."""
    with transaction.atomic():
        challenge = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("programme__intervention", "milestone")
            .get(pk=challenge.pk)
        )
        if not challenge.is_challenge:
            raise ThreadRefused("Only a challenge can be answered.")
        if challenge.resolved_at is not None:
            raise ThreadRefused(
                "This challenge was resolved while you were writing: it takes no more replies. "
                "Add a new challenge if there is more to ask."
            )
        if not permissions.can_reply(by, challenge):
            raise ThreadRefused("You cannot reply to this challenge.")
        reply = Comment(
            programme=challenge.programme,
            milestone=challenge.milestone,
            kind=CommentKind.COMMENT,
            text=text,
            author=by,
            parent=challenge,
        )
        set_change_reason(reply, "Reply to a challenge")
        reply.save()
        answers = permissions.can_answer(by, challenge)
        if answers and challenge.answered_at is None and by.pk != challenge.author_id:
            challenge.answered_by = by
            challenge.answered_at = reply.created
            set_change_reason(challenge, "Challenge answered")
            challenge.save(update_fields=["answered_by", "answered_at", "updated"])
        elif by.pk == challenge.author_id and challenge.answered_at is not None:
            challenge.answered_by = None
            challenge.answered_at = None
            set_change_reason(challenge, "Challenge asked again")
            challenge.save(update_fields=["answered_by", "answered_at", "updated"])
    return reply


def resolve_challenge(*, challenge: Comment, by: User, note: str = "") -> Comment:
    """Mark a challenge resolved (with a closing note in its thread, if one is given).
    Resolving twice is refused, naming who resolved it first."""
    with transaction.atomic():
        challenge = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("programme__intervention", "milestone", "resolved_by")
            .get(pk=challenge.pk)
        )
        if not challenge.is_challenge:
            raise ThreadRefused("Only a challenge can be resolved.")
        if challenge.resolved_at is not None:
            who = challenge.resolved_by
            name = (who.get_full_name() or who.get_username()) if who else "someone"
            raise ThreadRefused(
                f"This challenge was already resolved by {name} on "
                f"{timezone.localtime(challenge.resolved_at):%d %b %Y}."
            )
        if not permissions.can_resolve(by, challenge):
            raise ThreadRefused("You cannot resolve this challenge.")
        if note.strip():
            reply = Comment(
                programme=challenge.programme,
                milestone=challenge.milestone,
                kind=CommentKind.COMMENT,
                text=note,
                author=by,
                parent=challenge,
            )
            set_change_reason(reply, "Reply to a challenge")
            reply.save()
        challenge.resolved_by = by
        challenge.resolved_at = timezone.now()
        set_change_reason(challenge, "Challenge resolved")
        challenge.save(update_fields=["resolved_by", "resolved_at", "updated"])
    return challenge


def _urls(programme: Programme, milestone: Milestone | None) -> tuple[str, str]:
    slug = programme.intervention.slug
    if milestone is None:
        kwargs: dict[str, Any] = {"slug": slug, "number": programme.number}
        return (
            reverse("interventions:programme_evidence_add", kwargs=kwargs),
            reverse("interventions:programme_comment_add", kwargs=kwargs),
        )
    kwargs = {"slug": slug, "pk": milestone.pk}
    return (
        reverse("interventions:milestone_evidence_add", kwargs=kwargs),
        reverse("interventions:milestone_comment_add", kwargs=kwargs),
    )


def evidence_context(
    request: HttpRequest, programme: Programme, milestone: Milestone | None = None
) -> dict[str, Any]:
    """What `includes/evidence_list.html` and `includes/comments.html` need on a programme's
    page (its own and its milestones' evidence and comments) or a milestone's page.

    Queries: the evidence (with who added it and its milestone), the comments (with their
    authors and milestones), whether the user may update, and whether they may comment.
    `programme.intervention` should already be loaded (the detail views select it).
    """
    evidence = Evidence.objects.filter(programme=programme).select_related(
        "added_by", "milestone__programme"
    )
    comments = (
        Comment.objects.filter(programme=programme, parent__isnull=True)
        .select_related("author", "milestone__programme", "answered_by", "resolved_by")
        .prefetch_related(
            Prefetch(
                "replies",
                Comment.objects.select_related("author").order_by("created", "pk"),
            )
        )
    )
    if milestone is not None:
        evidence = evidence.filter(milestone=milestone)
        comments = comments.filter(milestone=milestone)
        can_update = permissions.can_update_milestone(request.user, milestone)
    else:
        can_update = permissions.can_update_programme(request.user, programme)
    can_comment = permissions.can_comment(request.user, programme.intervention)
    evidence_add_url, comment_add_url = _urls(programme, milestone)
    threads = list(comments.order_by("created", "pk"))
    _mark_who_may_act(request.user, programme, threads, can_update)
    return {
        "evidence": list(evidence),
        "comments": threads,
        "evidence_on_milestone": milestone is not None,
        "can_update": can_update,
        "can_comment": can_comment,
        "evidence_add_url": evidence_add_url,
        "comment_add_url": comment_add_url,
        "comment_form": CommentForm() if can_comment else None,
    }


def _mark_who_may_act(
    user: User | AnonymousUser, programme: Programme, threads: list[Comment], owns: bool
) -> None:
    """Set `may_reply` and `may_resolve` on each open challenge of a page, for its thread's
    forms: the rules of `permissions.can_answer` and `can_resolve`, worked out for the whole
    page in at most two queries, whatever the number of challenges. `owns`: the user may
    update everything the page shows (the programme, or the milestone on its own page)."""
    challenges = [c for c in threads if c.is_challenge and c.resolved_at is None]
    if not challenges:
        return
    team = permissions.is_improvement_team_of(user, programme.intervention)
    editable: set[int] = set()
    if not owns and any(c.milestone_id for c in challenges):
        editable = set(
            permissions.milestones_editable_by(user)
            .filter(programme=programme)
            .values_list("pk", flat=True)
        )
    for challenge in challenges:
        mine = user.is_authenticated and challenge.author_id == user.pk
        answers = owns or challenge.milestone_id in editable
        challenge.may_resolve = mine or team  # type: ignore[attr-defined]  # for the page
        challenge.may_reply = mine or team or answers  # type: ignore[attr-defined]
