"""The page's content: the marts' rows for the period, formatted, and the HTML.

collect() reads everything the page shows (dashboard.data) and formats it
(dashboard.formatting, dashboard.charts); render() fills the Jinja template
templates/page.html.j2 (styles inlined from templates/page.css).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from dashboard import charts, data, periods
from dashboard.formatting import (
    arrow,
    direction,
    format_change,
    format_number,
    format_percent,
    format_value,
    significance_detail,
    significance_mark,
)
from dashboard.periods import Period, period_containing

TEMPLATES = Path(__file__).parent / "templates"
# The four tiles, in the spec's order, with the KPI each one leads with (the
# rest of the tile's KPIs follow in registry order). A headline missing from
# the scorecard falls back to the tile's first KPI.
TILES = [
    ("acquisition", "Acquisition", "sessions_started"),
    ("engagement", "Engagement", "first_message_open_rate"),
    ("conversion_revenue", "Conversion & revenue", "revenue_per_chat"),
    ("ops_health", "Ops health", "median_first_response_seconds"),
]
ROI_TILE = "roi"


@dataclass
class Settings:
    currency: str = "USD"
    trend_periods: int = 6
    flows: int = 5
    dropoffs: int = 5


def kpi_item(row: dict[str, Any], compared_with: Period, currency: str) -> dict[str, Any]:
    """One scorecard row as the page shows it."""
    previous_text = f"no value for {compared_with.short_label}"
    if row["previous_value"] is not None:
        previous_text = (
            f"vs {format_value(row['previous_value'], row['unit'], currency)} in {compared_with.short_label}"
        )
    return {
        "kpi": row["kpi"],
        "tile": row["tile"],
        "label": row["kpi_label"],
        "value_text": format_value(row["value"], row["unit"], currency),
        "change_text": format_change(row, currency),
        "previous_text": previous_text,
        "direction": direction(row),
        "arrow": arrow(row),
        "mark": significance_mark(row),
        "mark_detail": significance_detail(row, currency),
        "why": row["why"],
    }


def previous_period(period: Period, rows: list[dict[str, Any]]) -> Period:
    """The period the scorecard compares with (its previous_period_start)."""
    starts = {row["previous_period_start"] for row in rows if row["previous_period_start"] is not None}
    return period_containing(period.grain, min(starts)) if starts else periods.previous(period)


def trend_points(series: list[tuple[date, Any]], grain: str, unit: str, currency: str) -> list[dict[str, Any]]:
    return [
        {
            "period": Period(grain, start).short_label,
            "value": value,
            "text": format_value(value, unit, currency),
        }
        for start, value in series
    ]


def tiles(
    marts: data.Marts, period: Period, rows: list[dict[str, Any]], previous: Period, settings: Settings
) -> list[dict[str, Any]]:
    """The four tiles: headline KPI with its trend and why, then the tile's other KPIs."""
    by_tile: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_tile.setdefault(row["tile"], []).append(row)
    chosen = []
    for tile, title, wanted in TILES:
        tile_rows = by_tile.get(tile, [])
        if not tile_rows:
            continue
        headline = next((row for row in tile_rows if row["kpi"] == wanted), tile_rows[0])
        chosen.append((tile, title, headline, tile_rows))
    series = data.trends(marts, period, [headline["kpi"] for *_, headline, _ in chosen], settings.trend_periods)
    result = []
    for tile, title, headline, tile_rows in chosen:
        points = trend_points(series[headline["kpi"]], period.grain, headline["unit"], settings.currency)
        result.append(
            {
                "tile": tile,
                "title": title,
                "headline": kpi_item(headline, previous, settings.currency),
                "trend": charts.sparkline(points, f"{headline['kpi_label']}, last {len(points)} {period.grain}s"),
                "trend_caption": f"last {len(points)} {period.grain}s" if len(points) > 1 else "",
                "others": [kpi_item(row, previous, settings.currency) for row in tile_rows if row is not headline],
            }
        )
    return result


def flows_block(marts: data.Marts, period: Period, settings: Settings) -> dict[str, Any]:
    rows = data.best_flows(marts, period, settings.flows)
    money = settings.currency
    items = [
        {
            "rank": row["revenue_rank"],
            "flow": row["flow_name"],
            "sessions": format_number(row["sessions"], 0),
            "leads": format_number(row["leads"], 0),
            "orders": format_number(row["attributed_orders"], 0),
            "revenue": format_value(row["attributed_revenue"], "money", money),
            "revenue_per_chat": format_value(row["revenue_per_chat"], "money", money),
        }
        for row in rows
    ]
    bars = [
        {"label": row["flow_name"], "value": row["attributed_revenue"], "text": item["revenue"]}
        for row, item in zip(rows, items)
    ]
    return {"rows": items, "chart": charts.horizontal_bars(bars, "attributed revenue", "Attributed revenue by flow")}


