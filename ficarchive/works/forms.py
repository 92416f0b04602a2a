"""The posting forms, in AO3's field order and with AO3's labels. Forms only parse: the
services validate and write, and their ValidationError dicts are shown next to the fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.models import Pseud, User
from ficarchive.tags.services import split_tag_list
from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating

from . import limits
from .models import CommentPermission
from .services import ChapterInput, WorkMeta
from .text import decode_text

TEXT_FORMATS = [
    ("auto", _("Detect automatically")),
    ("html", _("Rich text (HTML)")),
    ("text", _("Plain text")),
    ("markdown", _("Markdown")),
]
# An upload's format under "Detect automatically": the one the importer gives the same suffix.
UPLOAD_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


def _named(choices: Any) -> list[tuple[str, str]]:
    """The vocabulary as AO3 spells it, value and label alike ("F/M", not "Fm")."""
    return [(value, value) for value in choices.values]


def _tag_input(kind: str, label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"data-autocomplete": kind, "autocomplete": "off"}),
    )


class ChapterFieldsMixin(forms.Form):
    """Chapter text, its format, and an optional uploaded file instead of pasting."""

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise ValidationError(_("Upload a .txt, .md or .html file."))
        if upload.size > settings.FICARCHIVE_MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is too large."))
        # .txt, .md and .html: their size is the text's size, known before reading.
        if upload.size > limits.import_text_max():
            raise ValidationError(
                _(
                    "The file is %(size).1f MB; a chapter file may hold at most %(max).1f MB. "
                    "Split it into several chapters."
                )
                % {"size": upload.size / 1_048_576, "max": limits.import_text_max() / 1_048_576}
            )
        return upload

    def chapter_body(self) -> tuple[str, str]:
        """The work text and its format: the uploaded file when there is one."""
        upload = self.cleaned_data.get("upload")
        if upload:
            suffix = Path(upload.name).suffix.lower()
            text = decode_text(upload.read())
            fmt = self.cleaned_data.get("text_format") or "auto"
            return text, (UPLOAD_SUFFIXES[suffix] if fmt == "auto" else fmt)
        return self.cleaned_data.get("body", ""), self.cleaned_data.get("text_format") or "auto"


class WorkForm(ChapterFieldsMixin):
    """AO3's "Post New Work" form: tags, preface, associations, privacy, work text."""

    pseuds = forms.ModelMultipleChoiceField(
        queryset=Pseud.objects.none(),
        required=False,
        label=_("Creator/Pseud(s)"),
        widget=forms.CheckboxSelectMultiple,
    )
    rating = forms.ChoiceField(
        label=_("Rating"), choices=[("", _("Choose a rating")), *_named(Rating)], required=False
    )
    warnings = forms.MultipleChoiceField(
        label=_("Archive Warnings"),
        choices=_named(ArchiveWarning),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fandoms = _tag_input("fandom", _("Fandoms"), _("Separate fandoms with commas."))
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=_named(Category),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    relationships = _tag_input(
        "relationship", _("Relationships"), _("A/B for romantic or sexual, A & B for platonic.")
    )
    characters = _tag_input("character", _("Characters"))
    freeforms = _tag_input("freeform", _("Additional Tags"))
    title = forms.CharField(label=_("Work Title"), required=False, max_length=1000)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    notes = forms.CharField(
        label=_("Beginning notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    end_notes = forms.CharField(
        label=_("End notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    language = forms.CharField(
        label=_("Choose a language"), required=False, initial="en", max_length=100
    )
    series_title = forms.CharField(
        label=_("Add to series (new or existing title)"), required=False, max_length=255
    )
    multi_chapter = forms.BooleanField(label=_("This is a multi-chapter work"), required=False)
    expected_chapters = forms.IntegerField(
        label=_("Chapter 1 of"),
        required=False,
        min_value=1,
        max_value=limits.EXPECTED_CHAPTERS_MAX,
        help_text=_("Leave empty if you don't know yet (shown as ?)."),
    )
    chapter_title = forms.CharField(label=_("Chapter Title"), required=False, max_length=1000)
    restricted = forms.BooleanField(
        label=_("Only show your work to registered users"), required=False
    )
    anonymous = forms.BooleanField(
        label=_("Post anonymously (your name is shown only to you and admins)"), required=False
    )
    comment_permission = forms.ChoiceField(
        label=_("Who can comment on this work"),
        choices=CommentPermission.choices,
        initial=CommentPermission.USERS,
        widget=forms.RadioSelect,
    )
    text_format = forms.ChoiceField(label=_("Text format"), choices=TEXT_FORMATS, initial="auto")
    body = forms.CharField(
        label=_("Work Text"),
        required=False,
        widget=forms.Textarea(attrs={"class": "body", "rows": 20}),
    )
    upload = forms.FileField(
        label=_("Or upload a file (.txt, .md, .html)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm"}),
    )

    TAG_FIELDS = ("fandoms", "relationships", "characters", "freeforms")

    def __init__(
        self, *args: Any, user: User, editing: bool = False, with_body: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        pseuds = user.pseuds.order_by("-is_default", "name")
        if pseuds.count() > 1 and not editing:
            cast(forms.ModelMultipleChoiceField, self.fields["pseuds"]).queryset = pseuds
            self.fields["pseuds"].initial = [p.pk for p in pseuds if p.is_default][:1]
        else:
            del self.fields["pseuds"]
        if editing:
            del self.fields["multi_chapter"]
            self.fields["expected_chapters"].label = _("Expected number of chapters")
        if not with_body:
            for name in ("body", "text_format", "upload", "chapter_title"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        for name in self.TAG_FIELDS:
            data[name] = split_tag_list(data.get(name) or "")
        return data

    def work_meta(self) -> WorkMeta:
        data = self.cleaned_data
        expected = data.get("expected_chapters")
        if self.editing:
            in_progress = expected is None
        else:
            in_progress = bool(data.get("multi_chapter")) and expected is None
            if not data.get("multi_chapter"):
                expected = None
        return WorkMeta(
            title=data.get("title") or "",
            rating=data.get("rating") or "",
            warnings=list(data.get("warnings") or []),
            fandoms=data["fandoms"],
            categories=list(data.get("categories") or []),
            relationships=data["relationships"],
            characters=data["characters"],
            freeforms=data["freeforms"],
            summary=data.get("summary") or "",
            notes=data.get("notes") or "",
            end_notes=data.get("end_notes") or "",
            language=data.get("language") or "en",
            restricted=bool(data.get("restricted")),
            anonymous=bool(data.get("anonymous")),
            expected_chapters=expected,
            in_progress=in_progress,
            comment_permission=data.get("comment_permission") or CommentPermission.USERS,
        )

    def chapter_input(self) -> ChapterInput:
        body, fmt = self.chapter_body()
        return ChapterInput(
            body=body, text_format=fmt, title=self.cleaned_data.get("chapter_title") or ""
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError next to the fields it names."""
        add_service_errors(self, error)


def work_form_initial(work: Any) -> dict[str, Any]:
    """The edit form's starting values, from a saved work."""
    return {
        "rating": work.rating,
        "warnings": [t.name for t in work.warnings],
        "fandoms": ", ".join(t.name for t in work.fandoms),
        "categories": [t.name for t in work.categories],
        "relationships": ", ".join(t.name for t in work.relationships),
        "characters": ", ".join(t.name for t in work.characters),
        "freeforms": ", ".join(t.name for t in work.freeforms),
        "title": work.title,
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "language": work.language,
        "expected_chapters": work.expected_chapters,
        "restricted": work.restricted,
        "anonymous": work.anonymous,
        "comment_permission": work.comment_permission,
    }


class ChapterForm(ChapterFieldsMixin):
    """Add or edit one chapter: title, summary, notes and text."""

    title = forms.CharField(label=_("Chapter Title"), required=False, max_length=1000)
    summary = forms.CharField(
        label=_("Chapter Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    notes = forms.CharField(
        label=_("Beginning notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    end_notes = forms.CharField(
        label=_("End notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    text_format = forms.ChoiceField(label=_("Text format"), choices=TEXT_FORMATS, initial="auto")
    body = forms.CharField(
        label=_("Chapter Text"),
        required=False,
        widget=forms.Textarea(attrs={"class": "body", "rows": 20}),
    )
    upload = forms.FileField(
        label=_("Or upload a file (.txt, .md, .html)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm"}),
    )

    def chapter_input(self) -> ChapterInput:
        body, fmt = self.chapter_body()
        data = self.cleaned_data
        return ChapterInput(
            body=body,
            text_format=fmt,
            title=data.get("title") or "",
            summary=data.get("summary") or "",
            notes=data.get("notes") or "",
            end_notes=data.get("end_notes") or "",
        )


_CHAPTER_FIELD = {
    "chapter_title": "title",
    "chapter_summary": "summary",
    "chapter_notes": "notes",
    "chapter_end_notes": "end_notes",
}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError dict next to the form's fields (or on top)."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errors in error.message_dict.items():
        name = field
        if name not in form.fields and isinstance(form, ChapterForm):
            name = _CHAPTER_FIELD.get(field, name)
        if name.startswith("chapter_") and name[8:].isdigit():
            name = "body"
        if name not in form.fields:
            name = None  # type: ignore[assignment]
        for message in errors:
            if name is None:
                form.add_error(None, f"{field.replace('_', ' ').capitalize()}: {message}")
            else:
                form.add_error(name, message)


class ReorderForm(forms.Form):
    """Manage chapters: a position number per chapter, no JavaScript needed."""

    def __init__(self, *args: Any, chapters: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chapters = chapters
        for ch in chapters:
            self.fields[f"position_{ch.pk}"] = forms.IntegerField(
                label=ch.heading,
                min_value=1,
                initial=ch.position,
                widget=forms.NumberInput(attrs={"class": "position"}),
            )

    def rows(self) -> list[tuple[Any, Any]]:
        return [(ch, self[f"position_{ch.pk}"]) for ch in self.chapters]

    def ordered_ids(self) -> list[int]:
        """Chapters sorted by their new numbers; ties keep the old order."""
        return [
            ch.pk
            for ch in sorted(
                self.chapters, key=lambda ch: (self.cleaned_data[f"position_{ch.pk}"], ch.position)
            )
        ]
