"""From the story to the five CSVs: events, orders and CRM records become rows (ids in time order),
the event file gets its mess (enum spellings, duplicate deliveries, contract-breaking rows, the
received_at order with a late batch), and ``write_csv`` writes a table as the contract's columns.
"""

from __future__ import annotations

import csv
from decimal import Decimal

from scripts.datagen.contract import (
    ACTOR_MESS,
    CRM_SOURCE_MESS,
    ENTRY_POINT_MESS,
    EVENT_COLUMNS,
    EVENT_TYPE_MESS,
    LIFECYCLE_MESS,
    LIFECYCLES,
    parse_ts,
)
from scripts.datagen.mess import CENT, fmt_ts, m2, money, render_handle

from .world import World

EVENT_OFFSETS = [("Z", 45), ("+00:00", 15), ("+02:00", 15), ("-04:00", 15), ("+05:30", 10)]


def render_events(w: World):
    """One row per generated event, ids in time order; offsets, receive lags and handle styles drawn here."""
    rng = w.rng
    thread_by_id = {th.tid: th for th in w.threads}
    # ids in time order
    order = sorted(range(len(w.events)), key=lambda i: (w.events[i]["t"], w.events[i]["tid"], i))
    rows = []
    for n, i in enumerate(order):
        ev = w.events[i]
        th = thread_by_id[ev["tid"]]
        off = ev.get("off") or rng.pick(EVENT_OFFSETS)
        lag = rng.delay([((0, 20), 70), ((20, 120), 22), ((120, 900), 8)])
        handle = ev.get("handle_override") or th.handle_at(ev["t"])
        style = th.handle_style if rng.random() < 0.9 else rng.choice(["plain", "at", "camel", "atcamel"])
        row = {
            "event_id": f"evt_{n + 1:06d}",
            "occurred_at": fmt_ts(ev["t"], off),
            "received_at": fmt_ts(ev["t"] + lag, off),
            "thread_id": th.tid,
            "ig_user_id": th.ig_user_id,
            "ig_handle": "" if rng.random() < 0.03 else render_handle(handle, style),
            "actor": ev["actor"],
            "agent_id": ev.get("agent", "") or "",
            "event_type": ev["etype"],
            "entry_point": ev.get("entry", "") or "",
            "source_media_id": ev.get("media", "") or "",
            "flow_name": ev.get("flow", "") or "",
            "flow_step": ev.get("step", "") or "",
            "message_text": ev.get("text", "") or "",
            "buttons": ev.get("buttons", "") or "",
            "button_label": ev.get("label", "") or "",
            "link_url": ev.get("url", "") or "",
            "email": ev.get("email", "") or "",
            "phone": ev.get("phone", "") or "",
            "consent": ev.get("consent", "") or "",
            "consent_text_version": ev.get("ctv", "") or "",
        }
        ev["row"] = row
        rows.append(row)
    return rows


def read_copy(ev, **columns):
    """A message_read row copied from an event's row (its message columns emptied), with ``columns``."""
    r = dict(ev["row"])
    r.update(
        event_type="message_read", actor="contact", flow_step="", message_text="", buttons="", link_url="", agent_id=""
    )
    r.update(columns)
    return r


def add_event_mess(w: World, rows):
    """The event file as exported: enum mess, duplicate deliveries, contract-breaking rows, file order."""
    valid_rows = list(rows)
    triggers = [r for r in valid_rows if r["event_type"] == "trigger"]
    misspell_enums(w.rng, valid_rows, triggers)
    extra = duplicate_deliveries(w, valid_rows, triggers)
    rejects = contract_breaking_events(w, len(rows))
    return in_export_order(w.rng, valid_rows + extra + rejects)


