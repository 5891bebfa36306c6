"""The summary a run prints: the KPI targets recomputed from the files, the other KPIs, row counts,
the deliberate mess counted from the files, the contract-breaking rows and the compliance checks."""

from __future__ import annotations

from collections import Counter

from scripts.datagen.contract import clean, parse_ts
from scripts.datagen.mess import CENT

from .check import Recomputed, median, revenue_per_chat_is_exact
from .story import HUB_EMAIL, SEED
from .world import World


def print_summary(w: World, res: Recomputed, finals, n_follow, fallback_orders, chains):
    """Print the summary of a run, section by section (the verdict is ``check.story_holds``)."""
    print(f"Bloom & Stem demo data (seed {SEED})")
    print_kpi_targets(res, finals)
    print_other_kpis(res)
    print_row_counts(w, res)
    print_mess(w, res, n_follow, fallback_orders, chains)
    print_rejects(w)
    print_compliance(res)


def print_kpi_targets(res: Recomputed, finals):
    """Revenue per chat of each month, recomputed from the files, and every DM-attributed order."""
    print("\n== KPI targets (recomputed from the written files)")
    for m, name in ((9, "2026-09"), (10, "2026-10")):
        st = res.stats[m]
        rev = res.revenue[m]
        rpc = rev / st["sessions"]
        exact = revenue_per_chat_is_exact(res, m)
        print(
            f"  {name}: sessions={st['sessions']} attributed_orders={res.n_orders[m]} "
            f"(matched {res.matched[(m, 'matched')]}, utm_unmatched {res.matched[(m, 'utm_unmatched')]}, "
            f"incl. zero-net) attributed_revenue={rev:.2f} revenue_per_chat={rpc:.4f} "
            f"{'EXACT' if exact else 'NOT EXACT'} (final order {finals[m].row['order_id']} net {finals[m].net})"
        )
    print("  DM-attributed eligible orders (net in USD):")
    for o in sorted(res.dm_orders, key=lambda o: o["t"]):
        print(
            f"    {o['order_id']} {o['t']:%Y-%m-%d %H:%M}Z {o['currency']} net {o['net'].quantize(CENT)} "
            f"{'matched' if o['matched'] else 'utm_unmatched'} campaign={o['utm'].get('utm_campaign', '') or '-'}"
            f"{' (final)' if o['order_id'] in (finals[9].row['order_id'], finals[10].row['order_id']) else ''}"
        )


def print_other_kpis(res: Recomputed):
    """The other tiles' KPIs of each month (sessions started in the month)."""
    print("\n== Other KPIs (sessions started in the month)")
    for m, name in ((9, "2026-09"), (10, "2026-10")):
        st = res.stats[m]
        n, wo = st["sessions"], st["with_outbound"]
        print(
            f"  {name}: entry points "
            + ", ".join(f"{k[6:]}={v}" for k, v in sorted(st.items()) if k.startswith("entry_"))
        )
        print(
            f"           first_message_dropoff={st['first_dropoff'] / wo:.1%} open_rate={st['first_read'] / wo:.1%} "
            f"median_frt={median(res.frts[m]):.1f}s frt<=60s={st['frt_le_60'] / wo:.1%} "
            f"slow(>60s)={wo - st['frt_le_60']}"
        )
        print(
            f"           consented lead rate={st['consented_leads'] / n:.1%} handoff={st['handoff'] / n:.1%} "
            f"self_serve={st['self_served'] / n:.1%} opt_out={st['opt_out']} link_ctr={st['link_clicks'] / st['links_sent']:.1%} "
            f"reached_offer={st['reached_offer']} ended_at_offer={st['ended_at_offer']} reached_bundle={st['reached_bundle']}"
        )
        print(f"           assisted orders={res.assisted[m]} assisted_revenue={res.assisted_rev[m]:.2f}")


def print_row_counts(w: World, res: Recomputed):
    """Rows and rejects of each table, distinct events, threads and persons."""
    print("\n== Row counts")
    for k, v in res.rows.items():
        rej = res.rejects[k]
        print(f"  {k}: {v} rows, {rej} rejects ({rej / v:.2%})")
    print(
        f"  distinct valid event_ids={len(res.dedup)}, threads={len(w.threads)}, persons (identity graph)={res.persons}"
    )


