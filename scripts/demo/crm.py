"""CRM records (raw_crm_contacts): the DM tool's records of the people who wrote, their older website
or import records, website sign-ups, the 2025 import, till customers, the hub email, two persons
split across three records each, consent and opt-out data errors, and the two contract-breaking rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scripts.datagen.contract import CRM_COLUMNS
from scripts.datagen.mess import fmt_ts, messy_email, render_handle

from .people import RESERVED_PHONES, fmt_phone, linkable_phone_kind, make_person, random_email_style
from .story import AGENT_NAMES, EVENT_END, HUB_EMAIL
from .world import World

PRODUCT_INTEREST = {
    "autumn_bouquets": "autumn bouquet",
    "gift_bundle": "gift bundle",
    "wedding_consult": "wedding flowers",
}


class Crm:
    def __init__(self, created, person, source):
        self.created = created
        self.updated = created
        self.person = person
        self.source = source
        self.f = {c: "" for c in CRM_COLUMNS}
        self.f["opted_out"] = "false"
        self.note = ""

        self.reject = None  # 'empty_id' on the record written without a contact_id


def random_time(rng, year, months, hours, with_seconds=False):
    """A time of the year: a month in ``months`` (lo, hi), a day 1-28, an hour in ``hours``, a minute
    (and a second), drawn in that order."""
    parts = [rng.randint(*months), rng.randint(1, 28), rng.randint(*hours), rng.randint(0, 59)]
    if with_seconds:
        parts.append(rng.randint(0, 59))
    return datetime(year, *parts, tzinfo=UTC)


def crm_common(rng, c, p, email_style=None, phone_kind=None, with_email=True, with_phone=True):
    """Name, email and phone of a person on a record, in the given (or a random) style."""
    c.f["first_name"] = p.first
    c.f["last_name"] = p.last if rng.random() < 0.85 else ""
    if with_email and p.email:
        c.f["email"] = messy_email(p.email, email_style or random_email_style(rng, 0.2))
    if with_phone and p.phone:
        c.f["phone"] = fmt_phone(p, phone_kind or linkable_phone_kind(rng, p))


def build_crm(w: World, order_status_by_person):
    """Every CRM record, in the order they are drawn; returns the two split persons' (A, B, C) records."""
    for th in w.threads:
        if th.person.kind == "organic":
            organic_record(w, th)
            continue
        if th.person.pre_record:
            pre_dm_record(w, th)
        dm_record(w, th, order_status_by_person)
    for p in w.people:
        other_record(w, p, order_status_by_person)
    hub_records(w)
    chains = split_persons(w)
    consent_errors(w)
    reject_records(w)
    return chains


def organic_record(w: World, th):
    """Half of the people who only chatted with an agent get a 'direct' record."""
    rng = w.rng
    p = th.person
    if rng.random() < 0.5:
        c = Crm(th.organic[0]["t"] + rng.secs(5, 60), p, "direct")
        c.f["first_name"] = p.first
        c.f["ig_handle"] = render_handle(th.handle, "at")
        c.f["ig_user_id"] = th.ig_user_id
        c.f["preferred_channel"] = "dm"
        c.f["lifecycle_status"] = "new"
        c.updated = th.last_t + rng.secs(60, 600)
        w.crms.append(c)


