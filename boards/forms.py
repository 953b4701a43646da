"""Forms the Board's secretariat and the council's officers use."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from boards.choices import (
    ActionStatus,
    AttendanceStatus,
    MeetingStatus,
    RecommendationSource,
    RecommendationStatus,
)
from boards.models import Action, AgendaItem, Meeting, Paper, Recommendation
from boards.services import AttendanceEntry, StaleAttendance, default_response_due
from directions.models import Direction
from interventions.evidence.services import accepted_extensions, size_text
from interventions.kit.forms import GovukErrorsMixin, VersionedForm, field_of
from interventions.kit.lists import person_name
from interventions.kit.widgets import DateInput, GovukCheckboxes, GovukRadioSelect
from interventions.models import Intervention, Milestone, Person, Programme

DATE = DateInput()
TIME = forms.TimeInput(
    attrs={"type": "time", "class": "govuk-input govuk-input--width-5"}, format="%H:%M"
)
REASON_HELP = "Shown in the history beside your change."


def people_of(intervention: Intervention) -> Any:
    return Person.objects.filter(intervention=intervention).exclude(name="")


def directions_of(intervention: Intervention) -> Any:
    return Direction.objects.filter(direction_set__intervention=intervention).select_related(
        "parent"
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return str(obj)


class MeetingCreateForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "start_time", "kind", "title"]
        widgets = {"date": DATE, "start_time": TIME, "kind": GovukRadioSelect}
        labels = {"start_time": "Start time"}
        help_texts = {"title": "For example, ‘Quarterly delivery report’."}

    def __init__(self, *args: Any, board: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.board = board

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if Meeting.objects.filter(board=self.board, date=date).exists():
            raise ValidationError("The board already has a meeting on that date")
        return date


class MeetingForm(VersionedForm):
    published = forms.TypedChoiceField(
        label="Publish the public papers?",
        help_text="Public papers, the agenda and (once approved) the minutes then appear on the "
        "public pages. Exempt papers never do.",
        choices=[(True, "Yes"), (False, "No")],
        coerce=lambda value: value in (True, "True"),
        widget=GovukRadioSelect,
        error_messages={"required": "Select whether the papers are published"},
    )
    reason = forms.CharField(
        label="Reason for the change (optional)",
        required=False,
        max_length=100,
        help_text=REASON_HELP,
    )

    class Meta:
        model = Meeting
        fields = [
            "date",
            "start_time",
            "kind",
            "title",
            "status",
            "published",
            "summary",
            "decisions",
            "minutes",
        ]
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "kind": GovukRadioSelect,
            "status": GovukRadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
        }
        labels = {"start_time": "Start time"}
        help_texts = {
            "minutes": "Shown on the public pages only once the status is ‘Minutes approved’.",
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        date, status = data.get("date"), data.get("status")
        if (
            date
            and Meeting.objects.filter(board_id=self.instance.board_id, date=date)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("date", "The board already has a meeting on that date")
        held = {MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED}
        if status in held and date and date > timezone.localdate():
            self.add_error("status", "A meeting cannot have been held on a date still to come")
        if status == MeetingStatus.MINUTES_APPROVED and not data.get("minutes", "").strip():
            self.add_error("minutes", "Enter the minutes the Board approved")
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["position", "title", "presenter", "programmes", "directions", "notes"]
        labels = {"position": "Item number"}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "programmes": GovukCheckboxes,
            "directions": GovukCheckboxes,
        }
        help_texts = {
            "programmes": "Select all that apply.",
            "directions": "Select all that apply.",
        }

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "presenter", forms.ModelChoiceField).queryset = people_of(intervention)
        field_of(self, "programmes", forms.ModelChoiceField).queryset = Programme.objects.filter(
            intervention=intervention
        )
        field_of(self, "directions", forms.ModelChoiceField).queryset = directions_of(intervention)


class PaperForm(GovukErrorsMixin, forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the paper's title"}
    )
    agenda_item = forms.ModelChoiceField(
        label="Agenda item (optional)", queryset=AgendaItem.objects.none(), required=False
    )
    file = forms.FileField(
        label="Upload the paper",
        widget=forms.FileInput(attrs={"class": "govuk-file-upload"}),
        error_messages={"required": "Select a file to upload", "empty": "The file is empty"},
    )
    publication = forms.ChoiceField(
        label="Can the paper be published?",
        choices=[("public", "Yes, it is public"), ("exempt", "No, it is exempt")],
        widget=GovukRadioSelect,
        error_messages={"required": "Select whether the paper is public or exempt"},
    )
    exemption_reason = forms.CharField(
        label="Why is it exempt? (if exempt)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the paragraph of Schedule 12A to the Local Government Act 1972 "
        "that applies.",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "agenda_item", forms.ModelChoiceField).queryset = meeting.agenda_items.all()
        kinds = ", ".join(ext.lstrip(".").upper() for ext in accepted_extensions())
        self.fields["file"].help_text = f"{kinds}; up to {size_text(settings.EVIDENCE_MAX_BYTES)}."

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("publication") == "exempt" and not data.get("exemption_reason", "").strip():
            self.add_error("exemption_reason", "Say why the paper is exempt")
        return data


class PaperEditForm(forms.ModelForm):
    """A paper's title, agenda item and whether it is public; the file itself is not replaced
    (add a new paper instead), so what was published stays what the history says."""

    publication = PaperForm.base_fields["publication"]

    class Meta:
        model = Paper
        fields = ["title", "agenda_item", "exemption_reason"]
        labels = {
            "agenda_item": "Agenda item (optional)",
            "exemption_reason": "Why is it exempt? (if exempt)",
        }
        widgets = {"exemption_reason": forms.Textarea(attrs={"rows": 3})}

    field_order = ["title", "agenda_item", "publication", "exemption_reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agenda_item = field_of(self, "agenda_item", forms.ModelChoiceField)
        agenda_item.queryset = self.instance.meeting.agenda_items.all()
        if not self.is_bound:
            self.initial["publication"] = "exempt" if self.instance.exempt else "public"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        exempt = data.get("publication") == "exempt"
        if exempt and not data.get("exemption_reason", "").strip():
            self.add_error("exemption_reason", "Say why the paper is exempt")
        return data

    def save(self, commit: bool = True) -> Paper:
        paper = super().save(commit=False)
        paper.exempt = self.cleaned_data["publication"] == "exempt"
        if not paper.exempt:
            paper.exemption_reason = ""
        if commit:
            paper.save()
        return paper


NOT_RECORDED = ""
ATTENDANCE_CHOICES = [*AttendanceStatus.choices, (NOT_RECORDED, "Not recorded")]


@dataclass
class AttendanceRow:
    """A line of the attendance form: the person, their role, and the names of its fields
    (`<key>-status`, `-note`, `-substitute_name`, `-substitute_role`, `-version`)."""

    key: str
    person: Person | None
    role: str
    member: bool
    form: forms.BaseForm

    def __getitem__(self, name: str) -> forms.BoundField:
        return self.form[f"{self.key}-{name}"]

    @property
    def status(self) -> forms.BoundField:
        return self["status"]

    @property
    def person_field(self) -> forms.BoundField:
        return self["person"]

    @property
    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("substitute_name", "substitute_role", "note")]

    @property
    def who(self) -> str:
        """Whom the row's fields are about, for the labels a screen reader hears."""
        if self.person is not None:
            return person_name(self.person)
        return str(self.form.fields[f"{self.key}-status"].label)


