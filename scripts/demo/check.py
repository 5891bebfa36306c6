"""The second implementation of the models' rules: re-read the five CSVs and recompute what the marts
will show (sessions, attributed revenue, KPIs, rejects, compliance), without dbt."""

from __future__ import annotations

import csv
from collections import Counter
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
    LIFECYCLES,
    ORDER_COLUMNS,
    STATUSES,
    clean,
    norm_handle,
    norm_phone,
    parse_ts,
    url_utms,
)


def read_csv(seeds_dir, name):
    with open(seeds_dir / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def check(seeds_dir):
    ev_rows = read_csv(seeds_dir, "raw_dm_events")
    crm_rows = read_csv(seeds_dir, "raw_crm_contacts")
    ord_rows = read_csv(seeds_dir, "raw_orders")
    fx_rows = read_csv(seeds_dir, "raw_fx_rates")
    cost_rows = read_csv(seeds_dir, "raw_automation_costs")
    for name, cols, _rows in (
        ("raw_dm_events", EVENT_COLUMNS, ev_rows),
        ("raw_crm_contacts", CRM_COLUMNS, crm_rows),
        ("raw_orders", ORDER_COLUMNS, ord_rows),
        ("raw_fx_rates", FX_COLUMNS, fx_rows),
        ("raw_automation_costs", COST_COLUMNS, cost_rows),
    ):
        with open(seeds_dir / f"{name}.csv", encoding="utf-8") as fh:
            assert fh.readline().strip().split(",") == cols, name
    res = {"rejects": Counter()}

    # ---- events
    valid = []
    for r in ev_rows:
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
            res["rejects"]["raw_dm_events"] += 1
            continue
        assert rec >= occ, r
        valid.append(dict(r, t=occ, rec=rec, et=clean(r["event_type"]), actor=clean(r["actor"])))
    dedup = {}
    for e in valid:
        k = e["event_id"]
        if k not in dedup or e["rec"] < dedup[k]["rec"]:
            dedup[k] = e
    events = sorted(dedup.values(), key=lambda e: (e["thread_id"], e["t"], e["event_id"]))
    by_thread = {}
    for e in events:
        by_thread.setdefault(e["thread_id"], []).append(e)
    sessions = []
    compliance = Counter()
    for tid, evs in by_thread.items():
        cur, last_t = None, None
        last_customer, opted = None, None
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
            elif cur is None or e["t"] - last_t >= timedelta(hours=24):
                cur = dict(kind="organic", tid=tid, start=e["t"], flow="", events=[])
                sessions.append(cur)
            cur["events"].append(e)
            last_t = e["t"]
            if e["et"] == "message_out" and e["actor"] == "bot":
                if opted is not None:
                    compliance["bot_message_after_opt_out"] += 1
                if last_customer is None or e["t"] - last_customer > timedelta(hours=24):
                    compliance["bot_message_outside_24h"] += 1
            if (
                e["et"] == "message_out"
                and e["actor"] == "agent"
                and (last_customer is None or e["t"] - last_customer > timedelta(days=7))
            ):
                compliance["agent_message_outside_7d"] += 1
            if e["actor"] == "contact" and e["et"] != "message_read":
                last_customer = e["t"]
            if e["et"] == "opt_out":
                opted = e["t"]
    auto = [s for s in sessions if s["kind"] == "auto"]
    stats = {m: Counter() for m in (9, 10)}
    frts = {9: [], 10: []}
    for s in auto:
        m = s["start"].month
        if s["start"].year != 2026 or m not in (9, 10):
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
    # UTM completeness of outbound links
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

    # ---- fx
    rates = {}
    for r in fx_rows:
        try:
            d = date.fromisoformat(r["rate_date"].strip())
            v = Decimal(r["rate_to_reporting"].strip())
        except Exception:
            res["rejects"]["raw_fx_rates"] += 1
            continue
        if v <= 0:
            res["rejects"]["raw_fx_rates"] += 1
            continue
        rates[(r["currency"].strip().upper(), d)] = v

    fallback = Counter()

    def rate_for(cur, d):
        if cur == "USD":
            return Decimal("1")
        if (cur, d) not in rates and any(c == cur for c, _ in rates):
            fallback["n"] += 1
        best = None
        for (c, dd), v in rates.items():
            if c == cur and dd <= d and (best is None or dd > best[0]):
                best = (dd, v)
        return best[1] if best else None

    # ---- orders
    revenue = {9: Decimal("0"), 10: Decimal("0")}
    n_orders = {9: 0, 10: 0}
    dm_orders = []
    other_eligible = []
    for r in ord_rows:
        t = parse_ts(r["created_at"])
        cur = r["currency"].strip().upper()
        amounts = [
            Decimal(r[k])
            for k in ("subtotal", "discount_total", "shipping_total", "tax_total", "total_price", "refunded_amount")
        ]
        status = clean(r["financial_status"])
        rate = rate_for(cur, t.date()) if t else None
        if (
            not r["order_id"].strip()
            or t is None
            or any(a < 0 for a in amounts)
            or rate is None
            or status not in STATUSES
        ):
            res["rejects"]["raw_orders"] += 1
            continue
        sub, disc, ship, tax, total, refunded = amounts
        assert sub - disc + ship + tax == total, r["order_id"]
        if status == "partially_refunded":
            assert 0 < refunded < total, r["order_id"]
        if status == "refunded":
            assert refunded == total, r["order_id"]
        eligible = status in ELIGIBLE and not r["cancelled_at"].strip()
        saved = [r[k] for k in ("utm_source", "utm_medium", "utm_campaign", "utm_content")]
        if any(v.strip() for v in saved):
            utm = dict(zip(("utm_source", "utm_medium", "utm_campaign", "utm_content"), [clean(v) for v in saved]))
        else:
            utm = url_utms(r["landing_site"])
        is_dm = utm.get("utm_source") == "dm" and utm.get("utm_medium") == "chat"
        net = (total - refunded) * rate
        if t.month not in (9, 10):
            raise SystemExit(f"order outside the two months: {r['order_id']}")
        o = dict(r, t=t, net=net, utm=utm, eligible=eligible, is_dm=is_dm)
        if eligible and is_dm:
            revenue[t.month] += net
            n_orders[t.month] += net > 0
            dm_orders.append(o)
        elif eligible:
            other_eligible.append(o)

    # ---- identity (CRM records, threads, orders linked by shared identifiers; hubs link nothing)
    nodes = []
    for r in crm_rows:
        if not r["contact_id"].strip() or clean(r["lifecycle_status"]) not in LIFECYCLES:
            res["rejects"]["raw_crm_contacts"] += 1
            continue
        ids = [
            ("ig", r["ig_user_id"].strip()),
            ("handle", norm_handle(r["ig_handle"])),
            ("email", clean(r["email"])),
            ("phone", norm_phone(r["phone"])),
        ]
        nodes.append((("crm", r["contact_id"]), [i for i in ids if i[1]]))
    for tid, evs in by_thread.items():
        ids = []
        for e in evs:
            ids += [("ig", e["ig_user_id"].strip()), ("handle", norm_handle(e["ig_handle"]))]
            if e["et"] == "lead_submitted":
                ids += [("email", clean(e["email"])), ("phone", norm_phone(e["phone"]))]
        seen, uniq = {}, []
        for i in ids:
            if i[1] and i not in seen:
                seen[i] = True
                uniq.append(i)
        nodes.append((("thread", tid), uniq))
    for o in dm_orders + other_eligible:
        ids = [("email", clean(o["customer_email"])), ("phone", norm_phone(o["customer_phone"]))]
        nodes.append((("order", o["order_id"]), [i for i in ids if i[1]]))
    holders = {}
    for key, ids in nodes:
        for i in ids:
            holders.setdefault(i, []).append(key)
    in_graph = {o["order_id"]: 1 for o in dm_orders + other_eligible}
    extra_orders = [r for r in ord_rows if r["order_id"] not in in_graph]
    for r in extra_orders:
        for i in [("email", clean(r["customer_email"])), ("phone", norm_phone(r["customer_phone"]))]:
            if i[1]:
                holders.setdefault(i, []).append(("order_other", r["order_id"]))
    hubs = [(i, len(v)) for i, v in holders.items() if len(v) > 20]
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for keys in holders.values():
        if len(keys) > 20:
            continue
        keys = [k for k in keys if k[0] != "order_other"]
        for k in keys[1:]:
            ra, rb = find(keys[0]), find(k)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    person_of = {key: find(key) for key, _ in nodes}
    sess_by_person = {}
    for s in auto:
        sess_by_person.setdefault(person_of[("thread", s["tid"])], []).append(s)
    matched = Counter()
    for o in dm_orders:
        pers = person_of[("order", o["order_id"])]
        camp = o["utm"].get("utm_campaign", "")
        hit = [
            s
            for s in sess_by_person.get(pers, [])
            if s["flow"] == camp and s["start"] <= o["t"] and o["t"] - s["start"] <= timedelta(days=7)
        ]
        o["matched"] = bool(hit)
        matched[(o["t"].month, "matched" if hit else "utm_unmatched")] += 1
    assisted = Counter()
    assisted_rev = Counter()
    assisted_ids = []
    for o in other_eligible:
        pers = person_of[("order", o["order_id"])]
        for s in sess_by_person.get(pers, []):
            clicks = [e for e in s["events"] if e["et"] == "link_click" and e["t"] < o["t"]]
            if clicks and s["start"] <= o["t"] and o["t"] - s["start"] <= timedelta(days=7):
                assisted_ids.append(o["order_id"])
                assisted[o["t"].month] += 1
                assisted_rev[o["t"].month] += o["net"]
                break
    all_ts = [e["t"] for e in valid] + [o["t"] for o in dm_orders + other_eligible]
    assert min(all_ts) >= datetime(2026, 9, 1, tzinfo=UTC) and max(all_ts) < datetime(2026, 11, 1, tzinfo=UTC), (
        min(all_ts),
        max(all_ts),
    )
    res.update(
        fallback_orders=fallback["n"],
        dm_orders=dm_orders,
        assisted_ids=assisted_ids,
        stats=stats,
        frts=frts,
        revenue=revenue,
        n_orders=n_orders,
        matched=matched,
        hubs=hubs,
        compliance=compliance,
        utm_miss=utm_miss,
        links=links,
        assisted=assisted,
        assisted_rev=assisted_rev,
        rows={
            "raw_dm_events": len(ev_rows),
            "raw_crm_contacts": len(crm_rows),
            "raw_orders": len(ord_rows),
            "raw_fx_rates": len(fx_rows),
            "raw_automation_costs": len(cost_rows),
        },
        ev_rows=ev_rows,
        crm_rows=crm_rows,
        ord_rows=ord_rows,
        dedup=dedup,
        valid_events=valid,
        persons=len({v: 1 for v in person_of.values()}),
    )
    return res


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return (xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2) if n else None
