"""Every Great Expectations check of the warehouse, declared in one place.

One suite per warehouse table, named like the table (``raw.raw_orders``,
``marts.kpi_scorecard``). A check is (table, expectation class, kwargs, why):
``RAW_CHECKS`` and ``MART_CHECKS`` below are plain lists of them, and
``dynamic_checks`` adds the checks that depend on the columns a tile mart
actually has (its ``*_rate`` and revenue columns).

Some checks read helper columns that ``quality/prepare.py`` adds to the
table's dataframe before validation. Their names say what they hold:

- ``<column>_normalised``: the raw text trimmed and lowercased, as staging
  reads enums and booleans (currencies: trimmed and uppercased);
- ``<column>_number``: the raw text parsed as a number (null when it is not one);
- ``<what>_problem``: empty when the row is fine, else one sentence saying
  what is wrong (so the report's "unexpected values" read as explanations).

Tolerance for raw tables. The raw contract lets a few rows break it: they
become rejects in staging, and dbt errors only when rejects exceed
``reject_error_share`` (1 %) of a raw table. The raw checks use the same
rule: ``mostly=TOLERATE_REJECTS`` becomes ``1 - max(1 %, one row)`` for the
table being checked, so 1 % of the rows may fail, and at least one row in a
small table (raw_fx_rates, raw_automation_costs) may. Checks on marts
tolerate nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import great_expectations.expectations as gxe
import yaml

PROJECT_FILE = Path(__file__).resolve().parents[1] / "dbt_project.yml"


def dbt_project_var(name: str) -> Any:
    """A var's value as declared in dbt_project.yml (the one definition of the project's parameters)."""
    declared = yaml.safe_load(PROJECT_FILE.read_text()).get("vars", {})
    if name not in declared:
        raise KeyError(f"var {name!r} is not declared in {PROJECT_FILE}")
    return declared[name]


# The dbt var reject_error_share: the share of a raw table that may break the
# contract before the build errors (a --vars override of a dbt run does not
# reach the checkpoint; change it in dbt_project.yml).
REJECT_ERROR_SHARE = float(dbt_project_var("reject_error_share"))


class _TolerateRejects:
    """Placeholder for ``mostly``: resolved per table by ``mostly_for``."""

    def __repr__(self) -> str:
        return "TOLERATE_REJECTS"


TOLERATE_REJECTS = _TolerateRejects()


def mostly_for(row_count: int) -> float:
    """``mostly`` that lets max(REJECT_ERROR_SHARE of the rows, one row) fail."""
    tolerated_share = max(REJECT_ERROR_SHARE, 1 / row_count) if row_count else REJECT_ERROR_SHARE
    # A hair below the exact ratio, so that exactly one bad row out of n passes
    # despite floating-point rounding of (n - 1) / n.
    return max(0.0, 1 - tolerated_share - 1e-9)


@dataclass(frozen=True)
class Check:
    table: str
    expectation: type[gxe.Expectation]
    kwargs: dict[str, Any] = field(default_factory=dict)
    why: str = ""


# --------------------------------------------------------------------------
# The contract, as the checks need it
# --------------------------------------------------------------------------

# Required columns of each raw table (same lists as macros/raw_contract.sql).
RAW_CONTRACT_COLUMNS = {
    "raw_dm_events": [
        "event_id",
        "occurred_at",
        "received_at",
        "thread_id",
        "ig_user_id",
        "ig_handle",
        "actor",
        "agent_id",
        "event_type",
        "entry_point",
        "source_media_id",
        "flow_name",
        "flow_step",
        "message_text",
        "buttons",
        "button_label",
        "link_url",
        "email",
        "phone",
        "consent",
        "consent_text_version",
    ],
    "raw_crm_contacts": [
        "contact_id",
        "created_at",
        "updated_at",
        "first_name",
        "last_name",
        "ig_handle",
        "ig_user_id",
        "email",
        "phone",
        "preferred_channel",
        "source",
        "campaign",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "product_interest",
        "budget",
        "timeline",
        "last_action",
        "lifecycle_status",
        "owner",
        "next_step",
        "flow_path",
        "consent_at",
        "consent_source",
        "opted_out",
        "opted_out_at",
    ],
    "raw_orders": [
        "order_id",
        "created_at",
        "customer_email",
        "customer_phone",
        "currency",
        "subtotal",
        "discount_total",
        "shipping_total",
        "tax_total",
        "total_price",
        "financial_status",
        "refunded_amount",
        "cancelled_at",
        "landing_site",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_content",
        "source_name",
    ],
    "raw_fx_rates": ["rate_date", "currency", "rate_to_reporting"],
    "raw_automation_costs": ["cost_month", "cost_type", "amount", "currency", "note"],
}

EVENT_TYPES = [
    "trigger",
    "message_in",
    "message_out",
    "message_read",
    "button_click",
    "link_click",
    "lead_submitted",
    "handoff",
    "resolved",
    "opt_out",
]
ACTORS = ["contact", "bot", "agent"]
ENTRY_POINTS = ["comment_to_dm", "story_reply", "keyword", "ad", "direct"]
PREFERRED_CHANNELS = ["dm", "email", "sms", "phone"]
CRM_SOURCES = ["comment_to_dm", "story_reply", "keyword", "ad", "direct", "website", "import", "pos"]
LIFECYCLE_STATUSES = ["new", "qualified", "won", "lost"]
FINANCIAL_STATUSES = ["pending", "paid", "partially_refunded", "refunded", "voided"]
COST_TYPES = ["tool_subscription", "setup", "agency", "ads", "other"]
# the spellings staging reads as booleans (dbt vars boolean_true_values / boolean_false_values)
BOOLEANS = [str(v).lower() for v in [*dbt_project_var("boolean_true_values"), *dbt_project_var("boolean_false_values")]]
ORDER_AMOUNTS = ["subtotal", "discount_total", "shipping_total", "tax_total", "total_price", "refunded_amount"]

# The same patterns as staging's parse_utc_timestamp / parse_date
# (macros/sql_functions.sql), allowing surrounding spaces (staging trims);
# groups are non-capturing (pandas warns about capturing groups in str.contains).
ISO_TIMESTAMP_WITH_OFFSET = (
    r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)\s*$"
)
ISO_DATE = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$"
FIRST_OF_MONTH = r"^\s*[0-9]{4}-[0-9]{2}-01\s*$"
DECIMAL_NUMBER = r"^\s*-?[0-9]+(?:[.][0-9]+)?\s*$"
CURRENCY_CODE = r"^[A-Z]{3}$"

# Mart contract (metrics.md): the KPIs of each tile, the grains, the tile marts.
KPIS_BY_TILE = {
    "acquisition": [
        "sessions_started",
        "comment_to_dm_starts",
        "story_reply_starts",
        "keyword_starts",
        "ad_starts",
    ],
    "engagement": ["first_message_open_rate", "button_ctr", "link_ctr", "first_message_dropoff_rate"],
    "conversion_revenue": [
        "lead_capture_rate",
        "dm_to_sale_rate",
        "attributed_orders",
        "attributed_revenue",
        "aov",
        "revenue_per_chat",
        "assisted_revenue",
        "lead_to_customer_rate",
        "revenue_per_lead",
        "median_days_to_first_order",
    ],
    "ops_health": [
        "median_first_response_seconds",
        "frt_under_60s_rate",
        "self_serve_rate",
        "handoff_rate",
        "median_handoff_response_seconds",
        "median_resolution_minutes",
        "opt_out_rate",
    ],
    "roi": ["automation_cost", "gains", "roi", "cost_per_lead"],
}
MONTH_ONLY_TILES = ["roi"]
TILE_OF_KPI = {kpi: tile for tile, kpis in KPIS_BY_TILE.items() for kpi in kpis}
PERIOD_GRAINS = ["week", "month"]
TILE_MARTS = {
    "marts.mart_acquisition": "acquisition",
    "marts.mart_engagement": "engagement",
    "marts.mart_conversion_revenue": "conversion_revenue",
    "marts.mart_ops_health": "ops_health",
}
ATTRIBUTION_TYPES = ["dm_attributed", "utm_unmatched", "assisted", "none"]
SCORECARD_COLUMNS = [
    "period_grain",
    "period_start",
    "tile",
    "kpi",
    "value",
    "numerator",
    "denominator",
    "previous_value",
    "change",
    "change_pct",
    "why",
]


def kpis_for_grain(grain: str) -> list[str]:
    """The KPIs the contract puts in every period of a grain (roi is month only)."""
    return [
        kpi for tile, kpis in KPIS_BY_TILE.items() if grain == "month" or tile not in MONTH_ONLY_TILES for kpi in kpis
    ]


_PREVIOUS_PREFIXES = ("previous_value_", "previous_", "prev_", "prior_")
_PREVIOUS_SUFFIXES = ("_previous_value", "_prev_value", "_previous", "_prev", "_prior")
_NOT_A_LEVEL = {"change", "delta", "diff", "pct", "growth", "rank"}


def value_kind(name: str) -> str | None:
    """'rate' for a rate KPI or its previous-period value (the name ends in
    _rate), 'revenue' for revenue KPIs (the name holds 'revenue', or aov),
    None otherwise. Changes between periods (change, delta, pct, ...) can be
    negative and are never either."""
    name = str(name).lower()
    if _NOT_A_LEVEL & set(name.split("_")):
        return None
    stem = name
    for prefix in _PREVIOUS_PREFIXES:
        if stem.startswith(prefix):
            stem = stem[len(prefix) :]
            break
    for suffix in _PREVIOUS_SUFFIXES:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    if stem.endswith("_rate"):
        return "rate"
    if "revenue" in stem or stem == "aov":
        return "revenue"
    return None


# --------------------------------------------------------------------------
# Short constructors, so that the lists below read as a table
# --------------------------------------------------------------------------


def has_rows(table: str) -> Check:
    return Check(table, gxe.ExpectTableRowCountToBeBetween, {"min_value": 1}, "the table is not empty")


def has_columns(table: str, columns: list[str], why: str) -> Check:
    return Check(table, gxe.ExpectTableColumnsToMatchSet, {"column_set": list(columns), "exact_match": False}, why)


def has_column(table: str, column: str, why: str) -> Check:
    return Check(table, gxe.ExpectColumnToExist, {"column": column}, why)


def not_null(table: str, column: str, why: str, mostly: Any = None) -> Check:
    return Check(table, gxe.ExpectColumnValuesToNotBeNull, _kwargs(column=column, mostly=mostly), why)


def is_null(table: str, column: str, why: str, mostly: Any = None) -> Check:
    return Check(table, gxe.ExpectColumnValuesToBeNull, _kwargs(column=column, mostly=mostly), why)


def unique(table: str, column: str, why: str, mostly: Any = None) -> Check:
    return Check(table, gxe.ExpectColumnValuesToBeUnique, _kwargs(column=column, mostly=mostly), why)


def unique_together(table: str, columns: list[str], why: str, mostly: Any = None) -> Check:
    return Check(table, gxe.ExpectCompoundColumnsToBeUnique, _kwargs(column_list=list(columns), mostly=mostly), why)


def in_set(table: str, column: str, values: list[str], why: str, mostly: Any = None) -> Check:
    return Check(
        table, gxe.ExpectColumnValuesToBeInSet, _kwargs(column=column, value_set=list(values), mostly=mostly), why
    )


def matches(table: str, column: str, regex: str, why: str, mostly: Any = None) -> Check:
    return Check(table, gxe.ExpectColumnValuesToMatchRegex, _kwargs(column=column, regex=regex, mostly=mostly), why)


def between(table: str, column: str, why: str, min_value=None, max_value=None, mostly: Any = None, **extra) -> Check:
    kwargs = _kwargs(column=column, min_value=min_value, max_value=max_value, mostly=mostly, **extra)
    return Check(table, gxe.ExpectColumnValuesToBeBetween, kwargs, why)


def _kwargs(**kwargs: Any) -> dict[str, Any]:
    return {key: value for key, value in kwargs.items() if value is not None}


# --------------------------------------------------------------------------
# Raw inputs: formats, enums, ranges (nulls are ignored by the value checks;
# the not_null checks say which columns are required)
# --------------------------------------------------------------------------

EVENTS = "raw.raw_dm_events"
CONTACTS = "raw.raw_crm_contacts"
ORDERS = "raw.raw_orders"
FX_RATES = "raw.raw_fx_rates"
COSTS = "raw.raw_automation_costs"
T = TOLERATE_REJECTS

RAW_CHECKS: list[Check] = [
    # raw_dm_events: one row per delivered event (event_id repeats on webhook retries: not unique)
    has_rows(EVENTS),
    has_columns(
        EVENTS, RAW_CONTRACT_COLUMNS["raw_dm_events"], "every contract column is in the header (extra columns are fine)"
    ),
    *[
        not_null(EVENTS, column, "required by the contract", mostly=T)
        for column in ["event_id", "thread_id", "ig_user_id", "actor", "event_type", "occurred_at", "received_at"]
    ],
    in_set(
        EVENTS,
        "event_type_normalised",
        EVENT_TYPES,
        "event_type (trimmed, lowercased) is a contract event type",
        mostly=T,
    ),
    in_set(EVENTS, "actor_normalised", ACTORS, "actor (trimmed, lowercased) is contact, bot or agent", mostly=T),
    in_set(
        EVENTS,
        "entry_point_normalised",
        ENTRY_POINTS,
        "entry_point (trimmed, lowercased) is a contract entry point",
        mostly=T,
    ),
    in_set(
        EVENTS,
        "consent_normalised",
        BOOLEANS,
        "consent is a boolean staging can read (true/false, t/f, 1/0, yes/no, y/n)",
        mostly=T,
    ),
    matches(
        EVENTS, "occurred_at", ISO_TIMESTAMP_WITH_OFFSET, "ISO-8601 timestamp with an explicit UTC offset", mostly=T
    ),
    matches(
        EVENTS, "received_at", ISO_TIMESTAMP_WITH_OFFSET, "ISO-8601 timestamp with an explicit UTC offset", mostly=T
    ),
    is_null(EVENTS, "received_at_problem", "received_at is not before occurred_at", mostly=T),
    # raw_crm_contacts: one row per CRM record
    has_rows(CONTACTS),
    has_columns(
        CONTACTS,
        RAW_CONTRACT_COLUMNS["raw_crm_contacts"],
        "every contract column is in the header (extra columns are fine)",
    ),
    *[
        not_null(CONTACTS, column, "required by the contract", mostly=T)
        for column in ["contact_id", "created_at", "updated_at", "lifecycle_status", "opted_out"]
    ],
    unique(CONTACTS, "contact_id", "contact_id is unique per record (duplicates become rejects)", mostly=T),
    in_set(
        CONTACTS,
        "lifecycle_status_normalised",
        LIFECYCLE_STATUSES,
        "lifecycle_status (trimmed, lowercased) is new, qualified, won or lost",
        mostly=T,
    ),
    in_set(
        CONTACTS,
        "preferred_channel_normalised",
        PREFERRED_CHANNELS,
        "preferred_channel (trimmed, lowercased) is dm, email, sms or phone",
        mostly=T,
    ),
    in_set(CONTACTS, "source_normalised", CRM_SOURCES, "source (trimmed, lowercased) is a contract source", mostly=T),
    in_set(
        CONTACTS,
        "opted_out_normalised",
        BOOLEANS,
        "opted_out is a boolean staging can read (true/false, t/f, 1/0, yes/no, y/n)",
        mostly=T,
    ),
    *[
        matches(CONTACTS, column, ISO_TIMESTAMP_WITH_OFFSET, "ISO-8601 timestamp with an explicit UTC offset", mostly=T)
        for column in ["created_at", "updated_at", "consent_at", "opted_out_at"]
    ],
    # raw_orders: one row per shop order
    has_rows(ORDERS),
    has_columns(
        ORDERS, RAW_CONTRACT_COLUMNS["raw_orders"], "every contract column is in the header (extra columns are fine)"
    ),
    *[
        not_null(ORDERS, column, "required by the contract", mostly=T)
        for column in ["order_id", "created_at", "currency", "total_price", "financial_status"]
    ],
    unique(ORDERS, "order_id", "order_id is unique (duplicates become rejects)", mostly=T),
    matches(
        ORDERS, "created_at", ISO_TIMESTAMP_WITH_OFFSET, "ISO-8601 timestamp with an explicit UTC offset", mostly=T
    ),
    matches(
        ORDERS, "cancelled_at", ISO_TIMESTAMP_WITH_OFFSET, "ISO-8601 timestamp with an explicit UTC offset", mostly=T
    ),
    matches(
        ORDERS,
        "currency_normalised",
        CURRENCY_CODE,
        "currency (trimmed, uppercased) is a 3-letter ISO 4217 code",
        mostly=T,
    ),
    in_set(
        ORDERS,
        "financial_status_normalised",
        FINANCIAL_STATUSES,
        "financial_status (trimmed, lowercased) is a contract status",
        mostly=T,
    ),
    *[matches(ORDERS, column, DECIMAL_NUMBER, "amount is a decimal number", mostly=T) for column in ORDER_AMOUNTS],
    *[
        between(ORDERS, f"{column}_number", "amounts are not negative", min_value=0, mostly=T)
        for column in ORDER_AMOUNTS
    ],
    is_null(ORDERS, "refund_problem", "refunded_amount does not exceed total_price", mostly=T),
    # raw_fx_rates: one row per currency and day
    has_rows(FX_RATES),
    has_columns(
        FX_RATES,
        RAW_CONTRACT_COLUMNS["raw_fx_rates"],
        "every contract column is in the header (extra columns are fine)",
    ),
    *[
        not_null(FX_RATES, column, "required by the contract", mostly=T)
        for column in ["rate_date", "currency", "rate_to_reporting"]
    ],
    matches(FX_RATES, "rate_date", ISO_DATE, "rate_date is a YYYY-MM-DD date", mostly=T),
    matches(
        FX_RATES,
        "currency_normalised",
        CURRENCY_CODE,
        "currency (trimmed, uppercased) is a 3-letter ISO 4217 code",
        mostly=T,
    ),
    matches(FX_RATES, "rate_to_reporting", DECIMAL_NUMBER, "rate is a decimal number", mostly=T),
    between(FX_RATES, "rate_to_reporting_number", "a rate is positive", min_value=0, strict_min=True, mostly=T),
    unique_together(FX_RATES, ["currency_normalised", "rate_date"], "one rate per currency and day", mostly=T),
    # raw_automation_costs: one row per month and cost type
    has_rows(COSTS),
    has_columns(
        COSTS,
        RAW_CONTRACT_COLUMNS["raw_automation_costs"],
        "every contract column is in the header (extra columns are fine)",
    ),
    *[
        not_null(COSTS, column, "required by the contract", mostly=T)
        for column in ["cost_month", "cost_type", "amount", "currency"]
    ],
    matches(COSTS, "cost_month", FIRST_OF_MONTH, "cost_month is the first day of a month (YYYY-MM-01)", mostly=T),
    in_set(
        COSTS, "cost_type_normalised", COST_TYPES, "cost_type (trimmed, lowercased) is a contract cost type", mostly=T
    ),
    matches(
        COSTS,
        "currency_normalised",
        CURRENCY_CODE,
        "currency (trimmed, uppercased) is a 3-letter ISO 4217 code",
        mostly=T,
    ),
    matches(COSTS, "amount", DECIMAL_NUMBER, "amount is a decimal number", mostly=T),
    between(COSTS, "amount_number", "amounts are not negative", min_value=0, mostly=T),
]


# --------------------------------------------------------------------------
# Marts: keys, ranges, completeness (no tolerance)
# --------------------------------------------------------------------------

SCORECARD = "marts.kpi_scorecard"
ORDERS_FACT = "marts.fct_orders"
SESSIONS_FACT = "marts.fct_dm_sessions"
CONTACTS_DIM = "marts.dim_contacts"
ROI_MART = "marts.mart_roi_monthly"
FLOW_PERFORMANCE = "marts.mart_flow_performance"
FLOW_DROPOFF = "marts.mart_flow_dropoff"
LINK_PERFORMANCE = "marts.mart_link_performance"
BUTTON_PERFORMANCE = "marts.mart_button_performance"
ORDER_TOUCHES = "marts.fct_order_touches"
FLOW_KEY = ["period_grain", "period_start", "flow_name"]
SCORECARD_KEY = ["period_grain", "period_start", "tile", "kpi"]
TILE_KEY = ["period_grain", "period_start"]
PERIOD_CHECKS_WHY = {
    "period_gap_problem": "periods follow each other with no gap (a week or a month apart)",
    "period_start_problem": "a week starts on a Monday, a month on its first day",
}

MART_CHECKS: list[Check] = [
    # kpi_scorecard: period_grain x period_start x tile x kpi
    has_rows(SCORECARD),
    has_columns(SCORECARD, SCORECARD_COLUMNS, "the columns of the mart contract"),
    *[not_null(SCORECARD, column, "part of the key") for column in SCORECARD_KEY],
    unique_together(SCORECARD, SCORECARD_KEY, "one row per period_grain, period_start, tile and kpi"),
    in_set(SCORECARD, "period_grain", PERIOD_GRAINS, "periods are ISO weeks or calendar months"),
    in_set(SCORECARD, "tile", list(KPIS_BY_TILE), "the five tiles of metrics.md"),
    is_null(
        SCORECARD,
        "kpi_tile_problem",
        "a KPI of the metrics.md table sits in its tile (KPIs the table does not list are allowed)",
    ),
    is_null(SCORECARD, "month_only_problem", "roi KPIs only in month periods (metrics.md: roi is month only)"),
    between(
        SCORECARD, "rate_value", "value of a rate KPI (name ends in _rate) is within [0, 1]", min_value=0, max_value=1
    ),
    between(
        SCORECARD, "rate_previous_value", "previous_value of a rate KPI is within [0, 1]", min_value=0, max_value=1
    ),
    between(
        SCORECARD,
        "revenue_value",
        "value of a revenue KPI (attributed/assisted revenue, aov, revenue_per_chat) is not negative",
        min_value=0,
    ),
    between(SCORECARD, "revenue_previous_value", "previous_value of a revenue KPI is not negative", min_value=0),
    is_null(
        SCORECARD,
        "period_kpis_problem",
        "scorecard complete: every period of a grain has every KPI of that grain (roi: months only); counted in rows",
    ),
    is_null(SCORECARD, "period_gap_problem", PERIOD_CHECKS_WHY["period_gap_problem"] + "; counted in rows"),
    is_null(SCORECARD, "period_start_problem", PERIOD_CHECKS_WHY["period_start_problem"] + "; counted in rows"),
    not_null(SCORECARD, "why", "every tile row carries its one-sentence explanation"),
    # fct_orders: one row per order, eligible or not
    has_rows(ORDERS_FACT),
    not_null(ORDERS_FACT, "order_id", "primary key"),
    unique(ORDERS_FACT, "order_id", "primary key"),
    between(ORDERS_FACT, "net_revenue", "no negative revenue", min_value=0),
    not_null(ORDERS_FACT, "attribution_type", "every order has an attribution type ('none' when ineligible)"),
    in_set(
        ORDERS_FACT,
        "attribution_type",
        ATTRIBUTION_TYPES,
        "attribution_type is dm_attributed, utm_unmatched, assisted or none",
    ),
    # fct_dm_sessions: one row per session
    has_rows(SESSIONS_FACT),
    not_null(SESSIONS_FACT, "session_id", "primary key"),
    unique(SESSIONS_FACT, "session_id", "primary key"),
    between(SESSIONS_FACT, "first_response_seconds", "the first answer comes after the trigger", min_value=0),
    # dim_contacts: one row per person
    has_rows(CONTACTS_DIM),
    not_null(CONTACTS_DIM, "person_id", "primary key"),
    unique(CONTACTS_DIM, "person_id", "primary key"),
    # mart_roi_monthly: one row per month
    has_rows(ROI_MART),
    not_null(ROI_MART, "period_start", "primary key"),
    unique(ROI_MART, "period_start", "primary key"),
    *[
        between(ROI_MART, column, "costs, gains and their parts are not negative", min_value=0)
        for column in [
            "automation_cost",
            "gains",
            "revenue_gain",
            "time_saved_value",
            "time_saved_hours",
            "attributed_revenue",
            "cost_per_lead",
        ]
    ],
    # mart_flow_performance: period_grain x period_start x flow_name
    has_rows(FLOW_PERFORMANCE),
    *[not_null(FLOW_PERFORMANCE, column, "part of the key") for column in FLOW_KEY],
    unique_together(FLOW_PERFORMANCE, FLOW_KEY, "one row per period, grain and flow"),
    in_set(FLOW_PERFORMANCE, "period_grain", PERIOD_GRAINS, "periods are ISO weeks or calendar months"),
    between(FLOW_PERFORMANCE, "attributed_revenue", "no negative revenue", min_value=0),
    between(FLOW_PERFORMANCE, "revenue_per_chat", "no negative revenue per chat", min_value=0),
    between(FLOW_PERFORMANCE, "lead_capture_rate", "a rate is within [0, 1]", min_value=0, max_value=1),
    between(FLOW_PERFORMANCE, "revenue_rank", "ranks start at 1", min_value=1),
    # mart_flow_dropoff: period_grain x period_start x flow_name x flow_step
    has_rows(FLOW_DROPOFF),
    *[not_null(FLOW_DROPOFF, column, "part of the key") for column in FLOW_KEY + ["flow_step"]],
    unique_together(FLOW_DROPOFF, FLOW_KEY + ["flow_step"], "one row per period, grain, flow and step"),
    between(FLOW_DROPOFF, "dropoff_rate", "a rate is within [0, 1]", min_value=0, max_value=1),
    between(FLOW_DROPOFF, "reach_rate", "a rate is within [0, 1]", min_value=0, max_value=1),
    # mart_link_performance / mart_button_performance: period x flow x step x link / label
    *[
        check
        for table, item in [(LINK_PERFORMANCE, "link"), (BUTTON_PERFORMANCE, "button_label")]
        for check in [
            has_rows(table),
            *[not_null(table, column, "part of the key") for column in FLOW_KEY + ["flow_step", item]],
            unique_together(table, FLOW_KEY + ["flow_step", item], f"one row per period, grain, flow, step and {item}"),
            in_set(table, "period_grain", PERIOD_GRAINS, "periods are ISO weeks or calendar months"),
        ]
    ],
    between(LINK_PERFORMANCE, "ctr", "a CTR is not negative", min_value=0),
    between(BUTTON_PERFORMANCE, "tap_rate", "a tap rate is not negative", min_value=0),
    between(FLOW_PERFORMANCE, "lead_to_customer_rate", "a rate is within [0, 1]", min_value=0, max_value=1),
    between(FLOW_PERFORMANCE, "revenue_per_lead", "no negative revenue per lead", min_value=0),
    # fct_order_touches: one row per order x qualifying session
    has_rows(ORDER_TOUCHES),
    not_null(ORDER_TOUCHES, "touch_id", "primary key"),
    unique(ORDER_TOUCHES, "touch_id", "primary key"),
    *[
        between(ORDER_TOUCHES, column, "no negative revenue share", min_value=0)
        for column in ["last_touch_revenue", "first_touch_revenue", "linear_revenue"]
    ],
    # Tile marts: period_grain x period_start, one column per KPI of the tile
    *[
        check
        for table, tile in TILE_MARTS.items()
        for check in [
            has_rows(table),
            has_columns(table, TILE_KEY, "the key of a tile mart"),
            *[has_column(table, kpi, f"one column per KPI of the {tile} tile") for kpi in KPIS_BY_TILE[tile]],
            *[not_null(table, column, "part of the key") for column in TILE_KEY],
            unique_together(table, TILE_KEY, "one row per period_grain and period_start"),
            in_set(table, "period_grain", PERIOD_GRAINS, "periods are ISO weeks or calendar months"),
            *[is_null(table, column, why) for column, why in PERIOD_CHECKS_WHY.items()],
        ]
    ],
]


def dynamic_checks(table: str, columns: list[str]) -> list[Check]:
    """Checks that depend on the columns a tile mart has: every rate column
    (a KPI or previous-period value whose name ends in _rate) within [0, 1],
    every revenue column not negative."""
    if table not in TILE_MARTS:
        return []
    checks = []
    for column in columns:
        kind = value_kind(column)
        if kind == "rate":
            checks.append(between(table, column, "a rate is within [0, 1]", min_value=0, max_value=1))
        elif kind == "revenue":
            checks.append(between(table, column, "no negative revenue", min_value=0))
    return checks


ALL_CHECKS: list[Check] = RAW_CHECKS + MART_CHECKS
# Tables in report order.
TABLES: list[str] = list(dict.fromkeys(check.table for check in ALL_CHECKS))


def checks_for(table: str, columns: list[str]) -> list[Check]:
    """The suite of a table whose columns are `columns`, in report order."""
    return [check for check in ALL_CHECKS if check.table == table] + dynamic_checks(table, columns)


def columns_checked(checks: list[Check]) -> set[str]:
    """The columns the expectations read (helper columns included)."""
    columns: set[str] = set()
    for check in checks:
        if "column" in check.kwargs:
            columns.add(check.kwargs["column"])
        columns.update(check.kwargs.get("column_list", []))
    return columns


def layer_of(table: str) -> str:
    """'raw' or 'marts' (the schema of the table)."""
    return table.split(".", 1)[0]
