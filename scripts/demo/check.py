"""The models' rules, implemented a second time: re-read the five CSVs and recompute what the marts will
show (sessions, attributed revenue, KPIs, rejects, compliance), without dbt.

It is independent of the models on purpose: it proves that the seeds tell the story (revenue per chat
exactly $3.10 and $6.40, compliant messages, rejects under 1%) before any model runs. Each function
below is one rule; its docstring names the model (or test) whose rule it mirrors. ``recompute``
chains them and returns a ``Recomputed``; ``story_holds`` is the verdict the run fails on.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from scripts.datagen.contract import (
    ACTORS,
    COST_COLUMNS,
    CRM_COLUMNS,
    ELIGIBLE,
    ENTRY_POINTS,
    EVENT_COLUMNS,
    EVENT_TYPES,
    FX_COLUMNS,
    ORDER_COLUMNS,
    STATUSES,
    clean,
    parse_ts,
    url_utms,
)

from .check_identity import (
    HUB_NODES,
    assisted_orders,
    identifier_holders,
    identity_nodes,
    match_dm_orders,
    person_of_nodes,
)
from .story import TARGET_RPC

TABLE_COLUMNS = {
    "raw_dm_events": EVENT_COLUMNS,
    "raw_crm_contacts": CRM_COLUMNS,
    "raw_orders": ORDER_COLUMNS,
    "raw_fx_rates": FX_COLUMNS,
    "raw_automation_costs": COST_COLUMNS,
}
MONTHS = (9, 10)
# the dbt vars of dbt_project.yml these rules use, written again (the check does not read dbt's config)
SESSION_GAP = timedelta(hours=24)  # session_timeout_hours
BOT_WINDOW = timedelta(hours=24)  # messaging_window_hours
AGENT_WINDOW = timedelta(days=7)  # agent_messaging_window_hours (168)
REJECT_ERROR_SHARE = 0.01  # reject_error_share
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


@dataclass
class Recomputed:
    """What the checks recompute from the files (read by the summary)."""

    tables: dict[str, list[dict]]
    rejects: Counter = field(default_factory=Counter)  # rows rejected, by table
    valid_events: list[dict] = field(default_factory=list)
    dedup: dict[str, dict] = field(default_factory=dict)  # event_id -> the kept delivery
    stats: dict[int, Counter] = field(default_factory=dict)  # session KPIs' counts, by month
    frts: dict[int, list[float]] = field(default_factory=dict)  # first response times (s), by month
    compliance: Counter = field(default_factory=Counter)
    utm_miss: list[str] = field(default_factory=list)
    links: int = 0
    fallback_orders: int = 0
    revenue: dict[int, Decimal] = field(default_factory=dict)
    n_orders: dict[int, int] = field(default_factory=dict)
    dm_orders: list[dict] = field(default_factory=list)
    matched: Counter = field(default_factory=Counter)
    assisted: Counter = field(default_factory=Counter)
    assisted_rev: Counter = field(default_factory=Counter)
    assisted_ids: list[str] = field(default_factory=list)
    hubs: list[tuple] = field(default_factory=list)
    persons: int = 0

    @property
    def rows(self):
        return {name: len(rows) for name, rows in self.tables.items()}


# ----------------------------------------------------------------------------- files


def read_tables(seeds_dir):
    """The five CSVs as lists of dicts, after checking each header is the contract's column list."""
    tables = {}
    for name, columns in TABLE_COLUMNS.items():
        with open(seeds_dir / f"{name}.csv", encoding="utf-8") as fh:
            assert fh.readline().strip().split(",") == columns, name
        with open(seeds_dir / f"{name}.csv", newline="", encoding="utf-8") as fh:
            tables[name] = list(csv.DictReader(fh))
    return tables


# ----------------------------------------------------------------------------- DM events and sessions


def valid_events(rows, rejects):
    """stg_dm_platform__events / _rejects: an event needs an event_id, a known event_type and actor, a
    known entry_point when one is given, and two timestamps with an offset; enums are trimmed and
    lowercased. Returns the valid rows with ``t`` (occurred_at in UTC), ``rec``, ``et`` and ``actor``."""
    valid = []
    for r in rows:
        bad = []
        if not r["event_id"].strip():
            bad.append("missing event_id")
        if clean(r["event_type"]) not in EVENT_TYPES:
            bad.append("event_type")
        if clean(r["actor"]) not in ACTORS:
            bad.append("actor")
        if clean(r["entry_point"]) and clean(r["entry_point"]) not in ENTRY_POINTS:
            bad.append("entry_point")
        occ, rec = parse_ts(r["occurred_at"]), parse_ts(r["received_at"])
        if occ is None or rec is None:
            bad.append("timestamp")
        if bad:
            rejects["raw_dm_events"] += 1
            continue
        assert rec >= occ, r
        valid.append(dict(r, t=occ, rec=rec, et=clean(r["event_type"]), actor=clean(r["actor"])))
    return valid


