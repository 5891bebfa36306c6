"""The page's charts: Altair specifications rendered to SVG by vl-convert at build time.

The SVG is inlined in the page, so viewing it loads nothing. Every value
drawn is passed in (read from the marts by dashboard.data); labels are
formatted with dashboard.formatting.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

INK = "#1f2933"
MUTED = "#7b8794"
LINE = "#3558c8"
COST_PARTS = [
    ("tool_subscription_cost", "Tool subscription"),
    ("setup_cost", "Setup"),
    ("agency_cost", "Agency"),
    ("ads_cost", "Ads"),
    ("other_cost", "Other"),
]
GAIN_PARTS = [("revenue_gain", "Revenue × margin"), ("time_saved_value", "Agent time saved")]
PART_COLOURS = ["#9aa5b1", "#f0b429", "#de911d", "#cb6e17", "#52606d", "#3558c8", "#27ab83"]


def _configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure(background="transparent", font="Helvetica, Arial, sans-serif")
        .configure_view(stroke=None)
        .configure_axis(labelColor=MUTED, titleColor=MUTED, domainColor="#cbd2d9", tickColor="#cbd2d9", grid=False)
        .configure_legend(labelColor=INK, titleColor=INK)
    )


def to_svg(chart: alt.TopLevelMixin, title: str) -> str:
    """The chart as an inline <svg> with an accessible title (no XML prolog, no external reference)."""
    svg = vl_convert.vegalite_to_svg(_configured(chart).to_dict())
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return re.sub(r"(<svg[^>]*>)", lambda match: match[1] + f"<title>{_escape(title)}</title>", svg, count=1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sparkline(points: list[dict[str, Any]], title: str) -> str | None:
    """A small trend: points are {'period': short label, 'value': number}, oldest first; the
    current period's point is the larger one. None when no point has a value."""
    frame = pd.DataFrame([point for point in points if point["value"] is not None])
    if frame.empty:
        return None
    frame["value"] = frame["value"].astype(float)
    frame["is_current"] = [False] * (len(frame) - 1) + [True]
    order = [point["period"] for point in points]
    x = alt.X("period:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelFontSize=8, ticks=False))
    y = alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False, padding=6))
    base = alt.Chart(frame).encode(x=x, y=y)
    line = base.mark_line(color=LINE, strokeWidth=1.5)
    dots = base.mark_point(filled=True, color=LINE).encode(
        size=alt.Size("is_current:N", scale=alt.Scale(domain=[False, True], range=[14, 50]), legend=None)
    )
    return to_svg((line + dots).properties(width=200, height=38), title)


def horizontal_bars(rows: list[dict[str, Any]], value_title: str, title: str) -> str | None:
    """Bars of rows {'label', 'value', 'text'} in the given order (None without rows)."""
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype(float)
    y = alt.Y("label:N", sort=list(frame["label"]), title=None, axis=alt.Axis(labelLimit=150, labelFontSize=9))
    x = alt.X("value:Q", title=value_title, axis=alt.Axis(labelFontSize=8, titleFontSize=8, tickCount=4))
    base = alt.Chart(frame).encode(y=y, x=x)
    bars = base.mark_bar(color=LINE, height=10)
    labels = base.mark_text(align="left", dx=3, fontSize=8, color=INK).encode(text="text:N")
    return to_svg((bars + labels).properties(width=170, height=max(20, 16 * len(frame))), title)


def cost_and_gains(roi: dict[str, Any], title: str) -> str:
    """Two stacked bars: the month's automation cost by type and its gains by part (mart_roi_monthly)."""
    rows = [{"side": "Cost", "part": label, "value": float(roi[column])} for column, label in COST_PARTS]
    rows += [{"side": "Gains", "part": label, "value": float(roi[column])} for column, label in GAIN_PARTS]
    frame = pd.DataFrame(rows)
    parts = [label for _, label in COST_PARTS + GAIN_PARTS]
    frame["order"] = frame["part"].map(parts.index)
    chart = (
        alt.Chart(frame)
        .mark_bar(height=14)
        .encode(
            y=alt.Y("side:N", title=None, sort=["Cost", "Gains"], axis=alt.Axis(labelFontSize=9)),
            x=alt.X("sum(value):Q", title=None, axis=alt.Axis(labelFontSize=8, tickCount=4)),
            color=alt.Color(
                "part:N",
                scale=alt.Scale(domain=parts, range=PART_COLOURS),
                legend=alt.Legend(title=None, orient="bottom", columns=4, labelFontSize=8, symbolSize=40),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width=220, height=44)
    )
    return to_svg(chart, title)