def pre_dm_record(w: World, th):
    """The website / import record a DM customer had before writing (tied to the thread by handle)."""
    rng = w.rng
    p = th.person
    if p.pre_record == "import" or rng.random() < 0.4:
        created = random_time(rng, 2025, (2, 12), (9, 20))
    else:
        created = random_time(rng, 2026, (1, 8), (9, 20))
    c = Crm(created, p, p.pre_record)
    crm_common(rng, c, p, email_style=rng.choice(["title", "upper", "clean"]), with_phone=rng.random() < 0.5)
    email_lead = any(s.lead and s.lead["email"] for s in th.sessions)
    if rng.random() < 0.6 or not email_lead:
        # the handle is what ties this older record to the DM thread (buyers without a lead)
        c.f["ig_handle"] = render_handle(
            th.old_handles[0] if th.old_handles else th.handle, rng.choice(["at", "atcamel", "camel"])
        )
    c.f["preferred_channel"] = "email"
    if p.pre_record == "website":
        c.f["utm_source"], c.f["utm_medium"], c.f["utm_campaign"] = rng.choice(
            [("google", "cpc", "florist_near_me"), ("instagram", "social", "bio_link"), ("", "", "")]
        )
    c.f["lifecycle_status"] = rng.choice(["won", "qualified", "new"])
    if rng.random() < 0.5:
        c.f["consent_at"] = fmt_ts(created + rng.secs(0, 30), "Z")
        c.f["consent_source"] = "website_form" if p.pre_record == "website" else "import"
    c.updated = created + timedelta(days=rng.randint(0, 60))
    w.crms.append(c)


def dm_record(w: World, th, order_status_by_person):
    """The DM tool's record of a thread's person: handle, first-touch UTMs, flow_path, the lead."""
    rng = w.rng
    p = th.person
    sessions = th.sessions
    leads = [s.lead for s in sessions if s.lead]
    if not leads and rng.random() < 0.7:
        return
    first = sessions[0]
    c = Crm(first.start + rng.secs(2, 15), p, first.entry)
    c.f["first_name"] = p.first
    c.f["ig_handle"] = render_handle(
        th.old_handles[0] if th.old_handles else th.handle, rng.pick([("plain", 40), ("at", 40), ("atcamel", 20)])
    )
    c.f["ig_user_id"] = th.ig_user_id
    c.f["source"] = first.entry
    c.f["campaign"] = first.flow
    c.f["utm_source"], c.f["utm_medium"], c.f["utm_campaign"] = "dm", "chat", first.flow
    c.f["preferred_channel"] = "dm"
    path_sess = next((s for s in sessions if s.lead), first)
    c.f["flow_path"] = ">".join(x for x in path_sess.steps if x != "hook") or "hook"
    c.f["product_interest"] = PRODUCT_INTEREST[first.flow]
    if leads:
        lead = leads[0]
        c.f["email"] = lead["email"]
        c.f["phone"] = lead["phone"]
        c.f["budget"] = (
            rng.choice(["under $50", "$50-100", "$100-200"])
            if first.flow != "wedding_consult"
            else rng.choice(["$1,000-2,000", "$2,000-4,000", "not sure"])
        )
        c.f["timeline"] = (
            rng.choice(["this week", "this month", "next month"])
            if first.flow != "wedding_consult"
            else rng.choice(["spring 2027", "summer 2027", "2027"])
        )
        c.f["last_action"] = "submitted lead"
        consented = [ld for ld in leads if ld["consent"] == "true"]
        if consented:
            c.f["consent_at"] = fmt_ts(consented[0]["t"], rng.choice(["Z", "+00:00", "-04:00"]))
            c.f["consent_source"] = "dm_flow"
        c.f["lifecycle_status"] = "qualified"
        c.f["next_step"] = rng.choice(["send reminder", "follow up in 3 days", ""])
    else:
        c.f["last_action"] = "clicked link" if any(s.link_clicks for s in sessions) else "started flow"
        c.f["lifecycle_status"] = "new"
    if any(s.handoff for s in sessions):
        agent = next(ev.get("agent") for s in sessions for ev in s.events if ev.get("agent"))
        c.f["owner"] = AGENT_NAMES[agent]
        c.f["last_action"] = "talked to a florist"
        if not leads and rng.random() < 0.5:
            c.f["lifecycle_status"] = "lost"
    st = order_status_by_person.get(p.pid)
    if st == "won":
        c.f["lifecycle_status"] = "won"
        c.f["last_action"] = "ordered"
        c.f["next_step"] = ""
    if th.opted_out_at:
        c.f["opted_out"] = "true"
        c.f["opted_out_at"] = fmt_ts(th.opted_out_at, "Z")
        if c.f["lifecycle_status"] == "new":
            c.f["lifecycle_status"] = "lost"
    c.updated = min(max([th.last_t] + [o.t for o in p.orders]) + rng.secs(30, 900), EVENT_END)
    w.crms.append(c)


