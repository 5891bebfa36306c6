"""The identity and attribution rules of the check (``scripts/demo/check.py``), implemented a second
time: which records, threads and orders are one person, and which orders a DM session earned or
assisted."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from scripts.datagen.contract import LIFECYCLES, clean, norm_handle, norm_phone

# the dbt vars of dbt_project.yml these rules use, written again (the check does not read dbt's config)
ATTRIBUTION_WINDOW = timedelta(days=7)  # attribution_window_days
HUB_NODES = 20  # identity_max_records_per_identifier: an identifier on more nodes is a hub and links nothing


# ----------------------------------------------------------------------------- identity


def identity_nodes(crm_rows, by_thread, orders, rejects):
    """int_identity_nodes / int_identity_identifiers (and stg_crm__contacts / _rejects): valid CRM
    records (an id and a known lifecycle_status), DM threads (ig_user_id and handles of every event,
    email and phone of leads) and eligible orders, each with its normalised identifiers."""
    nodes = []
    for r in crm_rows:
        if not r["contact_id"].strip() or clean(r["lifecycle_status"]) not in LIFECYCLES:
            rejects["raw_crm_contacts"] += 1
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
    for o in orders:
        ids = [("email", clean(o["customer_email"])), ("phone", norm_phone(o["customer_phone"]))]
        nodes.append((("order", o["order_id"]), [i for i in ids if i[1]]))
    return nodes


def identifier_holders(nodes, order_rows):
    """int_identity_hubs: which nodes hold each identifier; orders outside the graph (rejected or not
    eligible) count towards a hub but are not linked."""
    holders = {}
    for key, ids in nodes:
        for i in ids:
            holders.setdefault(i, []).append(key)
    in_graph = {key[1]: 1 for key, _ in nodes if key[0] == "order"}
    for r in order_rows:
        if r["order_id"] in in_graph:
            continue
        for i in [("email", clean(r["customer_email"])), ("phone", norm_phone(r["customer_phone"]))]:
            if i[1]:
                holders.setdefault(i, []).append(("order_other", r["order_id"]))
    return holders


def person_of_nodes(nodes, holders):
    """int_identity_edges / int_identity_components / int_identity_person_map: nodes that share an
    identifier are one person (connected components), except through a hub (more than 20 nodes)."""
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for keys in holders.values():
        if len(keys) > HUB_NODES:
            continue
        keys = [k for k in keys if k[0] != "order_other"]
        for k in keys[1:]:
            ra, rb = find(keys[0]), find(k)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {key: find(key) for key, _ in nodes}


# ----------------------------------------------------------------------------- attribution


def in_window(s, o):
    """The session started at or before the order and at most 7 days before it."""
    return s["start"] <= o["t"] and o["t"] - s["start"] <= ATTRIBUTION_WINDOW


def match_dm_orders(dm_orders, person_of, sess_by_person):
    """int_orders_attributed: a DM order is matched when its person has a session of the order's
    utm_campaign flow started in the 7 days before it, else utm_unmatched (both count as revenue)."""
    matched = Counter()
    for o in dm_orders:
        camp = o["utm"].get("utm_campaign", "")
        hit = [
            s
            for s in sess_by_person.get(person_of[("order", o["order_id"])], [])
            if s["flow"] == camp and in_window(s, o)
        ]
        o["matched"] = bool(hit)
        matched[(o["t"].month, "matched" if hit else "utm_unmatched")] += 1
    return matched


def assisted_orders(other_eligible, person_of, sess_by_person):
    """int_order_assists: a non-DM eligible order is assisted when its person clicked a DM link before it,
    in a session started in the 7 days before it. Returns (count by month, net by month, order ids)."""
    assisted, assisted_rev, assisted_ids = Counter(), Counter(), []
    for o in other_eligible:
        for s in sess_by_person.get(person_of[("order", o["order_id"])], []):
            clicks = [e for e in s["events"] if e["et"] == "link_click" and e["t"] < o["t"]]
            if clicks and in_window(s, o):
                assisted_ids.append(o["order_id"])
                assisted[o["t"].month] += 1
                assisted_rev[o["t"].month] += o["net"]
                break
    return assisted, assisted_rev, assisted_ids
