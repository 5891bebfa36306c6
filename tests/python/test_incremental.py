"""Daily runs (issue 15): an incremental `dbt run` per daily load gives the marts of a full refresh,
row for row.

Three weeks of generated data (scripts.datagen, daily part files by received_at) are made hostile
the way real daily exports are, then delivered as daily loads, each a new part file under
raw_path (<table>/<day>.parquet):
- late events: a few events of a day are received three days after they happened (they land in a
  later day's file and start, split or join sessions of threads already built);
- retries: copies of events already loaded arrive again in the next day's file (Meta retries a
  failed delivery for up to 36 hours): counted once, the earliest copy wins, delivery_count says 2;
- a conflicting retry: a copy with another occurred_at turns an event already sessionised into a
  conflict (a reject), so its thread loses it;
- a CRM record in a later day's file that merges two persons who already have attributed orders;
- a new version of a CRM record, on the last day, that says its person opted out days ago: the
  person's past outbound messages become messages sent after an opt-out (no identifier
  changes, so only the person-level models' change detection can see it);
- 20 new CRM records on the last day sharing the email of a quiet person: the email becomes a hub,
  which links nothing and is nobody's identifier, so that person loses it as primary_email.
The first two weeks are one load (a backfill), then one `dbt run` per day. The warehouse is then
compared with a full build on all the files: every table of marts, intermediate (the identity map
included), staging and data_quality. A second run on the same files changes nothing, and a row
received before the cutoff (beyond the lookback) fails the all-loaded test instead of vanishing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, copy_project, run_dbt

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from compare_marts import read, same_value  # noqa: E402

START = date(2026, 3, 2)
DAYS = 20
BACKFILL_DAYS = 17  # days 0..16 in the first load, then one run per day
MERGE_DAY = BACKFILL_DAYS + 1
OPT_OUT_DAY = DAYS - 1
HUB_RECORD_COLUMNS = {"contact_id", "created_at", "updated_at", "email", "lifecycle_status", "opted_out"}
SCHEMAS = ["marts", "intermediate", "staging", "data_quality"]
# build history, not data: one row per build (data_quality_history) and what it derives
NOT_COMPARED = {("data_quality", "dq_raw_row_count_changes")}
DAILY_TABLES = ["raw_dm_events", "raw_orders", "raw_crm_contacts"]
WHOLE_TABLES = ["raw_fx_rates", "raw_automation_costs"]


def day_name(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def parse_ts(column: str) -> str:
    return f"try_cast(trim({column}) as timestamptz) at time zone 'UTC'"


def hostile_events(con: duckdb.DuckDBPyConnection, generated: Path) -> None:
    """Table ev: every event row with the day file it is delivered in (load_day), after moving late
    events, adding next-day retries and one conflicting retry."""
    con.execute(
        f"""
        create table ev0 as
        select * exclude (filename), regexp_extract(filename, '(\\d{{4}}-\\d{{2}}-\\d{{2}})', 1) as load_day
        from read_parquet('{generated}/raw_dm_events/*.parquet', filename = true)
        """
    )
    columns = [r[0] for r in con.execute("describe ev0").fetchall() if r[0] != "load_day"]
    cols = ", ".join(columns)
    later_days = f"load_day between '{day_name(BACKFILL_DAYS - 3)}' and '{day_name(DAYS - 4)}'"
    retry_days = f"load_day between '{day_name(BACKFILL_DAYS - 1)}' and '{day_name(DAYS - 2)}'"
    parsed = f"{parse_ts('occurred_at')} is not null and {parse_ts('received_at')} is not null"
    # late: received three days and five hours after they happened
    late_received = f"strftime({parse_ts('occurred_at')} + interval 77 hour, '%Y-%m-%dT%H:%M:%SZ')"
    con.execute(
        f"""
        create table ev as
        select {cols.replace("received_at", late_received + " as received_at")},
            strftime({parse_ts("occurred_at")} + interval 77 hour, '%Y-%m-%d') as load_day
        from ev0
        where hash(event_id) % 97 = 0 and {later_days} and {parsed}
        union all
        select {cols}, load_day from ev0
        where not (hash(event_id) % 97 = 0 and {later_days} and {parsed})
        """
    )
    # retries: an identical copy received 20 hours later (next day's file, mostly)
    retry_received = f"strftime({parse_ts('received_at')} + interval 20 hour, '%Y-%m-%dT%H:%M:%SZ')"
    con.execute(
        f"""
        insert into ev
        select {cols.replace("received_at", retry_received + " as received_at")},
            strftime({parse_ts("received_at")} + interval 20 hour, '%Y-%m-%d') as load_day
        from ev0
        where hash(event_id) % 89 = 1 and {retry_days} and {parsed}
        """
    )
    # one conflicting retry: the same event_id, another occurred_at, the next day
    conflict_occurred = f"strftime({parse_ts('occurred_at')} + interval 1 minute, '%Y-%m-%dT%H:%M:%SZ')"
    con.execute(
        f"""
        insert into ev
        select {
            cols.replace("occurred_at", conflict_occurred + " as occurred_at").replace(
                "received_at", retry_received + " as received_at"
            )
        },
            strftime({parse_ts("received_at")} + interval 20 hour, '%Y-%m-%d') as load_day
        from ev0
        where load_day = '{day_name(BACKFILL_DAYS - 1)}' and {parsed} and event_type = 'message_in'
        qualify row_number() over (order by event_id) = 1
        """
    )
    con.execute(f"delete from ev where load_day > '{day_name(DAYS - 1)}'")


def write_part(con: duckdb.DuckDBPyConnection, select: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({select}) to '{path}' (format parquet)")


def deliver(con: duckdb.DuckDBPyConnection, generated: Path, raw: Path, days: range) -> None:
    """Copy the given days' part files of every daily table into raw (events from table ev)."""
    for offset in days:
        day = day_name(offset)
        write_part(
            con,
            f"select * exclude (load_day) from ev where load_day = '{day}'",
            raw / "raw_dm_events" / f"{day}.parquet",
        )
        for table in DAILY_TABLES[1:]:
            source = generated / table / f"{day}.parquet"
            if source.exists():
                (raw / table).mkdir(parents=True, exist_ok=True)
                shutil.copy(source, raw / table / f"{day}.parquet")


