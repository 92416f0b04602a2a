"""The stats chart as SVG drawn on the server (no script, nothing fetched by the browser):
one polyline per figure over the periods, with axes, labels and a title for screen
readers. Hand-written: a few dozen lines of SVG did not warrant a charting library."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = {"hits": "#1f77b4", "kudos": "#d62728", "comments": "#2ca02c", "bookmarks": "#9467bd"}
WIDTH, HEIGHT, PAD = 640, 260, 40


def stats_svg(
    series: list[tuple[str, dict[str, int]]], title: str, labels: Mapping[str, Any] | None = None
) -> SafeString:
    """An SVG line chart of ``series`` ((period label, {figure: n}) in order), every text
    escaped; the legend names each figure by ``labels`` (translated names; the figure's
    key, title-cased, when absent). Empty series give an empty string."""
    if not series:
        return mark_safe("")  # noqa: S308 - constant
    top = max([1] + [v for _, figures in series for v in figures.values()])
    step = (WIDTH - 2 * PAD) / max(1, len(series) - 1)

    def point(i: int, value: int) -> str:
        x = PAD + i * step
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stats-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="stats-chart-title">',
        f'<title id="stats-chart-title">{escape(title)}</title>',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="currentColor"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="currentColor"/>',
        f'<text x="{PAD - 4}" y="{PAD}" text-anchor="end" font-size="10" fill="currentColor">{top}</text>',
        f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end" font-size="10" fill="currentColor">0</text>',
    ]
    for i, (label, _) in enumerate(series):
        x = PAD + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle" font-size="9" '
            f'fill="currentColor">{escape(label)}</text>'
        )
    for n, (name, colour) in enumerate(COLOURS.items()):
        points = " ".join(point(i, figures.get(name, 0)) for i, (_, figures) in enumerate(series))
        parts.append(
            f'<polyline class="{name}" fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
        parts.append(
            f'<text x="{PAD + 10 + n * 90}" y="{PAD - 14}" font-size="11" fill="{colour}">{escape(str((labels or {}).get(name, name.title())))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