def dropoff_block(marts: data.Marts, period: Period, settings: Settings) -> dict[str, Any]:
    rows = data.top_dropoffs(marts, period, settings.dropoffs)
    items = [
        {
            "flow": row["flow_name"],
            "step": row["flow_step"],
            "dropped": format_number(row["sessions_dropped"], 0),
            "reached": format_number(row["sessions_reached"], 0),
            "rate": format_percent(row["dropoff_rate"], 1),
        }
        for row in rows
    ]
    bars = [
        {"label": f"{row['flow_name']} / {row['flow_step']}", "value": row["sessions_dropped"], "text": item["dropped"]}
        for row, item in zip(rows, items)
    ]
    return {"rows": items, "chart": charts.horizontal_bars(bars, "sessions dropped", "Sessions dropped by step")}


def money_parts(roi: dict[str, Any], parts: list[tuple[str, str]], currency: str) -> list[dict[str, str]]:
    return [
        {"column": column, "label": label, "value": format_value(roi[column], "money", currency)}
        for column, label in parts
    ]


def roi_block(marts: data.Marts, period: Period, significance: bool, settings: Settings) -> dict[str, Any] | None:
    """The month's ROI (for a week: the month the week starts in): the scorecard's roi KPIs
    (value, change, why), and the parts and time saved from mart_roi_monthly."""
    month = period if period.grain == "month" else period_containing("month", period.start)
    roi = data.roi_month(marts, month.start)
    if roi is None:
        return None
    rows = [row for row in data.scorecard(marts, month, significance) if row["tile"] == ROI_TILE]
    previous = previous_period(month, rows)
    money = settings.currency
    return {
        "month": month,
        "kpis": [kpi_item(row, previous, money) for row in rows],
        "costs": money_parts(roi, charts.COST_PARTS, money),
        "gains": money_parts(roi, charts.GAIN_PARTS, money),
        "attributed_revenue": format_value(roi["attributed_revenue"], "money", money),
        "gross_margin_rate": format_percent(roi["gross_margin_rate"], 0),
        "time_saved_hours": format_number(roi["time_saved_hours"], 1),
        "time_saved_value": format_value(roi["time_saved_value"], "money", money),
        "self_served_sessions": format_number(roi["self_served_sessions"], 0),
        "minutes_saved": format_number(roi["minutes_saved_per_self_served_session"], 0),
        "agent_hourly_cost": format_value(roi["agent_hourly_cost"], "money", money),
        "fx_rejected_cost_lines": roi["fx_rejected_cost_lines"],
        "chart": charts.cost_and_gains(roi, f"Automation cost and gains, {month.label}"),
    }


def collect(marts: data.Marts, period: Period, latest: date, settings: Settings) -> dict[str, Any]:
    """Everything the template shows for the period."""
    available = data.scorecard_periods(marts, period.grain)
    if period.start not in available:
        codes = ", ".join(Period(period.grain, start).code for start in available) or "none"
        raise ValueError(f"kpi_scorecard has no {period.grain} {period.code}; its {period.grain}s: {codes}")
    significance = data.has_significance(marts)
    rows = data.scorecard(marts, period, significance)
    previous = previous_period(period, rows)
    return {
        "period": period,
        "previous": previous,
        "latest": latest,
        "is_complete": period.is_complete(latest),
        "significance": significance,
        "tiles": tiles(marts, period, rows, previous, settings),
        "flows": flows_block(marts, period, settings),
        "dropoffs": dropoff_block(marts, period, settings),
        "roi": roi_block(marts, period, significance, settings),
        "built_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def render(context: dict[str, Any], warehouse_name: str, print_scale: float = 1.0) -> str:
    """The page's HTML; print_scale < 1 shrinks the printed page (zoom) so that it fits one sheet."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["svg"] = lambda svg: markupsafe.Markup(svg or "")
    css = (TEMPLATES / "page.css").read_text()
    return environment.get_template("page.html.j2").render(
        **context, css=markupsafe.Markup(css), warehouse_name=warehouse_name, print_scale=print_scale
    )