def misspell_enums(rng, valid_rows, trig):
    """Enum values with stray spaces / capitals (still valid once trimmed and lowercased)."""
    outs = [r for r in valid_rows if r["event_type"] == "message_out"]
    for r in rng.sample(outs, 6):
        r["event_type"] = rng.choice(EVENT_TYPE_MESS["message_out"])
    for r in rng.sample(trig, 3):
        r["event_type"] = rng.choice(EVENT_TYPE_MESS["trigger"])
    for r in rng.sample(trig, 4):
        r["entry_point"] = ENTRY_POINT_MESS[r["entry_point"]]
    bots = [r for r in valid_rows if r["actor"] == "bot"]
    for r in rng.sample(bots, 4):
        r["actor"] = rng.choice(ACTOR_MESS["bot"])
    contacts = [r for r in valid_rows if r["actor"] == "contact" and r["event_type"] == "button_click"]
    for r in rng.sample(contacts, 2):
        r["actor"] = ACTOR_MESS["contact"][0]


def duplicate_deliveries(w: World, valid_rows, trig):
    """Thirteen event_ids delivered twice (three triggers): identical copies and later received_at."""
    rng = w.rng
    dup_src = rng.sample(
        [
            r
            for r in valid_rows
            if r["event_type"].strip().lower()
            in ("message_out", "button_click", "link_click", "message_read", "lead_submitted")
        ],
        10,
    )
    dup_src += rng.sample(trig, 3)
    extra = []
    for k, r in enumerate(dup_src):
        d = dict(r)
        if k % 2 == 1:
            off = r["received_at"][19:] or "Z"
            rec = parse_ts(r["received_at"]) + rng.secs(30, 2400)
            d["received_at"] = fmt_ts(rec, "Z" if off == "Z" else off)
            w.mess["duplicate_later_received"] += 1
        else:
            w.mess["duplicate_identical"] += 1
        extra.append(d)
    return extra


def contract_breaking_events(w: World, n):
    """Two unknown event_types, an occurred_at that is not a timestamp, an empty event_id."""
    rng = w.rng
    sess_with_msgs = [s for s in w.sessions if len(s.events) > 4]
    rej = []
    for k in range(2):
        s = rng.choice(sess_with_msgs)
        ev = s.events[2]
        base = ev["row"]
        t = ev["t"] + rng.secs(1, 20)
        r = {c: "" for c in EVENT_COLUMNS}
        r.update(
            event_id=f"evt_{n + 1 + k:06d}",
            occurred_at=fmt_ts(t, "Z"),
            received_at=fmt_ts(t + rng.secs(1, 9), "Z"),
            thread_id=base["thread_id"],
            ig_user_id=base["ig_user_id"],
            ig_handle=base["ig_handle"],
            actor="contact",
            event_type="reaction",
            flow_name=s.flow,
            message_text="<3",
        )
        rej.append(r)
        w.bad_rows.append(("raw_dm_events", f"event_id={r['event_id']}", "unknown event_type 'reaction'"))
    s = rng.choice(sess_with_msgs)
    ev = s.events[1]
    r = read_copy(
        ev, event_id=f"evt_{n + 3:06d}", occurred_at="not-a-date", received_at=fmt_ts(ev["t"] + rng.secs(60, 300), "Z")
    )
    rej.append(r)
    w.bad_rows.append(("raw_dm_events", f"event_id={r['event_id']}", "occurred_at 'not-a-date' is not a timestamp"))
    s = rng.choice(sess_with_msgs)
    ev = s.events[1]
    r = read_copy(
        ev,
        event_id="",
        occurred_at=fmt_ts(ev["t"] + rng.secs(5, 50), "+02:00"),
        received_at=fmt_ts(ev["t"] + rng.secs(60, 120), "+02:00"),
    )
    rej.append(r)
    w.bad_rows.append(
        (
            "raw_dm_events",
            f"event_id='' (thread_id={r['thread_id']}, received_at={r['received_at']})",
            "missing event_id",
        )
    )
    return rej