def merging_crm_record(result, day: str) -> tuple[str, dict]:
    """A CRM record that merges two persons who both have DM-attributed orders: the email of one's
    order and the ig_user_id of the other's attributed session."""
    rows = result.query(
        """
        select orders.order_id, orders.person_id, staged.customer_email, sessions.ig_user_id
        from marts.fct_orders as orders
        inner join staging.stg_shop__orders as staged on orders.order_id = staged.order_id
        inner join marts.fct_dm_sessions as sessions on orders.last_touch_session_id = sessions.session_id
        where orders.is_dm_attributed and staged.customer_email is not null and orders.person_id is not null
        order by orders.order_id
        """
    )
    first = rows[0]
    second = next(row for row in rows if row[1] != first[1])
    record = {
        "contact_id": "crm-merge-test",
        "created_at": f"{day}T09:00:00Z",
        "updated_at": f"{day}T09:00:00Z",
        "email": first[2],
        "ig_user_id": second[3],
        "lifecycle_status": "new",
        "opted_out": "false",
    }
    return first[0] + "|" + second[0], record


def recently_active_threads(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The threads with an event in the loads of the three days before OPT_OUT_DAY and after."""
    query = f"select distinct thread_id from ev where load_day >= '{day_name(OPT_OUT_DAY - 3)}'"
    return {row[0] for row in con.execute(query).fetchall()}


def opted_out_version(result, con: duckdb.DuckDBPyConnection, raw: Path, day: str) -> tuple[str, str]:
    """The select of a later version of a CRM record whose person has an outbound message, before
    the day before `day`, that no opt-out covers, and no DM event in the loads of the last three
    days (table ev: so that no thread of the person is rebuilt for another reason): the same
    record, updated on `day`, saying it opted out a minute before that message (after any consent
    in force then)."""
    active = recently_active_threads(con)
    candidates = result.query(
        f"""
        select contacts.node_id, strftime(min(messages.occurred_at) - interval 1 minute, '%Y-%m-%dT%H:%M:%SZ'),
            list(distinct threads.node_id)
        from intermediate.int_identity_person_map as contacts
        inner join data_quality.dq_outbound_messages as messages on contacts.person_id = messages.person_id
        inner join staging.stg_crm__contacts as records on contacts.node_id = records.contact_id
        inner join intermediate.int_identity_person_map as threads
            on contacts.person_id = threads.person_id and threads.node_type = 'dm_thread'
        where contacts.node_type = 'crm_contact' and not records.is_opted_out and not messages.is_after_opt_out
            and contacts.node_id <> 'crm-merge-test'
            and messages.occurred_at < timestamp '{day_name(OPT_OUT_DAY - 1)}'
            and coalesce(messages.latest_consent_at, timestamp '2000-01-01') < messages.occurred_at - interval 1 minute
        group by contacts.node_id
        order by contacts.node_id
        """
    )
    contact_id, opted_out_at, _ = next(row for row in candidates if not set(row[2]) & active)
    return contact_id, (
        f"select * replace ('{day}T08:00:00Z' as updated_at, 'true' as opted_out, "
        f"'{opted_out_at}' as opted_out_at) "
        f"from read_parquet('{raw}/raw_crm_contacts/*.parquet') where contact_id = '{contact_id}' "
        "qualify row_number() over (order by updated_at desc) = 1"
    )


def hub_records(result, con: duckdb.DuckDBPyConnection, day: str, avoid: str) -> tuple[str, str]:
    """The select of 20 new CRM records sharing the email of a person made of one CRM record (no DM
    event in the loads of the last three days, not the person of `avoid`): the email becomes a hub
    (held by more than identity_max_records_per_identifier nodes), which links nothing and is
    nobody's identifier, so the person loses it as primary_email while its nodes and records stay
    the same."""
    active = recently_active_threads(con)
    candidates = result.query(
        f"""
        select survived.primary_email, list(distinct threads.node_id)
        from intermediate.int_contacts_identifiers_survived as survived
        inner join intermediate.int_identity_person_map as contacts
            on survived.person_id = contacts.person_id and contacts.node_type = 'crm_contact'
        left join intermediate.int_identity_person_map as threads
            on survived.person_id = threads.person_id and threads.node_type = 'dm_thread'
        where survived.primary_email is not null and survived.email_count = 1 and contacts.person_node_count = 1
            and survived.person_id not in (
                select person_id from intermediate.int_identity_person_map where node_id = '{avoid}'
            )
            and survived.primary_email not in (select identifier_value from intermediate.int_identity_hubs)
        group by survived.primary_email
        order by survived.primary_email
        """
    )
    email = next(row[0] for row in candidates if not set(row[1] or []) & active)
    records = " union all ".join(
        f"select 'crm-hub-{i:02d}' as contact_id, '{day}T07:00:00Z' as created_at, '{day}T07:00:00Z' as updated_at, "
        f"'{email}' as email, 'new' as lifecycle_status, 'false' as opted_out"
        for i in range(20)
    )
    return email, records


def compare_warehouses(left: Path, right: Path) -> list[str]:
    """Every table of SCHEMAS (and the identity map) in both warehouses, sorted on every column:
    the differences, one line each (empty when equal)."""
    differences = []
    with duckdb.connect(str(left), read_only=True) as a, duckdb.connect(str(right), read_only=True) as b:
        listing = (
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join(repr(s) for s in SCHEMAS)}) and table_type = 'BASE TABLE'"
        )
        tables_a = {tuple(r) for r in a.execute(listing).fetchall()} - NOT_COMPARED
        tables_b = {tuple(r) for r in b.execute(listing).fetchall()} - NOT_COMPARED
        differences += [f"{t}: only on one side" for t in tables_a ^ tables_b]
        for schema, table in sorted(tables_a & tables_b):
            columns_a, rows_a = read(a, schema, table)
            columns_b, rows_b = read(b, schema, table)
            if columns_a != columns_b:
                differences.append(f"{schema}.{table}: columns {columns_a} != {columns_b}")
            elif len(rows_a) != len(rows_b):
                differences.append(f"{schema}.{table}: {len(rows_a)} rows != {len(rows_b)}")
            else:
                for row_a, row_b in zip(rows_a, rows_b):
                    if not all(same_value(x, y, 1e-9) for x, y in zip(row_a, row_b)):
                        differences.append(f"{schema}.{table}: {row_a} != {row_b}")
                        break
    return differences


@pytest.fixture(scope="module")
def daily_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    generated = root / "generated"
    subprocess.run(
        [sys.executable, "-m", "scripts.datagen", "--sessions", "1500", "--days", str(DAYS), "--start", START.isoformat(),
         "--parts", "daily", "--out", str(generated)],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )  # fmt: skip
    raw = root / "raw"
    for table in WHOLE_TABLES:
        shutil.copytree(generated / table, raw / table)
    project_dir = copy_project(root / "project")
    warehouse = root / "incremental.duckdb"
    vars_arg = "{raw_path: '" + str(raw) + "'}"
    con = duckdb.connect()
    hostile_events(con, generated)
    counts = dict(
        con.execute(
            "select 'late', count(*) from ev where load_day > strftime(try_cast(trim(occurred_at) as timestamptz) "
            "at time zone 'UTC' + interval 2 day, '%Y-%m-%d') union all "
            "select 'copies', count(*) - count(distinct event_id) from ev"
        ).fetchall()
    )

    runs = []
    deliver(con, generated, raw, range(0, BACKFILL_DAYS))
    runs.append(run_dbt(project_dir, "run", "--vars", vars_arg, warehouse=warehouse))
    assert runs[-1].returncode == 0, runs[-1].output[-4000:]
    merged_orders = opted_out_contact = hub_email = None
    for offset in range(BACKFILL_DAYS, DAYS):
        deliver(con, generated, raw, range(offset, offset + 1))
        if offset == MERGE_DAY:
            merged_orders, record = merging_crm_record(runs[-1], day_name(offset))
            columns = [
                r[0] for r in con.execute(f"describe select * from '{generated}/raw_crm_contacts/*.parquet'").fetchall()
            ]
            values = ", ".join(
                ("'" + record[c].replace("'", "''") + "'" if c in record else "cast(null as varchar)") + f" as {c}"
                for c in columns
            )
            write_part(con, f"select {values}", raw / "raw_crm_contacts" / f"{day_name(offset)}-merge.parquet")
        if offset == OPT_OUT_DAY:
            opted_out_contact, opt_out = opted_out_version(runs[-1], con, raw, day_name(offset))
            write_part(con, opt_out, raw / "raw_crm_contacts" / f"{day_name(offset)}-opt-out.parquet")
            hub_email, hubs = hub_records(runs[-1], con, day_name(offset), opted_out_contact)
            columns = [
                r[0] for r in con.execute(f"describe select * from '{generated}/raw_crm_contacts/*.parquet'").fetchall()
            ]
            write_part(
                con,
                f"select {', '.join(c if c in HUB_RECORD_COLUMNS else 'cast(null as varchar) as ' + c for c in columns)} "
                f"from ({hubs})",
                raw / "raw_crm_contacts" / f"{day_name(offset)}-hub.parquet",
            )
        runs.append(run_dbt(project_dir, "run", "--vars", vars_arg, warehouse=warehouse))
        assert runs[-1].returncode == 0, runs[-1].output[-4000:]

    full_project = copy_project(root / "full_project")
    full = run_dbt(full_project, "run", "--vars", vars_arg, warehouse=root / "full.duckdb")
    assert full.returncode == 0, full.output[-4000:]
    yield {
        "root": root,
        "raw": raw,
        "project_dir": project_dir,
        "warehouse": warehouse,
        "vars": vars_arg,
        "runs": runs,
        "full": full,
        "counts": counts,
        "merged_orders": merged_orders,
        "opted_out_contact": opted_out_contact,
        "hub_email": hub_email,
    }
    con.close()


def test_the_loads_hold_what_makes_incremental_runs_hard(daily_runs):
    """The data is as hostile as the test says: late events, retries, the conflict, the merge."""
    assert daily_runs["counts"]["late"] >= 10
    assert daily_runs["counts"]["copies"] >= 20
    result = daily_runs["runs"][-1]
    conflicts = result.query(
        "select count(*) from staging.stg_dm_platform__events_rejects where reject_reason like 'event_id delivered as 2%'"
    )[0][0]
    assert conflicts >= 2  # both copies of the conflicting event
    retried = result.query("select count(*) from staging.stg_dm_platform__events where delivery_count > 1")[0][0]
    assert retried >= 20
    first_order, second_order = daily_runs["merged_orders"].split("|")
    persons = result.query(
        f"select count(distinct person_id) from marts.fct_orders where order_id in ('{first_order}', '{second_order}')"
    )[0][0]
    assert persons == 1, "the CRM record of the merge day must put both orders' persons into one"
    after_opt_out = result.query(
        f"""
        select count(*) from data_quality.dq_outbound_messages as messages
        inner join intermediate.int_identity_person_map as contacts on messages.person_id = contacts.person_id
        where contacts.node_type = 'crm_contact' and contacts.node_id = '{daily_runs["opted_out_contact"]}'
            and messages.is_after_opt_out and messages.occurred_at < timestamp '{day_name(OPT_OUT_DAY - 1)}'
        """
    )[0][0]
    assert after_opt_out > 0, "the last day's CRM version must put the person's past messages after an opt-out"
    hub_email = daily_runs["hub_email"]
    assert result.query(f"select count(*) from intermediate.int_identity_hubs where identifier_value = '{hub_email}'")[
        0
    ][0]
    assert not result.query(
        f"select count(*) from intermediate.int_contacts_identifiers_survived where primary_email = '{hub_email}'"
    )[0][0], "an email that became a hub must be nobody's primary_email"


def test_daily_incremental_runs_equal_a_full_refresh(daily_runs):
    differences = compare_warehouses(daily_runs["warehouse"], daily_runs["full"].warehouse)
    assert differences == [], "\n".join(differences[:20])


def test_incremental_runs_rebuild_only_what_is_new(daily_runs):
    """The daily runs ran incrementally: the last run's base model appended the raw rows received
    since its cutoff (one day and the lookback, not three weeks), and the thread models deleted
    the threads they rebuilt before appending them."""
    result = daily_runs["runs"][-1]
    assert "incremental model staging.base_dm_platform__events" in result.output
    target = daily_runs["project_dir"] / "target"
    base = Path("dm_roi/models/staging/dm_platform/base/base_dm_platform__events.sql")
    assert (target / "run" / base).read_text().lstrip().startswith("insert into")
    base_sql = (target / "compiled" / base).read_text()
    cutoff = re.search(r">= cast\('([0-9: -]+)' as timestamp\)", base_sql).group(1)
    with duckdb.connect() as con:
        read_again, total = con.execute(
            f"select count(*) filter (where try_cast(trim(received_at) as timestamptz) at time zone 'UTC' "
            f">= timestamp '{cutoff}'), count(*) from read_parquet('{daily_runs['raw']}/raw_dm_events/*.parquet')"
        ).fetchone()
    assert 0 < read_again < total / 5
    sessions = Path("dm_roi/models/intermediate/sessions/int_dm_sessions.sql")
    assert (target / "run" / sessions).read_text().lstrip().startswith("insert into")
    assert "where thread_id in (" in (target / "compiled" / sessions).read_text()


def test_a_second_run_on_the_same_load_changes_nothing(daily_runs, tmp_path):
    before = tmp_path / "before.duckdb"
    shutil.copy(daily_runs["warehouse"], before)
    again = run_dbt(daily_runs["project_dir"], "run", "--vars", daily_runs["vars"], warehouse=daily_runs["warehouse"])
    assert again.returncode == 0, again.output[-4000:]
    assert compare_warehouses(before, daily_runs["warehouse"]) == []


def test_a_row_received_before_the_cutoff_fails_the_build_instead_of_vanishing(daily_runs, tmp_path):
    """A raw row that arrives in a later file with a received_at older than the lookback is not read
    by the incremental run: the all-loaded test names it and says to run --full-refresh."""
    project_dir, raw = daily_runs["project_dir"], daily_runs["raw"]
    warehouse = tmp_path / "late.duckdb"
    shutil.copy(daily_runs["warehouse"], warehouse)
    con = duckdb.connect()
    write_part(
        con,
        f"select * replace ('too-late-1' as event_id, '{day_name(DAYS - 6)}T10:00:00Z' as received_at, "
        f"'{day_name(DAYS - 6)}T09:59:00Z' as occurred_at) "
        f"from read_parquet('{raw}/raw_dm_events/{day_name(DAYS - 1)}.parquet') limit 1",
        raw / "raw_dm_events" / "zz-too-late.parquet",
    )
    try:
        run = run_dbt(project_dir, "run", "--vars", daily_runs["vars"], warehouse=warehouse)
        assert run.returncode == 0, run.output[-4000:]
        test = run_dbt(
            project_dir,
            "test",
            "--select",
            "dq_raw_dm_events_all_loaded",
            "--vars",
            daily_runs["vars"],
            warehouse=warehouse,
        )
        assert test.returncode == 1, test.output[-4000:]
        assert "dq_raw_dm_events_all_loaded" in test.output and "FAIL 1" in test.output
        with duckdb.connect(str(warehouse), read_only=True) as result:
            reason = result.execute("select reason from test_failures.dq_raw_dm_events_all_loaded").fetchall()
        assert reason == [("1 raw event rows were never loaded (received before the incremental cutoff): "
                           "run dbt build --full-refresh, and raise incremental_lookback_hours",)]  # fmt: skip
    finally:
        (raw / "raw_dm_events" / "zz-too-late.parquet").unlink()
