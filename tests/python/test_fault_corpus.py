"""The fault corpus of issue 10: hostile variations of the demo exports, each classified.

Every case is one row of CASES: the raw table (or the file), how the demo export is mutated, the
class the project must give it and what proves it:

- ``quarantined``: the bad row is a reject, with this exact reason, in data_quality.dq_rejects;
- ``loud``: the build stops with this message, or this data-quality test fails or warns (and its
  stored failures name the injected record when there is one);
- ``tolerated``: the variation is read as the clean export, and the marts are unchanged.

None may be silent (a green build with other numbers). The demo exports are written as CSV files
under raw_path (the path a user takes with real exports) and built in a few batches, so the whole
module stays cheap:

- ``clean``: every tolerated case and every quarantined case that adds its own bad row, all in one
  copy of the exports, built once (``dbt build``, unit tests aside). The marts and the identity map
  must equal the demo build's value for value (scripts/compare_marts.py), and the rejects must be
  the demo's plus exactly the rows the cases expect, so no case has a side effect on another (the
  batch passes reject_error_share 1: its many rejects together would trip the share error, which
  is a case of its own);
- ``loud``: cases that change the numbers by design (a damaged existing row, an fx reject that
  the ROI mart counts) or that fail a data-quality test, again in one copy built once; each is
  asserted through its own record (reject, stored failure);
- ``own``: a case that stops the run (a broken file, an empty table, a shrunk export) gets its own
  cheap run (on-run-start errors stop at once; a data-quality case builds only what its test reads),
  in one project copy with the same vars, so dbt's partial parse is reused.

Each case runs as its own pytest id: ``test_case[<id>]`` (clean batch), ``test_loud_batch_case[<id>]``
and ``test_own_case[<id>]``. Silent cases the corpus found were fixed in the models and stay here
(ord_refunded_nothing, cost_month_2099).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, DbtResult, copy_project, run_dbt

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from compare_marts import compare

TABLES = ["raw_dm_events", "raw_crm_contacts", "raw_orders", "raw_fx_rates", "raw_automation_costs"]
EVENT_TYPES = {
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
}
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$")
# The demo's handled mess warns on purpose (test_data_quality_tests.py); no case may add another warning
# unless it says so.
WARN_ON_DEMO = {
    "dq_consent_at_not_in_future",
    "dq_consent_at_not_before_first_record",
    "dq_leads_without_consent_any",
    "dq_opted_out_has_opted_out_at",
    "dq_utm_outbound_links_incomplete_any",
    "dq_utm_dm_orders_incomplete_any",
    "dq_rejects_any",
}


# --------------------------------------------------------------------------- the exports, mutable


def read_seed_csv(table: str) -> tuple[list[str], list[dict]]:
    with open(PROJECT_ROOT / "seeds" / f"{table}.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def norm(value: str | None) -> str:
    return (value or "").strip().lower()


def is_clean_event(row: dict) -> bool:
    """A demo event that staging keeps (the demo's own rejects are left alone by the cases)."""
    return (
        norm(row["event_id"]).startswith("evt_")
        and norm(row["event_type"]) in EVENT_TYPES
        and bool(ISO_WITH_OFFSET.match(row["occurred_at"].strip()))
        and bool(ISO_WITH_OFFSET.match(row["received_at"].strip()))
    )


class Exports:
    """The five demo exports in memory; cases edit rows, columns or the written text."""

    def __init__(self) -> None:
        self.columns: dict[str, list[str]] = {}
        self.rows: dict[str, list[dict]] = {}
        for table in TABLES:
            self.columns[table], self.rows[table] = read_seed_csv(table)
        self.delimiter = dict.fromkeys(TABLES, ",")
        self.text_edits: dict[str, list[Callable[[str], str]]] = {table: [] for table in TABLES}
        self.encoding = dict.fromkeys(TABLES, "utf-8")
        self.absent: set[str] = set()
        self.used: set[tuple[str, int]] = set()

    def pick(self, table: str, where: dict[str, str] | Callable[[dict], bool]) -> dict:
        """The first row of table matching where (values compared trimmed and lowercased) that no
        other case has picked, so two cases never edit the same row."""
        for index, row in enumerate(self.rows[table]):
            if (table, index) in self.used:
                continue
            if table == "raw_dm_events" and not is_clean_event(row):
                continue
            matches = where(row) if callable(where) else all(norm(row[k]) == v for k, v in where.items())
            if matches:
                self.used.add((table, index))
                return row
        raise LookupError(f"no unused row of {table} matches {where}")

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            path = folder / f"{table}.csv"
            if table in self.absent:
                path.unlink(missing_ok=True)
                continue
            buffer = io.StringIO()
            writer = csv.DictWriter(
                buffer, fieldnames=self.columns[table], delimiter=self.delimiter[table], lineterminator="\n"
            )
            writer.writeheader()
            for row in self.rows[table]:
                writer.writerow({column: row.get(column, "") for column in self.columns[table]})
            text = buffer.getvalue()
            for edit in self.text_edits[table]:
                text = edit(text)
            path.write_bytes(text.encode(self.encoding[table]))


# --------------------------------------------------------------------------- mutations (declarative)

Mutation = Callable[[Exports], None]


def add_like(table: str, like: dict | Callable[[dict], bool], **values: str) -> Mutation:
    """A new row: a copy of a demo row matching like, with values set (an id of the case's own)."""

    def mutate(exports: Exports) -> None:
        template = next(
            row
            for row in exports.rows[table]
            if (table != "raw_dm_events" or is_clean_event(row))
            and (like(row) if callable(like) else all(norm(row[k]) == v for k, v in like.items()))
        )
        exports.rows[table].append({**template, **values})

    return mutate


def add_rows(table: str, *rows: dict) -> Mutation:
    def mutate(exports: Exports) -> None:
        exports.rows[table].extend(dict(row) for row in rows)

    return mutate


def edit(table: str, where: dict | Callable[[dict], bool], **values: str | Callable[[str], str]) -> Mutation:
    """One demo row (first unused match of where) changed: a value, or a function of the old value."""

    def mutate(exports: Exports) -> None:
        row = exports.pick(table, where)
        for column, value in values.items():
            row[column] = value(row[column]) if callable(value) else value

    return mutate


def replay_events(every: int, seconds: int) -> Mutation:
    """Every n-th event delivered again, received a few seconds later (a webhook retry)."""

    def mutate(exports: Exports) -> None:
        events = exports.rows["raw_dm_events"]
        copies = [
            {**row, "received_at": shift(row["received_at"], seconds=seconds)}
            for row in events[::every]
            if is_clean_event(row)
        ]
        events.extend(copies)

    return mutate


def copy_row(table: str, where: dict) -> Mutation:
    """A demo row exported twice, byte for byte."""

    def mutate(exports: Exports) -> None:
        exports.rows[table].append(dict(exports.pick(table, where)))

    return mutate


def text_edit(table: str, function: Callable[[str], str]) -> Mutation:
    def mutate(exports: Exports) -> None:
        exports.text_edits[table].append(function)

    return mutate


def columns_reordered(table: str) -> Mutation:
    def mutate(exports: Exports) -> None:
        exports.columns[table] = list(reversed(exports.columns[table]))

    return mutate


def extra_column(table: str, name: str, value: str) -> Mutation:
    def mutate(exports: Exports) -> None:
        exports.columns[table] = [*exports.columns[table], name]
        for row in exports.rows[table]:
            row[name] = value

    return mutate


def drop_column(table: str, column: str) -> Mutation:
    def mutate(exports: Exports) -> None:
        exports.columns[table] = [name for name in exports.columns[table] if name != column]

    return mutate


def delimiter(table: str, character: str) -> Mutation:
    def mutate(exports: Exports) -> None:
        exports.delimiter[table] = character

    return mutate


def header_only(table: str) -> Mutation:
    def mutate(exports: Exports) -> None:
        exports.rows[table] = []

    return mutate


def no_file(table: str) -> Mutation:
    def mutate(exports: Exports) -> None:
        exports.absent.add(table)

    return mutate


def encoded(table: str, encoding: str, **values: str) -> Mutation:
    """The file written in another encoding; values go into its first row (e.g. an accented note)."""

    def mutate(exports: Exports) -> None:
        exports.encoding[table] = encoding
        exports.rows[table][0].update(values)

    return mutate


def keep_events_before(moment: str) -> Mutation:
    """The events export cut short: only the events that occurred before moment (UTC)."""

    def mutate(exports: Exports) -> None:
        limit = datetime.fromisoformat(moment)
        exports.rows["raw_dm_events"] = [
            row
            for row in exports.rows["raw_dm_events"]
            if is_clean_event(row) and datetime.fromisoformat(row["occurred_at"].strip()) < limit
        ]

    return mutate


def keep_share(table: str, share: float) -> Mutation:
    def mutate(exports: Exports) -> None:
        rows = exports.rows[table]
        exports.rows[table] = rows[: int(len(rows) * share)]

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(exports: Exports) -> None:
        for mutation in mutations:
            mutation(exports)

    return mutate


# compliance: messages placed against a demo thread's own events


def clean_threads(exports: Exports) -> dict[str, list[dict]]:
    """Clean demo events by thread, in time order (September threads first)."""
    threads: dict[str, list[dict]] = {}
    for row in exports.rows[E]:
        if is_clean_event(row) and norm(row["event_id"]).startswith("evt_"):
            threads.setdefault(row["thread_id"].strip(), []).append(row)
    for rows in threads.values():
        rows.sort(key=lambda row: datetime.fromisoformat(row["occurred_at"].strip()))
    return dict(sorted(threads.items(), key=lambda item: item[1][0]["occurred_at"]))


def take_thread(exports: Exports, with_opt_out: bool) -> list[dict]:
    """A demo thread no other case took, with or without an opt_out event."""
    for thread_id, rows in clean_threads(exports).items():
        has_opt_out = any(norm(row["event_type"]) == "opt_out" for row in rows)
        if has_opt_out == with_opt_out and ("thread", thread_id) not in exports.used:
            exports.used.add(("thread", thread_id))
            return rows
    raise LookupError("no free thread")


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def thread_event(template: dict, event_id: str, moment: datetime, **values: str) -> dict:
    event = dict.fromkeys(template, "")
    event.update(
        event_id=event_id,
        thread_id=template["thread_id"],
        ig_user_id=template["ig_user_id"],
        ig_handle=template["ig_handle"],
        flow_name=template["flow_name"],
        occurred_at=utc(moment),
        received_at=utc(moment + timedelta(seconds=2)),
    )
    event.update(values)
    return event


BOT_MESSAGE = {"actor": "bot", "event_type": "message_out", "message_text": "Still thinking about it?"}


def late_bot_message(event_id: str, hours: float, rejected_customer_message: bool = False) -> Mutation:
    """A bot message hours after a thread's last event; optionally a customer message between them
    whose time cannot be read (a reject: the data cannot tell whether it reopened the window)."""

    def mutate(exports: Exports) -> None:
        rows = take_thread(exports, with_opt_out=False)
        last = datetime.fromisoformat(rows[-1]["occurred_at"].strip())
        message = last + timedelta(hours=hours)
        exports.rows[E].append(thread_event(rows[-1], event_id, message, **BOT_MESSAGE))
        if rejected_customer_message:
            customer = thread_event(
                rows[-1],
                event_id + "_customer",
                message - timedelta(hours=2),
                actor="contact",
                event_type="message_in",
                message_text="Is it still available?",
            )
            customer["occurred_at"] = "yesterday 22:10"
            exports.rows[E].append(customer)

    return mutate


def bot_message_after_opt_out(event_id: str, rejected_consent: bool = False) -> Mutation:
    """A bot message five minutes after a thread's real opt_out; optionally a lead between them that
    staging rejects (its consent cannot be read): it may have been a new consent."""

    def mutate(exports: Exports) -> None:
        rows = take_thread(exports, with_opt_out=True)
        opt_out = next(row for row in rows if norm(row["event_type"]) == "opt_out")
        moment = datetime.fromisoformat(opt_out["occurred_at"].strip())
        exports.rows[E].append(thread_event(opt_out, event_id, moment + timedelta(minutes=5), **BOT_MESSAGE))
        if rejected_consent:
            exports.rows[E].append(
                thread_event(
                    opt_out,
                    event_id + "_lead",
                    moment + timedelta(minutes=2),
                    actor="contact",
                    event_type="lead_submitted",
                    email=f"{event_id}@example.org",
                    consent="sure",
                )
            )

    return mutate


def bot_message_after_assumed_opt_out(event_id: str, contact_id: str) -> Mutation:
    """A CRM record of a thread's customer says opted_out without a time, written (updated_at) five
    minutes before a bot message: the opt-out's time is assumed, the breach is not proven."""

    def mutate(exports: Exports) -> None:
        rows = take_thread(exports, with_opt_out=False)
        customer = [row for row in rows if norm(row["actor"]) == "contact"][-1]
        moment = datetime.fromisoformat(customer["occurred_at"].strip())
        exports.rows[E].append(thread_event(customer, event_id, moment + timedelta(minutes=10), **BOT_MESSAGE))
        exports.rows[C].append(
            dict(
                contact_id=contact_id,
                created_at=utc(moment - timedelta(days=1)),
                updated_at=utc(moment + timedelta(minutes=5)),
                ig_user_id=customer["ig_user_id"],
                lifecycle_status="new",
                source="direct",
                opted_out="true",
                opted_out_at="",
            )
        )

    return mutate


# value helpers


def shift(text: str, seconds: int = 0, offset_hours: int | None = None) -> str:
    """An ISO timestamp moved by seconds, or the same instant written in another UTC offset."""
    moment = datetime.fromisoformat(text.strip()) + timedelta(seconds=seconds)
    if offset_hours is not None:
        moment = moment.astimezone(timezone(timedelta(hours=offset_hours)))
    return moment.isoformat()


def same_instant(offset_hours: int) -> Callable[[str], str]:
    return lambda text: shift(text, offset_hours=offset_hours)


def with_bom(text: str) -> str:
    return "\ufeff" + text


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def first_line(function: Callable[[str], str]) -> Callable[[str], str]:
    def edit_header(text: str) -> str:
        header, rest = text.split("\n", 1)
        return function(header) + "\n" + rest

    return edit_header


def trailing_delimiter(text: str) -> str:
    return "\n".join(line + "," if line else line for line in text.split("\n"))


def insert_line(number: int, line: str) -> Callable[[str], str]:
    def insert(text: str) -> str:
        lines = text.split("\n")
        return "\n".join([*lines[:number], line, *lines[number:]])

    return insert


def append_text(extra: str) -> Callable[[str], str]:
    return lambda text: text + extra


# --------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    id: str
    table: str  # a raw table, or "file" when the damage is to the file as a whole
    mutation: Mutation
    expected: str  # quarantined | loud | tolerated
    # quarantined: the reject reason; loud: the test name or a fragment of the error message
    expect: str | tuple[str, ...] | None = None
    record_id: str | None = None  # quarantined: the record id in dq_rejects; loud: the stored failure's id
    count: int = 1  # quarantined: how many reject rows the case adds
    build: str = "clean"  # clean | loud | own
    status: str | None = None  # loud data-quality cases: the test's status (fail, warn)
    failure_column: str | None = None  # loud: column of the stored failures holding record_id
    check: tuple[str, list] | None = None  # tolerated: a query on the built warehouse and its rows
    run: tuple[str, ...] = ()  # own: the dbt command (default: run one base model)
    rule: str | None = None  # the raw table whose rejects the reason belongs to (default: table)
    absent_from: str | None = None  # loud: a test whose stored failures must not hold record_id
    before: Mutation | None = None  # own: the exports of a first build into the same warehouse
    warns: frozenset = field(default_factory=frozenset)  # clean/loud: tests this case makes warn


E = "raw_dm_events"
C = "raw_crm_contacts"
O = "raw_orders"  # noqa: E741
X = "raw_fx_rates"
K = "raw_automation_costs"
NOT_READ = "message_in"

# the models and the two emptiness tests of dq_reject_shares, nothing else
DQ_EMPTY = (
    "build",
    "--select",
    "+dq_reject_shares",
    "dq_raw_events_not_empty",
    "dq_raw_tables_not_empty",
    "--indirect-selection",
    "empty",
    "--exclude",
    "resource_type:unit_test",
)
UNCLOSED_QUOTE_EVENT = (
    "fc_evt_quote,2026-09-15T12:00:00Z,2026-09-15T12:00:05Z,thr_0001,17841400000129199,,contact,,message_in,,,,,"
    '"He said hi,,,,,,,'
)
DQ_COVERAGE = (
    "build",
    "--select",
    "+dq_dm_order_event_coverage",
    "dq_dm_orders_without_dm_events_share",
    "dq_dm_orders_without_dm_events_any",
    "--indirect-selection",
    "empty",
    "--exclude",
    "resource_type:unit_test",
)
DQ_SHRINK = (
    "build",
    "--select",
    "+dq_raw_row_count_changes",
    "dq_raw_tables_not_shrunk",
    "--indirect-selection",
    "empty",
    "--exclude",
    "resource_type:unit_test",
)
PLAUSIBLE = "outside the plausible range (2010-10-06 to the build time + 48 h)"
TRIGGER = {"event_type": "trigger"}
MESSAGE_IN = {"event_type": "message_in"}


def event(event_id: str, **values: str) -> Mutation:
    """A new event of its own id, copied from a demo customer message."""
    return add_like(E, MESSAGE_IN, event_id=event_id, **values)


def contact(contact_id: str, **values: str) -> Mutation:
    record = dict(
        contact_id=contact_id,
        created_at="2026-09-10T10:00:00Z",
        updated_at="2026-09-12T10:00:00Z",
        email=f"{contact_id}@example.org",
        lifecycle_status="new",
        opted_out="false",
        source="website",
    )
    record.update(values)
    return add_rows(C, record)


def order(order_id: str, **values: str) -> Mutation:
    record = dict(
        order_id=order_id,
        created_at="2026-10-12T12:00:00Z",
        customer_email=f"{order_id.lower()}@example.org",
        currency="USD",
        subtotal="40.00",
        discount_total="0.00",
        shipping_total="0.00",
        tax_total="0.00",
        total_price="40.00",
        financial_status="paid",
        refunded_amount="0.00",
        source_name="web",
    )
    record.update(values)
    return add_rows(O, record)


def rate(**values: str) -> Mutation:
    return add_rows(X, {"rate_date": "2026-09-20", "currency": "EUR", "rate_to_reporting": "1.1600", **values})


def cost(**values: str) -> Mutation:
    return add_rows(
        K, {"cost_month": "2026-10-01", "cost_type": "other", "amount": "10.00", "currency": "USD", **values}
    )


# One case a row, as a table (ruff format would give each argument a line of its own).
# fmt: off
CASES: list[Case] = [
    # ---------------------------------------------------------------- raw_dm_events, quarantined
    Case("evt_unknown_type", E, event("fc_evt_type", event_type="story_mention"), "quarantined",
         "unknown event_type: story_mention", "fc_evt_type"),
    Case("evt_missing_thread", E, event("fc_evt_thread", thread_id="  "), "quarantined",
         "missing thread_id", "fc_evt_thread"),
    Case("evt_unknown_actor", E, event("fc_evt_actor", actor="system"), "quarantined",
         "unknown actor: system", "fc_evt_actor"),
    Case("evt_message_out_by_contact", E, event("fc_evt_out_contact", event_type="message_out"), "quarantined",
         "message_out by contact: only the bot or an agent does that", "fc_evt_out_contact"),
    Case("evt_message_in_by_bot", E, event("fc_evt_in_bot", actor="bot"), "quarantined",
         "message_in by bot: only the customer (actor contact) does that", "fc_evt_in_bot"),
    Case("evt_trigger_by_agent", E, add_like(E, TRIGGER, event_id="fc_evt_trigger_agent", actor="agent"),
         "quarantined",
         "trigger by agent: a trigger is the customer's entry (contact) or the automation's (bot)",
         "fc_evt_trigger_agent"),
    Case("evt_unknown_entry_point", E, add_like(E, TRIGGER, event_id="fc_evt_entry", entry_point="reel"),
         "quarantined", "unknown entry_point: reel", "fc_evt_entry"),
    Case("evt_time_without_offset", E, event("fc_evt_no_offset", occurred_at="2026-09-15 10:00:00"), "quarantined",
         "unparseable occurred_at: 2026-09-15 10:00:00", "fc_evt_no_offset"),
    Case("evt_impossible_date", E, event("fc_evt_feb30", occurred_at="2026-02-30T10:00:00Z"), "quarantined",
         "unparseable occurred_at: 2026-02-30T10:00:00Z", "fc_evt_feb30"),
    Case("evt_epoch_seconds", E, event("fc_evt_epoch", received_at="1789470000"), "quarantined",
         "unparseable received_at: 1789470000", "fc_evt_epoch"),
    Case("evt_clock_1970", E,
         event("fc_evt_1970", occurred_at="1970-01-01T00:00:00Z", received_at="1970-01-01T00:00:01Z"),
         "quarantined", f"occurred_at {PLAUSIBLE}: 1970-01-01T00:00:00Z", "fc_evt_1970"),
    Case("evt_clock_2099", E,
         event("fc_evt_2099", occurred_at="2099-01-01T00:00:00Z", received_at="2099-01-01T00:00:05Z"),
         "quarantined", f"occurred_at {PLAUSIBLE}: 2099-01-01T00:00:00Z", "fc_evt_2099"),
    Case("evt_received_before_occurred", E,
         event("fc_evt_early", occurred_at="2026-09-15T12:00:00Z", received_at="2026-09-15T11:00:00Z"),
         "quarantined", "received_at before occurred_at: 2026-09-15T11:00:00Z < 2026-09-15T12:00:00Z",
         "fc_evt_early"),
    Case("evt_invalid_consent", E,
         event("fc_evt_consent", event_type="lead_submitted", email="fc@example.org", consent="maybe"),
         "quarantined", "invalid consent boolean: maybe", "fc_evt_consent"),
    Case("evt_null_placeholder_id", E, event("NULL", thread_id="fc_thread_null_id"), "quarantined",
         "missing event_id", "(missing)"),
    Case("evt_id_reused_by_two_events", E,
         both(event("fc_evt_reused", thread_id="fc_thread_a"),
              add_like(E, TRIGGER, event_id="fc_evt_reused", thread_id="fc_thread_b")),
         "quarantined",
         "event_id delivered as 2 different events (thread, type, actor or time differ) in 2 copies",
         "fc_evt_reused", count=2),
    # ---------------------------------------------------------------- raw_dm_events, tolerated
    Case("evt_replayed_deliveries", E, replay_events(every=20, seconds=7), "tolerated",
         check=("select count(*) > 150 from staging.stg_dm_platform__events where delivery_count > 1", [(True,)])),
    Case("evt_same_instant_other_offset", E,
         edit(E, MESSAGE_IN, occurred_at=same_instant(9), received_at=same_instant(-7)), "tolerated"),
    Case("evt_enum_case_and_spaces", E,
         edit(E, {"event_type": "button_click"}, event_type=" Button_Click ", actor="CONTACT "), "tolerated"),
    Case("evt_handle_invisible_characters", E,
         edit(E, lambda r: norm(r["ig_handle"]).startswith("@") and len(r["ig_handle"].strip()) > 4,
              ig_handle=lambda h: "\u200b" + h.strip().upper()[:3] + "\u200d" + h.strip().upper()[3:] + "\u00a0"),
         "tolerated"),
    Case("evt_quoted_newlines_and_sql_text", E,
         edit(E, MESSAGE_IN, message_text="Hi,\nis it\r\n'; drop table raw_orders; -- \"in stock\"? 🌸"),
         "tolerated"),
    Case("evt_message_over_128_kib", E, edit(E, MESSAGE_IN, message_text="long " * 40_000), "tolerated",
         check=("select max(length(message_text)) >= 200000 from staging.stg_dm_platform__events", [(True,)])),
    Case("evt_consent_spelled_yes", E,
         edit(E, {"event_type": "lead_submitted", "consent": "true"}, consent="Yes"), "tolerated"),
    Case("evt_utm_keys_upper_case", E,
         edit(E, lambda r: "utm_source=dm&utm_medium=chat&utm_campaign=" in r["link_url"]
              and norm(r["event_type"]) == "message_out",
              link_url=lambda u: u.replace("utm_source=dm", "UTM_SOURCE=DM").replace("utm_medium", "Utm_Medium")),
         "tolerated"),
    Case("evt_placeholder_in_optional_column", E,
         edit(E, {"event_type": "message_out", "actor": "bot", "agent_id": ""}, agent_id="N/A", consent="null"),
         "tolerated"),
    # ---------------------------------------------------------------- raw_crm_contacts
    Case("crm_unknown_lifecycle", C, contact("fc_crm_life", lifecycle_status="customer"), "quarantined",
         "unknown lifecycle_status: customer", "fc_crm_life"),
    Case("crm_missing_lifecycle", C, contact("fc_crm_no_life", lifecycle_status=""), "quarantined",
         "missing lifecycle_status", "fc_crm_no_life"),
    Case("crm_unknown_channel", C, contact("fc_crm_channel", preferred_channel="whatsapp"), "quarantined",
         "unknown preferred_channel: whatsapp", "fc_crm_channel"),
    Case("crm_unknown_source", C, contact("fc_crm_source", source="tiktok"), "quarantined",
         "unknown source: tiktok", "fc_crm_source"),
    Case("crm_created_at_us_format", C, contact("fc_crm_created", created_at="09/10/2026 10:00"), "quarantined",
         "unparseable created_at: 09/10/2026 10:00", "fc_crm_created"),
    Case("crm_updated_at_missing", C, contact("fc_crm_updated", updated_at=""), "quarantined",
         "unparseable updated_at: (empty)", "fc_crm_updated"),
    Case("crm_consent_at_unparseable", C, contact("fc_crm_consent", consent_at="yesterday"), "quarantined",
         "unparseable consent_at: yesterday", "fc_crm_consent"),
    Case("crm_opted_out_unreadable", C, contact("fc_crm_opted", opted_out="unsubscribed"), "quarantined",
         "invalid opted_out boolean: unsubscribed", "fc_crm_opted"),
    Case("crm_stale_copy_of_a_record", C,
         add_like(C, {"contact_id": "crm_0003"}, updated_at="2020-01-01T00:00:00Z"), "quarantined",
         "duplicate contact_id", "crm_0003"),
    Case("crm_email_case_spaces_invisible", C,
         edit(C, lambda r: "@" in r["email"], email=lambda e: " \u200b" + e.strip().upper().replace("@", " @") + " "),
         "tolerated"),
    Case("crm_phone_other_format", C,
         edit(C, lambda r: re.fullmatch(r"\d{3}-\d{3}-\d{4}", r["phone"].strip()) is not None,
              phone=lambda p: "+1 (" + p[:3] + ") " + p[4:7] + " " + p[8:]),
         "tolerated"),
    Case("crm_placeholders_and_enum_case", C,
         edit(C, {"email": "", "ig_handle": ""}, email="N/A", ig_handle="none", lifecycle_status=lambda s: f" {s.upper()} "),
         "tolerated"),
    # ---------------------------------------------------------------- raw_orders
    Case("ord_decimal_comma", O, order("FC-COMMA", total_price="40,00"), "quarantined",
         "unparseable total_price: 40,00", "FC-COMMA"),
    Case("ord_currency_symbol", O, order("FC-SYMBOL", subtotal="$40.00"), "quarantined",
         "unparseable subtotal: $40.00", "FC-SYMBOL"),
    Case("ord_negative_tax", O, order("FC-TAX", tax_total="-3.20"), "quarantined",
         "negative tax_total: -3.20", "FC-TAX"),
    Case("ord_refund_above_total", O,
         order("FC-REFUND", financial_status="partially_refunded", refunded_amount="55.00"), "quarantined",
         "refunded_amount exceeds total_price", "FC-REFUND"),
    Case("ord_refunded_without_amount", O, order("FC-NOREFUND", financial_status="refunded", refunded_amount=""),
         "quarantined", "missing refunded_amount on a refunded order", "FC-NOREFUND"),
    Case("ord_unknown_status", O, order("FC-STATUS", financial_status="completed"), "quarantined",
         "unknown financial_status: completed", "FC-STATUS"),
    Case("ord_missing_currency", O, order("FC-CURRENCY", currency=" "), "quarantined",
         "missing currency", "FC-CURRENCY"),
    Case("ord_clock_2099", O, order("FC-2099", created_at="2099-12-31T23:00:00Z"), "quarantined",
         f"created_at {PLAUSIBLE}: 2099-12-31T23:00:00Z", "FC-2099"),
    Case("ord_cancelled_at_unparseable", O, order("FC-CANCEL", cancelled_at="cancelled"), "quarantined",
         "unparseable cancelled_at: cancelled", "FC-CANCEL"),
    Case("ord_refunded_nothing", O, order("FC-REFUNDED-0", financial_status="refunded", refunded_amount="0.00"),
         "quarantined", "refunded_amount 0 on a refunded order", "FC-REFUNDED-0"),
    # an order exported again unchanged is one order in two versions (base_shop__orders.is_superseded)
    Case("ord_exported_twice", O, copy_row(O, {"financial_status": "paid"}), "tolerated",
         check=("select count(*) from staging.stg_shop__orders where version_count = 2", [(1,)])),
    Case("ord_status_currency_utm_case", O,
         edit(O, {"financial_status": "paid", "utm_source": "dm", "currency": "eur"},
              financial_status=" PAID ", currency="eur ", utm_source=" DM", utm_medium="Chat ",
              utm_campaign=lambda c: c.upper(), total_price=lambda t: t + "0", created_at=same_instant(-5)),
         "tolerated"),
    # ---------------------------------------------------------------- raw_fx_rates
    Case("fx_missing_currency", X, rate(currency="", rate_date="2026-09-21"), "quarantined",
         "missing currency", "(missing)"),
    Case("fx_date_us_format", X, rate(rate_date="09/21/2026"), "quarantined",
         "unparseable rate_date: 09/21/2026", "EUR 09/21/2026"),
    Case("fx_date_with_time", X, rate(rate_date="2026-09-22T00:00:00Z", currency="GBP"), "quarantined",
         "unparseable rate_date: 2026-09-22T00:00:00Z", "GBP 2026-09-22T00:00:00Z"),
    Case("fx_rate_zero", X, rate(currency="JPY", rate_date="2026-09-02", rate_to_reporting="0"), "quarantined",
         "non-positive rate_to_reporting: 0", "JPY 2026-09-02"),
    Case("fx_conflicting_rates", X,
         both(rate(currency="SEK", rate_date="2026-09-03", rate_to_reporting="0.0950"),
              rate(currency="SEK", rate_date="2026-09-03", rate_to_reporting="0.0951")),
         "quarantined", "conflicting rates for one currency and date", "SEK 2026-09-03", count=2),
    Case("fx_row_exported_twice", X, copy_row(X, {"currency": "eur"}), "quarantined", "duplicate rate row", None),
    # ---------------------------------------------------------------- raw_automation_costs
    Case("cost_month_mid_month", K, cost(cost_month="2026-10-15"), "quarantined",
         "cost_month is not the first day of a month: 2026-10-15", "2026-10-15 other"),
    Case("cost_month_without_day", K, cost(cost_month="2026-10", cost_type="setup"), "quarantined",
         "unparseable cost_month: 2026-10", "2026-10 setup"),
    Case("cost_unknown_type", K, cost(cost_type="coffee"), "quarantined",
         "unknown cost_type: coffee", "2026-10-01 coffee"),
    Case("cost_thousands_separator", K, cost(cost_type="agency", amount="1.200,00"), "quarantined",
         "unparseable amount: 1.200,00", "2026-10-01 agency"),
    Case("cost_negative", K, cost(cost_month="2026-09-01", amount="-99.00"), "quarantined",
         "negative amount: -99.00", "2026-09-01 other"),
    Case("cost_month_2099", K, cost(cost_month="2099-01-01", cost_type="ads"), "quarantined",
         "cost_month outside the plausible range (2010-10-06 to the build time + 48 h): 2099-01-01", "2099-01-01 ads"),
    Case("cost_line_twice", K, copy_row(K, {"cost_type": "ads"}), "quarantined",
         "duplicate cost line: same month, type, amount, currency and note as another line", None),
    Case("cost_enum_and_currency_case", K,
         edit(K, {"cost_type": "agency", "currency": "usd"}, cost_type="AGENCY", currency=" usd"), "tolerated"),
    # ---------------------------------------------------------------- files, tolerated
    Case("file_bom", "file", text_edit(E, with_bom), "tolerated"),
    Case("file_trailing_delimiter", "file", text_edit(E, trailing_delimiter), "tolerated"),
    Case("file_crlf", "file", text_edit(C, crlf), "tolerated"),
    Case("file_header_names_padded", "file",
         text_edit(C, first_line(lambda header: header.replace(",", " , "))), "tolerated"),
    Case("file_columns_reordered", "file", columns_reordered(O), "tolerated"),
    Case("file_blank_lines_at_end", "file", text_edit(O, append_text("\n\n\n")), "tolerated"),
    Case("file_extra_column", "file", extra_column(X, "source_bank", "ECB"), "tolerated"),
    Case("file_semicolons", "file", delimiter(X, ";"), "tolerated"),
    Case("file_upper_case_header", "file", text_edit(K, first_line(str.upper)), "tolerated"),
    Case("file_no_final_newline", "file", text_edit(K, str.rstrip), "tolerated"),
    # ---------------------------------------------------------------- files, loud (a run each)
    Case("file_header_only_events", "file", header_only(E), "loud", "dq_raw_events_not_empty", build="own",
         status="fail", run=DQ_EMPTY),
    Case("file_header_only_crm", "file", header_only(C), "loud", "dq_raw_tables_not_empty", build="own",
         status="warn", run=DQ_EMPTY),
    Case("file_header_only_costs", "file", header_only(K), "loud", "dq_raw_tables_not_empty", build="own",
         status="warn", run=DQ_EMPTY),
    Case("file_missing_column", "file", drop_column(O, "currency"), "loud",
         "raw_orders ({raw}/raw_orders.csv) is missing contract column(s): currency", build="own"),
    Case("file_absent", "file", no_file(X), "loud",
         ("Raw table raw_fx_rates not found under raw_path '{raw}'", "{raw}/raw_fx_rates/*.csv"), build="own"),
    Case("file_latin1", "file", encoded(C, "latin-1", first_name="Zoé"), "loud",
         ("not utf-8 encoded", "{raw}/raw_crm_contacts.csv"), build="own"),
    Case("file_utf16", "file", encoded(K, "utf-16"), "loud",
         ("not utf-8 encoded", "{raw}/raw_automation_costs.csv"), build="own"),
    Case("file_row_with_fewer_fields", "file", text_edit(K, append_text("2026-10-01,other,5.00\n")), "loud",
         ("raw_automation_costs ({raw}/raw_automation_costs.csv) cannot be read as a table",
          "raw_automation_costs.csv line 9: Expected Number of Columns: 5 Found: 3"), build="own"),
    Case("file_row_with_more_fields", "file", text_edit(X, append_text("2026-10-31,EUR,1.15,ECB\n")), "loud",
         ("raw_fx_rates ({raw}/raw_fx_rates.csv) cannot be read as a table",
          "line 120: Expected Number of Columns: 3 Found: 4"), build="own"),
    Case("file_quote_never_closed_mid_file", "file", text_edit(E, insert_line(1000, UNCLOSED_QUOTE_EVENT)), "loud",
         ("raw_dm_events ({raw}/raw_dm_events.csv) cannot be read as a table", "Value with unterminated quote found"),
         build="own"),
    Case("file_quote_never_closed_last_line", "file", text_edit(E, append_text(UNCLOSED_QUOTE_EVENT + "\n")), "loud",
         'Error when sniffing file "{raw}/raw_dm_events.csv"', build="own"),
    Case("file_duplicate_header_name", "file", text_edit(K, first_line(lambda h: h.replace("note", "Amount"))),
         "loud", "raw_automation_costs ({raw}/raw_automation_costs.csv) is missing contract column(s): note",
         build="own"),
    Case("file_without_header", "file", text_edit(C, lambda text: text.split("\n", 1)[1]), "loud",
         "raw_crm_contacts ({raw}/raw_crm_contacts.csv) is missing contract column(s): contact_id, created_at",
         build="own"),
    # ---------------------------------------------------------------- one build that changes the numbers
    Case("cmp_bot_after_real_opt_out", E, bot_message_after_opt_out("fc_msg_after_opt_out"), "loud",
         "dq_no_bot_message_after_opt_out", "fc_msg_after_opt_out", build="loud", status="fail",
         failure_column="event_id"),
    Case("cmp_bot_after_opt_out_with_rejected_consent", E,
         bot_message_after_opt_out("fc_msg_after_opt_out_lead", rejected_consent=True), "loud",
         "dq_no_bot_message_after_opt_out_doubtful", "fc_msg_after_opt_out_lead", build="loud", status="warn",
         failure_column="event_id", absent_from="dq_no_bot_message_after_opt_out"),
    Case("cmp_bot_after_assumed_opt_out", C, bot_message_after_assumed_opt_out("fc_msg_assumed", "fc_crm_no_time"),
         "loud", "dq_no_bot_message_after_opt_out_doubtful", "fc_msg_assumed", build="loud", status="warn",
         failure_column="event_id", absent_from="dq_no_bot_message_after_opt_out"),
    Case("cmp_bot_outside_window", E, late_bot_message("fc_msg_late", hours=30), "loud",
         "dq_bot_messages_within_messaging_window", "fc_msg_late", build="loud", status="fail",
         failure_column="event_id"),
    Case("cmp_bot_outside_window_after_rejected_message", E,
         late_bot_message("fc_msg_late_doubt", hours=30, rejected_customer_message=True), "loud",
         "dq_bot_messages_within_messaging_window_doubtful", "fc_msg_late_doubt", build="loud", status="warn",
         failure_column="event_id", absent_from="dq_bot_messages_within_messaging_window"),
    Case("ord_many_rejects", O,
         both(*(order(f"FC-NA-{n}", total_price="N/A") for n in range(4))), "loud", "dq_rejects_share",
         "raw_orders", build="loud", status="fail", failure_column="share_group"),
    Case("ord_currency_without_rate", O, order("FC-JPY", currency="JPY", total_price="4000"), "quarantined",
         "no fx rate for currency JPY", "FC-JPY", build="loud"),
    Case("cost_currency_without_rate", K, cost(currency="CHF", cost_type="agency", amount="80.00"), "quarantined",
         "no fx rate for currency CHF", None, build="loud",
         warns=frozenset({"warn_on_any_automation_cost_fx_reject"})),
    Case("evt_existing_row_damaged", E,
         edit(E, {"event_type": "button_click"}, occurred_at="15/09/2026 10:00"), "quarantined",
         "unparseable occurred_at: 15/09/2026 10:00", None, build="loud"),
    Case("ord_existing_row_damaged", O, edit(O, {"financial_status": "paid"}, total_price="twelve"),
         "quarantined", "unparseable total_price: twelve", None, build="loud"),
    # ---------------------------------------------------------------- exports cut short
    Case("file_events_cut_short", "file", keep_events_before("2026-10-01T00:00:00+00:00"), "loud",
         "dq_dm_orders_without_dm_events_share", build="own", status="fail", run=DQ_COVERAGE),
    Case("file_orders_shrunk_since_last_build", "file", keep_share(O, 0.3), "loud", "dq_raw_tables_not_shrunk",
         build="own", status="warn", run=DQ_SHRINK, before=keep_share(O, 1.0)),
]
# fmt: on


def case_ids(build: str) -> list[str]:
    return [case.id for case in CASES if case.build == build]


# --------------------------------------------------------------------------- builds


@dataclass
class Build:
    result: DbtResult
    statuses: dict[str, str]
    rejects: Counter
    raw_path: Path


def dbt_test_statuses(result: DbtResult) -> dict[str, str]:
    run_results = json.loads((result.project_dir / "target" / "run_results.json").read_text())
    statuses = {}
    for node in run_results["results"]:
        resource_type, _package, name = node["unique_id"].split(".")[:3]
        if resource_type == "test":
            statuses[name] = node["status"]
    return statuses


def rejects_of(result: DbtResult) -> Counter:
    return Counter(result.query("select raw_table, record_id, reject_reason from data_quality.dq_rejects"))


def vars_flag(raw_path: Path, **extra: object) -> list[str]:
    values = {"raw_path": str(raw_path), **extra}
    return ["--vars", json.dumps(values)]


def batch_build(tmp_path_factory, build: str, extra_vars: dict) -> Build:
    exports = Exports()
    for case in CASES:
        if case.build == build:
            case.mutation(exports)
    root = tmp_path_factory.mktemp(f"corpus_{build}")
    exports.write(root / "raw")
    project_dir = copy_project(root / "project")
    result = run_dbt(project_dir, "build", "--exclude", "test_type:unit", *vars_flag(root / "raw", **extra_vars))
    statuses = dbt_test_statuses(result)
    assert "error" not in statuses.values() and "skipped" not in statuses.values(), result.output[-4000:]
    return Build(result, statuses, rejects_of(result), root / "raw")


@pytest.fixture(scope="module")
def clean_rejects(demo_build) -> Counter:
    return rejects_of(demo_build)


@pytest.fixture(scope="module")
def clean_batch(tmp_path_factory) -> Build:
    # the batch's many injected rejects would trip the reject-share error (a case of its own)
    build = batch_build(tmp_path_factory, "clean", {"reject_error_share": 1})
    assert build.result.returncode == 0, build.result.output[-4000:]
    return build


@pytest.fixture(scope="module")
def marts_difference(clean_batch, demo_build) -> str:
    """'' when the batch's marts equal the demo build's, else compare_marts' report."""
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        differences = compare(str(demo_build.warehouse), str(clean_batch.result.warehouse), 1e-9, ["marts"])
    return "" if differences == 0 else report.getvalue()


def expected_rejects(build: str) -> Counter:
    expected: Counter = Counter()
    for case in CASES:
        if case.build == build and case.expected == "quarantined":
            expected[(case.rule or case.table, case.record_id, case.expect)] += case.count
    return expected


# --------------------------------------------------------------------------- assertions


def test_corpus_is_big_enough_and_classified():
    classes = Counter(case.expected for case in CASES)
    assert len(CASES) >= 40, classes
    assert set(classes) <= {"quarantined", "loud", "tolerated"}
    assert len({case.id for case in CASES}) == len(CASES)
    tables = {case.table for case in CASES}
    assert set(TABLES) | {"file"} <= tables


def test_clean_batch_adds_exactly_the_expected_rejects(clean_batch, clean_rejects):
    """Every reject the clean batch adds to the demo's belongs to a case, and every case's is there:
    no case has a side effect on another. (A case that exports a demo row twice is known by its
    reason only: its record id is the demo row's.)"""
    expected = expected_rejects("clean")
    by_reason_only = {(table, reason) for table, record_id, reason in expected if record_id is None}
    added: Counter = Counter()
    for (table, record_id, reason), n in (clean_batch.rejects - clean_rejects).items():
        added[(table, None if (table, reason) in by_reason_only else record_id, reason)] += n
    assert added == expected
    assert not (clean_rejects - clean_batch.rejects), "a demo reject vanished"


def test_clean_batch_warns_only_as_expected(clean_batch):
    expected = dict.fromkeys(WARN_ON_DEMO, "warn")
    for case in CASES:
        if case.build == "clean":
            expected.update(dict.fromkeys(case.warns, "warn"))
    wrong = {name: status for name, status in clean_batch.statuses.items() if status != expected.get(name, "pass")}
    assert not wrong, wrong


def reject_rows_added(build: Build, clean_rejects: Counter, case: Case) -> int:
    added = build.rejects - clean_rejects
    return sum(
        n
        for (table, record_id, reason), n in added.items()
        if table == (case.rule or case.table)
        and reason == case.expect
        and (case.record_id is None or record_id == case.record_id)
    )


@pytest.mark.parametrize("case_id", case_ids("clean"))
def test_case(case_id, clean_batch, clean_rejects, marts_difference):
    case = next(case for case in CASES if case.id == case_id)
    if case.expected == "quarantined":
        assert reject_rows_added(clean_batch, clean_rejects, case) >= case.count, sorted(
            clean_batch.rejects - clean_rejects
        )
    # nothing a tolerated case changes, nor a bad row a case adds, may reach a mart
    assert marts_difference == "", marts_difference
    if case.check is not None:
        sql, rows = case.check
        assert clean_batch.result.query(sql) == rows


@pytest.fixture(scope="module")
def loud_batch(tmp_path_factory) -> Build:
    return batch_build(tmp_path_factory, "loud", {})


def test_loud_batch_fails_and_warns_only_where_a_case_says(loud_batch):
    expected = dict.fromkeys(WARN_ON_DEMO, "warn")
    for case in CASES:
        if case.build == "loud":
            expected.update(dict.fromkeys(case.warns, "warn"))
            if case.status is not None:
                expected[case.expect] = case.status
    wrong = {name: status for name, status in loud_batch.statuses.items() if status != expected.get(name, "pass")}
    assert not wrong, wrong
    assert loud_batch.result.returncode == 1


@pytest.mark.parametrize("case_id", case_ids("loud"))
def test_loud_batch_case(case_id, loud_batch, clean_rejects):
    case = next(case for case in CASES if case.id == case_id)
    if case.expected == "quarantined":
        assert reject_rows_added(loud_batch, clean_rejects, case) >= case.count, sorted(
            loud_batch.rejects - clean_rejects
        )
        return
    assert loud_batch.statuses[case.expect] == case.status
    failures = {
        row[0] for row in loud_batch.result.query(f"select {case.failure_column} from test_failures.{case.expect}")
    }
    assert case.record_id in failures, failures
    if case.absent_from is not None:
        proven = {row[0] for row in loud_batch.result.query(f"select event_id from test_failures.{case.absent_from}")}
        assert case.record_id not in proven, proven


class OwnRunner:
    """One project copy, raw folder and warehouse path for every case of its own: the vars and the
    profile stay the same from run to run, so dbt parses the project once (partial parse)."""

    def __init__(self, root: Path) -> None:
        self.project_dir = copy_project(root / "project")
        self.raw_path = root / "raw"
        self.warehouse = root / "own.duckdb"

    def write(self, mutation: Mutation) -> None:
        shutil.rmtree(self.raw_path, ignore_errors=True)
        exports = Exports()
        mutation(exports)
        exports.write(self.raw_path)

    def run(self, case: Case) -> DbtResult:
        for path in self.warehouse.parent.glob(self.warehouse.name + "*"):
            path.unlink()
        command = case.run or ("run", "--select", "base_finance__fx_rates")
        if case.before is not None:  # a first build the case is compared with
            self.write(case.before)
            first = run_dbt(self.project_dir, *command, *vars_flag(self.raw_path), warehouse=self.warehouse)
            assert first.returncode == 0, first.output[-3000:]
        self.write(case.mutation)
        return run_dbt(self.project_dir, *command, *vars_flag(self.raw_path), warehouse=self.warehouse)


@pytest.fixture(scope="module")
def own_runner(tmp_path_factory) -> OwnRunner:
    return OwnRunner(tmp_path_factory.mktemp("corpus_own"))


@pytest.mark.parametrize("case_id", case_ids("own"))
def test_own_case(case_id, own_runner):
    case = next(case for case in CASES if case.id == case_id)
    result = own_runner.run(case)
    if case.status is not None:  # a data-quality test
        statuses = dbt_test_statuses(result)
        assert statuses.get(case.expect) == case.status, (statuses, result.output[-3000:])
        assert result.returncode == (1 if case.status == "fail" else 0), result.output[-3000:]
        assert "skipped" not in statuses.values() and "error" not in statuses.values(), statuses
    else:  # the run stops with a message
        assert result.returncode != 0, result.output[-3000:]
        fragments = (case.expect,) if isinstance(case.expect, str) else case.expect
        for fragment in fragments:
            assert fragment.format(raw=own_runner.raw_path) in result.output, result.output[-3000:]
