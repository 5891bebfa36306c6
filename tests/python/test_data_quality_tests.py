"""Proof that every data-quality test bites, and only where it should.

Four dbt invocations of the data-quality tests (`dbt test --select
tag:data_quality`), each parsed from target/run_results.json, test by test:

1. the demo data as it is: the tests on mess the models handle warn (the
   demo carries such mess on purpose), every error test passes;
2. the same warehouse with every error share set to 0 through --vars: the
   three share tests fail without a rebuild (thresholds are vars, read when
   the test runs);
3. a "clean" copy of the demo (every record the demo's own data-quality
   models flag is fixed or dropped) plus injected rows that break every
   error rule at once, and two tampered tables for the two rules that guard
   model logic rather than raw data (a lead counted without consent, two
   persons sharing an identifier: no raw row can produce them while the
   models are right): every error test fails, the `_any` tests of the
   share rules warn, everything else passes;
4. the clean copy plus one injected row per warn rule: exactly the warn
   tests warn, everything else passes.

In 3 and 4 the stored failures (schema test_failures) must hold exactly the
injected records: the tests flag what was injected and nothing else.
Checking every status also checks the absence of side effects: a row meant
for one test trips no other.

The clean copy is derived from what the demo build itself reports
(dq_rejects, dq_crm_consents, dq_utm_completeness, ...), so it follows the
demo generator when the seeds change. Build 3 runs the models first
(`dbt build --exclude resource_type:test`), tampers, then runs `dbt test`,
so a failing error test never skips a model; build 4 has no error to
expect and builds models and tests in one invocation.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
import yaml

from conftest import DbtResult, copy_project, run_dbt, write_seed

SEEDS = ["raw_dm_events", "raw_crm_contacts", "raw_orders", "raw_fx_rates", "raw_automation_costs"]

# Every data-quality rule of the spec, by test name, with its severity.
ERROR_TESTS = {
    "dq_counted_leads_have_consent",
    "dq_no_bot_message_after_opt_out",
    "dq_bot_messages_within_messaging_window",
    "dq_agent_messages_within_messaging_window",
    "dq_utm_outbound_links_incomplete_share",
    "dq_utm_dm_orders_incomplete_share",
    "dq_dim_contacts_no_shared_identifiers",
    "dq_rejects_share",
}
WARN_TESTS = {
    "dq_consent_at_not_in_future",
    "dq_consent_at_not_before_first_record",
    "dq_leads_without_consent_any",
    "dq_opted_out_has_opted_out_at",
    "dq_utm_outbound_links_incomplete_any",
    "dq_utm_dm_orders_incomplete_any",
    "dq_rejects_any",
    "dq_invalid_phones_any",
}
SHARE_TESTS = {
    "dq_utm_outbound_links_incomplete_share",
    "dq_utm_dm_orders_incomplete_share",
    "dq_rejects_share",
}
# What the demo seeds carry on purpose (metrics.md, README): handled mess, no compliance breach.
WARN_ON_DEMO = WARN_TESTS - {"dq_invalid_phones_any"}

DQ_TEST = ["test", "--select", "tag:data_quality", "--exclude", "test_type:unit"]
# seeds and models the data-quality tests read, without any test
BUILD_MODELS = ["build", "--select", "+tag:data_quality", "--exclude", "resource_type:test", "resource_type:unit_test"]


# --------------------------------------------------------------------------- helpers


def dbt_test_statuses(result: DbtResult) -> dict[str, str]:
    """{test name: status} of the last dbt invocation of a project (pass, warn, fail, error)."""
    run_results = json.loads((result.project_dir / "target" / "run_results.json").read_text())
    statuses = {}
    for node in run_results["results"]:
        resource_type, _package, name = node["unique_id"].split(".")[:3]
        if resource_type == "test":
            statuses[name] = node["status"]
    return statuses


def assert_statuses(statuses: dict[str, str], expected: dict[str, str]) -> None:
    """Every test of the run has the expected status; tests not named in expected must pass."""
    missing = (ERROR_TESTS | WARN_TESTS) - statuses.keys()
    assert not missing, f"data-quality tests that did not run: {sorted(missing)}"
    wrong = {
        name: f"{status} (expected {expected.get(name, 'pass')})"
        for name, status in statuses.items()
        if status != expected.get(name, "pass")
    }
    assert not wrong, f"unexpected test statuses: {json.dumps(wrong, indent=2, sort_keys=True)}"


def stored_failures(result: DbtResult, test_name: str, column: str) -> set:
    """Values of one column of the failing rows that dbt stored for a test."""
    return {row[0] for row in result.query(f"select {column} from test_failures.{test_name}")}


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.strip())


def project_vars() -> dict:
    with open(Path(__file__).resolve().parents[2] / "dbt_project.yml") as handle:
        return yaml.safe_load(handle)["vars"]


def rows_to_exceed(threshold: float, clean_rows: int) -> int:
    """Failing rows to add to clean_rows clean ones for the failing share to be above threshold."""
    return math.floor(threshold * clean_rows / (1 - threshold)) + 1


class Seeds:
    """The demo seeds of a project copy, edited in memory, written back at once."""

    def __init__(self, seed_dir: Path) -> None:
        self.columns: dict[str, list[str]] = {}
        self.rows: dict[str, list[dict]] = {}
        for table in SEEDS:
            self.columns[table], self.rows[table] = read_csv(seed_dir / f"{table}.csv")

    def write(self, project_dir: Path) -> None:
        for table in SEEDS:
            write_seed(project_dir, table, self.rows[table], self.columns[table])

    def where(self, table: str, column: str, values: set) -> list[dict]:
        return [row for row in self.rows[table] if row[column].strip() in values]

    def add(self, table: str, **values: str) -> None:
        unknown = set(values) - set(self.columns[table])
        assert not unknown, f"{table} has no column(s) {unknown}"
        self.rows[table].append(values)


# --------------------------------------------------------------------------- the clean demo


def reject_key(table: str, row: dict) -> str:
    """The record_id a rejects model gives a raw row (see the staging base models)."""

    def text(column: str) -> str:
        return (row.get(column) or "").strip()

    if table == "raw_dm_events":
        return text("event_id") or "(missing)"
    if table == "raw_crm_contacts":
        return text("contact_id") or "(missing)"
    if table == "raw_orders":
        return text("order_id") or "(missing)"
    if table == "raw_fx_rates":
        currency = text("currency").upper()
        return f"{currency} {text('rate_date') or '(no date)'}" if currency else "(missing)"
    # raw_automation_costs: cost_key, '<cost_month> <cost_type>'
    return f"{text('cost_month') or '(no month)'} {text('cost_type').lower() or '(no type)'}"


def clean_demo(seeds: Seeds, demo: DbtResult) -> None:
    """Fix or drop every record the demo build's data-quality models flag."""
    # rejects: drop the raw rows (costs rejected for a missing rate are found by month and type)
    rejected: dict[str, set] = {table: set() for table in SEEDS}
    for raw_table, record_id in demo.query(
        "select raw_table, record_id from data_quality.dq_rejects where rejects_model <> 'int_automation_costs_fx_rejects'"
    ):
        rejected[raw_table].add(record_id)
    for (cost_key,) in demo.query(
        "select cast(cost_month as varchar) || ' ' || cost_type from intermediate.int_automation_costs_fx_rejects"
    ):
        rejected["raw_automation_costs"].add(cost_key)
    for table in SEEDS:
        seeds.rows[table] = [row for row in seeds.rows[table] if reject_key(table, row) not in rejected[table]]

    # consent times out of bounds: the record's own created_at (not before the person's first record, not after updated_at)
    bad_consents = {
        row[0]
        for row in demo.query(
            "select contact_id from data_quality.dq_crm_consents"
            " where consent_at > latest_possible_consent_at or consent_at < person_first_record_at"
        )
    }
    for row in seeds.where("raw_crm_contacts", "contact_id", bad_consents):
        row["consent_at"] = row["created_at"]
    # opted out without a time: the time the models already assume (updated_at)
    no_time = {
        row[0]
        for row in demo.query(
            "select contact_id from data_quality.dq_crm_consents where is_opted_out and opted_out_at is null"
        )
    }
    for row in seeds.where("raw_crm_contacts", "contact_id", no_time):
        row["opted_out_at"] = row["updated_at"]

    # UTMs: links rebuilt by the convention, DM orders given the full saved set
    incomplete = demo.query(
        "select population, record_id, flow_name from data_quality.dq_utm_completeness where not is_utm_complete"
    )
    flows = Counter(row["flow_name"].strip().lower() for row in seeds.rows["raw_dm_events"] if row["flow_name"].strip())
    main_flow = flows.most_common(1)[0][0]
    links = {record_id: flow for population, record_id, flow in incomplete if population == "outbound_link"}
    for row in seeds.where("raw_dm_events", "event_id", set(links)):
        url = urlsplit(row["link_url"].strip())
        flow = links[row["event_id"].strip()] or main_flow
        step = row["flow_step"].strip().lower() or "link"
        row["link_url"] = (
            f"{url.scheme or 'https'}://{url.netloc or 'shop.example'}{url.path}"
            f"?utm_source=dm&utm_medium=chat&utm_campaign={flow}&utm_content={step}"
        )
    orders = {record_id for population, record_id, _flow in incomplete if population == "dm_attributed_order"}
    for row in seeds.where("raw_orders", "order_id", orders):
        row.update(utm_source="dm", utm_medium="chat", utm_campaign=main_flow)

    # leads without consent: consented
    unconsented = {row[0] for row in demo.query("select event_id from data_quality.dq_leads_without_consent")}
    for row in seeds.where("raw_dm_events", "event_id", unconsented):
        row["consent"] = "true"

    # invalid phones: emptied
    phone_columns = {
        "raw_crm_contacts": ("contact_id", "phone"),
        "raw_dm_events": ("event_id", "phone"),
        "raw_orders": ("order_id", "customer_phone"),
    }
    for raw_table, record_id in demo.query("select raw_table, record_id from data_quality.dq_invalid_phones"):
        id_column, phone_column = phone_columns[raw_table]
        for row in seeds.where(raw_table, id_column, {record_id}):
            row[phone_column] = ""