def other_record(w: World, p, order_status_by_person):
    """The record of a website sign-up, an imported customer or a till customer (others have none)."""
    rng = w.rng
    if p.kind == "website":
        created = random_time(rng, 2026, (1, 10), (8, 22), with_seconds=True)
        if created > datetime(2026, 10, 25, tzinfo=UTC):
            created -= timedelta(days=30)
        c = Crm(created, p, "website")
        crm_common(rng, c, p)
        if p.handle:
            c.f["ig_handle"] = render_handle(p.handle, "at")
        c.f["preferred_channel"] = rng.choice(["email", "email", "sms"])
        c.f["utm_source"], c.f["utm_medium"], c.f["utm_campaign"] = rng.choice(
            [
                ("google", "cpc", "florist_near_me"),
                ("instagram", "social", "bio_link"),
                ("newsletter", "email", "sept_newsletter"),
                ("", "", ""),
                ("", "", ""),
            ]
        )
        c.f["product_interest"] = rng.choice(["", "plants", "weekly flowers", "autumn bouquet"])
        c.f["lifecycle_status"] = (
            "won" if order_status_by_person.get(p.pid) else rng.choice(["new", "qualified", "lost"])
        )
        if rng.random() < 0.6:
            c.f["consent_at"] = fmt_ts(created + rng.secs(0, 20), rng.choice(["Z", "-04:00"]))
            c.f["consent_source"] = "website_form"
        c.updated = created + timedelta(days=rng.randint(0, 30), seconds=rng.randint(0, 86400))
        w.crms.append(c)
    elif p.kind == "import":
        created = datetime(2025, 1, 15, 10, 0, rng.randint(0, 59), tzinfo=UTC)
        c = Crm(created, p, "import")
        crm_common(rng, c, p, phone_kind="national" if p.country != "US" and rng.random() < 0.5 else None)
        c.f["preferred_channel"] = rng.choice(["email", "phone", ""])
        c.f["campaign"] = "2024 customer list"
        c.f["lifecycle_status"] = "won" if rng.random() < 0.7 else "new"
        c.updated = created + timedelta(days=rng.randint(0, 400))
        w.crms.append(c)
    elif p.kind == "pos_customer":
        created = random_time(rng, 2026, (3, 9), (14, 21))
        c = Crm(created, p, "pos")
        crm_common(rng, c, p, phone_kind=rng.choice(["paren", "dot", "dash"]))
        c.f["preferred_channel"] = "phone"
        c.f["lifecycle_status"] = "won"
        c.updated = created + timedelta(days=rng.randint(0, 20))
        w.crms.append(c)


def hub_records(w: World):
    """Till records with the shop's own email typed in (the hub the identity graph must not follow)."""
    rng = w.rng
    for _k in range(8):
        created = random_time(rng, 2026, (2, 10), (14, 21))
        p = make_person(w, "pos_hub", country="US", email=False, phone=rng.random() < 0.5)
        c = Crm(created, p, "pos")
        c.f["first_name"] = p.first
        c.f["email"] = rng.choice([HUB_EMAIL, "Info@BloomAndStem.example"])
        if p.phone:
            c.f["phone"] = fmt_phone(p, "paren")
        c.f["lifecycle_status"] = "won"
        c.note = "hub email"
        c.updated = created + timedelta(days=1)
        w.crms.append(c)


