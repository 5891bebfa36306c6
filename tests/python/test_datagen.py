"""The raw-data generator (``python -m scripts.datagen``): deterministic, the contract's five tables
as text, the mess the contract lists, rejects under 1% per table, a compliant DM history, the
``--chain`` person and the ``--parts daily`` layout; and the SQL renderings of the vectorised
generator equal the shared Python helpers that the demo generator uses (``scripts/datagen/mess.py``).

Small sizes only (a few thousand sessions): the generator runs in a subprocess, as a user runs it.
Speed is measured by the benchmarks, never asserted here.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT))
from scripts.datagen import contract, mess
from scripts.datagen import generate as gen

SESSIONS = 4000
CHAIN = 60
PARTS_SESSIONS = 1500
START = date(2025, 11, 1)
DAYS = 365
VALID_TS = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"


def run_generator(out: Path, *args: str) -> dict[str, int]:
    command = [sys.executable, "-m", "scripts.datagen", "--out", str(out), *args]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    counts = {}
    for line in done.stdout.splitlines():
        m = re.match(r"^(raw_\w+)\s+([\d,]+) rows$", line)
        if m:
            counts[m.group(1)] = int(m.group(2).replace(",", ""))
    assert set(counts) == set(contract.TABLES), done.stdout
    return counts


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("datagen") / "parquet"
    counts = run_generator(out, "--sessions", str(SESSIONS), "--chain", str(CHAIN))
    return out, counts


@pytest.fixture(scope="module")
def db(generated):
    out, _ = generated
    con = duckdb.connect()
    for table in contract.TABLES:
        con.execute(f"create view {table} as select * from read_parquet('{out / table}.parquet')")
    yield con
    con.close()


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    out = tmp_path_factory.mktemp("datagen") / "parts"
    counts = run_generator(out, "--sessions", str(PARTS_SESSIONS), "--format", "csv", "--parts", "daily")
    return out, counts


def scalar(con, sql):
    return con.execute(sql).fetchone()[0]


# ----------------------------------------------------------------------------- determinism, contract


def test_same_seed_and_arguments_give_byte_identical_files(generated, tmp_path):
    out, _ = generated
    again = tmp_path / "again"
    run_generator(again, "--sessions", str(SESSIONS), "--chain", str(CHAIN), "--threads", "1")
    assert digests(again) == digests(out)


def test_never_replaces_files_it_did_not_write(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "raw_orders.csv").write_text("order_id\nmine\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.datagen",
            "--sessions",
            "50",
            "--out",
            str(exports),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "raw_orders.csv" in done.stderr and "not written by this generator" in done.stderr
    assert (exports / "raw_orders.csv").read_text() == "order_id\nmine\n"
    # a folder the generator wrote is regenerated in place
    own = tmp_path / "own"
    run_generator(own, "--sessions", "50")
    run_generator(own, "--sessions", "60", "--format", "csv")
    assert not (own / "raw_orders.parquet").exists() and (own / "raw_orders.csv").exists()


def test_the_seed_changes_the_data():
    def events(seed):
        world = gen.build(gen.Config(sessions=300, out=Path("."), seed=seed))
        return world["events"]["t"], world["events"]["et"]

    (t1, e1), (t2, e2), (t3, _) = events(1), events(1), events(2)
    assert (t1 == t2).all() and (e1 == e2).all()
    assert len(t1) != len(t3) or not (t1 == t3).all()


def test_contract_lists_match_the_models_macro():
    """contract.py holds the same column lists, in the same order, as macros/raw_contract.sql."""
    macro = (PROJECT_ROOT / "macros" / "raw_contract.sql").read_text()
    for table, columns in contract.TABLES.items():
        m = re.search(rf'"{table}":\s*\[(.*?)\]', macro, re.DOTALL)
        assert m, table
        assert re.findall(r'"(\w+)"', m.group(1)) == columns, table


def test_every_contract_column_is_present_as_text_in_contract_order(db):
    for table, columns in contract.TABLES.items():
        described = db.execute(f"describe {table}").fetchall()
        assert [row[0] for row in described] == columns, table
        assert {row[1] for row in described} == {"VARCHAR"}, table


def test_sizes_are_those_of_a_shop_year(generated):
    _, counts = generated
    per_session = {table: rows / SESSIONS for table, rows in counts.items()}
    assert 8.5 <= per_session["raw_dm_events"] <= 11
    assert 0.22 <= (counts["raw_crm_contacts"] - CHAIN) / SESSIONS <= 0.42
    assert 0.05 <= per_session["raw_orders"] <= 0.12
    assert 300 <= counts["raw_fx_rates"] <= 1000
    assert 10 <= counts["raw_automation_costs"] <= 100


def test_tables_scale_linearly_with_sessions(generated, parts):
    _, big = generated
    _, small = parts
    ratio = SESSIONS / PARTS_SESSIONS
    assert big["raw_dm_events"] / small["raw_dm_events"] == pytest.approx(ratio, rel=0.1)
    assert (big["raw_crm_contacts"] - CHAIN) / small["raw_crm_contacts"] == pytest.approx(ratio, rel=0.15)
    assert big["raw_orders"] / small["raw_orders"] == pytest.approx(ratio, rel=0.2)


# ----------------------------------------------------------------------------- events


def test_events_have_duplicate_deliveries_identical_and_later(db):
    total = scalar(db, "select count(*) from raw_dm_events")
    dup_rows = scalar(
        db,
        "select coalesce(sum(n - 1), 0) from (select count(*) n from raw_dm_events "
        "where event_id is not null group by event_id having count(*) > 1)",
    )
    assert 0.01 <= dup_rows / total <= 0.05
    identical = scalar(
        db,
        "select count(*) from (select event_id from raw_dm_events where event_id is not null "
        "group by all having count(*) > 1 and count(distinct received_at) = 1)",
    )
    later = scalar(
        db,
        "select count(*) from (select event_id from raw_dm_events where event_id is not null "
        "group by event_id having count(distinct received_at) > 1 and count(distinct occurred_at) = 1)",
    )
    assert identical > 0 and later > 0


def test_event_timestamps_offsets_and_file_order(db):
    offsets = {
        row[0]
        for row in db.execute(
            "select regexp_extract(occurred_at, '(Z|[+-][0-9]{2}:[0-9]{2})$') from raw_dm_events"
        ).fetchall()
    }
    assert {"Z", "+00:00", "+02:00", "-04:00", "+05:30"} <= offsets
    assert (
        scalar(
            db,
            "select count(*) from raw_dm_events where occurred_at <> 'not-a-date' "
            "and cast(received_at as timestamptz) < cast(occurred_at as timestamptz)",
        )
        == 0
    )
    unsorted = scalar(
        db,
        "select count(*) from (select cast(occurred_at as timestamptz) t, lag(cast(occurred_at as timestamptz)) "
        "over () p from (select * from raw_dm_events where occurred_at <> 'not-a-date')) where t < p",
    )
    assert unsorted > 0


def test_event_mess_handles_emails_links_enums(db):
    def q(sql):
        return scalar(db, sql)

    assert q("select count(*) from raw_dm_events where ig_handle like '@%'") > 0
    assert q("select count(*) from raw_dm_events where ig_handle <> lower(ig_handle)") > 0
    assert q("select count(*) from raw_dm_events where ig_handle is null") > 0
    changed = q(
        "select count(*) from (select thread_id from raw_dm_events where ig_handle is not null "
        "group by thread_id having count(distinct ltrim(lower(ig_handle), '@')) > 1)"
    )
    assert changed > 0
    assert q("select count(*) from raw_dm_events where email <> trim(email) or email <> lower(email)") > 0
    assert q("select count(*) from raw_dm_events where link_url like '%utm_campain=%'") > 0
    assert q("select count(*) from raw_dm_events where event_type <> lower(trim(event_type))") > 0
    assert q("select count(*) from raw_dm_events where entry_point <> lower(trim(entry_point))") > 0
    assert q("select count(*) from raw_dm_events where buttons like '%|%|%'") > 0
    assert (
        q(
            "select count(*) from raw_dm_events where lower(trim(event_type)) = 'lead_submitted' "
            "and consent in ('true', 'false') and consent_text_version is not null"
        )
        > 0
    )
    # the link convention on the clean links
    links = db.execute(
        "select link_url, flow_name, flow_step from raw_dm_events "
        "where link_url like 'https://shop.example/%' and link_url not like '%campain%' limit 200"
    ).fetchall()
    assert links
    for url, flow, step in links:
        utms = contract.url_utms(url)
        assert utms.get("utm_source") == "dm"
        if "utm_medium" in utms and "utm_campaign" in utms:
            assert utms["utm_medium"] == "chat" and utms["utm_campaign"] == flow and utms["utm_content"] == step


def test_entry_point_mix_and_flows(db):
    rows = db.execute(
        "select lower(trim(entry_point)) e, count(*) n from raw_dm_events "
        "where lower(trim(event_type)) = 'trigger' group by 1 order by n desc"
    ).fetchall()
    assert [r[0] for r in rows] == [
        "comment_to_dm",
        "story_reply",
        "keyword",
        "ad",
        "direct",
    ]
    flows = scalar(
        db,
        "select count(distinct flow_name) from raw_dm_events where flow_name is not null",
    )
    assert 6 <= flows <= 10
    organic = scalar(
        db,
        "select count(*) from (select thread_id from raw_dm_events group by 1 "
        "having count(*) filter (where lower(trim(event_type)) = 'trigger') = 0)",
    )
    assert organic > 0


def test_dm_history_is_compliant(db):
    """On the kept deliveries of valid events: bot messages within 24 h of the customer's last event
    (read receipts aside), agents within 7 days, no bot message after an opt-out of the thread."""
    sql = f"""
    with valid as (
        select event_id, thread_id, lower(trim(actor)) actor, lower(trim(event_type)) et,
               cast(occurred_at as timestamptz) occ, cast(received_at as timestamptz) rec
        from raw_dm_events
        where event_id is not null and regexp_matches(occurred_at, '{VALID_TS}')
          and lower(trim(event_type)) in ({", ".join(f"'{e}'" for e in contract.EVENT_TYPES)})
    ),
    kept as (select * from valid qualify row_number() over (partition by event_id order by rec) = 1),
    tracked as (
        select *,
            max(case when actor = 'contact' and et <> 'message_read' then occ end)
                over (partition by thread_id order by occ, event_id rows unbounded preceding) last_customer,
            max(case when et = 'opt_out' then occ end)
                over (partition by thread_id order by occ, event_id rows unbounded preceding) opted_out
        from kept
    )
    select
        count(*) filter (where actor = 'bot' and et = 'message_out'
                         and (last_customer is null or occ - last_customer > interval 24 hours)),
        count(*) filter (where actor = 'agent' and et = 'message_out' and occ - last_customer > interval 168 hours),
        count(*) filter (where actor = 'bot' and et = 'message_out' and opted_out is not null),
        count(*) filter (where et = 'opt_out')
    from tracked
    """
    late_bot, late_agent, after_opt_out, opt_outs = db.execute(sql).fetchone()
    assert (late_bot, late_agent, after_opt_out) == (0, 0, 0)
    assert opt_outs > 0


# ----------------------------------------------------------------------------- CRM, orders, finance


def test_crm_phone_and_email_mess(db):
    phones = [row[0] for row in db.execute("select phone from raw_crm_contacts where phone is not null").fetchall()]
    patterns = {
        "06 12 34 56 78": r"^0[67]( \d\d){4}$",
        "+33 6 12 34 56 78": r"^\+33 \d( \d\d){4}$",
        "0033612345678": r"^0033\d{9}$",
        "(415) 555-0100": r"^\(\d{3}\) \d{3}-\d{4}$",
        "+1 415-555-0100": r"^\+1 \d{3}-\d{3}-\d{4}$",
    }
    for example, pattern in patterns.items():
        assert any(re.match(pattern, p) for p in phones), example
    assert any(contract.norm_phone(p) == "" for p in phones)  # a few unparseable phones
    emails = [row[0] for row in db.execute("select email from raw_crm_contacts where email is not null").fetchall()]
    assert any(e != e.strip() for e in emails) and any(e.strip() != e.strip().lower() for e in emails)
    # the same email on several records, in different renderings
    by_norm: dict[str, set[str]] = {}
    for e in emails:
        by_norm.setdefault(contract.norm_email(e), set()).add(e)
    assert any(len(v) > 1 for k, v in by_norm.items() if k != gen.HUB_EMAILS[0])


def test_crm_hub_split_persons_and_enum_mess(db):
    hub = scalar(
        db,
        f"select count(*) from raw_crm_contacts where lower(replace(trim(email), ' ', '')) = '{gen.HUB_EMAILS[0]}'",
    )
    assert hub > 20
    rows = db.execute(
        "select contact_id, email, phone from raw_crm_contacts where contact_id not like 'crm_chain_%'"
    ).fetchall()
    components = _components(rows)
    # split persons: three records, linked only as A-B by email and B-C by phone
    split = 0
    for members in components.values():
        if len(members) != 3:
            continue
        emails = {contract.norm_email(rows[i][1]) for i in members if rows[i][1]}
        phones = {contract.norm_phone(rows[i][2]) for i in members if rows[i][2]} - {""}
        if len(emails) == 1 and len(phones) >= 1 and any(not rows[i][1] for i in members):
            split += 1
    assert split > 0

    def q(sql):
        return scalar(db, sql)

    assert q("select count(*) from raw_crm_contacts where lifecycle_status <> lower(trim(lifecycle_status))") > 0
    assert q("select count(*) from raw_crm_contacts where source <> lower(trim(source))") > 0
    assert q("select count(*) from raw_crm_contacts where opted_out = 'true' and opted_out_at is null") > 0
    assert q("select count(*) from raw_crm_contacts where consent_at::timestamptz > updated_at::timestamptz") > 0
    assert q("select count(*) from raw_crm_contacts where consent_at::timestamptz < created_at::timestamptz") > 0
    assert q("select count(distinct lower(trim(source))) from raw_crm_contacts") == len(contract.CRM_SOURCES)
    assert q("select count(*) from raw_crm_contacts where ig_user_id is not null and ig_handle is not null") > 0


def _components(rows):
    """Union-find over (id, email, phone) rows by normalised email and phone, hubs (> 20) aside."""
    parent = list(range(len(rows)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    holders: dict[str, list[int]] = {}
    for i, (_, email, phone) in enumerate(rows):
        if email:
            holders.setdefault("e:" + contract.norm_email(email), []).append(i)
        if phone and contract.norm_phone(phone):
            holders.setdefault("p:" + contract.norm_phone(phone), []).append(i)
    for members in holders.values():
        if len(members) <= 20:
            for j in members[1:]:
                parent[find(j)] = find(members[0])
    out: dict[int, list[int]] = {}
    for i in range(len(rows)):
        out.setdefault(find(i), []).append(i)
    return out


def test_chain_is_one_person_of_pairwise_links(db):
    rows = db.execute(
        "select contact_id, email, phone from raw_crm_contacts where contact_id like 'crm_chain_%' order by 1"
    ).fetchall()
    assert len(rows) == CHAIN
    components = _components(rows)
    assert len(components) == 1
    for i in range(1, CHAIN):
        (_, e0, p0), (_, e1, p1) = rows[i - 1], rows[i]
        shares_email = contract.norm_email(e0) == contract.norm_email(e1)
        shares_phone = contract.norm_phone(p0) == contract.norm_phone(p1)
        assert shares_email != shares_phone, i  # exactly one identifier links i-1 and i
    for e in {contract.norm_email(r[1]) for r in rows}:
        assert sum(contract.norm_email(r[1]) == e for r in rows) <= 2


def test_orders_mess_and_dm_utms(db):
    def q(sql):
        return scalar(db, sql)

    landing_only = q(
        "select count(*) from raw_orders where utm_source is null and utm_medium is null "
        "and landing_site ilike '%utm_source=dm%'"
    )
    assert landing_only > 0
    assert q("select count(*) from raw_orders where landing_site like '%UTM_Source=DM%'") > 0
    saved_dm = q("select count(*) from raw_orders where lower(trim(utm_source)) = 'dm'")
    assert saved_dm > landing_only
    assert q("select count(*) from raw_orders where utm_source in ('DM', ' dm') or utm_medium <> lower(utm_medium)") > 0
    statuses = {r[0] for r in db.execute("select distinct lower(trim(financial_status)) from raw_orders").fetchall()}
    assert statuses == set(contract.STATUSES)
    assert q("select count(*) from raw_orders where financial_status <> lower(trim(financial_status))") > 0
    assert q("select count(*) from raw_orders where cancelled_at is not null") > 0
    assert q("select count(*) from raw_orders where customer_email is null and customer_phone is null") > 0
    currencies = {r[0] for r in db.execute("select distinct currency from raw_orders").fetchall()}
    assert {"USD", "EUR", "GBP"} <= currencies
    flows = {
        r[0]
        for r in db.execute(
            "select distinct lower(trim(utm_campaign)) from raw_orders where lower(trim(utm_source)) = 'dm'"
        ).fetchall()
    }
    assert flows <= set(gen.FLOW_NAMES) | {None}
    # amounts add up: subtotal - discount + shipping + tax = total
    assert (
        q(
            "select count(*) from raw_orders where total_price::decimal(18, 2) >= 0 and "
            "subtotal::decimal(18, 2) - discount_total::decimal(18, 2) + shipping_total::decimal(18, 2) "
            "+ tax_total::decimal(18, 2) <> total_price::decimal(18, 2)"
        )
        == 0
    )
    assert q("select count(*) from raw_fx_rates where currency = 'USD'") == 0
    days = q("select count(distinct rate_date) from raw_fx_rates where currency = 'EUR'")
    span = q("select max(rate_date::date) - min(rate_date::date) + 1 from raw_fx_rates where currency = 'EUR'")
    assert days < span  # some days have no rate


def test_rejects_are_present_and_under_one_percent_per_table(db):
    events = "select count(*) from raw_dm_events"
    rejects = {
        "raw_dm_events": (
            (
                "select count(*) from raw_dm_events where event_id is null "
                f"or not regexp_matches(trim(occurred_at), '{VALID_TS}') "
                f"or lower(trim(event_type)) not in ({', '.join(repr(e) for e in contract.EVENT_TYPES)})"
            ),
            events,
        ),
        "raw_crm_contacts": (
            (
                "select count(*) from raw_crm_contacts where contact_id is null "
                f"or lower(trim(lifecycle_status)) not in ({', '.join(repr(x) for x in contract.LIFECYCLES)})"
            ),
            "select count(*) from raw_crm_contacts",
        ),
        "raw_orders": (
            (
                "select count(*) from raw_orders where total_price::decimal(18, 2) < 0 "
                "or (currency <> 'USD' and currency not in (select currency from raw_fx_rates))"
            ),
            "select count(*) from raw_orders",
        ),
        "raw_fx_rates": (
            "select count(*) from raw_fx_rates where rate_to_reporting::decimal(18, 6) <= 0",
            "select count(*) from raw_fx_rates",
        ),
    }
    for table, (bad, total) in rejects.items():
        n_bad, n = scalar(db, bad), scalar(db, total)
        assert 0 < n_bad < 0.01 * n, table
    kinds = {
        "reaction": "select count(*) from raw_dm_events where event_type = 'reaction'",
        "not-a-date": "select count(*) from raw_dm_events where occurred_at = 'not-a-date'",
        "empty event_id": "select count(*) from raw_dm_events where event_id is null",
        "vip": "select count(*) from raw_crm_contacts where lifecycle_status = 'vip'",
        "empty contact_id": "select count(*) from raw_crm_contacts where contact_id is null",
        "CHF": "select count(*) from raw_orders where currency = 'CHF'",
    }
    for kind, sql in kinds.items():
        assert scalar(db, sql) > 0, kind


# ----------------------------------------------------------------------------- parts layout


def test_daily_parts_layout(parts):
    out, counts = parts
    assert sorted(p.name for p in out.iterdir() if p.name != gen.MARKER) == sorted(contract.TABLES)
    assert (out / gen.MARKER).is_file()
    for table in ("raw_fx_rates", "raw_automation_costs"):
        assert [p.name for p in (out / table).iterdir()] == ["all.csv"]
    day_column = {
        "raw_dm_events": "received_at",
        "raw_orders": "created_at",
        "raw_crm_contacts": "updated_at",
    }
    con = duckdb.connect()
    for table, column in day_column.items():
        files = sorted((out / table).iterdir())
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}\.csv", f.name) for f in files), table
        for f in files[:: max(1, len(files) // 20)]:
            with open(f) as handle:
                assert handle.readline().strip().split(",") == contract.TABLES[table]
        per_file = con.execute(
            f"select parse_filename(filename, true), count(*), "
            f"count(distinct cast(timezone('UTC', cast({column} as timestamptz)) as date)), "
            f"min(cast(timezone('UTC', cast({column} as timestamptz)) as date))::varchar "
            f"from read_csv('{out / table}/*.csv', all_varchar = true, header = true, filename = true) group by 1"
        ).fetchall()
        assert len(per_file) == len(files)
        for stem, _, n_days, day in per_file:
            assert (n_days, day) == (1, stem), (table, stem)
        assert sum(row[1] for row in per_file) == counts[table]
    event_days = sorted(p.stem for p in (out / "raw_dm_events").iterdir())
    assert event_days[0] == START.isoformat() and len(event_days) >= 0.9 * DAYS


# ----------------------------------------------------------------------------- shared renderings


@pytest.fixture(scope="module")
def macros():
    con = duckdb.connect()
    for statement in gen.macros_sql(gen.Config(sessions=1, out=Path("."))):
        con.execute(statement)
    yield con
    con.close()


def rows(con, select, cases):
    """select (an expression list over the case columns) for every case, in one query."""
    names = ", ".join(f"c{k}" for k in range(len(cases[0])))
    values = ", ".join("(" + ", ".join(str(v) for v in case) + ")" for case in cases)
    return con.execute(f"select {select} from (values {values}) t({names})").fetchall()


def test_sql_phone_renderings_equal_the_shared_helper(macros):
    cases = [
        (i, pid, gen.COUNTRIES.index(country))
        for i, (country, _) in enumerate(gen.PHONE_KINDS)
        for pid in (0, 7, 123_456, 98_765_432)
    ]
    for (i, pid, _), (national, rendered) in zip(cases, rows(macros, "nsn(c1, c2), phone(c1, c2, c0)", cases)):
        country, kind = gen.PHONE_KINDS[i]
        assert rendered == mess.render_phone(country, national, kind), (
            country,
            kind,
            pid,
        )
        e164 = {"US": "1", "FR": "33", "UK": "44", "CH": "41"}[country] + national
        if kind in gen.LINKABLE_WEIGHTS[country]:
            assert contract.norm_phone(rendered) == e164, (country, kind)
        else:
            assert contract.norm_phone(rendered) not in ("", e164), (
                country,
                kind,
            )  # 06 12 34 56 78


def test_sql_email_and_handle_renderings_equal_the_shared_helpers(macros):
    people = [
        (0, 0, 1, 0),
        (50, 45, 4242, 5),
        (len(gen.FIRST_ALL) - 1, len(gen.LAST_ALL) - 1, 9, 8),
    ]
    cases = [
        (fi, li, pid, dom, ep, es)
        for fi, li, pid, dom in people
        for ep in range(len(gen.EMAIL_PATTERNS))
        for es in range(len(gen.EMAIL_STYLE_NAMES))
    ]
    got = rows(macros, "email(c2, c0, c1, c4, c3, 0), email(c2, c0, c1, c4, c3, c5)", cases)
    for (fi, li, pid, dom, ep, es), (clean, rendered) in zip(cases, got):
        first, last = (
            mess.ascii_name(gen.FIRST_ALL[fi]),
            mess.ascii_name(gen.LAST_ALL[li]),
        )
        local = gen.EMAIL_PATTERNS[ep].format(f=first, l=last, f0=first[0]) + str(pid)
        assert clean == f"{local}@{gen.DOMAINS_ALL[dom]}"
        assert rendered == mess.messy_email(clean, gen.EMAIL_STYLE_NAMES[es]), (ep, es)
        assert contract.norm_email(rendered) == clean
    cases = [(hp, hs) for hp in range(len(gen.HANDLE_PATTERNS)) for hs in range(len(gen.HANDLE_STYLE_NAMES))]
    for (hp, hs), (plain, rendered) in zip(
        cases, rows(macros, "handle(77, 3, 4, c0, 0), handle(77, 3, 4, c0, c1)", cases)
    ):
        assert rendered == mess.render_handle(plain, gen.HANDLE_STYLE_NAMES[hs]), (
            hp,
            hs,
        )
        assert contract.norm_handle(rendered) == plain


def test_sql_timestamps_equal_the_shared_helper(macros):
    base = datetime(2025, 11, 1, tzinfo=UTC)
    cases = [(seconds, o) for seconds in (0, 3599, 86_399, 10_000_000, -86_400 * 40) for o in range(len(gen.OFFSETS))]
    for (seconds, o), (rendered,) in zip(cases, rows(macros, "ts(c0, c1)", cases)):
        assert rendered == mess.fmt_ts(base + timedelta(seconds=seconds), gen.OFFSETS[o])
        assert contract.parse_ts(rendered) == base + timedelta(seconds=seconds)