def clean_copy(demo: DbtResult, destination: Path) -> tuple[Path, Seeds]:
    """A project copy holding the clean demo seeds (not written yet: callers inject first)."""
    project_dir = copy_project(destination)
    for table in SEEDS:  # the very seeds the demo warehouse was built from
        shutil.copy2(demo.project_dir / "seeds" / f"{table}.csv", project_dir / "seeds" / f"{table}.csv")
    seeds = Seeds(project_dir / "seeds")
    clean_demo(seeds, demo)
    return project_dir, seeds


def threads_without_opt_out(demo: DbtResult) -> list[str]:
    """Threads with a trigger whose person never opted out anywhere (DM or CRM)."""
    return [
        row[0]
        for row in demo.query("""
        with person_threads as (
            select node_id as thread_id, person_id
            from intermediate.int_identity_person_map
            where node_type = 'dm_thread'
        ),
        opted_out_persons as (
            select person_threads.person_id
            from person_threads
            inner join staging.stg_dm_platform__events as events
                on person_threads.thread_id = events.thread_id
            where events.event_type = 'opt_out'
            union
            select person_map.person_id
            from intermediate.int_identity_person_map as person_map
            inner join staging.stg_crm__contacts as contacts
                on person_map.node_type = 'crm_contact' and person_map.node_id = contacts.contact_id
            where contacts.is_opted_out
        )
        select distinct person_threads.thread_id
        from person_threads
        inner join staging.stg_dm_platform__events as events
            on person_threads.thread_id = events.thread_id and events.event_type = 'trigger'
        where person_threads.person_id not in (select person_id from opted_out_persons)
        order by 1
    """)
    ]


