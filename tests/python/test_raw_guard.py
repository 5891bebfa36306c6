"""Raw tables in the warehouse: the demo seeds never replace tables they did not write (a command that
loads the seeds stops with a message when schema raw holds a contract table without the demo-seed
mark, and the table is left as it was; the demo's own tables reload as usual); and exports loaded as
tables are checked for the contract's columns before `dbt build` runs anything."""

from __future__ import annotations

import duckdb

from conftest import copy_project, run_dbt

MESSAGE = 'The table "warehouse"."raw"."raw_orders" was not loaded by the demo seeds (it may be your export)'


def test_demo_seeds_never_replace_a_users_raw_table(tmp_path):
    project_dir = copy_project(tmp_path / "project")
    seeded = run_dbt(project_dir, "seed")
    assert seeded.returncode == 0, seeded.output[-3000:]
    again = run_dbt(project_dir, "seed")
    assert again.returncode == 0, again.output[-3000:]  # the demo's own tables reload

    with duckdb.connect(str(seeded.warehouse)) as connection:
        connection.execute("create or replace table raw.raw_orders as select 'my_order_1' as order_id")

    refused = run_dbt(project_dir, "build")
    assert refused.returncode != 0
    assert MESSAGE in refused.output, refused.output[-3000:]
    assert "--exclude resource_type:seed" in refused.output
    with duckdb.connect(str(seeded.warehouse), read_only=True) as connection:
        assert connection.execute("select * from raw.raw_orders").fetchall() == [("my_order_1",)]
        (schemas,) = connection.execute(
            "select count(*) from duckdb_tables() where schema_name in ('staging', 'marts')"
        ).fetchone()
    assert schemas == 0, "nothing may be built once the guard refuses"

    # a command that loads no seed is not blocked
    parsed = run_dbt(project_dir, "run", "--select", "int_reporting_periods")
    assert MESSAGE not in parsed.output


def test_tables_missing_a_contract_column_stop_dbt_build_with_the_message(tmp_path):
    """Exports loaded as tables (README, "Pointing it at real exports"): under `dbt build`, the
    command users run, a table without a contract column stops the run before any unit test or
    model, with the message that names the table and the column."""
    project_dir = copy_project(tmp_path / "project")
    warehouse = project_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema exports")
        for table in ["raw_dm_events", "raw_crm_contacts", "raw_orders", "raw_fx_rates", "raw_automation_costs"]:
            dropped = " exclude (consent)" if table == "raw_dm_events" else ""
            connection.execute(
                f"create table exports.{table} as select *{dropped} "
                f"from read_csv('{project_dir}/seeds/{table}.csv', all_varchar = true)"
            )
    result = run_dbt(
        project_dir,
        "build",
        "--exclude",
        "resource_type:seed",
        "--vars",
        "{raw_from_seeds: false, raw_schema: exports}",
    )
    assert result.returncode != 0
    assert '"exports"."raw_dm_events") is missing contract column(s): consent' in result.output, result.output[-3000:]
    assert "Binder Error" not in result.output
