"""Numbers as the scorecard's `why` sentences write them (macros/formatting.sql).

format_value mirrors format_kpi_value: count '1,234', money '$1,030.40',
rate '12.3%', seconds '4.5 s', minutes '12.5 min', days '2.5 days'; a test
checks it against the values inside the scorecard's own sentences. Rounding
is for display only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
EMPTY = "–"
DECIMALS = {"count": 0, "seconds": 1, "minutes": 1, "days": 1}
SUFFIXES = {"count": "", "seconds": " s", "minutes": " min", "days": " days"}
UNITS = ("count", "money", "rate", "seconds", "minutes", "days")


def format_number(value: float | Decimal, decimals: int) -> str:
    return f"{float(value):,.{decimals}f}"


def format_money(value: float | Decimal, currency: str) -> str:
    prefix = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if value < 0 else ""
    return f"{sign}{prefix}{format_number(abs(value), 2)}"


def format_percent(value: float | Decimal, decimals: int = 1) -> str:
    return f"{format_number(100.0 * float(value), decimals)}%"


def format_signed(value: float | Decimal, decimals: int) -> str:
    return ("-" if value < 0 else "+") + format_number(abs(value), decimals)


def format_value(value: Any, unit: str, currency: str) -> str:
    """A KPI value by its unit; EMPTY when the value is null."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    if value is None:
        return EMPTY
    if unit == "money":
        return format_money(value, currency)
    if unit == "rate":
        return format_percent(value, 1)
    return format_number(value, DECIMALS[unit]) + SUFFIXES[unit]


def format_change(row: dict[str, Any], currency: str) -> str:
    """The change against the previous period, as the `why` writes it: points for
    rates, % for the rest, the signed difference when the previous value is 0; EMPTY
    when either value is null."""
    change, change_pct, unit = row["change"], row["change_pct"], row["unit"]
    if change is None:
        return EMPTY
    if unit == "rate":
        return f"{format_signed(100.0 * float(change), 1)} pts"
    if change_pct is not None:
        return f"{format_signed(100.0 * change_pct, 0)}%"
    magnitude = format_value(abs(change), unit, currency)
    return ("-" if change < 0 else "+") + magnitude


def direction(row: dict[str, Any]) -> str:
    """'good', 'bad' or 'flat' from the sign of change and is_higher_better; 'none' without a change."""
    change = row["change"]
    if change is None or row["is_higher_better"] is None:
        return "none"
    if change == 0:
        return "flat"
    return "good" if (change > 0) == bool(row["is_higher_better"]) else "bad"


def arrow(row: dict[str, Any]) -> str:
    """▲ up, ▼ down, ■ unchanged (the colour says whether that is good)."""
    change = row["change"]
    if change is None:
        return ""
    if change == 0:
        return "■"
    return "▲" if change > 0 else "▼"


def significance_mark(row: dict[str, Any]) -> str | None:
    """'beyond noise', 'within noise' or 'not tested' from the scorecard's noise test;
    None when the scorecard has no significance columns, or when a tested KPI has no
    p-value (no previous period to compare with). A scorecard with noise_test says
    "not tested" only for KPIs that have no test (money, medians, ratios); without
    that column, a null is_change_significant reads as not tested."""
    if "is_change_significant" not in row:
        return None
    flag = row["is_change_significant"]
    if flag is not None:
        return "beyond noise" if flag else "within noise"
    if "noise_test" in row and row["noise_test"] is not None:
        return None
    return "not tested"


def significance_detail(row: dict[str, Any], currency: str) -> str:
    """The interval and p-value behind the mark, for its tooltip ('' when there are none)."""
    parts = []
    if row.get("ci_low") is not None and row.get("ci_high") is not None:
        low = format_value(row["ci_low"], row["unit"], currency)
        high = format_value(row["ci_high"], row["unit"], currency)
        parts.append(f"95% interval {low} to {high}")
    if row.get("change_p_value") is not None:
        parts.append(f"p = {row['change_p_value']:.3f}")
    return "; ".join(parts)
