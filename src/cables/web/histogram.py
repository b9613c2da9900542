"""A bar chart of cables per month, drawn on the server as SVG.

The chart is markup, not a script: it shows without JavaScript, inline in a page or alone at a URL,
and prints. Each bar carries a ``<title>`` (what a screen reader and a tooltip say: ``April 2006:
12 cables``) and may link somewhere (the search narrowed to that month). Months without cables
between the first and the last stay as gaps, so the time axis is true. Only presentation
attributes are used (``fill=``, no ``style=``): the site's CSP forbids inline styles.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 720, 150
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 22
MAX_BAR = 28.0
BAR_FILL, AXIS_FILL = "#1d3557", "#595959"


def months_between(first: str, last: str) -> list[str]:
    """Every month ``YYYY-MM`` from ``first`` to ``last``, both included."""
    y, m = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_label(month: str) -> str:
    """``2006-04`` → ``April 2006``."""
    return f"{calendar.month_name[int(month[5:7])]} {month[:4]}"


def valid_month(month: str) -> bool:
    """``YYYY-MM`` with a real month: what the chart can place on its axis."""
    return (len(month) == 7 and month[:4].isdigit() and month[4] == "-" and month[5:7].isdigit()
            and 1 <= int(month[5:7]) <= 12)


def month_chart(counts: Sequence[tuple[str, int]], link: Callable[[str], str | None] | None = None,
                *, title: str = "Cables per month", standalone: bool = False,
                element_id: str = "histogram") -> str:
    """The SVG of ``counts`` (``[("2006-04", 12), …]``); ``link(month)`` gives each bar's href."""
    counts = [(m, n) for m, n in counts if valid_month(m) and n > 0]
    months = months_between(min(counts)[0], max(counts)[0]) if counts else []
    by_month = dict(counts)
    peak = max(by_month.values(), default=0)
    total = sum(by_month.values())
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = min(MAX_BAR, plot_w / len(months)) if months else MAX_BAR
    bar_w = slot * 0.8 if slot >= 3 else slot
    baseline = TOP + plot_h
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    description = (f"{total:,} cable{'s' if total != 1 else ''} over {len(months)} month"
                   f"{'s' if len(months) != 1 else ''}" + (
                       f", from {month_label(months[0])} to {month_label(months[-1])}; the busiest "
                       f"month holds {peak:,}" if months else ""))
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" id={quoteattr(element_id)} class="histogram" '
               f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet" '
               f'aria-labelledby="{title_id} {desc_id}">')
    out.append(f'<title id="{title_id}">{escape(title)}</title>')
    out.append(f'<desc id="{desc_id}">{escape(description)}</desc>')
    # the axes: a baseline, the peak and zero on the left
    out.append(f'<line x1="{LEFT}" y1="{baseline}" x2="{WIDTH - RIGHT}" y2="{baseline}" '
               f'stroke="{AXIS_FILL}" stroke-width="1"/>')
    out.append(f'<text x="{LEFT - 4}" y="{TOP + 9}" text-anchor="end" font-size="10" '
               f'fill="{AXIS_FILL}">{peak:,}</text>')
    out.append(f'<text x="{LEFT - 4}" y="{baseline}" text-anchor="end" font-size="10" '
               f'fill="{AXIS_FILL}">0</text>')
    for i, month in enumerate(months):
        n = by_month.get(month, 0)
        x = LEFT + i * slot + (slot - bar_w) / 2
        if n:
            h = max(1.0, plot_h * n / peak)
            bar = (f'<rect class="bar" data-month="{month}" data-count="{n}" x="{x:.2f}" '
                   f'y="{baseline - h:.2f}" width="{bar_w:.2f}" height="{h:.2f}" fill="{BAR_FILL}">'
                   f'<title>{escape(month_label(month))}: {n:,} cable{"s" if n != 1 else ""}</title>'
                   f'</rect>')
            href = link(month) if link else None
            out.append(f'<a href={quoteattr(href)}>{bar}</a>' if href else bar)
    out.extend(_year_labels(months, slot, baseline))
    out.append("</svg>")
    return "".join(out)


def _year_labels(months: list[str], slot: float, baseline: float) -> list[str]:
    """A year under its January (and under the first month), every year or every few years,
    keeping labels at least 36 units apart and inside the frame, so they never overlap or clip."""
    step = max(1, -(-36 // max(1, int(slot * 12))))
    labels, last_x = [], None
    for i, month in enumerate(months):
        year = int(month[:4])
        if not (i == 0 or month.endswith("-01") and year % step == 0):
            continue
        x = LEFT + i * slot
        if last_x is not None and x - last_x < 36 or x > WIDTH - RIGHT - 26:
            continue
        labels.append(f'<text x="{x:.2f}" y="{baseline + 15}" font-size="10" '
                      f'fill="{AXIS_FILL}">{year}</text>')
        last_x = x
    return labels