def thread_rows(seeds: Seeds, thread_id: str) -> list[dict]:
    rows = [row for row in seeds.rows["raw_dm_events"] if row["thread_id"].strip() == thread_id]
    return sorted(rows, key=lambda row: parse_iso(row["occurred_at"]))


def event_like(row: dict, **values: str) -> dict:
    """A new event of the thread of row (same ids and handle), with values set."""
    event = {column: "" for column in row}
    event.update(
        thread_id=row["thread_id"], ig_user_id=row["ig_user_id"], ig_handle=row["ig_handle"], flow_name=row["flow_name"]
    )
    event.update(values)
    return event


# --------------------------------------------------------------------------- builds


@pytest.fixture(scope="module")
def demo_dq(demo_build) -> DbtResult:
    """The data-quality tests on the demo warehouse."""
    result = run_dbt(demo_build.project_dir, *DQ_TEST)
    result.statuses = dbt_test_statuses(result)
    return result


@pytest.fixture(scope="module")
def demo_dq_zero_thresholds(demo_dq) -> DbtResult:
    """The same tests with every error share at 0, through --vars only (no rebuild)."""
    result = run_dbt(
        demo_dq.project_dir,
        "test",
        "--select",
        *sorted(SHARE_TESTS),
        "--vars",
        "{utm_incomplete_error_share: 0, reject_error_share: 0, reject_error_min_rows: 0}",
    )
    result.statuses = dbt_test_statuses(result)
    return result


