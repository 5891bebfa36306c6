"""Helper columns added to a table's dataframe before GX validates it.

The naming rules are explained in quality/suites.py: ``<column>_normalised``
(trimmed, lowercased; currencies uppercased), ``<column>_number`` (parsed
number, null when the text is not one), ``<what>_problem`` (null when the row
is fine, else a sentence saying what is wrong). Everything is vectorised
pandas: a million raw rows take about a second.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from quality import suites


def _map_distinct(series: pd.Series, function: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """function applied to the distinct values only (enums have a handful),
    returned as a categorical: fast to compute and fast to hand over to GX."""
    codes, distinct = pd.factorize(series)  # nulls get code -1
    mapped = function(pd.Series(distinct, dtype="str")).to_numpy(dtype=object)
    mapped_codes, categories = pd.factorize(mapped)  # 'Bot' and 'bot' share one category
    full_codes = np.where(codes >= 0, mapped_codes[codes] if len(mapped_codes) else -1, -1)
    return pd.Series(pd.Categorical.from_codes(full_codes, categories=categories), index=series.index, name=series.name)


def normalised(series: pd.Series) -> pd.Series:
    """Enums and booleans as staging checks them: trimmed, lowercased."""
    return _map_distinct(series, lambda values: values.str.strip().str.lower())


def currency_normalised(series: pd.Series) -> pd.Series:
    return _map_distinct(series, lambda values: values.str.strip().str.upper())


def number(series: pd.Series) -> pd.Series:
    """Text parsed as a number (null when it is not one); numbers as floats."""
    if pd.api.types.is_numeric_dtype(series):
        return series.astype("float64")
    return pd.to_numeric(series.astype("str").str.strip().where(series.notna()), errors="coerce")


def utc_timestamp(series: pd.Series) -> pd.Series:
    """Text with an explicit offset parsed to UTC (NaT when it is not one)."""
    return pd.to_datetime(series, utc=True, format="ISO8601", errors="coerce")


def problem(
    condition: pd.Series, describe: Callable[[pd.DataFrame], pd.Series] | str, frame: pd.DataFrame | None = None
) -> pd.Series:
    """Null where the condition does not hold; where it does, the message
    (a string, or describe(rows) built for those rows only)."""
    condition = condition.fillna(False).astype(bool)
    result = pd.Series(None, index=condition.index, dtype="object")
    if condition.any():
        result[condition] = describe if isinstance(describe, str) else describe(frame[condition]).astype("object")
    return result


# --- raw tables ------------------------------------------------------------


def _has(frame: pd.DataFrame, *columns: str) -> bool:
    return all(column in frame.columns for column in columns)


def _normalise_all(frame: pd.DataFrame, columns: list[str]) -> None:
    for column in columns:
        if column in frame.columns:
            frame[f"{column}_normalised"] = normalised(frame[column])


# Each helper is added only when the raw columns it reads exist (a missing
# contract column fails the column-set check, and the checks on its helper).


def prepare_dm_events(frame: pd.DataFrame) -> pd.DataFrame:
    _normalise_all(frame, ["event_type", "actor", "entry_point", "consent"])
    if not _has(frame, "event_id", "occurred_at", "received_at"):
        return frame
    occurred, received = utc_timestamp(frame["occurred_at"]), utc_timestamp(frame["received_at"])
    frame["received_at_problem"] = problem(
        received < occurred,
        lambda rows: (
            "event "
            + rows["event_id"].astype("str")
            + " received "
            + rows["received_at"].astype("str")
            + " before it occurred "
            + rows["occurred_at"].astype("str")
        ),
        frame,
    )
    return frame


def prepare_crm_contacts(frame: pd.DataFrame) -> pd.DataFrame:
    _normalise_all(frame, ["lifecycle_status", "preferred_channel", "source", "opted_out"])
    return frame


def prepare_orders(frame: pd.DataFrame) -> pd.DataFrame:
    if "currency" in frame.columns:
        frame["currency_normalised"] = currency_normalised(frame["currency"])
    _normalise_all(frame, ["financial_status"])
    for column in suites.ORDER_AMOUNTS:
        if column in frame.columns:
            frame[f"{column}_number"] = number(frame[column])
    if not _has(frame, "order_id", "refunded_amount", "total_price"):
        return frame
    frame["refund_problem"] = problem(
        frame["refunded_amount_number"] > frame["total_price_number"],
        lambda rows: (
            "order "
            + rows["order_id"].astype("str")
            + " refunds "
            + rows["refunded_amount"].astype("str")
            + " of a total_price of "
            + rows["total_price"].astype("str")
        ),
        frame,
    )
    return frame


def prepare_fx_rates(frame: pd.DataFrame) -> pd.DataFrame:
    if "currency" in frame.columns:
        frame["currency_normalised"] = currency_normalised(frame["currency"])
    if "rate_to_reporting" in frame.columns:
        frame["rate_to_reporting_number"] = number(frame["rate_to_reporting"])
    return frame


def prepare_automation_costs(frame: pd.DataFrame) -> pd.DataFrame:
    _normalise_all(frame, ["cost_type"])
    if "currency" in frame.columns:
        frame["currency_normalised"] = currency_normalised(frame["currency"])
    if "amount" in frame.columns:
        frame["amount_number"] = number(frame["amount"])
    return frame


# --- marts -----------------------------------------------------------------


def _period_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """(period_grain, period_start) of each row, period_start as a Timestamp."""
    return pd.DataFrame(
        {
            "grain": frame["period_grain"].astype("object"),
            "start": pd.to_datetime(frame["period_start"], errors="coerce"),
        },
        index=frame.index,
    )


def add_period_problems(frame: pd.DataFrame) -> pd.DataFrame:
    """period_gap_problem: the previous period of the same grain in the table is
    not the one just before (a week or a month earlier); period_start_problem:
    a week that does not start on a Monday, a month not on its first day."""
    if not {"period_grain", "period_start"} <= set(frame.columns):
        return frame
    periods = _period_frame(frame)
    distinct = periods.dropna().drop_duplicates().sort_values(["grain", "start"])
    distinct["previous"] = distinct.groupby("grain")["start"].shift()
    expected_previous = distinct["start"].where(distinct["grain"] != "week") - pd.DateOffset(months=1)
    expected_previous = expected_previous.where(distinct["grain"] != "week", distinct["start"] - pd.Timedelta(days=7))
    gap = (
        distinct["previous"].notna()
        & (distinct["previous"] != expected_previous)
        & distinct["grain"].isin(["week", "month"])
    )
    distinct["expected_previous"] = expected_previous
    distinct["period_gap_problem"] = problem(
        gap,
        lambda rows: (
            rows["grain"]
            + " "
            + rows["start"].dt.strftime("%Y-%m-%d")
            + " follows "
            + rows["previous"].dt.strftime("%Y-%m-%d")
            + " (expected "
            + rows["expected_previous"].dt.strftime("%Y-%m-%d")
            + ")"
        ),
        distinct,
    )
    misaligned = ((distinct["grain"] == "week") & (distinct["start"].dt.day_of_week != 0)) | (
        (distinct["grain"] == "month") & (distinct["start"].dt.day != 1)
    )
    distinct["period_start_problem"] = problem(
        misaligned,
        lambda rows: (
            rows["grain"]
            + " starting "
            + rows["start"].dt.strftime("%Y-%m-%d (%A)")
            + " is not aligned (weeks start on Monday, months on the 1st)"
        ),
        distinct,
    )
    merged = periods.merge(
        distinct[["grain", "start", "period_gap_problem", "period_start_problem"]],
        on=["grain", "start"],
        how="left",
    )
    frame["period_gap_problem"] = merged["period_gap_problem"].to_numpy()
    frame["period_start_problem"] = merged["period_start_problem"].to_numpy()
    return frame


def prepare_kpi_scorecard(frame: pd.DataFrame) -> pd.DataFrame:
    if not set(suites.SCORECARD_KEY + ["value", "previous_value"]) <= set(frame.columns):
        return frame  # the column checks report what is missing
    frame["month_only_problem"] = problem(
        frame["tile"].isin(suites.MONTH_ONLY_TILES)
        & frame["period_grain"].notna()
        & (frame["period_grain"] != "month"),
        lambda rows: (
            rows["tile"].astype("str")
            + " KPI "
            + rows["kpi"].astype("str")
            + " in a "
            + rows["period_grain"].astype("str")
            + " period (month only)"
        ),
        frame,
    )
    kind = frame["kpi"].map(suites.value_kind)
    value, previous_value = number(frame["value"]), number(frame["previous_value"])
    frame["kpi_contract_tile"] = frame["kpi"].map(suites.TILE_OF_KPI)
    frame["kpi_tile_problem"] = problem(
        frame["kpi_contract_tile"].notna() & (frame["kpi_contract_tile"] != frame["tile"]),
        lambda rows: (
            rows["kpi"].astype("str")
            + " is under tile "
            + rows["tile"].astype("str")
            + ", metrics.md puts it under "
            + rows["kpi_contract_tile"].astype("str")
        ),
        frame,
    )
    frame["rate_value"] = value.where(kind == "rate")
    frame["rate_previous_value"] = previous_value.where(kind == "rate")
    frame["revenue_value"] = value.where(kind == "revenue")
    frame["revenue_previous_value"] = previous_value.where(kind == "revenue")

    # Completeness: every period of a grain carries every KPI expected for the
    # grain = the contract's KPIs for it plus any KPI seen in another period.
    periods = _period_frame(frame)
    periods["kpi"] = frame["kpi"]
    keyed = periods.dropna()
    expected = {
        grain: set(suites.kpis_for_grain(grain) if grain in suites.PERIOD_GRAINS else []) | set(group["kpi"])
        for grain, group in keyed.groupby("grain")
    }
    messages = {}
    for (grain, start), group in keyed.groupby(["grain", "start"]):
        missing = sorted(expected[grain] - set(group["kpi"]))
        if missing:
            shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
            messages[(grain, start)] = f"{grain} {start:%Y-%m-%d} misses {len(missing)} KPI(s): {shown}"
    frame["period_kpis_problem"] = [
        messages.get((grain, start)) for grain, start in zip(periods["grain"], periods["start"])
    ]
    return add_period_problems(frame)


# The raw columns each preparer reads (they are loaded even when no
# expectation reads them directly).
_PERIOD_INPUTS = ["period_grain", "period_start"]
INPUTS: dict[str, list[str]] = {
    suites.EVENTS: ["event_id", "event_type", "actor", "entry_point", "consent", "occurred_at", "received_at"],
    suites.CONTACTS: ["lifecycle_status", "preferred_channel", "source", "opted_out"],
    suites.ORDERS: ["order_id", "currency", "financial_status", *suites.ORDER_AMOUNTS],
    suites.FX_RATES: ["currency", "rate_to_reporting"],
    suites.COSTS: ["cost_type", "currency", "amount"],
    suites.SCORECARD: [*suites.SCORECARD_KEY, "value", "previous_value"],
    **{table: _PERIOD_INPUTS for table in suites.TILE_MARTS},
}

PREPARERS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    suites.EVENTS: prepare_dm_events,
    suites.CONTACTS: prepare_crm_contacts,
    suites.ORDERS: prepare_orders,
    suites.FX_RATES: prepare_fx_rates,
    suites.COSTS: prepare_automation_costs,
    suites.SCORECARD: prepare_kpi_scorecard,
    **{table: add_period_problems for table in suites.TILE_MARTS},
}


def prepare(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the helper columns of its table (helpers whose inputs
    the table lacks are left out: their checks then fail, naming the column)."""
    preparer = PREPARERS.get(table)
    if preparer is None:
        return frame
    return preparer(frame)