def phone_formats(evr, crr, orr):
    """How many phones of events, CRM records and orders are written in each format."""
    phone_kinds = Counter()
    for rows, col in ((evr, "phone"), (crr, "phone"), (orr, "customer_phone")):
        for r in rows:
            v = r[col]
            if not v:
                continue
            if v.startswith("+33") or v.startswith("0033") or (v.startswith("0") and " " in v and len(v) == 14):
                phone_kinds[
                    "FR " + ("+33 ..." if v.startswith("+33") else "0033..." if v.startswith("0033") else "06 ..")
                ] += 1
            elif v.startswith("+44") or v.startswith("0044") or v.startswith("07"):
                phone_kinds["UK"] += 1
            elif v.startswith("("):
                phone_kinds["US (415) 555-0100"] += 1
            elif "." in v:
                phone_kinds["US 415.555.0199"] += 1
            elif v.startswith("+1 "):
                phone_kinds["US +1 415 555 0123"] += 1
            else:
                phone_kinds["US other (e164/dash/plain)"] += 1
    return phone_kinds


def print_mess(w: World, res: Recomputed, n_follow, fallback_orders, chains):
    """The deliberate mess, counted from the files (and from the story where a file cannot tell)."""
    # ---- mess counters, from the files
    evr, crr, orr = res.tables["raw_dm_events"], res.tables["raw_crm_contacts"], res.tables["raw_orders"]
    ids = Counter(r["event_id"] for r in evr if r["event_id"])
    dup_groups = [k for k, v in ids.items() if v > 1]
    offs = Counter()
    shifted = month_shift = 0
    for r in evr:
        s = r["occurred_at"]
        if s.endswith("Z"):
            offs["Z"] += 1
        elif len(s) > 19:
            offs[s[19:]] += 1
        t = parse_ts(s)
        if t is not None and s[:10] != t.date().isoformat():
            shifted += 1
            if s[5:7] != f"{t.month:02d}":
                month_shift += 1
    file_pos = {}
    for n, r in enumerate(evr):
        file_pos.setdefault(r["event_id"], n)
    out_of_order = 0
    for s in w.sessions:
        pos = [file_pos[e["row"]["event_id"]] for e in s.events]
        out_of_order += pos != sorted(pos)

    def n_enum(rows, col):
        return sum(1 for r in rows if r[col] and r[col] != r[col].strip().lower())

    email_mess = sum(
        1
        for rows, col in ((evr, "email"), (crr, "email"), (orr, "customer_email"))
        for r in rows
        if r[col] and r[col] != r[col].strip().lower()
    )
    phone_kinds = phone_formats(evr, crr, orr)
    raw_by_norm = {}
    for r in crr:
        if r["email"].strip():
            raw_by_norm.setdefault(clean(r["email"]), []).append(r["email"])
    case_dups = [k for k, v in raw_by_norm.items() if len(v) > 1 and len({x: 1 for x in v}) > 1 and k != HUB_EMAIL]
    hub_count = sum(1 for r in crr if clean(r["email"]) == HUB_EMAIL) + sum(
        1 for r in orr if clean(r["customer_email"]) == HUB_EMAIL
    )
    landing_only = sum(1 for o in w.orders if not any(o.saved) and "utm_" in o.landing.lower())
    landing_only_dm = sum(1 for o in w.orders if not any(o.saved) and "utm_source=dm" in o.landing.lower())
    mixed_utm = sum(
        1 for r in orr for c in ("utm_source", "utm_medium", "utm_campaign") if r[c] and r[c] != r[c].strip().lower()
    ) + sum(1 for o in w.orders if not any(o.saved) and ("DM" in o.landing or "UTM_" in o.landing or "%" in o.landing))
    cur = Counter(r["currency"] for r in orr)
    no_contact = sum(1 for r in orr if not r["customer_email"].strip() and not r["customer_phone"].strip())
    print("\n== Deliberate mess (counts from the files)")
    print(
        f"  duplicate event_id deliveries: {len(dup_groups)} ids delivered twice "
        f"({w.mess['duplicate_identical']} identical, {w.mess['duplicate_later_received']} with a later received_at; "
        f"{sum(1 for k in dup_groups if clean(next(r for r in evr if r['event_id'] == k)['event_type']) == 'trigger')} are triggers)"
    )
    print(
        "  occurred_at offsets: "
        + ", ".join(f"{k} {v}" for k, v in sorted(offs.items()))
        + f"; local date != UTC date on {shifted} rows ({month_shift} in another month)"
    )
    print(
        "  month-boundary triggers: "
        + "; ".join(
            f"{s.events[0]['row']['occurred_at']} -> UTC {s.start:%Y-%m-%d %H:%M} ({s.start:%B})"
            for s in w.sessions
            if s.trigger_offset
        )
    )
    for o in w.orders:
        if o.note.startswith("boundary"):
            print(f"  month-boundary order {o.order_id} created_at {o.row['created_at']}: {o.note}")
    print(
        f"  sessions whose events are out of order in the file: {out_of_order} of {len(w.sessions)} "
        f"(file sorted by received_at, 45 rows back-filled at the end)"
    )
    print(
        f"  re-triggers on a thread: {sum(1 for th in w.threads for s in th.sessions[1:])} "
        f"({sum(1 for s in w.sessions if s.retrigger)} within 24 h of the previous session); handle changes: "
        f"{sum(1 for th in w.threads if th.old_handles)}; organic chats: {n_follow} follow-ups >24 h after a session, "
        f"12 threads without any trigger"
    )
    print(
        f"  handles with '@': events {sum(1 for r in evr if r['ig_handle'].startswith('@'))}, "
        f"CRM {sum(1 for r in crr if r['ig_handle'].startswith('@'))}; MixedCase: events "
        f"{sum(1 for r in evr if r['ig_handle'] != r['ig_handle'].lower())}, CRM "
        f"{sum(1 for r in crr if r['ig_handle'] != r['ig_handle'].lower())}"
    )
    print(f"  emails with spaces or capitals: {email_mess} (events + CRM + orders)")
    print("  phone formats: " + ", ".join(f"{k}: {v}" for k, v in sorted(phone_kinds.items())))
    print(
        f"  orders with UTMs only in landing_site: {landing_only} ({landing_only_dm} DM); mixed-case / encoded UTM "
        f"values or names: {mixed_utm}"
    )
    print(
        f"  outbound links missing a UTM: {len(res.utm_miss)} of {res.links} "
        f"({len(res.utm_miss) / res.links:.1%}): "
        + ", ".join(f"{b[1]['row']['event_id'] if b[1] else '?'} ({b[0]})" for b in w.broken_links)
        + "; 2 links to instagram.com (need no UTMs)"
    )
    print(
        "  currencies: "
        + ", ".join(f"{k} {v}" for k, v in sorted(cur.items()))
        + f"; orders on a day with no rate of their currency (fall back to the previous day): "
        f"{res.fallback_orders}, e.g. "
        + ", ".join(f"{o.order_id} {o.currency} {o.t:%Y-%m-%d} ({o.kind})" for o in fallback_orders.values())
    )
    print(f"  orders with no email and no phone: {no_contact}")
    print(
        "  CRM split persons (A-B share an email, B-C share a phone): "
        + "; ".join(f"{a.f['contact_id']}-{b.f['contact_id']}-{c.f['contact_id']}" for a, b, c in chains)
    )
    print(f"  CRM same email in different case: {len(case_dups)} emails on 2+ records")
    print(
        f"  hub identifier {HUB_EMAIL}: {hub_count} records (CRM + orders); hubs found: "
        + ", ".join(f"{h[0][0]} {h[0][1]!r} on {h[1]} nodes" for h in res.hubs)
    )
    for c in w.crms:
        if c.note and not c.note.startswith("REJECT") and not c.note.startswith("chain") and c.note != "hub email":
            print(
                f"  CRM {c.f['contact_id']}: {c.note} (created {c.f['created_at']}, consent_at {c.f['consent_at'] or '-'})"
            )
    print(
        f"  enum values with stray spaces / capitals: events event_type {n_enum(evr, 'event_type')}, actor "
        f"{n_enum(evr, 'actor')}, entry_point {n_enum(evr, 'entry_point')}; CRM lifecycle {n_enum(crr, 'lifecycle_status')}, "
        f"source {n_enum(crr, 'source')}, channel {n_enum(crr, 'preferred_channel')}; orders financial_status "
        f"{n_enum(orr, 'financial_status')}; costs cost_type 1"
    )
    print("  DM orders of note:")
    for o in w.orders:
        if o.kind in ("unmatched", "dm_uncounted", "assisted") or (
            o.kind == "dm" and o.status in ("refunded", "partially_refunded")
        ):
            print(
                f"    {o.order_id} {o.row['created_at']} {o.currency} total {o.row['total_price']} "
                f"refunded {o.row['refunded_amount']} [{o.row['financial_status'].strip()}] {o.note or o.kind}"
            )


def print_rejects(w: World):
    """The contract-breaking rows the models reject."""
    print("\n== Contract-breaking rows (rejected by the models, excluded above)")
    for table, ident, rule in w.bad_rows:
        print(f"  {table}: {ident}: {rule}")


def print_compliance(res: Recomputed):
    """The messaging rules on the clean data (all zero, or the run fails)."""
    print("\n== Compliance checks on the clean data")
    comp = res.compliance
    print(
        f"  bot message_out after an opt-out: {comp['bot_message_after_opt_out']}; bot message_out > 24 h after "
        f"the customer's last event: {comp['bot_message_outside_24h']}; agent > 7 days: {comp['agent_message_outside_7d']}"
    )