@pytest.fixture(scope="module")
def error_build(demo_dq, tmp_path_factory) -> DbtResult:
    """Clean demo + rows breaking every error rule + two tampered model tables."""
    demo = demo_dq
    project_dir, seeds = clean_copy(demo, tmp_path_factory.mktemp("dq_errors") / "project")
    injected: dict[str, set] = {}
    free_threads = threads_without_opt_out(demo)
    assert len(free_threads) >= 3, "the demo needs three threads of persons who never opted out"
    late_bot_thread, late_agent_thread, link_thread = free_threads[:3]

    # a bot message five minutes after an opt-out (inside the 24 h window: the opt-out is a customer event)
    opt_out = next(row for row in seeds.rows["raw_dm_events"] if row["event_type"].strip().lower() == "opt_out")
    seeds.add(
        "raw_dm_events",
        **event_like(
            opt_out,
            event_id="dq_bot_after_opt_out",
            actor="bot",
            event_type="message_out",
            occurred_at=iso(parse_iso(opt_out["occurred_at"]) + timedelta(minutes=5)),
            received_at=iso(parse_iso(opt_out["occurred_at"]) + timedelta(minutes=5, seconds=2)),
            message_text="Still there? Our autumn range is back.",
        ),
    )
    injected["dq_no_bot_message_after_opt_out"] = {"dq_bot_after_opt_out"}

    # a bot message 30 h, an agent message 8 days after the thread's last event
    for thread_id, event_id, actor, gap in [
        (late_bot_thread, "dq_bot_after_window", "bot", timedelta(hours=30)),
        (late_agent_thread, "dq_agent_after_window", "agent", timedelta(days=8)),
    ]:
        last = thread_rows(seeds, thread_id)[-1]
        seeds.add(
            "raw_dm_events",
            **event_like(
                last,
                event_id=event_id,
                actor=actor,
                agent_id="agent_dq" if actor == "agent" else "",
                event_type="message_out",
                occurred_at=iso(parse_iso(last["occurred_at"]) + gap),
                received_at=iso(parse_iso(last["occurred_at"]) + gap + timedelta(seconds=1)),
                message_text="Following up on your order.",
            ),
        )
    injected["dq_bot_messages_within_messaging_window"] = {"dq_bot_after_window"}
    injected["dq_agent_messages_within_messaging_window"] = {"dq_agent_after_window"}

    # outbound links without utm_campaign, one minute after a trigger: enough to exceed the share
    thresholds = project_vars()
    clean_links = demo.query(
        "select count(*) from data_quality.dq_utm_completeness where population = 'outbound_link'"
    )[0][0]
    trigger = next(row for row in thread_rows(seeds, link_thread) if row["event_type"].strip().lower() == "trigger")
    link_ids = set()
    for number in range(rows_to_exceed(thresholds["utm_incomplete_error_share"], clean_links)):
        moment = parse_iso(trigger["occurred_at"]) + timedelta(minutes=1, seconds=number)
        link_ids.add(f"dq_link_{number:03d}")
        seeds.add(
            "raw_dm_events",
            **event_like(
                trigger,
                event_id=f"dq_link_{number:03d}",
                actor="bot",
                event_type="message_out",
                occurred_at=iso(moment),
                received_at=iso(moment),
                flow_step="offer",
                link_url="https://shop.example/products/bundle?utm_source=dm&utm_medium=chat",
            ),
        )
    injected["dq_utm_outbound_links_incomplete_any"] = link_ids

    # DM orders (utm_source dm, utm_medium chat) without utm_campaign: enough to exceed the share
    clean_orders = demo.query(
        "select count(*) from data_quality.dq_utm_completeness where population = 'dm_attributed_order'"
    )[0][0]
    order_ids = set()
    for number in range(rows_to_exceed(thresholds["utm_incomplete_error_share"], clean_orders)):
        order_id = f"DQ-{number:03d}"
        order_ids.add(order_id)
        seeds.add(
            "raw_orders",
            order_id=order_id,
            created_at="2026-10-15T12:00:00Z",
            customer_email=f"dq.order{number}@example.com",
            currency="USD",
            subtotal="50.00",
            discount_total="0",
            shipping_total="0",
            tax_total="0",
            total_price="50.00",
            financial_status="paid",
            refunded_amount="0",
            utm_source="dm",
            utm_medium="chat",
            source_name="web",
        )
    injected["dq_utm_dm_orders_incomplete_any"] = order_ids

    # negative costs: enough rejects for raw_automation_costs to exceed the reject share
    clean_costs = len(seeds.rows["raw_automation_costs"])
    # above the share, and at least reject_error_min_rows rejected lines
    bad_costs = max(rows_to_exceed(thresholds["reject_error_share"], clean_costs), thresholds["reject_error_min_rows"])
    for number in range(bad_costs):
        seeds.add(
            "raw_automation_costs",
            cost_month="2026-09-01",
            cost_type="other",
            amount=f"-{number + 1}0.00",
            currency="USD",
            note="dq injected",
        )

    seeds.write(project_dir)
    result = run_dbt(project_dir, *BUILD_MODELS)
    assert result.returncode == 0, result.output[-4000:]

    # model logic the raw data cannot break: tamper with the built tables
    with duckdb.connect(str(result.warehouse)) as connection:
        (session_id,) = connection.execute(
            "select session_id from intermediate.int_dm_sessions"
            " where session_type = 'automated' and lead_submissions = 0 order by session_id limit 1"
        ).fetchone()
        connection.execute(
            "update intermediate.int_dm_sessions set has_lead_with_consent = true,"
            " consented_lead_at = started_at, lead_email = 'tampered.lead@example.com' where session_id = ?",
            [session_id],
        )
        (first_person, second_person, shared_email) = connection.execute(
            "select min(person_id), max(person_id), max_by(primary_email, person_id) from"
            " (select * from marts.dim_contacts where primary_email is not null order by person_id limit 2)"
        ).fetchone()
        connection.execute(
            "update marts.dim_contacts set primary_email = ? where person_id = ?", [shared_email, first_person]
        )
    injected["dq_counted_leads_have_consent"] = {session_id}
    injected["dq_dim_contacts_no_shared_identifiers"] = {shared_email}

    result = run_dbt(project_dir, *DQ_TEST)
    result.statuses = dbt_test_statuses(result)
    result.injected = injected
    result.bad_costs = bad_costs
    return result