def in_export_order(rng, allrows):
    """The export is ordered by received_at; a late back-filled batch of 45 rows lands at the end."""
    allrows.sort(key=lambda r: (parse_ts(r["received_at"]), r["event_id"]))
    late_idx = sorted(rng.sample(range(len(allrows)), 45))
    late = [allrows[i] for i in late_idx]
    late_ids = {id(r): True for r in late}
    body = [r for r in allrows if id(r) not in late_ids]
    return body + late


def render_orders(w: World):
    """One row per order, ids in time order; refunds of non-DM orders and status spellings drawn here."""
    rng = w.rng
    rows = []
    w.orders.sort(key=lambda o: (o.t, o.kind, o.email))
    for n, o in enumerate(w.orders):
        o.order_id = f"BS-{10001 + n}"
        sub, disc, ship, tax, total = o.amounts
        if o.kind not in ("dm", "unmatched", "dm_uncounted"):
            # refunds of non-DM orders (DM orders got theirs with their exact amounts)
            if o.status == "refunded":
                o.refund = total
            elif o.status == "partially_refunded":
                o.refund = min(money(total * Decimal(rng.choice(["0.2", "0.25", "0.5"]))), total - CENT)
        status = o.status
        if rng.random() < 0.06 and status in ("paid", "refunded"):
            status = rng.choice(["PAID ", " Paid", "Paid"]) if status == "paid" else "Refunded"
        row = {
            "order_id": o.order_id,
            "created_at": fmt_ts(o.t, o.off),
            "customer_email": o.email,
            "customer_phone": o.phone,
            "currency": o.currency,
            "subtotal": m2(sub),
            "discount_total": m2(disc),
            "shipping_total": m2(ship),
            "tax_total": m2(tax),
            "total_price": m2(total),
            "financial_status": status,
            "refunded_amount": m2(o.refund),
            "cancelled_at": fmt_ts(o.cancelled_t, o.off) if o.cancelled_t else "",
            "landing_site": o.landing,
            "utm_source": o.saved[0],
            "utm_medium": o.saved[1],
            "utm_campaign": o.saved[2],
            "utm_content": o.saved[3],
            "source_name": o.source_name,
        }
        o.row = row
        rows.append(row)
        if o.kind.startswith("reject"):
            w.bad_rows.append(("raw_orders", f"order_id={o.order_id}", o.note.replace("REJECT: ", "")))
    return rows


def render_crm(w: World):
    """One row per CRM record, ids in time order; timestamp offsets and enum mess drawn here."""
    rng = w.rng
    rows = []
    w.crms.sort(key=lambda c: (c.created, c.f["email"], c.f["ig_user_id"]))
    n = 0
    for c in w.crms:
        if getattr(c, "reject", None) == "empty_id":
            cid = ""
        else:
            n += 1
            cid = f"crm_{n:04d}"
        c.f["contact_id"] = cid
        c.f["created_at"] = fmt_ts(c.created, rng.choice(["Z", "Z", "+00:00", "-04:00", "+02:00"]))
        c.f["updated_at"] = fmt_ts(max(c.updated, c.created), rng.choice(["Z", "+00:00"]))
        if not c.f["source"]:
            c.f["source"] = c.source
        rows.append(c.f)
        if c.note.startswith("REJECT"):
            ident = f"contact_id={cid}" if cid else f"contact_id='' (email={c.f['email'].strip()})"
            w.bad_rows.append(("raw_crm_contacts", ident, c.note.replace("REJECT: ", "")))
    # enum mess on valid rows
    valid = [r for r in rows if r["contact_id"] and r["lifecycle_status"] in LIFECYCLES]
    for r in rng.sample(valid, 5):
        r["lifecycle_status"] = LIFECYCLE_MESS[r["lifecycle_status"]]
    for r in rng.sample(valid, 3):
        if r["source"]:
            r["source"] = CRM_SOURCE_MESS.get(r["source"], r["source"].title())
    for r in rng.sample([r for r in valid if r["preferred_channel"]], 3):
        r["preferred_channel"] = r["preferred_channel"].upper()
    return rows


def write_csv(seeds_dir, name, columns, rows):
    path = seeds_dir / f"{name}.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path
