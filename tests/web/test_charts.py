"""The supervisor's charts keep their plot wide whatever the legend's words: the legend goes below the
plot, wrapped with room to spare for the browser's fonts, never over the bars; the week labels do not run into each other."""

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
    "单位报告的情形使在有效期内的工作类或学习类居留证件的原居留事由发生变更：核实持证人是否申报变更，"
    "未申报的发布公告，公告期满仍未申报的宣布居留证件作废",
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


@pytest.mark.parametrize("lang", ["en", "zh", "zh-hans"])  # the view passes Django's "zh-hans"
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
    # a tenth of the width to spare: the browser draws the text with its own fonts, some wider than Noto's
    assert legend.x0 >= 0.05 * figure.bbox.width and legend.x1 <= 0.95 * figure.bbox.width
    labels = [t.get_window_extent() for t in axes.get_xticklabels() if t.get_visible() and t.get_text()]
    assert all(a.x1 < b.x0 for a, b in zip(labels, labels[1:], strict=False))