@pytest.fixture(scope="module")
def warn_build(demo_dq, tmp_path_factory) -> DbtResult:
    """Clean demo + one row per warn rule."""
    demo = demo_dq
    project_dir, seeds = clean_copy(demo, tmp_path_factory.mktemp("dq_warnings") / "project")

    def crm_contact(contact_id: str, **values: str) -> None:
        record = dict(
            contact_id=contact_id,
            created_at="2026-09-10T10:00:00Z",
            updated_at="2026-09-12T10:00:00Z",
            email=f"{contact_id}@example.com",
            lifecycle_status="new",
            opted_out="false",
            source="website",
        )
        record.update(values)
        seeds.add("raw_crm_contacts", **record)

    crm_contact("dq_consent_future", consent_at="2027-06-01T10:00:00Z", consent_source="website_form")
    crm_contact("dq_consent_early", consent_at="2026-08-01T10:00:00Z", consent_source="website_form")
    crm_contact("dq_opted_out_no_time", consent_at="2026-09-10T10:00:00Z", opted_out="true")
    crm_contact("dq_invalid_phone", phone="12")
    trigger = next(row for row in seeds.rows["raw_dm_events"] if row["event_type"].strip().lower() == "trigger")
    moment = parse_iso(trigger["occurred_at"]) + timedelta(minutes=2)
    seeds.add(
        "raw_dm_events",
        **event_like(
            trigger,
            event_id="dq_lead_without_consent",
            actor="contact",
            event_type="lead_submitted",
            occurred_at=iso(moment),
            received_at=iso(moment),
            email="dq.lead@example.com",
            consent="false",
            consent_text_version="v2",
        ),
    )
    seeds.write(project_dir)
    # nothing to tamper with here: models and the data-quality tests in one invocation
    result = run_dbt(
        project_dir,
        "build",
        "--select",
        "+tag:data_quality",
        "--indirect-selection",
        "empty",
        "--exclude",
        "resource_type:unit_test",
    )
    result.statuses = dbt_test_statuses(result)
    assert "skipped" not in result.statuses.values(), result.output[-4000:]
    return result