def dedup_events(valid):
    """stg_dm_platform__events: one row per event_id, the delivery received first."""
    dedup = {}
    for e in valid:
        k = e["event_id"]
        if k not in dedup or e["rec"] < dedup[k]["rec"]:
            dedup[k] = e
    return dedup


def events_by_thread(events):
    """The deduplicated events of each thread in time order (thread_id, occurred_at, event_id)."""
    by_thread = {}
    for e in sorted(events, key=lambda e: (e["thread_id"], e["t"], e["event_id"])):
        by_thread.setdefault(e["thread_id"], []).append(e)
    return by_thread


def sessionize(by_thread):
    """int_dm_events_sessionized / int_dm_sessions: a trigger starts an automated session (its flow and
    entry point); any other event that is first in its thread or 24 h or more after the thread's
    previous event starts an organic one."""
    sessions = []
    for tid, evs in by_thread.items():
        cur, last_t = None, None
        for e in evs:
            if e["et"] == "trigger":
                cur = dict(
                    kind="auto",
                    tid=tid,
                    start=e["t"],
                    flow=clean(e["flow_name"]),
                    events=[],
                    entry=clean(e["entry_point"]),
                )
                sessions.append(cur)
            elif cur is None or e["t"] - last_t >= SESSION_GAP:
                cur = dict(kind="organic", tid=tid, start=e["t"], flow="", events=[])
                sessions.append(cur)
            cur["events"].append(e)
            last_t = e["t"]
    return sessions


def compliance_breaches(by_thread):
    """dq_outbound_messages: no bot message after an opt-out, no bot message more than 24 h after the
    customer's last event (reads do not count), no agent message more than 7 days after it."""
    compliance = Counter()
    for evs in by_thread.values():
        last_customer, opted = None, None
        for e in evs:
            if e["et"] == "message_out" and e["actor"] == "bot":
                if opted is not None:
                    compliance["bot_message_after_opt_out"] += 1
                if last_customer is None or e["t"] - last_customer > BOT_WINDOW:
                    compliance["bot_message_outside_24h"] += 1
            if (
                e["et"] == "message_out"
                and e["actor"] == "agent"
                and (last_customer is None or e["t"] - last_customer > AGENT_WINDOW)
            ):
                compliance["agent_message_outside_7d"] += 1
            if e["actor"] == "contact" and e["et"] != "message_read":
                last_customer = e["t"]
            if e["et"] == "opt_out":
                opted = e["t"]
    return compliance


def session_kpis(auto):
    """int_dm_sessions / fct_dm_sessions, counted by the UTC month of the trigger (the tiles of
    mart_engagement, mart_ops_health, mart_acquisition): sessions by entry point, first-message read
    and drop-off (no customer action after the first outbound message), first response time, consented
    leads, handoff, self-served (resolved by the bot, no handoff), opt-outs, links sent and clicked,
    and the offer / bundle steps of the flow."""
    stats = {m: Counter() for m in MONTHS}
    frts = {m: [] for m in MONTHS}
    for s in auto:
        m = s["start"].month
        if s["start"].year != 2026 or m not in MONTHS:
            raise SystemExit(f"session outside the two months: {s['start']}")
        st = stats[m]
        st["sessions"] += 1
        st["entry_" + s["entry"]] += 1
        evs = s["events"]
        outs = [e for e in evs if e["et"] == "message_out"]
        if outs:
            first = outs[0]
            st["with_outbound"] += 1
            frt = (first["t"] - s["start"]).total_seconds()
            frts[m].append(frt)
            st["frt_le_60"] += frt <= 60
            if any(e["et"] == "message_read" and e["t"] >= first["t"] for e in evs):
                st["first_read"] += 1
            if not any(
                e["et"] in ("message_in", "button_click", "link_click", "lead_submitted") and e["t"] > first["t"]
                for e in evs
            ):
                st["first_dropoff"] += 1
        if any(
            e["et"] == "lead_submitted" and clean(e["consent"]) == "true" and (e["email"].strip() or e["phone"].strip())
            for e in evs
        ):
            st["consented_leads"] += 1
        handoff = any(e["et"] == "handoff" for e in evs)
        st["handoff"] += handoff
        if any(e["et"] == "resolved" and e["actor"] == "bot" for e in evs) and not handoff:
            st["self_served"] += 1
        st["opt_out"] += any(e["et"] == "opt_out" for e in evs)
        st["link_clicks"] += sum(e["et"] == "link_click" for e in evs)
        st["links_sent"] += sum(e["et"] == "message_out" and bool(e["link_url"]) for e in evs)
        steps = [clean(e["flow_step"]) for e in evs if e["et"] == "message_out" and e["flow_step"]]
        if steps and "offer" in steps:
            st["reached_offer"] += 1
            if steps[-1] == "offer" and not any(e["et"] in ("lead_submitted", "resolved", "handoff") for e in evs):
                st["ended_at_offer"] += 1
        st["reached_bundle"] += "bundle" in steps
    return stats, frts


