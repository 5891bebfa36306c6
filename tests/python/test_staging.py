"""Staging against a real DuckDB build: every raw row is kept or rejected
with its reason, and a raw table that breaks the column contract stops the
build with a message naming the column."""

from __future__ import annotations

import csv

from conftest import read_seed, run_dbt, write_seed

STAGING_MODELS = [
    "stg_dm_platform__events",
    "stg_crm__contacts",
    "stg_shop__orders",
    "stg_finance__fx_rates",
    "stg_finance__automation_costs",
]
SEEDS = ["raw_dm_events", "raw_crm_contacts", "raw_orders", "raw_fx_rates", "raw_automation_costs"]


def test_demo_build_holds_every_seed_and_staging_model(demo_build):
    tables = {
        (schema, name)
        for schema, name in demo_build.query("select table_schema, table_name from information_schema.tables")
    }
    for seed in SEEDS:
        assert ("raw", seed) in tables
        (rows,) = demo_build.query(f"select count(*) from raw.{seed}")[0]
        assert rows > 0, seed
    for model in STAGING_MODELS:
        assert ("staging", model) in tables
        assert ("staging", model + "_rejects") in tables


def test_demo_raw_rows_are_all_kept_or_rejected(demo_build):
    """Per raw table: valid rows + rejects (+ collapsed duplicate deliveries) = raw rows."""
    (raw_events,) = demo_build.query("select count(*) from raw.raw_dm_events")[0]
    (kept,) = demo_build.query("select count(*) from staging.stg_dm_platform__events")[0]
    (rejected,) = demo_build.query("select count(*) from staging.stg_dm_platform__events_rejects")[0]
    (extra_deliveries,) = demo_build.query(
        "select coalesce(sum(delivery_count - 1), 0) from staging.stg_dm_platform__events"
    )[0]
    assert rejected > 0, "the demo data carries contract-breaking events on purpose"
    assert extra_deliveries > 0, "the demo data carries duplicate deliveries on purpose"
    # A duplicate delivery of a valid event that is itself broken would be a reject, not an extra delivery.
    assert kept + rejected + extra_deliveries == raw_events

    for table, model in [
        ("raw_crm_contacts", "stg_crm__contacts"),
        ("raw_orders", "stg_shop__orders"),
        ("raw_fx_rates", "stg_finance__fx_rates"),
        ("raw_automation_costs", "stg_finance__automation_costs"),
    ]:
        (raw_rows,) = demo_build.query(f"select count(*) from raw.{table}")[0]
        (kept,) = demo_build.query(f"select count(*) from staging.{model}")[0]
        (rejected,) = demo_build.query(f"select count(*) from staging.{model}_rejects")[0]
        assert kept + rejected == raw_rows, table


def test_contract_breaking_rows_land_in_rejects_with_their_reason(project_copy):
    columns, events = read_seed("raw_dm_events")
    good = dict(events[0])
    bad_rows = [
        {**good, "event_id": "bad_type_1", "event_type": "reaction"},
        {**good, "event_id": "bad_time_1", "occurred_at": "yesterday at noon"},
        {**good, "event_id": "", "thread_id": "thread_without_id"},
    ]
    write_seed(project_copy, "raw_dm_events", events + bad_rows, columns)

    order_columns, orders = read_seed("raw_orders")
    bad_order = {**orders[0], "order_id": "bad_order_1", "total_price": "-12.50"}
    write_seed(project_copy, "raw_orders", orders + [bad_order], order_columns)

    result = run_dbt(
        project_copy,
        "build",
        "--select",
        "+stg_dm_platform__events_rejects",
        "+stg_dm_platform__events",
        "+stg_shop__orders_rejects",
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
    )
    assert result.returncode == 0, result.output[-3000:]

    rejects = dict(
        result.query(
            "select record_id, reject_reason from staging.stg_dm_platform__events_rejects"
            " where record_id in ('bad_type_1', 'bad_time_1')"
            " or (record_id = '(missing)' and thread_id = 'thread_without_id')"
        )
    )
    assert rejects["bad_type_1"] == "unknown event_type: reaction"
    assert rejects["bad_time_1"] == "unparseable occurred_at: yesterday at noon"
    assert rejects["(missing)"] == "missing event_id"
    (kept,) = result.query(
        "select count(*) from staging.stg_dm_platform__events where event_id in ('bad_type_1', 'bad_time_1')"
    )[0]
    assert kept == 0

    assert result.query(
        "select reject_reason from staging.stg_shop__orders_rejects where record_id = 'bad_order_1'"
    ) == [("negative total_price: -12.50",)]


def test_raw_table_missing_a_contract_column_fails_naming_it(project_copy):
    seed_path = project_copy / "seeds" / "raw_dm_events.csv"
    with open(seed_path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = [column for column in rows[0] if column not in ("consent", "flow_step")]
    with open(seed_path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)

    seeded = run_dbt(project_copy, "seed", "--select", "raw_dm_events")
    assert seeded.returncode == 0, seeded.output[-3000:]
    result = run_dbt(project_copy, "run", "--select", "+stg_dm_platform__events")
    assert result.returncode != 0
    assert "raw_dm_events is missing contract column(s): flow_step, consent" in result.output
