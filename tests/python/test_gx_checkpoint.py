"""The Great Expectations checkpoint (quality/gx_checkpoint.py): passes on the
demo raw data, fails (exit 1, failing expectation named in the HTML) on bad
raw rows, on a rate above 1 in the marts, and on a missing mart table.

Every run calls quality.gx_checkpoint.main (what `python -m
quality.gx_checkpoint` runs) in this process: great_expectations is imported
once (about 4 s) instead of once per run. `make test` runs the command itself.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, copy_project, run_dbt

# quality/ lives at the repo root; imported lazily (great_expectations is slow to import).
sys.path.insert(0, str(PROJECT_ROOT))


def _suites():
    from quality import suites

    return suites


def run_checkpoint(warehouse: Path, output_dir: Path, layers: str, data_docs: bool = False) -> tuple[int, dict, str]:
    """quality.gx_checkpoint.main in this process: (exit code, results.json, index.html).
    GX's Data Docs (2 s a run) only when asked."""
    from quality import gx_checkpoint

    argv = ["--warehouse", str(warehouse), "--output-dir", str(output_dir), "--suites", layers]
    code = gx_checkpoint.main(argv + ([] if data_docs else ["--no-data-docs"]))
    results = json.loads((output_dir / "results.json").read_text())
    return code, results, (output_dir / "index.html").read_text()


def failed_expectations(results: dict) -> set[tuple[str, str, str]]:
    """(suite, expectation type, column(s)) of every failed expectation."""
    failed = set()
    for suite in results["suites"]:
        for outcome in suite["expectations"]:
            if not outcome["success"]:
                kwargs = outcome["kwargs"]
                target = kwargs.get("column") or ",".join(kwargs.get("column_list") or []) or "(table)"
                failed.add((suite["suite"], outcome["expectation"], target))
    return failed


def what_failed_section(html: str) -> str:
    match = re.search(r"<h2>What failed</h2>(.*?)<h2", html, re.S)
    assert match, "the report has no 'What failed' section"
    return match.group(1)


@pytest.fixture(scope="module")
def raw_warehouse(tmp_path_factory) -> Path:
    """A warehouse holding only the demo seeds (schema raw), seeded from a copy
    of the project without its models and tests: dbt parses only the seeds and
    macros (half the time, and immune to a model being edited meanwhile)."""
    project = copy_project(tmp_path_factory.mktemp("gx_raw") / "project")
    for folder in ["models", "tests", "analyses"]:
        shutil.rmtree(project / folder, ignore_errors=True)
    result = run_dbt(project, "seed")
    assert result.returncode == 0, result.output[-3000:]
    return result.warehouse


