"""What the page reads from the warehouse: marts only, read-only.

Each function runs one query on the marts and returns plain Python values;
nothing here computes a KPI (values, changes, ranks and sentences are the
marts' own columns), it only selects the period's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from dashboard.periods import Period

SCHEMA = "marts"
SCORECARD_COLUMNS = [
    "tile",
    "kpi",
    "kpi_label",
    "unit",
    "kpi_order",
    "is_higher_better",
    "value",
    "previous_value",
    "change",
    "change_pct",
    "why",
    "previous_period_start",
]
# Added to kpi_scorecard by issue 13 item 2 ("is it real?"); read when the table has them.
SIGNIFICANCE_COLUMNS = ["ci_low", "ci_high", "change_p_value", "is_change_significant"]


@dataclass
class Marts:
    """A read-only connection to the warehouse and the name of its marts schema."""

    connection: duckdb.DuckDBPyConnection
    schema: str = SCHEMA

    def __enter__(self) -> Marts:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.connection.close()

    def relation(self, table: str) -> str:
        # Fully qualified: a file named marts.duckdb has a catalog called marts.
        (catalog,) = self.connection.execute("select current_database()").fetchone()
        return ".".join(_quote(part) for part in (catalog, self.schema, table))

    def rows(self, sql: str, parameters: list[Any] | None = None) -> list[dict[str, Any]]:
        cursor = self.connection.execute(sql, parameters or [])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def open_marts(warehouse: Path, schema: str = SCHEMA) -> Marts:
    if not Path(warehouse).is_file():
        raise FileNotFoundError(f"warehouse {warehouse} not found: run `make build` first (or set DBT_DUCKDB_PATH)")
    return Marts(duckdb.connect(str(warehouse), read_only=True), schema)


def table_columns(marts: Marts, table: str) -> list[str]:
    """The columns of a mart, as DuckDB's describe lists them."""
    return [row["column_name"] for row in marts.rows(f"describe {marts.relation(table)}")]


def has_significance(marts: Marts) -> bool:
    """Whether kpi_scorecard carries the significance columns (is_change_significant and the rest)."""
    return set(SIGNIFICANCE_COLUMNS) <= set(table_columns(marts, "kpi_scorecard"))


def latest_data_date(marts: Marts) -> date:
    """The latest UTC date of any session (start or end) or order in the marts."""
    sessions = marts.relation("fct_dm_sessions")
    orders = marts.relation("fct_orders")
    (latest,) = marts.connection.execute(
        f"""
        select max(day) from (
            select max(cast(started_at as date)) as day from {sessions}
            union all select max(cast(ended_at as date)) from {sessions}
            union all select max(cast(created_at as date)) from {orders}
        )
        """
    ).fetchone()
    if latest is None:
        raise ValueError("the marts hold no session and no order: nothing to report")
    return latest


def scorecard_periods(marts: Marts, grain: str) -> list[date]:
    """The period starts of the grain that kpi_scorecard has, oldest first."""
    rows = marts.rows(
        f"select distinct period_start from {marts.relation('kpi_scorecard')} "
        "where period_grain = ? order by period_start",
        [grain],
    )
    return [row["period_start"] for row in rows]


def scorecard(marts: Marts, period: Period, significance: bool) -> list[dict[str, Any]]:
    """Every KPI row of kpi_scorecard for the period, in tile and registry order."""
    columns = SCORECARD_COLUMNS + (SIGNIFICANCE_COLUMNS if significance else [])
    return marts.rows(
        f"select {', '.join(columns)} from {marts.relation('kpi_scorecard')} "
        "where period_grain = ? and period_start = ? order by kpi_order",
        [period.grain, period.start],
    )


def trends(marts: Marts, period: Period, kpis: list[str], periods: int) -> dict[str, list[tuple[date, Any]]]:
    """Value of each KPI over the last `periods` periods of the grain up to the period, oldest first."""
    if not kpis:
        return {}
    placeholders = ", ".join("?" for _ in kpis)
    rows = marts.rows(
        f"""
        with recent as (
            select distinct period_start from {marts.relation("kpi_scorecard")}
            where period_grain = ? and period_start <= ?
            order by period_start desc
            limit ?
        )
        select kpi, period_start, value from {marts.relation("kpi_scorecard")}
        where period_grain = ? and kpi in ({placeholders})
            and period_start in (select period_start from recent)
        order by kpi, period_start
        """,
        [period.grain, period.start, periods, period.grain, *kpis],
    )
    series: dict[str, list[tuple[date, Any]]] = {kpi: [] for kpi in kpis}
    for row in rows:
        series[row["kpi"]].append((row["period_start"], row["value"]))
    return series


def best_flows(marts: Marts, period: Period, limit: int) -> list[dict[str, Any]]:
    """The period's automation flows by revenue_rank (mart_flow_performance), best first; names
    that are not automation flows (no rank: '(unknown)', a stray utm_campaign) are left out."""
    return marts.rows(
        f"""
        select flow_name, revenue_rank, sessions, leads, attributed_orders, attributed_revenue,
            revenue_per_chat, lead_capture_rate
        from {marts.relation("mart_flow_performance")}
        where period_grain = ? and period_start = ? and revenue_rank is not null
        order by revenue_rank, flow_name
        limit ?
        """,
        [period.grain, period.start, limit],
    )


def top_dropoffs(marts: Marts, period: Period, limit: int) -> list[dict[str, Any]]:
    """The period's steps that lost the most sessions (mart_flow_dropoff), across flows."""
    return marts.rows(
        f"""
        select flow_name, flow_step, dropoff_rank, sessions_reached, sessions_dropped, dropoff_rate
        from {marts.relation("mart_flow_dropoff")}
        where period_grain = ? and period_start = ? and sessions_dropped > 0
        order by sessions_dropped desc, dropoff_rate desc, flow_name, flow_step
        limit ?
        """,
        [period.grain, period.start, limit],
    )


def roi_month(marts: Marts, month_start: date) -> dict[str, Any] | None:
    """The month's row of mart_roi_monthly (None when the month is not in it)."""
    rows = marts.rows(f"select * from {marts.relation('mart_roi_monthly')} where period_start = ?", [month_start])
    return rows[0] if rows else None