def links_missing_utms(events):
    """dq_utm_completeness: every outbound link that leaves Instagram carries utm_source, utm_medium and
    utm_campaign = the flow's name. Returns (event_ids of links missing one, number of such links)."""
    utm_miss, links = [], 0
    for e in events:
        if e["et"] == "message_out" and e["link_url"].strip():
            host = urlsplit(e["link_url"]).netloc.lower()
            if host.endswith("instagram.com"):
                continue
            links += 1
            u = url_utms(e["link_url"])
            if not u.get("utm_source") or not u.get("utm_medium") or u.get("utm_campaign") != clean(e["flow_name"]):
                utm_miss.append(e["event_id"])
    return utm_miss, links


# ----------------------------------------------------------------------------- fx and orders


def valid_fx_rates(rows, rejects):
    """stg_finance__fx_rates / _rejects: a date and a positive decimal rate; currency trimmed and upper."""
    rates = {}
    for r in rows:
        try:
            d = date.fromisoformat(r["rate_date"].strip())
            v = Decimal(r["rate_to_reporting"].strip())
        except Exception:
            rejects["raw_fx_rates"] += 1
            continue
        if v <= 0:
            rejects["raw_fx_rates"] += 1
            continue
        rates[(r["currency"].strip().upper(), d)] = v
    return rates


class RateOfDay:
    """int_fx_rates_ranged / int_orders_fx_converted: USD at 1; another currency at the rate of the
    order's UTC date, or the latest earlier one (counted as a fallback when that day has no rate); no
    rate at all: None (the order is rejected)."""

    def __init__(self, rates):
        self.rates = rates
        self.fallbacks = 0

    def __call__(self, cur, d):
        if cur == "USD":
            return Decimal("1")
        if (cur, d) not in self.rates and any(c == cur for c, _ in self.rates):
            self.fallbacks += 1
        best = None
        for (c, dd), v in self.rates.items():
            if c == cur and dd <= d and (best is None or dd > best[0]):
                best = (dd, v)
        return best[1] if best else None


def order_utms(r):
    """int_orders_attributed: the order's UTMs are the saved utm_* columns when any is non-empty, else the
    query string of landing_site (names case-insensitive, values URL-decoded, trimmed, lowercased);
    the two sets are never mixed."""
    saved = [r[k] for k in UTM_KEYS]
    if any(v.strip() for v in saved):
        return dict(zip(UTM_KEYS, [clean(v) for v in saved]))
    return url_utms(r["landing_site"])


def check_order_amounts(r, status, amounts):
    """stg_shop__orders (tests): subtotal - discount + shipping + tax = total; a partial refund is
    between 0 and the total, a refund is the total."""
    sub, disc, ship, tax, total, refunded = amounts
    assert sub - disc + ship + tax == total, r["order_id"]
    if status == "partially_refunded":
        assert 0 < refunded < total, r["order_id"]
    if status == "refunded":
        assert refunded == total, r["order_id"]


def eligible_orders(rows, rate_of_day, rejects):
    """stg_shop__orders / _rejects and int_orders_fx_converted: an order needs an id, a timestamp, no
    negative amount, a known status and a rate for its currency. It is eligible when its status is
    paid / partially_refunded / refunded and cancelled_at is empty; its net is (total - refunded) x
    rate; it is a DM order when its UTMs say source dm and medium chat. Returns (DM orders, other
    eligible orders)."""
    dm_orders, other_eligible = [], []
    for r in rows:
        t = parse_ts(r["created_at"])
        cur = r["currency"].strip().upper()
        amounts = [
            Decimal(r[k])
            for k in ("subtotal", "discount_total", "shipping_total", "tax_total", "total_price", "refunded_amount")
        ]
        status = clean(r["financial_status"])
        rate = rate_of_day(cur, t.date()) if t else None
        if (
            not r["order_id"].strip()
            or t is None
            or any(a < 0 for a in amounts)
            or rate is None
            or status not in STATUSES
        ):
            rejects["raw_orders"] += 1
            continue
        check_order_amounts(r, status, amounts)
        eligible = status in ELIGIBLE and not r["cancelled_at"].strip()
        utm = order_utms(r)
        is_dm = utm.get("utm_source") == "dm" and utm.get("utm_medium") == "chat"
        if t.month not in MONTHS:
            raise SystemExit(f"order outside the two months: {r['order_id']}")
        o = dict(r, t=t, net=(amounts[4] - amounts[5]) * rate, utm=utm, eligible=eligible, is_dm=is_dm)
        if eligible and is_dm:
            dm_orders.append(o)
        elif eligible:
            other_eligible.append(o)
    return dm_orders, other_eligible