def test_raw_suites_pass_on_the_demo_seeds(raw_warehouse, tmp_path, capsys):
    output_dir = tmp_path / "gx"
    code, results, html = run_checkpoint(raw_warehouse, output_dir, "raw", data_docs=True)
    printed = capsys.readouterr().out
    assert code == 0, printed
    lines = [line for line in printed.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(lines) == 5 and all(line.startswith("PASS") for line in lines), printed

    assert "<script" not in html.lower()
    assert not re.search(r"https?://", html), "the summary must not load or link anything from the network"
    assert "<link" not in html.lower() and "@import" not in html and "url(" not in html
    for table in [
        "raw.raw_dm_events",
        "raw.raw_crm_contacts",
        "raw.raw_orders",
        "raw.raw_fx_rates",
        "raw.raw_automation_costs",
    ]:
        assert table in html
    assert results["success"] is True
    assert {suite["suite"] for suite in results["suites"]} == {
        table for table in _suites().TABLES if table.startswith("raw.")
    }
    assert (output_dir / "data_docs" / "index.html").exists()


def test_marts_missing_from_the_warehouse_fail_by_name(raw_warehouse, tmp_path):
    code, results, html = run_checkpoint(raw_warehouse, tmp_path / "gx", "raw,marts")
    assert code == 1
    missing = {suite["suite"] for suite in results["suites"] if suite["status"] == "missing"}
    assert "marts.kpi_scorecard" in missing and "marts.fct_orders" in missing
    assert "table marts.kpi_scorecard does not exist" in what_failed_section(html)
    # The raw suites still ran and passed.
    assert all(suite["success"] for suite in results["suites"] if suite["layer"] == "raw")


def test_bad_raw_rows_fail_the_checkpoint(raw_warehouse, tmp_path):
    """The demo seeds with 5 % of the events of an unknown type and a quarter
    of the orders with a negative total (edited in a copy of the seeded
    warehouse: faster than seeding again)."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(raw_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("update raw.raw_dm_events set event_type = 'reaction' where rowid % 20 = 0")
        connection.execute("update raw.raw_orders set total_price = '-10.00' where rowid % 4 = 0")

    code, results, html = run_checkpoint(warehouse, tmp_path / "gx", "raw")
    assert code == 1
    failed = failed_expectations(results)
    assert ("raw.raw_dm_events", "expect_column_values_to_be_in_set", "event_type_normalised") in failed
    assert ("raw.raw_orders", "expect_column_values_to_be_between", "total_price_number") in failed
    section = what_failed_section(html)
    assert "event_type_normalised" in section and "reaction" in section
    assert "total_price_number" in section and "-10.0" in section
    # The untouched tables still pass.
    assert {suite["suite"] for suite in results["suites"] if not suite["success"]} == {
        "raw.raw_dm_events",
        "raw.raw_orders",
    }


def test_booleans_staging_reads_pass_the_raw_suites_and_others_fail(raw_warehouse, tmp_path):
    """One rule for text booleans (vars boolean_true_values / boolean_false_values): consents
    written yes / 1 / TRUE / n, which staging parses, pass the raw suite; "maybe" fails it."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(raw_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        spellings = ["yes", "1", "TRUE", " n "]
        for number, spelling in enumerate(spellings):
            connection.execute(
                f"update raw.raw_dm_events set consent = '{spelling}' "
                f"where consent is not null and rowid % {len(spellings)} = {number}"
            )
    code, results, _html = run_checkpoint(warehouse, tmp_path / "gx", "raw")
    assert code == 0 and results["success"] is True
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("update raw.raw_dm_events set consent = 'maybe' where consent is not null")
    code, results, _html = run_checkpoint(warehouse, tmp_path / "gx2", "raw")
    assert code == 1
    assert ("raw.raw_dm_events", "expect_column_values_to_be_in_set", "consent_normalised") in failed_expectations(
        results
    )


# --- marts: a small handcrafted warehouse -------------------------------------

WEEKS = [date(2026, 9, 7) + timedelta(weeks=number) for number in range(3)]
MONTHS = [date(2026, 9, 1), date(2026, 10, 1)]


def _kpi_value(kpi: str) -> float:
    kind = _suites().value_kind(kpi)
    return 0.25 if kind == "rate" else 120.0 if kind == "revenue" else 7.0


def build_marts(path: Path, bad_rate: float | None = None, drop_kpi: str | None = None) -> Path:
    """marts.* tables as the mart contract describes them, valid unless
    bad_rate (a value for first_message_open_rate in the first week) or
    drop_kpi (a KPI left out of the second week of the scorecard) is given."""
    periods = [("week", start) for start in WEEKS] + [("month", start) for start in MONTHS]
    scorecard = []
    for grain, start in periods:
        for tile, kpis in _suites().KPIS_BY_TILE.items():
            if tile in _suites().MONTH_ONLY_TILES and grain != "month":
                continue
            for kpi in kpis:
                if drop_kpi == kpi and (grain, start) == ("week", WEEKS[1]):
                    continue
                value = _kpi_value(kpi)
                if bad_rate is not None and kpi == "first_message_open_rate" and (grain, start) == ("week", WEEKS[0]):
                    value = bad_rate
                previous = _kpi_value(kpi)
                scorecard.append(
                    (grain, start, tile, kpi, value, None, None, previous, value - previous, None, f"{kpi} moved.")
                )
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.kpi_scorecard (period_grain varchar, period_start date, tile varchar, kpi varchar, "
            "value double, numerator double, denominator double, previous_value double, change double, "
            "change_pct double, why varchar)"
        )
        connection.executemany("insert into marts.kpi_scorecard values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", scorecard)
        for table, tile in _suites().TILE_MARTS.items():
            kpis = _suites().KPIS_BY_TILE[tile]
            columns = ", ".join(f"{kpi} double, previous_{kpi} double" for kpi in kpis)
            connection.execute(f"create table {table} (period_grain varchar, period_start date, {columns})")
            for grain, start in periods:
                values = [value for kpi in kpis for value in (_kpi_value(kpi), _kpi_value(kpi))]
                connection.execute(f"insert into {table} values (?, ?{', ?' * len(values)})", [grain, start, *values])
        connection.execute(
            "create table marts.fct_orders as select * from (values ('o1', 'p1', 50.0, 'dm_attributed', true), "
            "('o2', 'p2', 0.0, 'utm_unmatched', true), ('o3', null, 0.0, 'none', false)) "
            "as orders(order_id, person_id, net_revenue, attribution_type, is_eligible)"
        )
        connection.execute(
            "create table marts.fct_dm_sessions as select * from (values ('s1', 'p1', 12.0), ('s2', 'p2', null)) "
            "as sessions(session_id, person_id, first_response_seconds)"
        )
        connection.execute(
            "create table marts.dim_contacts as select * from (values ('p1', 3), ('p2', 1)) as contacts(person_id, record_count)"
        )
        connection.execute(
            "create table marts.mart_roi_monthly as select * from (values "
            "(date '2026-09-01', 1000.0, 500.0, -0.5, 50.0, 480.0, 20.0, 0.8, 480.0), "
            "(date '2026-10-01', 500.0, 1100.0, 1.2, 20.0, 1030.0, 70.0, 2.8, 1030.0)) "
            "as roi(period_start, automation_cost, gains, roi, cost_per_lead, revenue_gain, time_saved_value, "
            "time_saved_hours, attributed_revenue)"
        )
        connection.execute(
            "create table marts.mart_flow_performance as select * from (values "
            "('month', date '2026-09-01', 'gift_bundle', 268.0, 3.1, 0.2, 1, 0.5, 40.0), "
            "('month', date '2026-09-01', 'autumn_bouquets', 200.0, 2.0, 0.1, 2, null, null)) "
            "as flows(period_grain, period_start, flow_name, attributed_revenue, revenue_per_chat, lead_capture_rate, "
            "revenue_rank, lead_to_customer_rate, revenue_per_lead)"
        )
        connection.execute(
            "create table marts.mart_link_performance as select * from (values "
            "('month', date '2026-09-01', 'gift_bundle', 'hook', 'https://shop.example/gift', 1.5), "
            "('month', date '2026-09-01', 'gift_bundle', 'offer', 'https://shop.example/gift', null)) "
            "as links(period_grain, period_start, flow_name, flow_step, link, ctr)"
        )
        connection.execute(
            "create table marts.mart_button_performance as select * from (values "
            "('month', date '2026-09-01', 'gift_bundle', 'hook', 'Yes', 0.25), "
            "('month', date '2026-09-01', 'gift_bundle', 'hook', 'No', 0.0)) "
            "as buttons(period_grain, period_start, flow_name, flow_step, button_label, tap_rate)"
        )
        connection.execute(
            "create table marts.mart_flow_dropoff as select * from (values "
            "('month', date '2026-09-01', 'gift_bundle', 'offer', 0.5, 0.4), "
            "('month', date '2026-09-01', 'gift_bundle', 'hook', 0.3, 1.0)) "
            "as steps(period_grain, period_start, flow_name, flow_step, dropoff_rate, reach_rate)"
        )
        connection.execute(
            "create table marts.fct_order_touches as select * from (values "
            "('t1', 30.0, 60.0, 30.0), ('t2', 60.0, 0.0, 30.0)) "
            "as touches(touch_id, last_touch_revenue, first_touch_revenue, linear_revenue)"
        )
    return path


def test_mart_suites_pass_on_valid_marts(tmp_path):
    code, results, html = run_checkpoint(build_marts(tmp_path / "warehouse.duckdb"), tmp_path / "gx", "marts")
    assert code == 0, failed_expectations(results)
    assert {suite["suite"] for suite in results["suites"]} == {
        table for table in _suites().TABLES if table.startswith("marts.")
    }
    # The tile marts got a [0, 1] check on each rate column, the previous-period ones included.
    engagement = next(suite for suite in results["suites"] if suite["suite"] == "marts.mart_engagement")
    checked = {
        outcome["kwargs"].get("column")
        for outcome in engagement["expectations"]
        if outcome["expectation"] == "expect_column_values_to_be_between"
    }
    assert {"first_message_open_rate", "previous_first_message_open_rate", "first_message_dropoff_rate"} <= checked
    assert "button_ctr" not in checked  # a CTR is not a *_rate


def test_a_rate_above_one_fails_the_mart_suites(tmp_path):
    code, results, html = run_checkpoint(
        build_marts(tmp_path / "warehouse.duckdb", bad_rate=1.5), tmp_path / "gx", "marts"
    )
    assert code == 1
    assert failed_expectations(results) == {("marts.kpi_scorecard", "expect_column_values_to_be_between", "rate_value")}
    section = what_failed_section(html)
    assert "expect_column_values_to_be_between" in section and "rate_value" in section and "1.5" in section


def test_an_incomplete_scorecard_period_fails(tmp_path):
    code, results, html = run_checkpoint(
        build_marts(tmp_path / "warehouse.duckdb", drop_kpi="aov"), tmp_path / "gx", "marts"
    )
    assert code == 1
    assert failed_expectations(results) == {
        ("marts.kpi_scorecard", "expect_column_values_to_be_null", "period_kpis_problem")
    }
    assert f"week {WEEKS[1]:%Y-%m-%d} misses 1 KPI(s): aov" in what_failed_section(html)
