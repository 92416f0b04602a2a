"""Dates as AO3 shows them, in the reader's time zone (activated by
``core.display.TimeZoneMiddleware``): blurbs "30 Nov 2026" (AO3's ``%d %b %Y``), comments
and inbox "Mon 30 Nov 2026 04:32PM UTC" (AO3's comment time: weekday, day, month, year,
12-hour time, zone abbreviation). Month and day names follow the active language."""

from __future__ import annotations

import datetime as dt

from django import template
from django.template.defaultfilters import date as date_filter

register = template.Library()

AO3_DATE = "d M Y"
AO3_DATETIME = "D d M Y h:iA T"


@register.filter(expects_localtime=True)
def ao3_date(value: dt.datetime | dt.date | None) -> str:
    """ "30 Nov 2026"; "" for None."""
    return date_filter(value, AO3_DATE) if value else ""


@register.filter(expects_localtime=True)
def ao3_datetime(value: dt.datetime | None) -> str:
    """ "Mon 30 Nov 2026 04:32PM CET" in the active zone; "" for None."""
    return date_filter(value, AO3_DATETIME) if value else ""
