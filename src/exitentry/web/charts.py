"""The supervisor's charts, drawn on the server as SVG with matplotlib (no JavaScript), each from a small
table of numbers that the page also shows as an accessible data table beside the chart.

- Queue health over time: at the end of each of the last ``WEEKS`` weeks (today for this week), the
  cases of the user's halls open (submitted, not closed), those late (open, undecided, the decision's last
  day passed) and the decisions due that week (``due_in_week``); one aggregate query.
- Alerts opened by ground and week, among the people of the user's halls' districts
  (``compliance.district``); one grouped query.

The SVG keeps its text as text (``svg.fonttype: none``), so the browser draws it with its own fonts; the
layout is measured with the Noto fonts the PDFs embed (``documents/fonts``), which have the Chinese glyphs.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta

import matplotlib
from django.db.models import Count, Q
from django.utils.translation import gettext_noop
from matplotlib import font_manager
from matplotlib.figure import Figure

from exitentry.bilingual import in_both
from exitentry.cases import access
from exitentry.compliance import alert_list
from exitentry.compliance.district import alerts_for_officer
from exitentry.documents.pdf import FONT_DIR
from exitentry.law.calendar import monday_of
from exitentry.law.text import Text

WEEKS = 12
for _file in ("NotoSans-Regular.ttf", "NotoSansSC-Regular.ttf"):
    font_manager.fontManager.addfont(FONT_DIR / _file)
FONTS = ["Noto Sans", "Noto Sans CJK SC", "sans-serif"]
WEEK_OF = Text("Week of (Monday)", "周（自周一起）")
RC = {"svg.fonttype": "none", "font.family": FONTS, "svg.hashsalt": "exitentry"}
COLOURS = ["#1f5f8b", "#b03a2e", "#7d6608", "#1e8449", "#6c3483", "#5d6d7e"]


@dataclass(frozen=True, slots=True)
class Series:
    label: Text
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """Columns (one per week, labelled by its Monday) and the series drawn over them."""

    title: Text
    weeks: tuple[date, ...]
    series: tuple[Series, ...]

    def rows(self) -> list[tuple[date, list[int]]]:
        """The data table: one row per week, one value per series."""
        return [(week, [s.values[i] for s in self.series]) for i, week in enumerate(self.weeks)]


def weeks_ending(on: date, count: int = WEEKS) -> tuple[date, ...]:
    """The Mondays of the last ``count`` weeks up to the one ``on`` falls in, oldest first."""
    monday = monday_of(on)
    return tuple(monday - timedelta(weeks=n) for n in range(count - 1, -1, -1))


def due_in_week(monday: date) -> Q:
    """The decisions due in the week from ``monday``: the last day falls in it, and the case was neither
    decided nor closed (withdrawn) before the week began. One count for the queue health's summary and
    its chart."""
    return (
        Q(decision_due__range=(monday, monday + timedelta(days=6)))
        & (Q(decided_on__isnull=True) | Q(decided_on__gte=monday))
        & (Q(closed_on__isnull=True) | Q(closed_on__gte=monday))
    )


# The queue health's terms, the same msgids in its summary table (queue_health.html) and its chart.
OPEN, DUE_IN_WEEK, LATE = (
    gettext_noop("Open"),
    gettext_noop("Decisions due in the week"),
    gettext_noop("Late"),
)


def queue_over_time(user, on: date) -> Chart:
    cases = access.cases_for(user, "queue_health")
    weeks = weeks_ending(on)
    counts = {}
    for i, monday in enumerate(weeks):
        end = min(monday + timedelta(days=6), on)
        open_then = Q(submitted_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        undecided = Q(decided_on__isnull=True) | Q(decided_on__gt=end)
        counts[f"open{i}"] = Count("pk", filter=open_then)
        counts[f"late{i}"] = Count("pk", filter=open_then & undecided & Q(decision_due__lt=end))
        counts[f"due{i}"] = Count("pk", filter=due_in_week(monday))
    row = cases.aggregate(**counts)
    n = range(len(weeks))
    return Chart(
        Text("Queue health over time", "队列状况变化"),
        weeks,
        (
            Series(in_both(OPEN), tuple(row[f"open{i}"] for i in n)),
            Series(in_both(DUE_IN_WEEK), tuple(row[f"due{i}"] for i in n)),
            Series(in_both(LATE), tuple(row[f"late{i}"] for i in n)),
        ),
    )


def alerts_by_ground(user, on: date, labels: dict[str, Text]) -> Chart:
    """``labels``: each ground's words, by its ``alert_list.key`` (a holder's follow-up apart from a unit's),
    in the order to draw them."""
    weeks = weeks_ending(on)
    rows = (
        alerts_for_officer(user)
        .filter(opened_on__gte=weeks[0], opened_on__lte=on)
        .values("ground_id", "cause_key", "opened_on")
        .order_by()
        .annotate(n=Count("pk"))
    )
    index = {monday: i for i, monday in enumerate(weeks)}
    table = {g: [0] * len(weeks) for g in labels}
    for r in rows:
        monday = monday_of(r["opened_on"])
        ground = alert_list.key_of(r["ground_id"], r["cause_key"])
        table.setdefault(ground, [0] * len(weeks))[index[monday]] += r["n"]
    series = tuple(
        Series(labels.get(g, Text(g, g)), tuple(values)) for g, values in table.items() if any(values)
    )
    return Chart(Text("Alerts opened by ground and week", "按理由和周统计的新预警"), weeks, series)


TICK_SIZE = 11  # points: the ticks, axis label and legend, readable when the SVG is drawn at page width
LEGEND_WIDTH = {"en": 72, "zh": 34}  # characters a legend line holds before it wraps (a CJK glyph is wide),
# short of the figure's width: the browser draws the text with its own fonts, some wider than Noto's


def _legend_label(label: Text, lang: str) -> str:
    return textwrap.fill(
        label.get(lang), LEGEND_WIDTH["zh" if lang.startswith("zh") else "en"]
    )  # "zh-hans" too


def figure(chart: Chart, lang: str, *, stacked: bool = False) -> Figure:
    """The chart drawn in ``lang``: lines, or bars stacked by series; the legend below the plot, its long
    labels wrapped, so the plot keeps the figure's width and no legend covers a bar."""
    names = [_legend_label(s.label, lang) for s in chart.series]
    lines = sum(name.count("\n") + 1 for name in names)
    fig = Figure(figsize=(7.5, 3.2 + 0.17 * lines), layout="constrained")
    axes = fig.add_subplot()
    x = list(range(len(chart.weeks)))
    bottom = [0] * len(x)
    for colour, s, name in zip(COLOURS * 3, chart.series, names, strict=False):
        if stacked:
            axes.bar(x, s.values, bottom=bottom, label=name, color=colour, width=0.7)
            bottom = [b + v for b, v in zip(bottom, s.values, strict=True)]
        else:
            axes.plot(x, s.values, label=name, color=colour, marker="o", linewidth=2)
    axes.set_xticks(x, [f"{d.month}/{d.day}" for d in chart.weeks], fontsize=TICK_SIZE)
    axes.tick_params(axis="y", labelsize=TICK_SIZE)
    axes.set_xlabel(WEEK_OF.get(lang), fontsize=TICK_SIZE)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", color="#dddddd")
    axes.spines[["top", "right"]].set_visible(False)
    if chart.series:
        fig.legend(fontsize=TICK_SIZE, frameon=False, loc="outside lower center")
    return fig


def svg(chart: Chart, lang: str, *, stacked: bool = False) -> str:
    """The chart as an SVG document in ``lang`` (``figure``)."""
    with matplotlib.rc_context(RC):
        out = io.StringIO()
        figure(chart, lang, stacked=stacked).savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()