class AttendanceGridForm(GovukErrorsMixin, forms.Form):
    """The attendance of a whole meeting in one form: a row for each member of the board on
    the meeting's date and for each other person already recorded, with the version of
    their attendance the form was opened at; and a few empty rows to add someone else who
    attended (an officer, an adviser)."""

    EXTRA = 3

    def __init__(self, *args: Any, meeting: Meeting, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.rows: list[AttendanceRow] = []
        for line in lines:
            key = f"p{line.person.pk}"
            recorded = line.attendance
            name = person_name(line.person)
            self.fields[f"{key}-status"] = forms.ChoiceField(
                label=f"Attendance of {name}",
                choices=ATTENDANCE_CHOICES,
                required=False,
                widget=GovukRadioSelect,
                initial=recorded.status if recorded else NOT_RECORDED,
            )
            self._text_fields(key, recorded)
            self.fields[f"{key}-version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=0,
                required=False,  # missing: not recorded when the form was opened
                initial=recorded.version if recorded else 0,
            )
            self.rows.append(AttendanceRow(key, line.person, line.role, line.member, self))
        listed = [line.person.pk for line in lines]
        others = people_of(meeting.board.intervention).exclude(pk__in=listed).order_by("name")
        self.extra_rows: list[AttendanceRow] = []
        for number in range(1, self.EXTRA + 1):
            key = f"new{number}"
            self.fields[f"{key}-person"] = PersonChoice(
                label=f"Someone else who attended ({number})",
                queryset=others,
                required=False,
                empty_label="Choose a person",
            )
            self.fields[f"{key}-status"] = forms.ChoiceField(
                label=f"someone else who attended ({number})",
                choices=AttendanceStatus.choices,
                required=False,
                widget=GovukRadioSelect,
            )
            self._text_fields(key, None)
            self.extra_rows.append(AttendanceRow(key, None, "", False, self))

    @property
    def has_others(self) -> bool:
        return any(not row.member for row in self.rows)

    def carry_over(self, stale: StaleAttendance) -> None:
        """After a stale save, keep what the user entered but at the versions recorded now,
        so that saving again, after reading what changed, applies their answers on top."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        for person, row in stale.current.items():
            data[f"p{person.pk}-version"] = str(row.version if row else 0)
        self.data = data

    def _text_fields(self, key: str, recorded: Any) -> None:
        for field, label in (
            ("substitute_name", "Substitute's name, if one attended"),
            ("substitute_role", "Substitute's role (optional)"),
            ("note", "Note (optional)"),
        ):
            self.fields[f"{key}-{field}"] = forms.CharField(
                label=label,
                required=False,
                max_length=200,
                initial=getattr(recorded, field, "") if recorded else "",
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        chosen: set[int] = set()
        for row in [*self.rows, *self.extra_rows]:
            status = data.get(f"{row.key}-status")
            name = person_name(row.person) if row.person else "the person"
            if row.person is None:
                person = data.get(f"{row.key}-person")
                if person is None and status:
                    self.add_error(f"{row.key}-person", "Choose who attended")
                elif person is not None and not status:
                    self.add_error(
                        f"{row.key}-status", f"Select the attendance of {person_name(person)}"
                    )
                elif person is not None and person.pk in chosen:
                    self.add_error(
                        f"{row.key}-person", f"{person_name(person)} is listed more than once"
                    )
                if person is not None:
                    chosen.add(person.pk)
                    name = person_name(person)
            if (
                status == AttendanceStatus.SUBSTITUTE
                and not data.get(f"{row.key}-substitute_name", "").strip()
            ):
                self.add_error(
                    f"{row.key}-substitute_name",
                    f"Enter the name of the substitute who attended for {name}",
                )
        return data

    def entries(self) -> list[AttendanceEntry]:
        """What to record: every listed row, and each added row with a person."""
        data = self.cleaned_data
        entries = []
        for row in [*self.rows, *self.extra_rows]:
            person = row.person or data.get(f"{row.key}-person")
            if person is None:
                continue
            entries.append(
                AttendanceEntry(
                    person=person,
                    status=data.get(f"{row.key}-status") or NOT_RECORDED,
                    version=data.get(f"{row.key}-version") or 0,
                    note=data.get(f"{row.key}-note", ""),
                    substitute_name=data.get(f"{row.key}-substitute_name", ""),
                    substitute_role=data.get(f"{row.key}-substitute_role", ""),
                )
            )
        return entries


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["text", "owner", "due_on"]
        labels = {"text": "Action", "due_on": "Due on"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due_on": DATE}

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "owner", forms.ModelChoiceField).queryset = people_of(intervention)


class ActionStatusForm(VersionedForm):
    class Meta:
        model = Action
        fields = ["status"]
        widgets = {"status": GovukRadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "status", forms.ChoiceField).choices = ActionStatus.choices


class RecommendationForm(VersionedForm):
    reason = forms.CharField(
        label="Reason for the change (optional)",
        required=False,
        max_length=100,
        help_text=REASON_HELP,
    )

    class Meta:
        model = Recommendation
        fields = [
            "reference",
            "source",
            "meeting",
            "source_document",
            "title",
            "text",
            "made_on",
            "response_due",
            "owner",
            "directions",
            "programmes",
            "milestones",
        ]
        widgets = {
            "made_on": DATE,
            "response_due": DATE,
            "text": forms.Textarea(attrs={"rows": 6}),
            "source_document": forms.Textarea(attrs={"rows": 2}),
            "directions": GovukCheckboxes,
            "programmes": GovukCheckboxes,
            "milestones": GovukCheckboxes,
        }
        labels = {"meeting": "Board meeting (for a Board recommendation)", "made_on": "Made on"}
        help_texts = {
            "made_on": "The day it was made. Leave empty for a recommendation made at a Board "
            "meeting: it is the meeting's date.",
            "response_due": "Leave empty to use the intervention's rule. A date the rule gave "
            "moves with ‘Made on’; a date you type stays as you typed it.",
            "owner": "The officer who records the council's response.",
            "directions": "Select all that apply.",
            "programmes": "Select all that apply.",
            "milestones": "Select all that apply.",
        }

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        field_of(self, "source", forms.ChoiceField).choices = [
            ("", "---------"),
            *intervention.words.source_choices(RecommendationSource.choices),
        ]
        field_of(self, "meeting", forms.ModelChoiceField).queryset = Meeting.objects.filter(
            board__intervention=intervention
        ).select_related("board")
        field_of(self, "owner", forms.ModelChoiceField).queryset = people_of(intervention)
        field_of(self, "directions", forms.ModelChoiceField).queryset = directions_of(intervention)
        field_of(self, "programmes", forms.ModelChoiceField).queryset = Programme.objects.filter(
            intervention=intervention
        )
        field_of(self, "milestones", forms.ModelChoiceField).queryset = Milestone.objects.filter(
            programme__intervention=intervention
        )
        self.fields["milestones"].label = "Key activities"
        # Empty is allowed here: `clean` takes the meeting's date, or asks for one.
        self.fields["made_on"].required = False

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"]
        clash = Recommendation.objects.filter(intervention=self.intervention, reference=reference)
        if clash.exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another recommendation has that reference")
        return reference

    def clean(self) -> dict[str, Any]:
        """The day it was made comes from the form, else from its meeting, never from the
        clock; the day a response is due follows the rule unless it was typed by hand."""
        super().clean()
        data = self.cleaned_data
        if "made_on" not in data:
            return data  # not a date: its own error says so
        meeting: Meeting | None = data.get("meeting")
        made_on = data.get("made_on") or (meeting.date if meeting is not None else None)
        if made_on is None:
            self.add_error(
                "made_on",
                "Enter the date the recommendation was made, or choose the Board meeting it "
                "was made at",
            )
            return data
        if made_on > timezone.localdate():
            self.add_error("made_on", "The date it was made cannot be in the future")
            return data
        responded_on = self.instance.responded_on
        if responded_on is not None and made_on > responded_on:
            self.add_error(
                "made_on",
                f"The date it was made cannot be after the council's response of "
                f"{responded_on.day} {responded_on:%B %Y}",
            )
            return data
        data["made_on"] = made_on
        if "response_due" in data:
            data["response_due"] = self.response_due(made_on, meeting, data["response_due"])
        return data

    def response_due(
        self, made_on: datetime.date, meeting: Meeting | None, typed: datetime.date | None
    ) -> datetime.date:
        """The due date to save. Empty: the rule's, from the day it was made. Unchanged while
        its basis (the day it was made, the meeting) changed: the rule's again, if the old
        date was the rule's for the old basis; a date that was typed by hand is kept."""
        board = meeting.board if meeting is not None else None
        if typed is None:
            return default_response_due(self.intervention, made_on, board)
        before = self.instance
        if before.pk is None or typed != before.response_due:
            return typed
        if made_on == before.made_on and before.meeting_id == (meeting and meeting.pk):
            return typed
        old_board = before.meeting.board if before.meeting is not None else None
        if typed == default_response_due(self.intervention, before.made_on, old_board):
            return default_response_due(self.intervention, made_on, board)
        return typed


class NewRecommendationForm(RecommendationForm):
    """A new recommendation has no version yet."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]


class ResponseForm(VersionedForm):
    class Meta:
        model = Recommendation
        fields = ["response", "status", "responded_on"]
        widgets = {
            "response": forms.Textarea(attrs={"rows": 8}),
            "status": GovukRadioSelect,
            "responded_on": DATE,
        }
        labels = {"response": "The council's response", "responded_on": "Responded on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["response"].required = True
        self.fields["response"].error_messages["required"] = "Enter the council's response"
        self.fields["responded_on"].required = True
        self.fields["responded_on"].error_messages["required"] = "Enter the date of the response"
        field_of(self, "status", forms.ChoiceField).choices = [
            choice for choice in RecommendationStatus.choices if choice[0] != "open"
        ]

        made_on = self.instance.made_on
        self.fields["responded_on"].help_text = (
            f"The day the council responded: any day from {made_on.day} {made_on:%B %Y}, when "
            "the recommendation was made, to today."
        )
        if not self.is_bound and self.instance.responded_on is None:
            # A response being recorded was usually made by now; the hint says it may be
            # any earlier day.
            self.initial["responded_on"] = timezone.localdate()

    def clean_responded_on(self) -> Any:
        day = self.cleaned_data["responded_on"]
        if day and day < self.instance.made_on:
            made_on = self.instance.made_on
            raise ValidationError(
                "The response cannot be before the recommendation was made "
                f"({made_on.day} {made_on:%B %Y})"
            )
        if day and day > timezone.localdate():
            raise ValidationError("The date of the response cannot be in the future")
        return day


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    published_on = forms.DateField(
        label="Published on",
        widget=DATE,
        error_messages={
            "required": "Enter the date the response was published",
            "invalid": "Enter the date the response was published as a real date",
        },
    )

    def clean_published_on(self) -> Any:
        day = self.cleaned_data["published_on"]
        if day > timezone.localdate():
            raise ValidationError("The date it was published cannot be in the future")
        return day
