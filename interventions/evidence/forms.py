"""Forms for adding evidence (a file or a link) and a challenge or comment.

The checks on an upload's type, content and size live in `interventions.evidence.services`, so that
every way of adding evidence applies them; these forms only ask the questions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from interventions.choices import CommentKind, EvidenceKind
from interventions.kit.forms import GovukErrorsMixin
from interventions.kit.widgets import GovukRadioSelect


class EvidenceForm(GovukErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What do you want to add?",
        choices=[(EvidenceKind.FILE, "Upload a file"), (EvidenceKind.LINK, "Add a link")],
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select whether you want to upload a file or add a link",
            "invalid_choice": "Select whether you want to upload a file or add a link",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="What the evidence shows, for example ‘Cabinet report, 12 March 2025’.",
        error_messages={
            "required": "Enter a title for the evidence",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload"}),
        error_messages={
            "empty": "The selected file is empty",
            "invalid": "Select a file to upload",
            "missing": "Select a file to upload",
            "max_length": "The selected file's name must be 255 characters or fewer",
        },
        max_length=255,
    )
    url = forms.CharField(
        label="Web address",
        required=False,
        max_length=500,
        help_text="Starting with https:// — for example, a published report or a SharePoint page.",
        widget=forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
        error_messages={"max_length": "Web address must be 500 characters or fewer"},
    )

    def __init__(self, *args: Any, accepted: list[str], max_size: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = ", ".join(ext.lstrip(".").upper() for ext in accepted)
        self.fields["file"].help_text = f"{kinds}; up to {max_size}."

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == EvidenceKind.FILE and not data.get("file") and "file" not in self.errors:
            self.add_error("file", ValidationError("Select a file to upload", code="required"))
        if kind == EvidenceKind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", ValidationError("Enter a web address", code="required"))
        return data


class CommentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Is this a challenge or a comment?",
        choices=CommentKind.choices,
        widget=GovukRadioSelect,
        help_text="A challenge asks the programme for an answer; a comment does not.",
        error_messages={
            "required": "Select whether this is a challenge or a comment",
            "invalid_choice": "Select whether this is a challenge or a comment",
        },
    )
    text = forms.CharField(
        label="Your challenge or comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Comments cannot be edited or deleted once added: they are part of the record.",
        error_messages={"required": "Enter your challenge or comment"},
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Replies cannot be edited or deleted once added: they are part of the record.",
        error_messages={"required": "Enter your reply"},
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label="Closing note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the answer settles the challenge. It is added to the thread.",
    )