def attributed_revenue(dm_orders):
    """mart_conversion_revenue: attributed revenue = the sum of DM orders' net by UTC month of
    created_at (matched and utm_unmatched alike); attributed orders = those with a net above 0."""
    revenue = {m: Decimal("0") for m in MONTHS}
    n_orders = {m: 0 for m in MONTHS}
    for o in dm_orders:
        revenue[o["t"].month] += o["net"]
        n_orders[o["t"].month] += o["net"] > 0
    return revenue, n_orders


# ----------------------------------------------------------------------------- the frame


def check_time_window(events, orders):
    """Not a model rule, the demo's own frame: every valid event and eligible order falls in September
    or October 2026, UTC (the two months the story and the summary speak of)."""
    all_ts = [e["t"] for e in events] + [o["t"] for o in orders]
    assert min(all_ts) >= datetime(2026, 9, 1, tzinfo=UTC) and max(all_ts) < datetime(2026, 11, 1, tzinfo=UTC), (
        min(all_ts),
        max(all_ts),
    )


# ----------------------------------------------------------------------------- all of it, and the verdict


def recompute(seeds_dir) -> Recomputed:
    """Read the files and run every rule above, in the models' order."""
    res = Recomputed(tables=read_tables(seeds_dir))
    t = res.tables
    res.valid_events = valid_events(t["raw_dm_events"], res.rejects)
    res.dedup = dedup_events(res.valid_events)
    by_thread = events_by_thread(res.dedup.values())
    auto = [s for s in sessionize(by_thread) if s["kind"] == "auto"]
    res.compliance = compliance_breaches(by_thread)
    res.stats, res.frts = session_kpis(auto)
    res.utm_miss, res.links = links_missing_utms([e for evs in by_thread.values() for e in evs])

    rate_of_day = RateOfDay(valid_fx_rates(t["raw_fx_rates"], res.rejects))
    dm_orders, other_eligible = eligible_orders(t["raw_orders"], rate_of_day, res.rejects)
    res.fallback_orders = rate_of_day.fallbacks
    res.revenue, res.n_orders = attributed_revenue(dm_orders)
    res.dm_orders = dm_orders

    nodes = identity_nodes(t["raw_crm_contacts"], by_thread, dm_orders + other_eligible, res.rejects)
    holders = identifier_holders(nodes, t["raw_orders"])
    res.hubs = [(i, len(v)) for i, v in holders.items() if len(v) > HUB_NODES]
    person_of = person_of_nodes(nodes, holders)
    res.persons = len({v: 1 for v in person_of.values()})
    sess_by_person = {}
    for s in auto:
        sess_by_person.setdefault(person_of[("thread", s["tid"])], []).append(s)
    res.matched = match_dm_orders(dm_orders, person_of, sess_by_person)
    res.assisted, res.assisted_rev, res.assisted_ids = assisted_orders(other_eligible, person_of, sess_by_person)
    check_time_window(res.valid_events, dm_orders + other_eligible)
    return res


def revenue_per_chat_is_exact(res: Recomputed, m):
    """mart_conversion_revenue (the story): attributed revenue / sessions is exactly the month's target,
    $3.10 in September and $6.40 in October, with no remainder."""
    return res.revenue[m] == TARGET_RPC[m] * res.stats[m]["sessions"]


def no_compliance_breach(res: Recomputed):
    """dq_outbound_messages: the clean DM history breaks none of the messaging rules."""
    return sum(res.compliance.values()) == 0


def rejects_under_one_percent(res: Recomputed):
    """dq_reject_shares (error above reject_error_share, 1%): the deliberate rejects of events, CRM records and orders
    stay under 1% of each table's rows."""
    return all(
        res.rejects[k] / res.rows[k] < REJECT_ERROR_SHARE for k in ("raw_dm_events", "raw_crm_contacts", "raw_orders")
    )


def story_holds(res: Recomputed):
    """Every verdict above (the run fails with CHECK FAILED otherwise)."""
    return (
        all(revenue_per_chat_is_exact(res, m) for m in MONTHS)
        and no_compliance_breach(res)
        and rejects_under_one_percent(res)
    )


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return (xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2) if n else None