def split_persons(w: World):
    """Two persons split across records: A-B share an email, B-C share a phone."""
    chains = []
    for country in ("FR", "US"):
        p = make_person(w, "chain", country=country, handle=True)
        if country == "FR":
            p.phone = RESERVED_PHONES["FR"]
        a = Crm(datetime(2026, 3, 2, 10, 14, 0, tzinfo=UTC), p, "website")
        a.f["first_name"], a.f["last_name"] = p.first, p.last
        a.f["email"] = p.email
        a.f["phone"] = fmt_phone(p, "national") if country == "FR" else ""
        a.f["lifecycle_status"] = "won"
        a.f["preferred_channel"] = "email"
        b = Crm(datetime(2025, 1, 15, 10, 0, 31, tzinfo=UTC), p, "import")
        b.f["first_name"], b.f["last_name"] = p.first, p.last
        b.f["email"] = messy_email(p.email, "both")
        b.f["phone"] = fmt_phone(p, "intl")
        b.f["lifecycle_status"] = "new"
        c = Crm(datetime(2026, 9, 18, 16, 40, 12, tzinfo=UTC), p, "story_reply")
        c.f["first_name"] = p.first
        c.f["ig_handle"] = render_handle(p.handle, "atcamel")
        c.f["phone"] = fmt_phone(p, "00") if country == "FR" else fmt_phone(p, "dot")
        c.f["preferred_channel"] = "dm"
        c.f["lifecycle_status"] = "qualified"
        c.f["source"] = "story_reply"
        for r in (a, b, c):
            r.updated = r.created + timedelta(days=3)
        a.note, b.note, c.note = "chain A (email)", "chain B (email + phone)", "chain C (phone)"
        w.crms.extend([a, b, c])
        chains.append((a, b, c))
    return chains


def consent_errors(w: World):
    """Consent and opt-out data errors, on single-record website people, and a few real unsubscribes."""
    rng = w.rng
    web = [c for c in w.crms if c.source == "website" and c.person.kind == "website"]
    rng.shuffle(web)
    fut, before, noopt = web[0:2], web[2:4], web[4:6]
    for c, when in zip(fut, [datetime(2027, 1, 15, 10, 0, tzinfo=UTC), datetime(2026, 12, 24, 9, 30, tzinfo=UTC)]):
        c.f["consent_at"], c.f["consent_source"] = fmt_ts(when, "Z"), "website_form"
        c.note = "consent_at in the future"
    for c in before:
        c.f["consent_at"] = fmt_ts(c.created - timedelta(days=rng.randint(20, 60)), "-04:00")
        c.f["consent_source"] = "website_form"
        c.note = "consent_at before the person's first record"
    for c in noopt:
        c.f["opted_out"] = "true"
        c.f["opted_out_at"] = ""
        c.note = "opted_out without opted_out_at"
    # a few legit email unsubscribes
    for c in web[6:9]:
        c.f["opted_out"] = "true"
        c.f["opted_out_at"] = fmt_ts(c.created + timedelta(days=rng.randint(2, 40)), "Z")


def reject_records(w: World):
    """The two contract-breaking records: an empty contact_id, an unknown lifecycle_status."""
    rng = w.rng
    p = make_person(w, "import", country="US")
    r1 = Crm(datetime(2025, 1, 15, 10, 0, 44, tzinfo=UTC), p, "import")
    crm_common(rng, r1, p)
    r1.f["lifecycle_status"] = "new"
    r1.note = "REJECT: empty contact_id"
    r1.reject = "empty_id"
    p = make_person(w, "website", country="UK")
    r2 = Crm(datetime(2026, 9, 21, 12, 5, 9, tzinfo=UTC), p, "website")
    crm_common(rng, r2, p)
    r2.f["lifecycle_status"] = "vip"
    r2.note = "REJECT: unknown lifecycle_status 'vip'"
    r2.updated = r2.created + timedelta(hours=2)
    w.crms.extend([r1, r2])
