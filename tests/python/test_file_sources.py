"""Raw data read from files (var raw_path): Parquet, CSV and folders of part files give the
same marts as the demo seeds; CSV is never type-guessed; a bad timestamp or amount in a CSV is a
reject row, not a crash (DuckDB issue 23818); a file missing a contract column, or a table with no
file, stops the build with a message that names it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, copy_project, run_dbt

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from compare_marts import compare

TABLES = ["raw_dm_events", "raw_crm_contacts", "raw_orders", "raw_fx_rates", "raw_automation_costs"]
SEEDS = PROJECT_ROOT / "seeds"


def seed_select(table: str) -> str:
    return f"select * from read_csv('{SEEDS / table}.csv', all_varchar = true)"


def write_files(folder: Path, layout: str) -> Path:
    """The demo seeds as text files under folder, in one of the four layouts."""
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as connection:
        for table in TABLES:
            if layout == "parquet":
                connection.execute(f"copy ({seed_select(table)}) to '{folder / table}.parquet'")
            elif layout == "csv":
                connection.execute(f"copy ({seed_select(table)}) to '{folder / table}.csv' (header)")
            else:  # parts: two part files per table, rows split alternately
                (folder / table).mkdir()
                connection.execute(
                    f"create or replace table numbered as select *, row_number() over () as part_row "
                    f"from ({seed_select(table)})"
                )
                for part in (0, 1):
                    connection.execute(
                        f"copy (select * exclude (part_row) from numbered where part_row % 2 = {part}) "
                        f"to '{folder / table}/part_{part}.parquet'"
                    )
    return folder


def run_on_files(tmp_path: Path, raw_path: Path, *args: str):
    project_dir = copy_project(tmp_path / "project")
    return run_dbt(project_dir, *args, "--vars", f"{{raw_path: '{raw_path}'}}")


@pytest.fixture(scope="module")
def seeds_warehouse(tmp_path_factory) -> Path:
    """Models built on the demo seeds (no tests): the reference every file layout must equal."""
    project_dir = copy_project(tmp_path_factory.mktemp("seeds") / "project")
    result = run_dbt(project_dir, "build", "--exclude", "resource_type:test", "resource_type:unit_test")
    assert result.returncode == 0, result.output[-4000:]
    return result.warehouse


@pytest.mark.parametrize("layout", ["parquet", "csv", "parts"])
def test_file_layouts_give_the_marts_of_the_seeds(tmp_path, seeds_warehouse, layout, capsys):
    raw_path = write_files(tmp_path / "raw", layout)
    result = run_on_files(tmp_path, raw_path, "run")
    assert result.returncode == 0, result.output[-4000:]
    tables = result.query("select table_schema || '.' || table_name from information_schema.tables")
    assert ("raw.raw_dm_events",) not in tables, "seeds must not be loaded when raw_path is set"
    assert ("raw_files.raw_dm_events",) in tables
    assert compare(str(seeds_warehouse), str(result.warehouse), 1e-9, ["marts"]) == 0, capsys.readouterr().out


def test_typed_parquet_is_read_as_text(tmp_path, seeds_warehouse, capsys):
    """Parquet with real types (dates, decimals, timestamps with time zone) parses like text."""
    raw_path = write_files(tmp_path / "raw", "parquet")
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(
            f"copy (select cast(rate_date as date) as rate_date, currency, "
            f"cast(rate_to_reporting as decimal(38, 10)) as rate_to_reporting "
            f"from ({seed_select('raw_fx_rates')})) to '{raw_path}/raw_fx_rates.parquet'"
        )
        connection.execute(
            f"copy (select cast(cost_month as date) as cost_month, cost_type, "
            f"cast(amount as decimal(18, 2)) as amount, currency, note "
            f"from ({seed_select('raw_automation_costs')})) to '{raw_path}/raw_automation_costs.parquet'"
        )
        types = dict(
            connection.execute(
                f"select column_name, column_type from (describe select * from "
                f"read_parquet('{raw_path}/raw_automation_costs.parquet'))"
            ).fetchall()
        )
    assert types["amount"].startswith("DECIMAL") and types["cost_month"] == "DATE"
    result = run_on_files(tmp_path, raw_path, "run")
    assert result.returncode == 0, result.output[-4000:]
    assert compare(str(seeds_warehouse), str(result.warehouse), 1e-9, ["marts"]) == 0, capsys.readouterr().out


def test_bad_timestamp_and_amount_in_csv_are_rejects_not_errors(tmp_path):
    """try_cast over read_csv raises in DuckDB 2.0 (issue 23818) when written on a bare column:
    the staging parsers cast trim(column), so a bad value in a CSV source is a reject row."""
    raw_path = write_files(tmp_path / "raw", "csv")
    orders = raw_path / "raw_orders.csv"
    header, first, *rest = orders.read_text().splitlines()
    columns = header.split(",")
    values = first.split(",")
    values[columns.index("order_id")] = "bad_amount_order"
    values[columns.index("total_price")] = "twelve"
    orders.write_text("\n".join([header, first, ",".join(values), *rest]) + "\n")
    result = run_on_files(
        tmp_path, raw_path, "run", "--select", "+stg_shop__orders_rejects", "+stg_dm_platform__events_rejects"
    )
    assert result.returncode == 0, result.output[-4000:]
    assert result.query(
        "select reject_reason from staging.stg_shop__orders_rejects where record_id = 'bad_amount_order'"
    ) == [("unparseable total_price: twelve",)]
    # the demo events carry a message_read whose occurred_at is 'not-a-date'
    assert result.query(
        "select count(*) from staging.stg_dm_platform__events_rejects "
        "where reject_reason = 'unparseable occurred_at: not-a-date'"
    ) == [(1,)]


def test_upper_case_csv_headers_match_the_contract(tmp_path):
    raw_path = write_files(tmp_path / "raw", "csv")
    costs = raw_path / "raw_automation_costs.csv"
    header, *rest = costs.read_text().splitlines()
    costs.write_text("\n".join([header.upper(), *rest]) + "\n")
    result = run_on_files(tmp_path, raw_path, "run", "--select", "+stg_finance__automation_costs")
    assert result.returncode == 0, result.output[-4000:]
    (count,) = result.query("select count(*) from staging.stg_finance__automation_costs")[0]
    assert count > 0


def test_file_missing_a_contract_column_stops_build_with_its_name(tmp_path):
    raw_path = write_files(tmp_path / "raw", "parquet")
    events = raw_path / "raw_dm_events.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"copy ({seed_select('raw_dm_events')}) to '{tmp_path}/full.parquet'")
        connection.execute(
            f"copy (select * exclude (consent, flow_step) from read_parquet('{tmp_path}/full.parquet')) to '{events}'"
        )
    result = run_on_files(tmp_path, raw_path, "build")
    assert result.returncode != 0
    assert f"raw_dm_events ({events}) is missing contract column(s): flow_step, consent" in result.output


def test_table_without_a_file_names_the_paths_it_looked_for(tmp_path):
    raw_path = write_files(tmp_path / "raw", "parquet")
    (raw_path / "raw_orders.parquet").unlink()
    result = run_on_files(tmp_path, raw_path, "build")
    assert result.returncode != 0
    assert f"Raw table raw_orders not found under raw_path '{raw_path}'" in result.output
    assert f"{raw_path}/raw_orders/*.csv" in result.output


def generate(out: Path, *args: str) -> Path:
    command = [sys.executable, "-m", "scripts.datagen", "--sessions", "2000", "--chain", "40", "--out", str(out)]
    done = subprocess.run([*command, *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_generated_parquet_and_csv_parts_build_identical_warehouses(tmp_path, capsys):
    """The issue's acceptance case at a small size: `dbt build` (models, data and unit tests) on
    generated data with its mess, as single Parquet files and as daily CSV part files, passes and
    gives the same tables in every layer, value for value."""
    parquet = generate(tmp_path / "parquet")
    csv_parts = generate(tmp_path / "csv_parts", "--format", "csv", "--parts", "daily")
    builds = {}
    for name, raw_path in (("parquet", parquet), ("csv_parts", csv_parts)):
        result = run_on_files(tmp_path / name, raw_path, "build")
        assert result.returncode == 0, result.output[-4000:]
        builds[name] = result.warehouse
    (events,) = (
        duckdb.connect(str(builds["parquet"]), read_only=True)
        .execute("select count(*) from staging.stg_dm_platform__events")
        .fetchone()
    )
    assert events > 10_000
    schemas = ["staging", "intermediate", "marts", "data_quality"]
    assert compare(str(builds["parquet"]), str(builds["csv_parts"]), 0.0, schemas) == 0, capsys.readouterr().out


def test_empty_exports_are_loud(tmp_path):
    """A header and no rows: raw_dm_events empty stops the build (dq_raw_events_not_empty), an
    empty cost table warns (dq_raw_tables_not_empty) instead of showing ROI null without a word."""
    raw_path = write_files(tmp_path / "raw", "csv")
    for table in ("raw_dm_events", "raw_automation_costs"):
        path = raw_path / f"{table}.csv"
        path.write_text(path.read_text().splitlines()[0] + "\n")
    result = run_on_files(tmp_path, raw_path, "build")
    assert result.returncode != 0
    assert re.search(r"FAIL 1 dq_raw_events_not_empty", result.output), result.output[-3000:]
    assert re.search(r"WARN 1 dq_raw_tables_not_empty", result.output), result.output[-3000:]


def test_trigger_without_flow_name_warns(tmp_path):
    raw_path = write_files(tmp_path / "raw", "parquet")
    events = raw_path / "raw_dm_events.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"create table events as select * from read_parquet('{events}')")
        connection.execute(
            "update events set flow_name = null where event_id = "
            "(select min(event_id) from events where lower(trim(event_type)) = 'trigger')"
        )
        connection.execute(f"copy events to '{events}'")
    project_dir = copy_project(tmp_path / "project")
    vars_flag = ["--vars", f"{{raw_path: '{raw_path}'}}"]
    built = run_dbt(project_dir, "run", "--select", "+stg_dm_platform__events", *vars_flag)
    assert built.returncode == 0, built.output[-3000:]
    tested = run_dbt(
        project_dir, "test", "--select", "dq_triggers_without_flow_any", *vars_flag, warehouse=built.warehouse
    )
    assert tested.returncode == 0, tested.output[-3000:]
    assert re.search(r"WARN 1 dq_triggers_without_flow_any", tested.output), tested.output[-3000:]


def test_latin1_csv_names_the_file_and_reads_with_the_encoding_var(tmp_path):
    """A CSV exported in Latin-1: the run stops naming the file and line (DuckDB's message), and
    `--vars '{raw_csv_encoding: {raw_automation_costs: latin-1}}'` reads it, accents intact."""
    raw_path = write_files(tmp_path / "raw", "csv")
    costs = raw_path / "raw_automation_costs.csv"
    header, first, *rest = costs.read_text().splitlines()
    columns = header.split(",")
    values = first.split(",")[: len(columns) - 1] + ["Café crème"]
    costs.write_bytes("\n".join([header, ",".join(values), *rest]).encode("latin-1") + b"\n")
    project_dir = copy_project(tmp_path / "project")
    select = ["--select", "+stg_finance__automation_costs"]
    failed = run_dbt(project_dir, "run", *select, "--vars", f"{{raw_path: '{raw_path}'}}")
    assert failed.returncode != 0
    assert "not utf-8 encoded" in failed.output and str(costs) in failed.output, failed.output[-3000:]
    read = run_dbt(
        project_dir,
        "run",
        *select,
        "--vars",
        f"{{raw_path: '{raw_path}', raw_csv_encoding: {{raw_automation_costs: latin-1}}}}",
    )
    assert read.returncode == 0, read.output[-3000:]
    assert ("Café crème",) in read.query("select note from staging.base_finance__automation_costs")