# --------------------------------------------------------------------------- the assertions


def test_demo_data_warns_on_handled_mess_and_passes_every_error_test(demo_dq):
    assert_statuses(demo_dq.statuses, {name: "warn" for name in WARN_ON_DEMO})


def test_error_shares_are_vars_read_when_the_tests_run(demo_dq_zero_thresholds):
    # the demo passes the three share tests at the default thresholds (above); at 0 every miss is too many
    assert demo_dq_zero_thresholds.statuses == {name: "fail" for name in SHARE_TESTS}


def test_every_error_test_fails_on_its_injected_breach(error_build):
    expected = {name: "fail" for name in ERROR_TESTS}
    expected.update(
        {
            "dq_utm_outbound_links_incomplete_any": "warn",
            "dq_utm_dm_orders_incomplete_any": "warn",
            "dq_rejects_any": "warn",
        }
    )
    assert_statuses(error_build.statuses, expected)


@pytest.mark.parametrize(
    ("test_name", "column"),
    [
        ("dq_no_bot_message_after_opt_out", "event_id"),
        ("dq_bot_messages_within_messaging_window", "event_id"),
        ("dq_agent_messages_within_messaging_window", "event_id"),
        ("dq_utm_outbound_links_incomplete_any", "record_id"),
        ("dq_utm_dm_orders_incomplete_any", "record_id"),
        ("dq_counted_leads_have_consent", "session_id"),
        ("dq_dim_contacts_no_shared_identifiers", "identifier_value"),
    ],
)
def test_error_tests_store_exactly_the_injected_records(error_build, test_name, column):
    assert stored_failures(error_build, test_name, column) == error_build.injected[test_name]


def test_reject_tests_store_the_injected_rejects_and_the_table_over_its_share(error_build):
    rejects = error_build.query("select raw_table, reject_reason from test_failures.dq_rejects_any")
    assert len(rejects) == error_build.bad_costs
    assert {raw_table for raw_table, _reason in rejects} == {"raw_automation_costs"}
    assert all(reason.startswith("negative amount") for _table, reason in rejects)
    assert stored_failures(error_build, "dq_rejects_share", "share_group") == {"raw_automation_costs"}
    assert stored_failures(error_build, "dq_utm_outbound_links_incomplete_share", "share_group") == {"outbound_link"}
    assert stored_failures(error_build, "dq_utm_dm_orders_incomplete_share", "share_group") == {"dm_attributed_order"}


def test_reject_share_errors_only_from_the_minimum_count_of_rejected_rows(error_build):
    """The injected cost rejects are far above 1 % of the cost lines; the share test errors with
    reject_error_min_rows at their count, and passes when one more row is required (a table with
    fewer rejected rows than the minimum warns through dq_rejects_any only)."""
    injected = error_build.bad_costs
    statuses = {}
    for min_rows in (injected, injected + 1):
        result = run_dbt(
            error_build.project_dir,
            "test",
            "--select",
            "dq_rejects_share",
            "--vars",
            f"{{reject_error_min_rows: {min_rows}}}",
        )
        statuses[min_rows] = dbt_test_statuses(result)["dq_rejects_share"]
    assert statuses == {injected: "fail", injected + 1: "pass"}


def test_every_warn_test_warns_on_its_injected_row_and_nothing_else(warn_build):
    assert_statuses(
        warn_build.statuses,
        {
            name: "warn"
            for name in WARN_TESTS
            - {"dq_utm_outbound_links_incomplete_any", "dq_utm_dm_orders_incomplete_any", "dq_rejects_any"}
        },
    )


@pytest.mark.parametrize(
    ("test_name", "column", "injected"),
    [
        ("dq_consent_at_not_in_future", "contact_id", {"dq_consent_future"}),
        ("dq_consent_at_not_before_first_record", "contact_id", {"dq_consent_early"}),
        ("dq_opted_out_has_opted_out_at", "contact_id", {"dq_opted_out_no_time"}),
        ("dq_invalid_phones_any", "record_id", {"dq_invalid_phone"}),
        ("dq_leads_without_consent_any", "event_id", {"dq_lead_without_consent"}),
    ],
)
def test_warn_tests_store_exactly_the_injected_records(warn_build, test_name, column, injected):
    assert stored_failures(warn_build, test_name, column) == injected
