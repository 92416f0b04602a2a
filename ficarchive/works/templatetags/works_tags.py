"""Template helpers for showing works as AO3 shows them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ficarchive.core.viewers import Viewer
from ficarchive.tags.vocabulary import RATING_SYMBOL, ArchiveWarning, Category, Rating
from ficarchive.works import access
from ficarchive.works.models import Work

register = template.Library()

_CATEGORY_CLASS = {
    Category.FF: "category-femslash",
    Category.FM: "category-het",
    Category.GEN: "category-gen",
    Category.MM: "category-slash",
    Category.MULTI: "category-multi",
    Category.OTHER: "category-other",
}


@register.filter
def creators_for(work: Work, user: Viewer) -> list | None:
    """The work's creator pseuds for this viewer, or None when they are hidden
    (``access.creators_shown``)."""
    return access.creators_of(work, user)


@register.filter
def series_for(work: Work, user: Viewer) -> list:
    """The work's "Part N of" series lines this viewer may see (``access.series_shown``)."""
    return access.series_shown(work, user)


@register.filter
def is_creator(work: Work, user: Viewer) -> bool:
    """``access.is_creator`` for templates."""
    return access.is_creator(user, work)


@register.simple_tag
def required_tags(work: Any) -> SafeString:
    """AO3's four required-tag symbols: rating, warnings, category, completion."""
    rating_class, rating_short = RATING_SYMBOL.get(Rating(work.rating), ("rating-notrated", "?"))
    warnings = [t.name for t in work.warnings]
    if not warnings or warnings == [ArchiveWarning.CHOSE_NOT_TO_WARN.value]:
        warning_class = "warning-choosenotto"
    elif warnings == [ArchiveWarning.NONE_APPLY.value]:
        warning_class = "warning-no"
    else:
        warning_class = "warning-yes"
    categories = [t.name for t in work.categories]
    if not categories:
        category_class = "category-none"
    elif len(categories) > 1:
        category_class = "category-multi"
    else:
        category_class = _CATEGORY_CLASS.get(Category(categories[0]), "category-other")
    complete = work.is_complete
    no_warnings, no_category = _("No warnings given"), _("No category")
    status = _("Complete Work") if complete else _("Work in Progress")
    parts = [
        format_html(
            '<li><span class="rating {} symbol" title="{}"><span class="text">{}</span><span aria-hidden="true">{}</span></span></li>',
            rating_class,
            work.rating,
            work.rating,
            rating_short,
        ),
        format_html(
            '<li><span class="warnings {} symbol" title="{}"><span class="text">{}</span></span></li>',
            warning_class,
            ", ".join(warnings) or no_warnings,
            ", ".join(warnings) or no_warnings,
        ),
        format_html(
            '<li><span class="category {} symbol" title="{}"><span class="text">{}</span></span></li>',
            category_class,
            ", ".join(categories) or no_category,
            ", ".join(categories) or no_category,
        ),
        format_html(
            '<li><span class="iswip {} symbol" title="{}"><span class="text">{}</span></span></li>',
            "complete-yes" if complete else "complete-no",
            status,
            status,
        ),
    ]
    return format_html('<ul class="required-tags">{}</ul>', SafeString("".join(parts)))


@register.filter
def language_name(code: str) -> str:
    from django.conf.locale import LANG_INFO

    info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0].lower())
    return info["name_local"] if info else code


@register.filter
def rating_url(work: Any) -> str:
    """The tag page of the work's rating."""
    from django.urls import NoReverseMatch, reverse

    from ficarchive.tags.models import tag_url_name

    try:
        return reverse("tags:works", args=[tag_url_name(work.rating)])
    except NoReverseMatch:
        return "#"


@register.filter
def aria_required(field: Any) -> SafeString:
    """A bound field's widget marked ``aria-required="true"``: AO3's required posting fields
    (rating, warnings, fandoms, title, text), which a draft may still leave empty, so the
    form field itself is not ``required`` (WCAG 3.3.2, labels or instructions)."""
    return field.as_widget(attrs={"aria-required": "true"})
