"""The supervisor's charts keep their plot wide whatever the legend's words: the legend goes below the
plot, wrapped, never over the bars; the week labels do not run into each other."""

from __future__ import annotations

from datetime import date

import matplotlib
import pytest
from matplotlib.transforms import Bbox

from exitentry.law.text import Text
from exitentry.web import charts

LONG = Text(
    "A unit reported an event that ends the reason for residence of a running work or study residence "
    "permit: check that the holder reports the change, or publish the public notice",
    "单位报告了终止在有效期内的工作类或学习类居留证件居留事由的事件：核实持证人是否报告变更，或发布公告",
)


def long_chart() -> charts.Chart:
    weeks = charts.weeks_ending(date(2026, 12, 6))
    n = len(weeks)
    series = (
        charts.Series(
            Text("Staying beyond the period the visa or stay or residence permit allows", "逾期"), (1,) * n
        ),
        charts.Series(LONG, (2,) * n),
    )
    return charts.Chart(Text("Alerts", "预警"), weeks, series)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_legend_goes_below_a_wide_plot_and_the_week_labels_do_not_overlap(lang):
    with matplotlib.rc_context(charts.RC):
        figure = charts.figure(long_chart(), lang, stacked=True)
        figure.draw_without_rendering()
    axes = figure.axes[0]
    plot = axes.get_window_extent()
    assert plot.width > 0.7 * figure.bbox.width
    legend = (
        figure.legends[0].get_window_extent() if figure.legends else axes.get_legend().get_window_extent()
    )
    assert legend.y1 <= plot.y0 and not Bbox.intersection(legend, plot)
    assert legend.width <= figure.bbox.width
    labels = [t.get_window_extent() for t in axes.get_xticklabels() if t.get_visible() and t.get_text()]
    assert all(a.x1 < b.x0 for a, b in zip(labels, labels[1:], strict=False))
