"""The import upload form: files, and tags and settings that replace the files' own.

The form only parses: size and type are checked here so that a person sees a clear
reason before anything is read; file_import validates the rest and writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ficarchive.tags.services import split_tag_list
from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating, warnings_problem

from .importers import SUPPORTED_EXTENSIONS
from .services_import import ImportOverrides

# Django refuses a request with more than DATA_UPLOAD_MAX_NUMBER_FILES (100) files
# before any view runs; stay well below, since every file is imported in this request.
MAX_FILES = 20
ACCEPT = ",".join(sorted(SUPPORTED_EXTENSIONS))


def human_size(size: int) -> str:
    """A file size in bytes as people read it in the active language: Django's
    ``filesizeformat`` ("1.4 MB", "12.0 KB", "300 bytes"; "1,4 Mio" in French), with a
    non-breaking space between number and unit."""
    return str(filesizeformat(size))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type="file" multiple> (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d] or [single(None, initial)]
        return [single(data, initial)]


def _ao3_names(values: list[str]) -> list[tuple[str, str]]:
    """Choices labelled with AO3's own names ("Creator Chose Not To Use Archive Warnings", "F/F")."""
    return [(v, v) for v in values]


TAGS_HELP = gettext_lazy("Separate tags with commas.")


def _tag_input(kind: str, label: Any, help_text: Any = TAGS_HELP) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=5000,
        widget=forms.TextInput(attrs={"data-autocomplete": kind, "autocomplete": "off"}),
    )


class ImportForm(forms.Form):
    """Import works from files: one work per file, with optional overrides."""

    uploads = MultipleFileField(
        label=gettext_lazy("Files to import"),
        help_text=format_lazy(
            gettext_lazy(
                "One work per file: plain text (.txt), Markdown (.md), HTML (.html, .htm, "
                "Google Docs' and Word's web pages too, Google Docs' zipped one as .zip), "
                "Word (.docx), LibreOffice (.odt), RTF (.rtf), EPUB (.epub), and AO3's own "
                "HTML and EPUB downloads. Up to {max} files at a time."
            ),
            max=MAX_FILES,
        ),
        error_messages={"required": gettext_lazy("Choose at least one file to import.")},
    )
    rating = forms.ChoiceField(
        label=gettext_lazy("Rating"),
        required=False,
        choices=[("", "Keep the file's rating (Not Rated when it has none)")]
        + _ao3_names(Rating.values),
    )
    warnings = forms.MultipleChoiceField(
        label=gettext_lazy("Archive Warnings"),
        choices=_ao3_names(ArchiveWarning.values),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Leave all unchecked to keep the file's (Creator Chose Not To Use Archive Warnings when it has none)."
        ),
    )
    fandoms = _tag_input(
        "fandom",
        gettext_lazy("Fandoms"),
        gettext_lazy(
            "Separate fandoms with commas. Leave empty to keep the file's (Unspecified "
            "Fandom when it has none)."
        ),
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Categories"),
        choices=_ao3_names(Category.values),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    relationships = _tag_input(
        "relationship",
        gettext_lazy("Relationships"),
        gettext_lazy("A/B for romantic or sexual, A & B for platonic."),
    )
    characters = _tag_input("character", gettext_lazy("Characters"))
    freeforms = _tag_input("freeform", gettext_lazy("Additional Tags"))
    language = forms.CharField(
        label=gettext_lazy("Language"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "A language code such as en or es. Leave empty to keep the file's (en when it has none)."
        ),
    )
    restricted = forms.BooleanField(
        label=gettext_lazy("Only show the works to registered users"), required=False
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Post anonymously (your name is shown only to you and admins)"),
        required=False,
    )
    draft = forms.BooleanField(
        label=gettext_lazy("Import as drafts, so I can preview them before posting"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Uncheck to post the works as soon as they are imported."),
    )

    TAG_FIELDS = ("fandoms", "relationships", "characters", "freeforms")

    def clean_uploads(self) -> list[Any]:
        files = self.cleaned_data.get("uploads") or []
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Choose at most %(max)s files at a time (%(count)s chosen).")
                % {"max": MAX_FILES, "count": len(files)}
            )
        limit = int(settings.FICARCHIVE_MAX_UPLOAD_BYTES)
        problems = []
        for upload in files:
            name = upload.name or "file"
            suffix = Path(name).suffix.lower()
            if suffix not in SUPPORTED_EXTENSIONS:
                problems.append(
                    _(
                        "%(name)s: unsupported file type (use .txt, .md, .html, .htm, .docx, "
                        ".odt, .rtf, .epub or a .zip of one web page)."
                    )
                    % {"name": name}
                )
            elif upload.size > limit:
                problems.append(
                    _("%(name)s is %(size)s; the limit is %(limit)s per file.")
                    % {"name": name, "size": human_size(upload.size), "limit": human_size(limit)}
                )
        if problems:
            raise ValidationError(problems)
        return files

    def clean_warnings(self) -> list[str]:
        """The warnings chosen, refused by the rule every door applies (no "No Archive
        Warnings Apply" beside another warning: ``tags.vocabulary.warnings_problem``)."""
        warnings = list(self.cleaned_data.get("warnings") or [])
        problem = warnings_problem(warnings)
        if problem:
            raise ValidationError(problem)
        return warnings

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        for name in self.TAG_FIELDS:
            data[name] = split_tag_list(data.get(name) or "")
        return data

    def overrides(self) -> ImportOverrides:
        """The options the person set, as file_import takes them."""
        data = self.cleaned_data
        return ImportOverrides(
            rating=data.get("rating") or "",
            warnings=list(data.get("warnings") or []),
            categories=list(data.get("categories") or []),
            fandoms=data["fandoms"],
            relationships=data["relationships"],
            characters=data["characters"],
            freeforms=data["freeforms"],
            language=(data.get("language") or "").strip(),
        )
