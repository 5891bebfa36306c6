#!/usr/bin/env python3
"""Deterministic demo data for the dm_roi dbt project: "Bloom & Stem", an independent florist.

Run ``python3 scripts/generate_demo_data.py`` (from any directory). It overwrites the five raw seeds in
``seeds/`` (raw_dm_events, raw_crm_contacts, raw_orders, raw_fx_rates, raw_automation_costs), re-reads
the files it wrote, recomputes the targets with the models' rules, fails if anything is off, and
prints a summary. Python 3.11 standard library only; one ``random.Random`` with a fixed seed, no
clock, no set or hash ordering: two runs give byte-identical files.

The story
---------
Bloom & Stem answers Instagram DMs with an automation tool, in three flows (``flow_name``):
``autumn_bouquets`` (mostly comment-to-DM on posts), ``gift_bundle`` (ads, keywords) and
``wedding_consult`` (story replies, keywords, direct; often handed to a florist). Entry points:
comment_to_dm (most), story_reply, keyword, ad, direct. Two months, all times UTC.

* September 2026 (flow version 1): a long hook, then discovery > premium > offer > bundle > checkout.
  ``offer`` is a dead offer ("5% off orders over $150"): most sessions that reach it stop there.
  40% of sessions show no customer activity after the first bot message.
  Revenue per chat = $3.10 exactly.
* October 2026 (version 2, for triggers from 2026-10-01T00:00Z): the offer is gone, the hook is
  short (first-message drop-off 20%) and the winning ``bundle`` comes right after the hook (or
  discovery > premium for those who ask for something else). Revenue per chat = $6.40 exactly.
* The bot answers a trigger in 2-40 s (about 3% slow answers of 61-420 s). Steps that show a product
  send ``https://bloomandstem.example/products/<slug>?utm_source=dm&utm_medium=chat``
  ``&utm_campaign=<flow_name>&utm_content=<flow_step>``; checkout asks for an email and/or phone
  (``lead_submitted`` with consent true/false and notice version v2 in September, v3 in October),
  sends the checkout link, and the bot resolves. Some sessions are handed to a florist (bot
  ``handoff``, an agent ``message_out`` minutes later, resolved by the agent); a few customers write
  STOP (``message_in`` + ``opt_out``) and never get a bot message again. Organic chats: threads with
  no trigger, and messages more than 24 h after a session's last event, answered by agents only.
  No bot message goes out more than 24 h after the customer's last event. Some threads re-trigger
  (a new session; 8 of them within 24 h of the previous one); two threads change handle.
* Orders: DM buyers order 10 min - 5 days after their last link click, with their session's flow as
  utm_campaign, using the lead's email / phone or the email of their older CRM record, in any case
  or spacing (the order links to the thread through the lead, or through the older record's handle).
  A few DM orders have no session to go to (utm_unmatched), a few non-DM orders come from people who
  clicked a DM link in the previous days (assisted), and most orders are ordinary web / POS sales.
  CRM records come from the DM tool (ig_user_id, handle, first-touch dm/chat UTMs, flow_path such as
  ``discovery>premium>offer``, consent from the lead), the website, a 2025 import and the shop till.
* Costs: a $99 tool subscription each month, a $1,200 setup and a EUR 450 agency line in September,
  a $250 agency line in October, $300 of click-to-DM ads each month.

The accounting (done exactly as the models do it, and re-checked on the written files)
-------------------------------------------------------------------------------------
* sessions(M) = distinct valid ``trigger`` event_ids (duplicates removed keeping the earliest
  received_at; contract-breaking rows excluded; enums trimmed and lowercased) whose occurred_at in
  UTC falls in month M.
* attributed_revenue(M) = over valid orders whose created_at in UTC falls in M, with
  financial_status (trimmed, lowercased) paid / partially_refunded / refunded and an empty
  cancelled_at, whose order UTMs have source dm and medium chat (order UTMs = the saved utm_* columns
  when any is non-empty, else the query string of landing_site; names case-insensitive, values
  URL-decoded, trimmed, lowercased; the two sets never mixed): the sum of
  (total_price - refunded_amount) x rate_to_reporting (the rate of the order's UTC date or the latest
  earlier one; USD at 1). Matched and utm_unmatched orders both count.
* All other DM orders are made first. EUR / GBP DM orders convert to whole cents: the rate rows they
  use are rounded to a multiple of 0.0050 and their net amount to a multiple that makes
  net x rate exact. Then one final USD DM order per month gets net = target x sessions - the rest,
  so revenue / sessions is 3.10 and 6.40 with no remainder. The check recomputes both from the CSVs.
* Sizes: a few thousand events; about 260 CRM records and a little over 200 orders, so that the two
  deliberate rejects of each of these tables stay under 1% of its rows.

Deliberate mess (all valid once cleaned as the contract says; counted in the summary)
--------------------------------------------------------------------------------------
raw_dm_events: duplicate deliveries of an event_id (identical rows, and copies with a later
received_at; three of them are triggers); offsets Z, +00:00, +02:00, -04:00 and +05:30, many changing
the date, and three triggers whose local date is in the other month (2026-09-30T23:30:00-04:00 is an
October session, 2026-10-01T01:15:00+02:00 and 2026-10-01T03:50:00+05:30 are September sessions);
rows ordered by received_at (not occurred_at) with a back-filled batch of 45 rows at the end, so most
sessions are out of order in the file; handles with '@', MixedCase, empty on a few rows, and two
threads whose handle changes; lead emails with spaces and capitals; phones in national and
international formats; five outbound links with a misspelled ``utm_campain`` (2), no utm_medium (2) or
no utm_campaign (1), and their clicks; two links to instagram.com (they do not leave Instagram);
enums with stray spaces or capitals (`` Message_Out``, ``Trigger ``, ``Bot``, ``Comment_To_DM ``).
raw_crm_contacts: the same email in different case or with spaces on two records of one person (DM
record + older website / import record); two persons split across three records each (A-B share an
email, B-C share a phone; A's French national phone ``06 12 34 56 78`` does not match the
international forms); the hub email info@bloomandstem.example on 24 records (8 CRM + 16 POS orders);
consent_at in the future (2), consent_at before the person's first record (2); opted_out true with
no opted_out_at (2); enum mess (``Qualified ``, ``WON``, ``Website ``, ``DM``).
raw_orders: UTMs only in landing_site (saved columns empty) with mixed-case names and values
(``UTM_Source=DM``), URL-encoding (``autumn%5Fbouquets``, ``chat%20``) and extra parameters; saved
values in mixed case (``DM``, `` dm``, ``Chat``, ``Gift_Bundle``); a DM landing_site overridden by a
saved instagram set (not DM); USD, EUR and GBP, with DM orders on days that have no rate (they fall
back to the previous day); orders with no email and no phone; partially refunded, refunded,
pending, voided and cancelled orders; statuses like ``PAID `` and `` Paid``. DM orders of note:
two orders at the month boundary (2026-10-01T00:35:00+02:00 is September revenue,
2026-09-30T22:40:00-04:00 is October revenue), a fully refunded DM order (net 0, not an order),
pending / voided / cancelled DM orders (not eligible), and four utm_unmatched ones: no email and no
phone, a session 9+ days old, a landing_site with ``utm_campain`` (so no utm_campaign), a forwarded
link bought by someone who never wrote to the shop.
raw_fx_rates: EUR and GBP daily with missing days; no USD rows. raw_automation_costs: one EUR line,
one ``Tool_Subscription``.

Deliberate contract-breaking rows (the models reject them; they count in nothing above)
--------------------------------------------------------------------------------------
raw_dm_events: two ``reaction`` events (unknown event_type), one message_read with occurred_at
``not-a-date``, one message_read with an empty event_id.
raw_crm_contacts: one record with an empty contact_id, one with lifecycle_status ``vip``.
raw_orders: one order with a negative total_price (a till correction), one web order in CHF (a
currency with no rate at all; not DM).
raw_fx_rates: one GBP row with a negative rate, on a day that has no other GBP rate.
raw_automation_costs: none. The exact ids are printed in the summary.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from math import gcd
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

# The contract (columns, enums, vocabulary, staging rules) and the mess renderings are shared with the
# vectorised generator (scripts/datagen, ``python -m scripts.datagen``); both modules are stdlib only.
try:  # run as a script: scripts/ is on sys.path
    from datagen import mess
    from datagen.contract import (
        ACTOR_MESS,
        ACTORS,
        COST_COLUMNS,
        CRM_COLUMNS,
        CRM_SOURCE_MESS,
        DOMAINS,
        ELIGIBLE,
        ENTRY_POINT_MESS,
        ENTRY_POINTS,
        EVENT_COLUMNS,
        EVENT_TYPE_MESS,
        EVENT_TYPES,
        FIRST,
        FX_COLUMNS,
        LAST,
        LIFECYCLE_MESS,
        LIFECYCLES,
        ORDER_COLUMNS,
        STATUSES,
        clean,
        norm_handle,
        norm_phone,
        parse_ts,
        url_utms,
    )
    from datagen.mess import CENT, ascii_name, camel, dm_landing, fmt_ts, m2, messy_email, money, render_handle
except ImportError:  # imported as scripts.generate_demo_data
    from scripts.datagen import mess
    from scripts.datagen.contract import (
        ACTOR_MESS,
        ACTORS,
        COST_COLUMNS,
        CRM_COLUMNS,
        CRM_SOURCE_MESS,
        DOMAINS,
        ELIGIBLE,
        ENTRY_POINT_MESS,
        ENTRY_POINTS,
        EVENT_COLUMNS,
        EVENT_TYPE_MESS,
        EVENT_TYPES,
        FIRST,
        FX_COLUMNS,
        LAST,
        LIFECYCLE_MESS,
        LIFECYCLES,
        ORDER_COLUMNS,
        STATUSES,
        clean,
        norm_handle,
        norm_phone,
        parse_ts,
        url_utms,
    )
    from scripts.datagen.mess import CENT, ascii_name, camel, dm_landing, fmt_ts, m2, messy_email, money, render_handle

SEED = 20260901
rng = random.Random(SEED)

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
UTC = UTC

TARGET_RPC = {9: Decimal("3.10"), 10: Decimal("6.40")}
RELAUNCH = datetime(2026, 10, 1, tzinfo=UTC)
DATA_START = datetime(2026, 9, 1, 0, 30, tzinfo=UTC)
ORDER_END = datetime(2026, 10, 31, 20, 0, tzinfo=UTC)
EVENT_END = datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
SHOP = "https://bloomandstem.example"
HUB_EMAIL = "info@bloomandstem.example"

FLOWS = ["autumn_bouquets", "gift_bundle", "wedding_consult"]
AGENTS = ["agt_chloe", "agt_marco", "agt_ines"]
AGENT_NAMES = {"agt_chloe": "Chloe", "agt_marco": "Marco", "agt_ines": "Ines"}


# ----------------------------------------------------------------------------- small helpers


def pick(pairs):
    """Weighted choice from a list of (value, weight)."""
    total = sum(w for _, w in pairs)
    r = rng.random() * total
    for value, weight in pairs:
        r -= weight
        if r < 0:
            return value
    return pairs[-1][0]


def secs(a, b):
    return timedelta(seconds=rng.randint(a, b))


def event_offset():
    return pick([("Z", 45), ("+00:00", 15), ("+02:00", 15), ("-04:00", 15), ("+05:30", 10)])


def month_of(dt):
    return dt.astimezone(UTC).month


def random_email_style(p_messy):
    if rng.random() >= p_messy:
        return "clean"
    return rng.choice(["title", "upper", "lead_space", "trail_space", "both"])


def product_url(slug, flow, step):
    return mess.product_url(SHOP, slug, flow, step)


# ----------------------------------------------------------------------------- people

US_AREAS = ["415", "628", "510", "650", "212", "718"]
US_POOL = [a + "555" + f"{n:04d}" for a in US_AREAS for n in range(100, 200)]
rng.shuffle(US_POOL)
FR_POOL = ["63998" + f"{n:04d}" for n in range(10000)]
rng.shuffle(FR_POOL)
UK_POOL = ["7700900" + f"{n:03d}" for n in range(1000)]
rng.shuffle(UK_POOL)
RESERVED_PHONES = {"FR": "612345678"}  # the classic 06 12 34 56 78, used by split person A-B-C

USED_EMAILS: dict[str, bool] = {}
USED_HANDLES: dict[str, bool] = {}
IG_IDS = rng.sample(range(100000, 999999), 600)


class Person:
    def __init__(self, pid, kind, country):
        self.pid = pid
        self.kind = kind
        self.country = country
        self.first = rng.choice(FIRST[country if country in FIRST else "US"])
        self.last = rng.choice(LAST[country if country in LAST else "US"])
        self.email = None
        self.phone = None  # national significant number (digits)
        self.handle = None
        self.thread = None
        self.pre_record = None  # 'website' / 'import' record existing before the DMs
        self.crm_records = []
        self.sessions = []
        self.orders = []
        self.currency = {"US": "USD", "FR": "EUR", "UK": "GBP", "CH": "CHF"}[country]


PEOPLE: list[Person] = []


def new_email(first, last, country):
    f, l = ascii_name(first), ascii_name(last)
    for _attempt in range(50):
        pattern = rng.choice(["{f}.{l}", "{f}{l}", "{f0}.{l}", "{f}.{l}{n}", "{f}_{l3}", "{l}.{f}"])
        local = pattern.format(f=f, l=l, f0=f[0], n=rng.randint(2, 98), l3=l[:3])
        local = local.replace(" ", "").replace("'", "")
        email = f"{local}@{rng.choice(DOMAINS[country])}"
        if email not in USED_EMAILS:
            USED_EMAILS[email] = True
            return email
    raise RuntimeError("email space exhausted")


def new_phone(country):
    pool = {"US": US_POOL, "FR": FR_POOL, "UK": UK_POOL, "CH": None}[country]
    if pool is None:
        return "79" + f"{rng.randint(1000000, 9999999)}"
    return pool.pop()


def new_handle(first, last):
    f, l = ascii_name(first), ascii_name(last)
    for _attempt in range(50):
        pattern = rng.choice(
            ["{f}.{l}", "{f}{l}", "{f}_{l}", "{f}.{l0}{n}", "{f}.blooms", "{f}{n}", "the.{f}.{l}", "{f}_{l}_{n}"]
        )
        handle = pattern.format(f=f, l=l, l0=l[0], n=rng.randint(3, 99)).replace(" ", "")
        if handle not in USED_HANDLES:
            USED_HANDLES[handle] = True
            return handle
    raise RuntimeError("handle space exhausted")


def make_person(kind, country=None, email=True, phone=True, handle=False):
    if country is None:
        country = pick([("US", 70), ("FR", 18), ("UK", 12)])
    p = Person(len(PEOPLE) + 1, kind, country)
    if email:
        p.email = new_email(p.first, p.last, country)
    if phone:
        p.phone = new_phone(country)
    if handle:
        p.handle = new_handle(p.first, p.last)
    PEOPLE.append(p)
    return p


def fmt_phone(p, kind):
    return mess.render_phone(p.country, p.phone, kind)


def linkable_phone_kind(p):
    """A phone format that normalises to the person's E.164 number under the project's rules."""
    if p.country == "US":
        return pick([("paren", 30), ("dot", 15), ("intl", 20), ("dash", 15), ("e164", 10), ("one", 5), ("plain", 5)])
    return pick([("intl", 55), ("00", 25), ("e164", 20)])


# ----------------------------------------------------------------------------- flow content

LONG_HOOK = {
    "autumn_bouquets": (
        "Hi {first}! Thank you so much for your message about our autumn collection. At Bloom & Stem every "
        "bouquet is hand-tied in our studio the morning it ships, with seasonal stems from local growers: "
        "dahlias, chrysanthemums, rose hips and dried grasses. We deliver the same day in the city and the "
        "next day nationwide, and we can add a handwritten card, a candle or a vase. Would you like to "
        "see the autumn range, find a gift, or just have a look around?"
    ),
    "gift_bundle": (
        "Hello {first}! Thanks for getting in touch with Bloom & Stem. Looking for a gift? We put together "
        "gift bundles with a seasonal bouquet, a treat from our neighbours at the bakery, a soy candle and "
        "a handwritten card, all delivered in our signature box. Tell us who it is for and your budget and "
        "we will suggest the right one, or you can browse everything we have. What would you like to do?"
    ),
    "wedding_consult": (
        "Congratulations {first}! We would love to help with your wedding flowers. Bloom & Stem designs "
        "bridal bouquets, buttonholes, ceremony arches and table centrepieces, and every wedding starts "
        "with a free consultation with one of our florists. Tell us a little about your date and your "
        "style and we will send you our lookbook and pricing guide. When is the big day?"
    ),
}

CONTENT = {
    1: {
        "autumn_bouquets": {
            "hook": dict(
                text=LONG_HOOK["autumn_bouquets"],
                buttons=["See the range", "Find a gift", "Just browsing"],
                cont=["See the range", "Find a gift"],
                decline="Just browsing",
            ),
            "discovery": dict(
                text="Lovely! What is the occasion?",
                buttons=["Birthday", "Thank you", "Just because"],
                cont=["Birthday", "Thank you", "Just because"],
            ),
            "premium": dict(
                text="Our premium autumn bouquets start at $65: dahlias, rose hips and dried "
                "grasses, hand-tied this morning.",
                buttons=["Show me more", "Talk to a florist"],
                cont=["Show me more"],
                human="Talk to a florist",
                slug="autumn-premium-bouquet",
            ),
            "offer": dict(
                text="Special offer: 5% off your next order over $150 with code AUTUMN5, valid for 48 hours.",
                buttons=["Claim offer", "No thanks"],
                cont=["Claim offer"],
                decline="No thanks",
            ),
            "bundle": dict(
                text="Our bestseller: the Autumn Bundle, a medium bouquet, a soy candle and a "
                "handwritten card for $79.",
                buttons=["Reserve delivery", "Not now"],
                cont=["Reserve delivery"],
                decline="Not now",
                slug="autumn-bundle",
            ),
        },
        "gift_bundle": {
            "hook": dict(
                text=LONG_HOOK["gift_bundle"],
                buttons=["Find a gift", "Browse all", "Just looking"],
                cont=["Find a gift", "Browse all"],
                decline="Just looking",
            ),
            "discovery": dict(
                text="Who is the lucky one?",
                buttons=["Partner", "Friend", "Family", "Colleague"],
                cont=["Partner", "Friend", "Family", "Colleague"],
            ),
            "premium": dict(
                text="For something special: the Luxe Gift Box, a large bouquet, a vase and chocolates.",
                buttons=["Show me more", "Talk to a florist"],
                cont=["Show me more"],
                human="Talk to a florist",
                slug="luxe-gift-box",
            ),
            "offer": dict(
                text="Offer of the week: a free greeting card with any order over $120.",
                buttons=["Claim offer", "No thanks"],
                cont=["Claim offer"],
                decline="No thanks",
            ),
            "bundle": dict(
                text="Most popular: the Gift Bundle, bouquet + candle + card, $69.",
                buttons=["Reserve delivery", "Not now"],
                cont=["Reserve delivery"],
                decline="Not now",
                slug="gift-bundle",
            ),
        },
        "wedding_consult": {
            "hook": dict(
                text=LONG_HOOK["wedding_consult"],
                buttons=["This year", "Next year", "Just dreaming"],
                cont=["This year", "Next year"],
                decline="Just dreaming",
            ),
            "discovery": dict(
                text="Which style do you love?",
                buttons=["Romantic", "Wild meadow", "Modern"],
                cont=["Romantic", "Wild meadow", "Modern"],
            ),
            "premium": dict(
                text="Here is our wedding lookbook with prices.",
                buttons=["Show me packages", "Book a consult"],
                cont=["Show me packages"],
                human="Book a consult",
                slug="wedding-lookbook",
            ),
            "offer": dict(
                text="Book before September 30 and get 5% off your centrepieces.",
                buttons=["Claim offer", "No thanks"],
                cont=["Claim offer"],
                decline="No thanks",
            ),
            "bundle": dict(
                text="Our Bridal Bundle: bouquet, 4 buttonholes and 2 centrepieces from $390. "
                "A deposit holds your date.",
                buttons=["Reserve my date", "Not now"],
                cont=["Reserve my date"],
                decline="Not now",
                slug="bridal-bundle-deposit",
            ),
        },
    },
    2: {
        "autumn_bouquets": {
            "hook": dict(
                text="Hi {first}! Our autumn bouquets are in. Want to see the bestselling Autumn Bundle ($79)?",
                buttons=["Show me", "Other bouquets", "Not now"],
                cont=["Show me"],
                alt="Other bouquets",
                decline="Not now",
            ),
            "bundle": dict(
                text="The Autumn Bundle: medium bouquet, soy candle and handwritten card, $79, delivered tomorrow.",
                buttons=["Reserve delivery", "Talk to a florist"],
                cont=["Reserve delivery"],
                human="Talk to a florist",
                slug="autumn-bundle",
            ),
            "discovery": dict(
                text="What is the occasion?",
                buttons=["Birthday", "Thank you", "Just because"],
                cont=["Birthday", "Thank you", "Just because"],
            ),
            "premium": dict(
                text="Our premium autumn bouquets start at $65.",
                buttons=["Reserve delivery", "Talk to a florist"],
                cont=["Reserve delivery"],
                human="Talk to a florist",
                slug="autumn-premium-bouquet",
            ),
        },
        "gift_bundle": {
            "hook": dict(
                text="Hi {first}! Looking for a gift? Our Gift Bundle (bouquet + candle + card) is "
                "$69 with free delivery this week.",
                buttons=["Show me", "Other gifts", "Not now"],
                cont=["Show me"],
                alt="Other gifts",
                decline="Not now",
            ),
            "bundle": dict(
                text="The Gift Bundle, delivered in our signature box, $69.",
                buttons=["Reserve delivery", "Talk to a florist"],
                cont=["Reserve delivery"],
                human="Talk to a florist",
                slug="gift-bundle",
            ),
            "discovery": dict(
                text="Who is it for?",
                buttons=["Partner", "Friend", "Family", "Colleague"],
                cont=["Partner", "Friend", "Family", "Colleague"],
            ),
            "premium": dict(
                text="For something special: the Luxe Gift Box.",
                buttons=["Reserve delivery", "Talk to a florist"],
                cont=["Reserve delivery"],
                human="Talk to a florist",
                slug="luxe-gift-box",
            ),
        },
        "wedding_consult": {
            "hook": dict(
                text="Congratulations {first}! Want our Bridal Bundle and a free consult with a florist?",
                buttons=["Yes please", "Just browsing"],
                cont=["Yes please"],
                decline="Just browsing",
            ),
            "bundle": dict(
                text="The Bridal Bundle: bouquet, 4 buttonholes and 2 centrepieces from $390. A "
                "deposit holds your date.",
                buttons=["Reserve my date", "Book a consult"],
                cont=["Reserve my date"],
                human="Book a consult",
                slug="bridal-bundle-deposit",
            ),
        },
    },
}
SEQUENCE = {1: ["hook", "discovery", "premium", "offer", "bundle", "checkout"], 2: ["hook", "bundle", "checkout"]}
ALT_SEQUENCE = ["hook", "discovery", "premium", "checkout"]

PROBS = {
    1: {
        "hook": dict(optout=0.02, decline=0.06),
        "discovery": dict(drop=0.08, human=0.02),
        "premium": dict(drop=0.10, human=0.05, link=0.40),
        "offer": dict(drop=0.50, decline=0.10, optout=0.02),
        "bundle": dict(drop=0.10, decline=0.04, link=0.80),
        "checkout": dict(drop=0.08),
    },
    2: {
        "hook": dict(optout=0.015, decline=0.05, alt=0.25),
        "bundle": dict(drop=0.12, optout=0.015, human=0.04, link=0.75),
        "discovery": dict(drop=0.08),
        "premium": dict(drop=0.10, human=0.05, link=0.50),
        "checkout": dict(drop=0.08),
    },
}
WEDDING_HUMAN = {(1, "premium"): 0.45, (2, "bundle"): 0.40}

TRIGGER_TEXT = {
    "comment_to_dm": [
        "Love these! How much?",
        "AUTUMN",
        "price please",
        "So pretty, do you deliver?",
        "Want!",
        "info",
        "Gorgeous colours",
        "BOUQUET",
    ],
    "story_reply": ["So pretty!", "Do you do weddings?", "Need this", "Wow", "How much is this one?"],
    "keyword": ["BOUQUET", "GIFT", "WEDDING", "bouquet", "Gift"],
    "ad": [""],
    "direct": ["Hi! Do you do wedding flowers?", "Hello, I need a gift for Friday", "Hi there"],
}
MEDIA = {
    ("comment_to_dm", "autumn_bouquets"): ["17954210000000101", "17954210000000102", "17954210000000117"],
    ("comment_to_dm", "gift_bundle"): ["17954210000000204", "17954210000000211"],
    ("comment_to_dm", "wedding_consult"): ["17954210000000306"],
    ("story_reply", "autumn_bouquets"): ["18021330000000401", "18021330000000402"],
    ("story_reply", "gift_bundle"): ["18021330000000503"],
    ("story_reply", "wedding_consult"): ["18021330000000601", "18021330000000604"],
    ("ad", "autumn_bouquets"): ["23851120000000701"],
    ("ad", "gift_bundle"): ["23851120000000802", "23851120000000803"],
    ("ad", "wedding_consult"): ["23851120000000901"],
}


def choose_flow(entry):
    table = {
        "comment_to_dm": [("autumn_bouquets", 62), ("gift_bundle", 26), ("wedding_consult", 12)],
        "story_reply": [("wedding_consult", 40), ("autumn_bouquets", 40), ("gift_bundle", 20)],
        "keyword": [("gift_bundle", 50), ("wedding_consult", 30), ("autumn_bouquets", 20)],
        "ad": [("gift_bundle", 70), ("autumn_bouquets", 30)],
        "direct": [("wedding_consult", 50), ("gift_bundle", 50)],
    }
    return pick(table[entry])


# ----------------------------------------------------------------------------- DM threads & sessions


class Thread:
    def __init__(self, tid, person):
        self.tid = tid
        self.person = person
        self.ig_user_id = "178414" + f"{IG_IDS.pop():011d}"
        self.handle_style = pick([("plain", 50), ("at", 20), ("camel", 15), ("atcamel", 15)])
        self.handle = person.handle
        self.old_handles = []
        self.last_t = None
        self.opted_out_at = None
        self.sessions = []
        self.organic = []
        self.handle_changed_at = None

    def handle_at(self, t):
        """The handle as seen at time t (two threads change handle between sessions)."""
        if self.handle_changed_at is not None and t < self.handle_changed_at:
            return self.old_handles[0]
        return self.handle


THREADS: list[Thread] = []
EVENTS: list[dict] = []  # every generated event (before ids / rendering)
SESSIONS: list[Session] = []


class Session:
    def __init__(self, idx, start, thread, entry, flow, version, hook_drop, force=None):
        self.idx = idx
        self.start = start
        self.thread = thread
        self.person = thread.person
        self.entry = entry
        self.flow = flow
        self.version = version
        self.hook_drop = hook_drop
        self.force = force
        self.events = []
        self.steps = []
        self.link_msgs = []  # event dicts of message_out with a link
        self.link_clicks = []  # event dicts of link_click
        self.lead = None  # the lead_submitted event dict
        self.handoff = False
        self.resolved_by = None
        self.opted_out = False
        self.broken = None
        self.last_t = start
        self.trigger_offset = None

    # -- event factory
    def add(self, t, etype, actor, **kw):
        if self.events and t <= self.events[-1]["t"]:
            t = self.events[-1]["t"] + timedelta(seconds=1)
        ev = dict(t=t, tid=self.thread.tid, etype=etype, actor=actor, flow=self.flow, sess=self)
        ev.update(kw)
        self.events.append(ev)
        self.last_t = t
        return ev


def decide(sess, step):
    if sess.force:
        return "cont"
    probs = dict(PROBS[sess.version][step])
    if sess.flow == "wedding_consult" and (sess.version, step) in WEDDING_HUMAN:
        probs["human"] = WEDDING_HUMAN[(sess.version, step)]
    r = rng.random()
    for outcome in ("drop", "optout", "human", "decline"):
        pr = probs.get(outcome, 0)
        if r < pr:
            return outcome
        r -= pr
    return "cont"


def read_lag(sess=None):
    if sess is not None and sess.force:
        return secs(2, 40)
    return pick([(secs(2, 60), 60), (secs(60, 900), 30), (secs(900, 10800), 10)])


def simulate(sess):
    p = sess.person
    v = sess.version
    flow = sess.flow
    t = sess.start
    media = ""
    if (sess.entry, flow) in MEDIA:
        media = rng.choice(MEDIA[(sess.entry, flow)])
    text = rng.choice(TRIGGER_TEXT[sess.entry])
    if sess.entry == "keyword":
        text = {"gift_bundle": "GIFT", "wedding_consult": "WEDDING"}.get(flow, "BOUQUET")
        if rng.random() < 0.3:
            text = text.capitalize()
    sess.add(
        t,
        "trigger",
        "contact",
        entry=sess.entry,
        media=media,
        step=rng.choice(["", "trigger"]),
        text=text,
        off=sess.trigger_offset,
    )
    # first response: a few seconds, a few slow ones
    if rng.random() < 0.035:
        t = t + secs(61, 420)
    else:
        t = t + timedelta(seconds=int(rng.triangular(2, 40, 6)))
    seq = SEQUENCE[v]
    i = 0
    last_slug = None
    while True:
        step = seq[i]
        if step == "checkout":
            checkout(sess, t, last_slug)
            return
        cfg = CONTENT[v][flow][step]
        url = product_url(cfg["slug"], flow, step) if cfg.get("slug") else ""
        if cfg.get("slug"):
            last_slug = cfg["slug"]
        msg_text = cfg["text"].format(first=p.first)
        out = sess.add(t, "message_out", "bot", step=step, text=msg_text, buttons="|".join(cfg["buttons"]), url=url)
        sess.steps.append(step)
        if url:
            sess.link_msgs.append(out)
        t = out["t"]
        if step == "hook":
            outcome = "drop" if sess.hook_drop else decide(sess, step)
        else:
            outcome = decide(sess, step)
        if outcome == "drop":
            if rng.random() < (0.45 if step == "hook" else 0.6):
                sess.add(t + read_lag(sess), "message_read", "contact")
            return
        base = t
        if rng.random() < 0.9 or sess.force:
            base = sess.add(t + read_lag(sess), "message_read", "contact")["t"]
        else:
            base = t + secs(5, 600)
        if outcome == "optout":
            tt = sess.add(base + secs(3, 120), "message_in", "contact", text=rng.choice(["STOP", "stop", "Stop"]))["t"]
            sess.add(tt + secs(1, 3), "opt_out", "contact")
            sess.opted_out = True
            sess.thread.opted_out_at = sess.last_t
            return
        if outcome == "human":
            if cfg.get("human"):
                tt = sess.add(base + secs(3, 90), "button_click", "contact", step=step, label=cfg["human"])["t"]
            else:
                tt = sess.add(
                    base + secs(10, 180),
                    "message_in",
                    "contact",
                    text=rng.choice(
                        ["Can I talk to a real person?", "Can someone call me?", "I have a question about delivery"]
                    ),
                )["t"]
            agent_part(sess, tt + secs(1, 3))
            return
        if outcome == "decline":
            tt = sess.add(base + secs(3, 90), "button_click", "contact", step=step, label=cfg["decline"])["t"]
            tt = sess.add(
                tt + secs(1, 3),
                "message_out",
                "bot",
                step=step,
                text="No problem! Happy browsing, we are here if you need us.",
            )["t"]
            sess.add(tt + secs(20, 300), "resolved", "bot")
            sess.resolved_by = "bot"
            return
        # continue
        if url and (sess.force or rng.random() < PROBS[v][step].get("link", 0)):
            click = sess.add(base + secs(5, 600), "link_click", "contact", step=step, url=url)
            sess.link_clicks.append(click)
            base = click["t"] + secs(30, 900)
        label = rng.choice(cfg["cont"])
        if step == "hook" and v == 2 and cfg.get("alt") and not sess.force and rng.random() < PROBS[2]["hook"]["alt"]:
            label = cfg["alt"]
            seq = ALT_SEQUENCE
        if step == "hook" and rng.random() < 0.06 and not sess.force:
            tt = sess.add(
                base + secs(5, 120),
                "message_in",
                "contact",
                text=rng.choice(["price?", "Do you deliver on Sundays?", "yes", "what do you have?"]),
            )["t"]
        else:
            tt = sess.add(base + secs(2, 90), "button_click", "contact", step=step, label=label)["t"]
        t = tt + secs(1, 4)
        i = seq.index(step) + 1


def checkout(sess, t, slug):
    p = sess.person
    v = sess.version
    ask = sess.add(
        t,
        "message_out",
        "bot",
        step="checkout",
        text="Great choice! Leave your email or phone number and we will hold a delivery slot for you.",
    )
    sess.steps.append("checkout")
    t = ask["t"]
    if not sess.force and rng.random() < PROBS[v]["checkout"]["drop"]:
        if rng.random() < 0.6:
            sess.add(t + read_lag(sess), "message_read", "contact")
        return
    base = sess.add(t + secs(2, 90), "message_read", "contact")["t"]
    what = "email" if sess.force else pick([("email", 55), ("both", 30), ("phone", 15)])
    email = phone = ""
    if what in ("email", "both"):
        email = messy_email(p.email, random_email_style(0.3))
    if what in ("phone", "both"):
        phone = fmt_phone(p, linkable_phone_kind(p))
    consent = "true" if (sess.force or rng.random() < 0.88) else "false"
    lead = sess.add(
        base + secs(20, 240),
        "lead_submitted",
        "contact",
        step="checkout",
        email=email,
        phone=phone,
        consent=consent,
        ctv="v2" if v == 1 else "v3",
    )
    sess.lead = lead
    url = product_url(slug or "autumn-bundle", sess.flow, "checkout")
    out = sess.add(
        lead["t"] + secs(1, 3),
        "message_out",
        "bot",
        step="checkout",
        text=f"Thank you {p.first}! Your slot is held for 2 hours. Check out here:",
        url=url,
    )
    sess.link_msgs.append(out)
    resolved_t = out["t"] + secs(60, 600)
    if sess.force or rng.random() < 0.8:
        rd = sess.add(out["t"] + secs(2, 40), "message_read", "contact")
        click = sess.add(rd["t"] + secs(3, 300), "link_click", "contact", step="checkout", url=url)
        sess.link_clicks.append(click)
        resolved_t = max(resolved_t, click["t"] + secs(5, 60))
    sess.add(resolved_t, "resolved", "bot")
    sess.resolved_by = "bot"


AGENT_QA = {
    True: [
        (
            "We are thinking June next year, around 80 guests",
            "Lovely! I will prepare a proposal and send it to you this week.",
        ),
        (
            "Can you do something in burgundy and blush?",
            "Absolutely, burgundy and blush is one of our favourite palettes.",
        ),
        ("Do you deliver to the venue?", "Yes, delivery and set-up at the venue are included."),
        ("How much is a bridal bouquet on its own?", "Bridal bouquets start at $180, I can send you examples."),
    ],
    False: [
        (
            "What would a bouquet for my mum cost?",
            "Our bouquets start at $45; for a mum I would suggest the Autumn Bundle at $79.",
        ),
        ("Is Saturday delivery possible?", "Yes, we deliver on Saturdays until 2 pm."),
        ("Can I add a vase?", "Of course, a glass vase is $15 extra."),
        ("Do you have anything without lilies? My cat...", "Yes, all our autumn bouquets are lily-free."),
    ],
}
ORGANIC_QA = [
    ("The flowers arrived, they are gorgeous!", "Thank you, that made our day!"),
    ("Do you deliver on Sundays?", "Yes, we deliver 7 days a week."),
    ("Can I change the delivery address of my order?", "Of course, send me the new address and I will update it."),
    ("Thank you so much!!", "You are welcome, enjoy your flowers!"),
    ("Are you open on Monday?", "We are open 9 to 6 on Monday."),
    ("Do you have sunflowers this week?", "We do, until Saturday!"),
]


def agent_part(sess, t):
    p = sess.person
    sess.add(t, "handoff", "bot", text="Handed over to the florist team")
    sess.handoff = True
    agent = rng.choice(AGENTS)
    delay = pick([(secs(120, 2400), 70), (secs(2400, 10800), 25), (secs(10800, 32400), 5)])
    tt = sess.add(
        t + delay,
        "message_out",
        "agent",
        agent=agent,
        text=f"Hi {p.first}, it is {AGENT_NAMES[agent]} from the studio. How can I help?",
    )["t"]
    if rng.random() < 0.85:
        tt = sess.add(tt + read_lag(), "message_read", "contact")["t"]
    if rng.random() < 0.8:
        question, answer = rng.choice(AGENT_QA[sess.flow == "wedding_consult"])
        tt = sess.add(tt + secs(30, 1800), "message_in", "contact", text=question)["t"]
        tt = sess.add(tt + secs(60, 1200), "message_out", "agent", agent=agent, text=answer)["t"]
        if rng.random() < 0.85:
            sess.add(tt + secs(300, 3600), "resolved", "agent", agent=agent)
            sess.resolved_by = "agent"


# ----------------------------------------------------------------------------- build the DM world


def build_dm():
    hour_w = [3, 3, 2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 7, 7, 7, 6, 5, 4, 3]
    plans = []
    for month, n in ((9, 150), (10, 160)):
        for _ in range(n):
            day = rng.randint(1, 30)
            hour = pick(list(enumerate(hour_w)))
            start = datetime(2026, month, day, hour, rng.randint(0, 59), rng.randint(0, 59), tzinfo=UTC)
            if start < DATA_START:
                start += timedelta(hours=2)
            plans.append(dict(start=start, force=None, offset=None, retrigger=False))
    # sessions whose trigger's local date is in the other month, and the two boundary buyers
    plans.append(
        dict(
            start=datetime(2026, 10, 1, 3, 30, tzinfo=UTC),
            force=None,
            offset="-04:00",
            retrigger=False,
            label="edge_oct_local_sep",
        )
    )
    plans.append(
        dict(
            start=datetime(2026, 9, 30, 23, 15, tzinfo=UTC),
            force=None,
            offset="+02:00",
            retrigger=False,
            label="edge_sep_local_oct",
        )
    )
    plans.append(
        dict(
            start=datetime(2026, 9, 30, 22, 20, tzinfo=UTC),
            force="buy_oct",
            offset="+05:30",
            retrigger=False,
            label="edge_sep_local_oct_buyer",
        )
    )
    plans.append(
        dict(
            start=datetime(2026, 9, 30, 17, 5, tzinfo=UTC),
            force="buy_sep",
            offset=None,
            retrigger=False,
            label="sep_buyer_order_local_oct",
        )
    )
    plans.sort(key=lambda d: d["start"])
    regular = [i for i, d in enumerate(plans) if d["force"] is None and d["offset"] is None]
    for i in rng.sample(regular, 8):
        plans[i]["retrigger"] = True
    # exact hook drop-off shares per month (planned month; the sessions the edges add are close)
    for month, share in ((9, 0.40), (10, 0.20)):
        idx = [i for i, d in enumerate(plans) if d["force"] is None and month_of(d["start"]) == month]
        for i in rng.sample(idx, round(len(idx) * share)):
            plans[i]["hook_drop"] = True
    handle_changes = 0
    for plan in plans:
        start = plan["start"]
        thread = None
        cands = []
        if plan["retrigger"]:
            cands = [
                th
                for th in THREADS
                if th.opted_out_at is None and start - timedelta(hours=20) <= th.last_t <= start - timedelta(minutes=30)
            ]
        elif plan["force"] is None and plan["offset"] is None and rng.random() < 0.17:
            cands = [th for th in THREADS if th.opted_out_at is None and th.last_t <= start - timedelta(hours=2)]
        if cands:
            thread = rng.choice(cands)
            if handle_changes < 2 and len(thread.sessions) >= 1 and rng.random() < 0.2:
                thread.old_handles.append(thread.handle)
                thread.handle = new_handle(thread.person.first, thread.person.last)
                thread.handle_changed_at = start
                handle_changes += 1
        else:
            person = make_person("dm", country="US" if plan["force"] else None, handle=True)
            if rng.random() < 0.2:
                person.pre_record = pick([("website", 75), ("import", 25)])
            thread = Thread(f"thr_{len(THREADS) + 1:04d}", person)
            person.thread = thread
            THREADS.append(thread)
        entry = pick([("comment_to_dm", 55), ("story_reply", 18), ("keyword", 12), ("ad", 10), ("direct", 5)])
        if thread.sessions and rng.random() < 0.4:
            flow = thread.sessions[-1].flow
        else:
            flow = choose_flow(entry)
        if plan["force"]:
            entry, flow = "comment_to_dm", "autumn_bouquets"
        version = 1 if start < RELAUNCH else 2
        sess = Session(
            len(SESSIONS) + 1, start, thread, entry, flow, version, plan.get("hook_drop", False), plan["force"]
        )
        sess.trigger_offset = plan["offset"]
        sess.label = plan.get("label")
        sess.retrigger = plan["retrigger"] and bool(cands)
        simulate(sess)
        thread.sessions.append(sess)
        thread.person.sessions.append(sess)
        thread.last_t = sess.last_t
        SESSIONS.append(sess)
    for s in SESSIONS:
        EVENTS.extend(s.events)


def build_organic():
    """Organic chats: no trigger, agents only (they have 7 days, the bot never writes here)."""
    n_follow = 0
    candidates = [th for th in THREADS if th.opted_out_at is None]
    rng.shuffle(candidates)
    for th in candidates:
        if n_follow >= 18:
            break
        s = th.sessions[0]
        nxt = th.sessions[1].start if len(th.sessions) > 1 else EVENT_END
        t_in = s.last_t + timedelta(hours=rng.uniform(25, 80))
        if t_in + timedelta(hours=30) >= nxt:
            continue
        agent = rng.choice(AGENTS)
        question, answer = rng.choice(ORGANIC_QA)
        evs = [dict(t=t_in, tid=th.tid, etype="message_in", actor="contact", text=question, flow="", sess=None)]
        reply = t_in + pick([(secs(300, 7200), 60), (secs(7200, 93600), 40)])
        evs.append(
            dict(t=reply, tid=th.tid, etype="message_out", actor="agent", agent=agent, text=answer, flow="", sess=None)
        )
        if rng.random() < 0.5:
            evs.append(
                dict(
                    t=reply + secs(600, 7200),
                    tid=th.tid,
                    etype="resolved",
                    actor="agent",
                    agent=agent,
                    flow="",
                    sess=None,
                )
            )
        th.organic.extend(evs)
        EVENTS.extend(evs)
        n_follow += 1
    # threads that never had an automated session
    for _k in range(12):
        person = make_person("organic", handle=True)
        th = Thread(f"thr_{len(THREADS) + 1:04d}", person)
        person.thread = th
        THREADS.append(th)
        t_in = datetime(
            2026,
            rng.choice([9, 10]),
            rng.randint(1, 28),
            rng.randint(8, 22),
            rng.randint(0, 59),
            rng.randint(0, 59),
            tzinfo=UTC,
        )
        agent = rng.choice(AGENTS)
        question, answer = rng.choice(ORGANIC_QA[1:])
        evs = [dict(t=t_in, tid=th.tid, etype="message_in", actor="contact", text=question, flow="", sess=None)]
        reply = t_in + pick([(secs(300, 7200), 50), (secs(7200, 30 * 3600), 50)])
        evs.append(
            dict(t=reply, tid=th.tid, etype="message_out", actor="agent", agent=agent, text=answer, flow="", sess=None)
        )
        if rng.random() < 0.6:
            back = reply + secs(120, 3600)
            evs.append(
                dict(
                    t=back, tid=th.tid, etype="message_in", actor="contact", text="Perfect, thanks!", flow="", sess=None
                )
            )
            evs.append(
                dict(
                    t=back + secs(60, 1800),
                    tid=th.tid,
                    etype="resolved",
                    actor="agent",
                    agent=agent,
                    flow="",
                    sess=None,
                )
            )
        th.organic.extend(evs)
        th.last_t = evs[-1]["t"]
        EVENTS.extend(evs)
    return n_follow


BROKEN = []  # (kind, message event, click event or None)


def break_links():
    """Misspelled / missing UTM parameters on a few outbound links (and their clicks)."""
    kinds = ["campain", "campain", "no_medium", "no_medium", "no_campaign"]
    pool = [
        s
        for s in SESSIONS
        if s.link_clicks
        and s.force is None
        and s.lead is not None
        and s.lead["email"]
        and s.link_clicks[-1]["t"] < ORDER_END - timedelta(days=2)
    ]
    rng.shuffle(pool)
    used = []
    for kind in kinds:
        need_click = kind in ("campain", "no_medium") and len([b for b in BROKEN if b[0] == kind]) == 0
        sess = None
        for s in pool:
            if s in used:
                continue
            sess = s
            break
        if not need_click:
            others = [s for s in SESSIONS if s.link_msgs and not s.link_clicks and s not in used and s.force is None]
            sess = rng.choice(others)
        used.append(sess)
        msg = sess.link_clicks[-1] if need_click else sess.link_msgs[-1]
        old = msg["url"]
        if kind == "campain":
            new = old.replace("utm_campaign=", "utm_campain=")
        elif kind == "no_medium":
            new = old.replace("&utm_medium=chat", "")
        else:
            new = old.replace(f"&utm_campaign={sess.flow}", "")
        target_msg = None
        for ev in sess.events:
            if ev.get("url") == old:
                ev["url"] = new
                if ev["etype"] == "message_out":
                    target_msg = ev
        click = None
        for c in sess.link_clicks:
            if c["url"] == new:
                click = c
        sess.broken = kind
        BROKEN.append((kind, target_msg, click, sess))
    # two links to our own Instagram post: they do not leave Instagram, no UTMs needed
    closers = [
        ev
        for ev in EVENTS
        if ev["etype"] == "message_out" and ev["actor"] == "bot" and ev["text"].startswith("No problem!")
    ]
    for ev in rng.sample(closers, 2):
        ev["text"] = "No problem! Our latest arrangements are on this post:"
        ev["url"] = "https://www.instagram.com/p/BloomStemAutumn26/"


# ----------------------------------------------------------------------------- orders


class Order:
    def __init__(self, t, kind, person=None, currency="USD"):
        self.t = t
        self.kind = kind
        self.person = person
        self.currency = currency
        self.off = "Z"
        self.email = ""
        self.phone = ""
        self.status = "paid"
        self.cancelled_t = None
        self.landing = ""
        self.saved = ("", "", "", "")
        self.source_name = "web"
        self.net = None  # net amount in currency (Decimal) for DM orders
        self.refund = Decimal("0.00")
        self.amounts = None  # (subtotal, discount, shipping, tax, total)
        self.session = None
        self.counted = False
        self.note = ""
        self.order_id = ""


ORDERS: list[Order] = []
NOMINAL = {"USD": Decimal("1"), "EUR": Decimal("1.165"), "GBP": Decimal("1.34")}


def decompose(total, currency):
    """subtotal - discount + shipping + tax = total, all with 2 decimals."""
    ship_opts = {
        "USD": ["0.00", "9.95", "12.50", "14.00"],
        "EUR": ["0.00", "7.90", "9.90"],
        "GBP": ["0.00", "6.95", "8.50"],
        "CHF": ["0.00", "12.00"],
    }[currency]
    ship = Decimal(rng.choice(ship_opts))
    if total - ship < Decimal("20"):
        ship = Decimal("0.00")
    base = total - ship
    if currency == "USD":
        pre = money(base / Decimal("1.08625"))
        tax = base - pre
    else:
        pre, tax = base, Decimal("0.00")
    if rng.random() < 0.25:
        subtotal = money(pre / Decimal("0.9"))
        discount = subtotal - pre
    else:
        subtotal, discount = pre, Decimal("0.00")
    assert subtotal - discount + ship + tax == total
    return subtotal, discount, ship, tax, total


def forward_amounts(currency, lo=30, hi=140):
    prices = {"USD": Decimal("1"), "EUR": Decimal("0.9"), "GBP": Decimal("0.8"), "CHF": Decimal("0.9")}[currency]
    subtotal = money(Decimal(rng.randint(lo * 100, hi * 100)) / 100 * prices)
    subtotal = money(subtotal.to_integral_value() - Decimal("0.01")) if rng.random() < 0.6 else subtotal
    discount = money(subtotal * Decimal("0.10")) if rng.random() < 0.15 else Decimal("0.00")
    ship = Decimal(
        rng.choice(
            {"USD": ["0.00", "9.95", "12.50"], "EUR": ["0.00", "7.90"], "GBP": ["0.00", "6.95"], "CHF": ["12.00"]}[
                currency
            ]
        )
    )
    tax = money((subtotal - discount) * Decimal("0.08625")) if currency == "USD" else Decimal("0.00")
    return subtotal, discount, ship, tax, subtotal - discount + ship + tax


def order_delay():
    return pick([(secs(600, 7200), 50), (secs(7200, 86400), 30), (secs(86400, 5 * 86400), 20)])


def buyer_contact(sess, order_t):
    """(email, phone) the buyer types at checkout, linkable to the session's person."""
    p = sess.person
    known_email = any(s.lead and s.lead["email"] and s.lead["t"] < order_t for s in p.sessions)
    known_phone = any(s.lead and s.lead["phone"] and s.lead["t"] < order_t for s in p.sessions)
    if known_email or p.pre_record:
        email = messy_email(p.email, random_email_style(0.35))
        phone = fmt_phone(p, linkable_phone_kind(p)) if rng.random() < 0.3 else ""
        return email, phone
    if known_phone:
        return "", fmt_phone(p, linkable_phone_kind(p))
    return None


def set_dm_utms(o, url, saved_style):
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    if saved_style == "landing_only":
        o.landing = dm_landing(url, rng.choice(["plain", "mixed", "encoded", "fbclid"]))
        o.saved = ("", "", "", "")
    else:
        src = rng.choice(["dm", "dm", "DM", " dm"]) if saved_style == "mixed" else "dm"
        med = rng.choice(["chat", "Chat", "CHAT"]) if saved_style == "mixed" else "chat"
        camp = params.get("utm_campaign", "")
        if saved_style == "mixed" and rng.random() < 0.4:
            camp = camel(camp)
        o.saved = (src, med, camp, params.get("utm_content", ""))
        o.landing = dm_landing(url, "plain") if rng.random() < 0.6 else parts.path


def plan_orders(sessions_per_month):
    targets = {m: TARGET_RPC[m] * sessions_per_month[m] for m in (9, 10)}
    used_sessions = []
    broken = {b[0]: b for b in BROKEN if b[2] is not None}

    # ---- candidates: sessions with a clean DM link click and a linkable buyer
    cands = {9: [], 10: []}
    forced = []
    for s in SESSIONS:
        if s.broken or not s.link_clicks:
            continue
        click = s.link_clicks[-1]
        if s.force == "buy_oct":
            t = datetime(2026, 10, 1, 2, 40, 0, tzinfo=UTC)
        elif s.force == "buy_sep":
            t = datetime(2026, 9, 30, 22, 35, 0, tzinfo=UTC)
        else:
            t = click["t"] + order_delay()
            if t > ORDER_END:
                t = click["t"] + secs(600, 3600)
            if t > ORDER_END:
                continue
        contact = buyer_contact(s, t)
        if contact is None:
            continue
        prio = rng.random() * (0.45 if click["step"] == "checkout" else 1.0)
        if s.person.currency != "USD":
            prio *= 0.5  # make sure EUR and GBP buyers show up among the DM orders
        item = dict(sess=s, t=t, click=click, contact=contact, prio=prio)
        if s.force:
            forced.append(item)
        else:
            cands[month_of(t)].append(item)
    for m in (9, 10):
        cands[m].sort(key=lambda d: d["prio"])
        # one EUR and one GBP buyer first in each month (several currencies among DM orders)
        for cur in ("GBP", "EUR"):
            first = next((c for c in cands[m] if c["sess"].person.currency == cur), None)
            if first is not None:
                cands[m].remove(first)
                cands[m].insert(0, first)

    def desired_net(flow, currency):
        lo, hi = {"autumn_bouquets": (36, 72), "gift_bundle": (39, 75), "wedding_consult": (90, 130)}[flow]
        usd = Decimal(rng.randint(lo * 100, hi * 100)) / 100
        if rng.random() < 0.4:
            usd = usd.to_integral_value() - Decimal("0.01")
        return money(usd / NOMINAL[currency]) if currency != "USD" else money(usd)

    def make_dm_order(item, kind="dm", currency=None):
        s = item["sess"]
        cur = currency or s.person.currency
        o = Order(item["t"], kind, s.person, cur)
        o.session = s
        o.email, o.phone = item["contact"]
        o.off = {
            "USD": rng.choice(["-04:00", "Z", "-04:00", "+00:00"]),
            "EUR": "+02:00",
            "GBP": rng.choice(["Z", "+00:00"]),
        }[cur]
        set_dm_utms(o, item["click"]["url"], pick([("clean", 45), ("mixed", 25), ("landing_only", 30)]))
        o.source_name = "web"
        used_sessions.append(s)
        return o

    remaining = dict(targets)
    month_orders = {9: [], 10: []}

    # ---- the two boundary buyers (always DM orders)
    for item in forced:
        o = make_dm_order(item)
        o.net = Decimal("79.00") if item["sess"].force == "buy_sep" else Decimal("84.50")
        o.currency = "USD"
        if item["sess"].force == "buy_oct":
            o.off = "-04:00"  # 2026-09-30T22:40:00-04:00: an October order with a September local date
            o.note = "boundary: local date 2026-09-30, UTC October"
        else:
            o.off = "+02:00"  # 2026-10-01T00:35:00+02:00: a September order with an October local date
            o.note = "boundary: local date 2026-10-01, UTC September"
        o.counted = True
        month_orders[month_of(o.t)].append(o)
        remaining[month_of(o.t)] -= o.net

    # ---- utm_unmatched DM orders
    unmatched = []
    # U1: no email, no phone; UTMs only in landing_site
    o = Order(datetime(2026, 9, 12, 19, 41, 7, tzinfo=UTC), "unmatched", None, "USD")
    o.landing = "/products/gift-bundle?utm_source=dm&utm_medium=chat&utm_campaign=gift_bundle&utm_content=bundle"
    o.net, o.off, o.counted = Decimal("69.00"), "-04:00", True
    o.note = "utm_unmatched: no email and no phone (a person of its own)"
    unmatched.append(o)
    # U2: the person's only session of that flow is 9-12 days old
    for item in cands[9] + cands[10]:
        s = item["sess"]
        if len(s.person.sessions) != 1 or s.person.currency != "USD":
            continue
        t = item["click"]["t"] + timedelta(days=rng.randint(9, 12), hours=rng.randint(1, 6))
        if t > ORDER_END or t.month != 10:
            continue
        o = make_dm_order(dict(item, t=t), kind="unmatched")
        o.net, o.counted = Decimal("58.00"), True
        o.note = f"utm_unmatched: the only {s.flow} session started {(t - s.start).days} days before the order"
        unmatched.append(o)
        for mm in (9, 10):
            cands[mm] = [c for c in cands[mm] if c["sess"] is not s]
        break
    # U3: the misspelled utm_campain link: DM source/medium, no campaign
    kind, msg, click, s = broken["campain"]
    t = click["t"] + secs(3600, 30 * 3600)
    o = Order(t, "unmatched", s.person, "USD" if s.person.currency == "USD" else s.person.currency)
    o.email = messy_email(s.person.email, "title")
    o.landing = dm_landing(click["url"], "plain")
    o.off = "Z"
    o.net, o.counted = None, True  # amount set with the other DM orders (currency may be foreign)
    o.note = "utm_unmatched: landing_site carries utm_campain (misspelled), so no utm_campaign"
    o.session = s
    used_sessions.append(s)
    unmatched.append(o)
    # U4: a forwarded link, bought by someone who never wrote to us
    guest = make_person("guest", country="US", phone=False)
    o = Order(datetime(2026, 10, 17, 15, 2, 44, tzinfo=UTC), "unmatched", guest, "USD")
    o.email = guest.email
    o.saved = ("dm", "chat", "autumn_bouquets", "bundle")
    o.landing = "/products/autumn-bundle"
    o.net, o.off, o.counted = Decimal("79.00"), "-04:00", True
    o.note = "utm_unmatched: a forwarded DM link, the buyer has no DM session"
    unmatched.append(o)
    for o in unmatched:
        if o.net is None:
            o.net = desired_net("gift_bundle" if o.session is None else o.session.flow, o.currency)
        month_orders[month_of(o.t)].append(o)
        remaining[month_of(o.t)] -= o.net * NOMINAL.get(o.currency, 1)

    # ---- matched DM orders: reserve one USD final order per month, fill greedily
    finals = {}
    leftovers = {9: [], 10: []}
    for m in (9, 10):
        pool = [c for c in cands[m] if c["sess"] not in used_sessions]
        final_item = next(c for c in pool if c["sess"].person.currency == "USD" and c["contact"][0])
        pool.remove(final_item)
        fo = make_dm_order(final_item)
        fo.currency = "USD"
        fo.counted = True
        fo.note = "final order: net amount set so that revenue / sessions is exact"
        finals[m] = fo
        n_partial = 0
        zero_refund_done = m == 9
        k = 0
        while k < len(pool):
            item = pool[k]
            k += 1
            if remaining[m] <= Decimal("90"):
                leftovers[m].extend(pool[k - 1 :])
                break
            s = item["sess"]
            if s in used_sessions:
                continue
            net = desired_net(s.flow, s.person.currency)
            approx = net * NOMINAL[s.person.currency]
            if not zero_refund_done and len(month_orders[m]) >= 4:
                o = make_dm_order(item)
                o.status, o.net, o.counted = "refunded", Decimal("0.00"), True
                o.note = "fully refunded DM order: net 0, not an order"
                month_orders[m].append(o)
                zero_refund_done = True
                continue
            if remaining[m] - approx < Decimal("35"):
                if remaining[m] - Decimal("35") < Decimal("35"):
                    leftovers[m].append(item)
                    continue
                # a smaller basket (a single bouquet) fits what is left
                net = money((remaining[m] - Decimal("50")) / NOMINAL[s.person.currency])
                approx = net * NOMINAL[s.person.currency]
            o = make_dm_order(item)
            o.net, o.counted = net, True
            if n_partial == 0 and len(month_orders[m]) >= 2:
                o.status = "partially_refunded"
                n_partial += 1
            month_orders[m].append(o)
            remaining[m] -= approx
        if remaining[m] > Decimal("90"):
            raise SystemExit(f"not enough DM buyers in month {m}: {remaining[m]} left")

    for m in (9, 10):
        leftovers[m] = [c for c in leftovers[m] if c["sess"] not in used_sessions]

    def take(m):
        return leftovers[m].pop(0) if leftovers[m] else leftovers[19 - m].pop(0)

    # ---- DM orders that never count: pending, voided, cancelled
    uncounted = []
    for status, cancelled, m in (("pending", False, 9), ("voided", False, 10), ("refunded", True, 10)):
        item = take(m)
        o = make_dm_order(item, kind="dm_uncounted")
        o.status = status
        o.net = desired_net(item["sess"].flow, o.currency)
        if cancelled:
            o.cancelled_t = o.t + secs(3600, 20 * 3600)
            o.note = "cancelled DM order (cancelled_at set): not eligible"
        else:
            o.note = f"{status} DM order: not eligible"
        o.counted = False
        uncounted.append(o)

    # ---- assisted: non-DM UTMs, a DM link click in the 7 days before
    assisted = []
    styles = [
        ("instagram", "social", "autumn_stories", ""),
        ("google", "cpc", "florist_near_me", ""),
        ("", "", "", ""),
        ("instagram", "social", "profile_link", ""),
        ("", "", "", ""),
    ]
    for n_st, st in enumerate(styles):
        item = take(9 if n_st % 2 == 0 else 10)
        s = item["sess"]
        o = Order(item["click"]["t"] + secs(3 * 3600, 4 * 86400), "assisted", s.person, s.person.currency)
        if o.t > ORDER_END:
            o.t = item["click"]["t"] + secs(1800, 7200)
        o.email, o.phone = item["contact"]
        if st[0]:
            if rng.random() < 0.5:
                o.saved = st
                o.landing = "/collections/autumn"
            else:
                o.landing = f"/collections/autumn?utm_source={st[0]}&utm_medium={st[1]}&utm_campaign={st[2]}"
        else:
            o.landing = "/"
        o.amounts = forward_amounts(o.currency, 40, 120)
        o.off = {"USD": "-04:00", "EUR": "+02:00", "GBP": "Z"}[o.currency]
        o.note = "assisted: non-DM UTMs after a DM link click"
        o.session = s
        used_sessions.append(s)
        assisted.append(o)
    # saved set (instagram) wins over a DM landing_site: not DM, assisted
    item = take(10)
    s = item["sess"]
    o = Order(item["t"], "assisted", s.person, s.person.currency)
    o.email, o.phone = item["contact"]
    o.saved = ("instagram", "social", "bio_link", "")
    o.landing = dm_landing(item["click"]["url"], "plain")
    o.amounts = forward_amounts(o.currency, 40, 120)
    o.off = "Z"
    o.note = "saved UTMs (instagram) override the DM landing_site: the sets are never mixed, not DM"
    o.session = s
    assisted.append(o)
    # the link without utm_medium: dm source but no medium, so not DM-attributed
    kind, msg, click, s = broken["no_medium"]
    o = Order(click["t"] + secs(1800, 40000), "assisted", s.person, s.person.currency)
    o.email = messy_email(s.person.email, "clean")
    o.landing = dm_landing(click["url"], "plain")
    o.amounts = forward_amounts(o.currency, 40, 120)
    o.note = "landing_site has utm_source=dm but no utm_medium: not DM-attributed (assisted)"
    o.session = s
    assisted.append(o)

    dm_all = month_orders[9] + month_orders[10] + [finals[9], finals[10]] + uncounted
    ORDERS.extend(dm_all)
    ORDERS.extend(assisted)
    return targets, finals


def build_ordinary_orders():
    """Web / POS / instagram_shop orders unrelated to DM sessions."""
    customers = [p for p in PEOPLE if p.kind in ("website", "import")]
    n_web = 0
    for _k in range(150):
        p = rng.choice(customers) if rng.random() < 0.7 else make_person("guest", phone=rng.random() < 0.4)
        day = datetime(2026, rng.choice([9, 10]), rng.randint(1, 30), tzinfo=UTC)
        t = day + timedelta(seconds=rng.randint(8 * 3600, 23 * 3600 + 3000))
        if t < DATA_START:
            t += timedelta(hours=3)
        o = Order(t, "ordinary", p, p.currency if p.currency in ("USD", "EUR", "GBP") else "USD")
        o.email = messy_email(p.email, random_email_style(0.25)) if p.email else ""
        if p.phone and rng.random() < 0.35:
            o.phone = fmt_phone(
                p, rng.choice(["paren", "dot", "intl", "dash"] if p.country == "US" else ["intl", "00", "national"])
            )
        o.amounts = forward_amounts(o.currency)
        o.status = pick(
            [("paid", 84), ("pending", 4), ("refunded", 3), ("partially_refunded", 4), ("voided", 3), ("cancel", 2)]
        )
        if o.status == "cancel":
            o.status = "refunded"
            o.cancelled_t = o.t + secs(1800, 86400)
        utm = pick([("none", 40), ("google", 22), ("instagram", 14), ("newsletter", 14), ("landing", 10)])
        path = rng.choice(
            [
                "/",
                "/collections/autumn",
                "/products/autumn-premium-bouquet",
                "/products/gift-bundle",
                "/collections/plants",
                "/products/dahlia-bunch",
                "/pages/weddings",
            ]
        )
        if utm == "google":
            o.saved = ("google", "cpc", rng.choice(["florist_near_me", "autumn_search"]), "")
            o.landing = path + "?gclid=Cj0KCQjw" + str(rng.randint(1000, 9999))
        elif utm == "instagram":
            o.saved = ("instagram", "social", rng.choice(["autumn_stories", "bio_link"]), "")
            o.landing = path
        elif utm == "newsletter":
            o.saved = ("newsletter", "email", rng.choice(["sept_newsletter", "oct_newsletter"]), "")
            o.landing = path + "?utm_source=newsletter&utm_medium=email"
        elif utm == "landing":
            o.landing = path + "?utm_source=Google&utm_medium=CPC&utm_campaign=autumn_search"
        else:
            o.landing = path
        o.source_name = pick([("web", 90), ("instagram_shop", 10)])
        if o.source_name == "instagram_shop":
            o.saved, o.landing = ("", "", "", ""), ""
        o.off = {
            "USD": pick([("-04:00", 60), ("Z", 25), ("+00:00", 15)]),
            "EUR": pick([("+02:00", 80), ("Z", 20)]),
            "GBP": pick([("Z", 50), ("+00:00", 50)]),
        }[o.currency]
        ORDERS.append(o)
        n_web += 1
    # the shop till: the hub email, walk-ins with nothing
    pos_people = [p for p in PEOPLE if p.kind == "pos_customer"]
    for k in range(34):
        day = datetime(2026, rng.choice([9, 10]), rng.randint(1, 30), tzinfo=UTC)
        t = day + timedelta(seconds=rng.randint(13 * 3600, 22 * 3600))
        o = Order(t, "ordinary", None, "USD")
        o.source_name = "pos"
        o.off = "-04:00"
        if k < 16:
            o.email = rng.choice([HUB_EMAIL, HUB_EMAIL, "Info@BloomAndStem.example", " info@bloomandstem.example"])
            o.note = "hub email typed at the till"
        elif k < 22:
            o.note = "walk-in: no email, no phone"
        else:
            p = rng.choice(pos_people)
            o.person = p
            o.phone = fmt_phone(p, rng.choice(["paren", "dot", "dash"]))
            if p.email and rng.random() < 0.5:
                o.email = p.email
        o.amounts = forward_amounts("USD", 18, 90)
        o.status = pick([("paid", 95), ("partially_refunded", 5)])
        ORDERS.append(o)
    # contract-breaking orders
    o = Order(datetime(2026, 10, 9, 18, 12, 5, tzinfo=UTC), "reject_negative", None, "USD")
    o.source_name, o.off = "pos", "-04:00"
    o.amounts = (Decimal("-25.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), Decimal("-25.00"))
    o.note = "REJECT: negative total_price (a till correction keyed as an order)"
    ORDERS.append(o)
    swiss = make_person("guest", country="CH")
    o = Order(datetime(2026, 9, 24, 9, 48, 30, tzinfo=UTC), "reject_chf", swiss, "CHF")
    o.email = swiss.email
    o.saved = ("google", "cpc", "florist_near_me", "")
    o.landing = "/products/autumn-premium-bouquet?gclid=Cj0KCQjwCHF"
    o.amounts = forward_amounts("CHF", 60, 90)
    o.off = "+02:00"
    o.note = "REJECT: currency CHF has no rate at all"
    ORDERS.append(o)


# ----------------------------------------------------------------------------- fx


def build_fx(dm_orders, other_orders):
    days = [date(2026, 9, 1) + timedelta(days=i) for i in range(61)]
    rates = {}
    for cur, level in (("EUR", 1.1642), ("GBP", 1.3417)):
        r = level
        for d in days:
            r += rng.gauss(0, 0.0032)
            r = min(max(r, level - 0.03), level + 0.03)
            rates[(cur, d)] = Decimal(f"{r:.4f}")
    # missing days: a few random ones + the days of two counted foreign DM orders (they fall back)
    missing = {("EUR", date(2026, 9, 13)): True, ("EUR", date(2026, 10, 4)): True, ("GBP", date(2026, 9, 20)): True}
    fallback_orders = {}
    for cur in ("EUR", "GBP"):
        # prefer a counted DM order; else an ordinary order of that currency
        pool = [o for o in dm_orders if o.counted and o.net and o.net > 0] + [
            o for o in other_orders if o.kind == "ordinary"
        ]
        for o in pool:
            d = o.t.astimezone(UTC).date()
            if o.currency == cur and d > date(2026, 9, 2):
                missing[(cur, d)] = True
                fallback_orders[cur] = o
                break
    for key in missing:
        rates.pop(key, None)
    bad = None
    if "GBP" in fallback_orders:
        bad = ("GBP", fallback_orders["GBP"].t.astimezone(UTC).date())
    else:
        bad = ("GBP", date(2026, 10, 25))
        rates.pop(bad, None)
    return rates, bad, fallback_orders


def effective_rate(rates, cur, d):
    while (cur, d) not in rates:
        d -= timedelta(days=1)
        if d < date(2026, 8, 1):
            return None, None
    return d, rates[(cur, d)]


# ----------------------------------------------------------------------------- CRM


class Crm:
    def __init__(self, created, person, source):
        self.created = created
        self.updated = created
        self.person = person
        self.source = source
        self.f = {c: "" for c in CRM_COLUMNS}
        self.f["opted_out"] = "false"
        self.note = ""


CRMS: list[Crm] = []


def crm_common(c, p, email_style=None, phone_kind=None, with_email=True, with_phone=True):
    c.f["first_name"] = p.first
    c.f["last_name"] = p.last if rng.random() < 0.85 else ""
    if with_email and p.email:
        c.f["email"] = messy_email(p.email, email_style or random_email_style(0.2))
    if with_phone and p.phone:
        c.f["phone"] = fmt_phone(p, phone_kind or linkable_phone_kind(p))


def build_non_dm_people():
    """Website, import and POS people (created before the orders that reference them)."""
    for _k in range(40):
        make_person("website", phone=rng.random() < 0.45, handle=rng.random() < 0.2)
    for _k in range(18):
        make_person("import", phone=rng.random() < 0.7)
    for _k in range(12):
        make_person("pos_customer", country="US", email=rng.random() < 0.4)


def build_crm(order_status_by_person):
    # ---- people who reached us through DMs (and their older website / import records)
    for th in THREADS:
        p = th.person
        if p.kind == "organic":
            if rng.random() < 0.5:
                c = Crm(th.organic[0]["t"] + secs(5, 60), p, "direct")
                c.f["first_name"] = p.first
                c.f["ig_handle"] = render_handle(th.handle, "at")
                c.f["ig_user_id"] = th.ig_user_id
                c.f["preferred_channel"] = "dm"
                c.f["lifecycle_status"] = "new"
                c.updated = th.last_t + secs(60, 600)
                CRMS.append(c)
            continue
        if p.pre_record:
            created = (
                datetime(
                    2025, rng.randint(2, 12), rng.randint(1, 28), rng.randint(9, 20), rng.randint(0, 59), tzinfo=UTC
                )
                if p.pre_record == "import" or rng.random() < 0.4
                else datetime(
                    2026, rng.randint(1, 8), rng.randint(1, 28), rng.randint(9, 20), rng.randint(0, 59), tzinfo=UTC
                )
            )
            c = Crm(created, p, p.pre_record)
            crm_common(c, p, email_style=rng.choice(["title", "upper", "clean"]), with_phone=rng.random() < 0.5)
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
                c.f["consent_at"] = fmt_ts(created + secs(0, 30), "Z")
                c.f["consent_source"] = "website_form" if p.pre_record == "website" else "import"
            c.updated = created + timedelta(days=rng.randint(0, 60))
            CRMS.append(c)
        sessions = th.sessions
        leads = [s.lead for s in sessions if s.lead]
        if not leads and rng.random() < 0.7:
            continue
        first = sessions[0]
        c = Crm(first.start + secs(2, 15), p, first.entry)
        c.f["first_name"] = p.first
        c.f["ig_handle"] = render_handle(
            th.old_handles[0] if th.old_handles else th.handle, pick([("plain", 40), ("at", 40), ("atcamel", 20)])
        )
        c.f["ig_user_id"] = th.ig_user_id
        c.f["source"] = first.entry
        c.f["campaign"] = first.flow
        c.f["utm_source"], c.f["utm_medium"], c.f["utm_campaign"] = "dm", "chat", first.flow
        c.f["preferred_channel"] = "dm"
        path_sess = next((s for s in sessions if s.lead), first)
        c.f["flow_path"] = ">".join(x for x in path_sess.steps if x != "hook") or "hook"
        c.f["product_interest"] = {
            "autumn_bouquets": "autumn bouquet",
            "gift_bundle": "gift bundle",
            "wedding_consult": "wedding flowers",
        }[first.flow]
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
        c.updated = min(max([th.last_t] + [o.t for o in p.orders]) + secs(30, 900), EVENT_END)
        CRMS.append(c)

    # ---- website / import / pos people
    for p in PEOPLE:
        if p.kind == "website":
            created = datetime(
                2026,
                rng.randint(1, 10),
                rng.randint(1, 28),
                rng.randint(8, 22),
                rng.randint(0, 59),
                rng.randint(0, 59),
                tzinfo=UTC,
            )
            if created > datetime(2026, 10, 25, tzinfo=UTC):
                created -= timedelta(days=30)
            c = Crm(created, p, "website")
            crm_common(c, p)
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
                c.f["consent_at"] = fmt_ts(created + secs(0, 20), rng.choice(["Z", "-04:00"]))
                c.f["consent_source"] = "website_form"
            c.updated = created + timedelta(days=rng.randint(0, 30), seconds=rng.randint(0, 86400))
            CRMS.append(c)
        elif p.kind == "import":
            created = datetime(2025, 1, 15, 10, 0, rng.randint(0, 59), tzinfo=UTC)
            c = Crm(created, p, "import")
            crm_common(c, p, phone_kind="national" if p.country != "US" and rng.random() < 0.5 else None)
            c.f["preferred_channel"] = rng.choice(["email", "phone", ""])
            c.f["campaign"] = "2024 customer list"
            c.f["lifecycle_status"] = "won" if rng.random() < 0.7 else "new"
            c.updated = created + timedelta(days=rng.randint(0, 400))
            CRMS.append(c)
        elif p.kind == "pos_customer":
            created = datetime(
                2026, rng.randint(3, 9), rng.randint(1, 28), rng.randint(14, 21), rng.randint(0, 59), tzinfo=UTC
            )
            c = Crm(created, p, "pos")
            crm_common(c, p, phone_kind=rng.choice(["paren", "dot", "dash"]))
            c.f["preferred_channel"] = "phone"
            c.f["lifecycle_status"] = "won"
            c.updated = created + timedelta(days=rng.randint(0, 20))
            CRMS.append(c)
    # ---- the hub: the shop's own email typed on till records
    for _k in range(8):
        created = datetime(
            2026, rng.randint(2, 10), rng.randint(1, 28), rng.randint(14, 21), rng.randint(0, 59), tzinfo=UTC
        )
        p = make_person("pos_hub", country="US", email=False, phone=rng.random() < 0.5)
        c = Crm(created, p, "pos")
        c.f["first_name"] = p.first
        c.f["email"] = rng.choice([HUB_EMAIL, "Info@BloomAndStem.example"])
        if p.phone:
            c.f["phone"] = fmt_phone(p, "paren")
        c.f["lifecycle_status"] = "won"
        c.note = "hub email"
        c.updated = created + timedelta(days=1)
        CRMS.append(c)

    # ---- persons split across records: A-B share an email, B-C share a phone
    chains = []
    for country in ("FR", "US"):
        p = make_person("chain", country=country, handle=True)
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
        CRMS.extend([a, b, c])
        chains.append((a, b, c))
        PEOPLE_CHAIN.append(p)

    # ---- consent and opt-out data errors, on single-record website people
    web = [c for c in CRMS if c.source == "website" and c.person.kind == "website"]
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

    # ---- contract-breaking CRM rows
    p = make_person("import", country="US")
    r1 = Crm(datetime(2025, 1, 15, 10, 0, 44, tzinfo=UTC), p, "import")
    crm_common(r1, p)
    r1.f["lifecycle_status"] = "new"
    r1.note = "REJECT: empty contact_id"
    r1.reject = "empty_id"
    p = make_person("website", country="UK")
    r2 = Crm(datetime(2026, 9, 21, 12, 5, 9, tzinfo=UTC), p, "website")
    crm_common(r2, p)
    r2.f["lifecycle_status"] = "vip"
    r2.note = "REJECT: unknown lifecycle_status 'vip'"
    r2.updated = r2.created + timedelta(hours=2)
    CRMS.extend([r1, r2])
    return chains


PEOPLE_CHAIN: list[Person] = []


# ----------------------------------------------------------------------------- rendering


def render_events():
    # ids in time order
    order = sorted(range(len(EVENTS)), key=lambda i: (EVENTS[i]["t"], EVENTS[i]["tid"], i))
    rows = []
    for n, i in enumerate(order):
        ev = EVENTS[i]
        th = THREAD_BY_ID[ev["tid"]]
        off = ev.get("off") or event_offset()
        lag = pick([(secs(0, 20), 70), (secs(20, 120), 22), (secs(120, 900), 8)])
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


THREAD_BY_ID: dict[str, Thread] = {}

BAD_ROWS: list[tuple[str, str, str]] = []  # (table, identifier, rule)
MESS: Counter = Counter()


def add_event_mess(rows):
    """Enum mess, duplicates, rejects and file order."""
    valid_rows = list(rows)
    # enum values with stray spaces / capitals (still valid)
    outs = [r for r in valid_rows if r["event_type"] == "message_out"]
    for r in rng.sample(outs, 6):
        r["event_type"] = rng.choice(EVENT_TYPE_MESS["message_out"])
    trig = [r for r in valid_rows if r["event_type"] == "trigger"]
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
    # duplicate deliveries
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
            rec = parse_ts(r["received_at"]) + secs(30, 2400)
            d["received_at"] = fmt_ts(rec, "Z" if off == "Z" else off)
            MESS["duplicate_later_received"] += 1
        else:
            MESS["duplicate_identical"] += 1
        extra.append(d)
    # contract-breaking rows
    n = len(rows)
    sess_with_msgs = [s for s in SESSIONS if len(s.events) > 4]
    rej = []
    for k in range(2):
        s = rng.choice(sess_with_msgs)
        ev = s.events[2]
        base = ev["row"]
        t = ev["t"] + secs(1, 20)
        r = {c: "" for c in EVENT_COLUMNS}
        r.update(
            event_id=f"evt_{n + 1 + k:06d}",
            occurred_at=fmt_ts(t, "Z"),
            received_at=fmt_ts(t + secs(1, 9), "Z"),
            thread_id=base["thread_id"],
            ig_user_id=base["ig_user_id"],
            ig_handle=base["ig_handle"],
            actor="contact",
            event_type="reaction",
            flow_name=s.flow,
            message_text="<3",
        )
        rej.append(r)
        BAD_ROWS.append(("raw_dm_events", f"event_id={r['event_id']}", "unknown event_type 'reaction'"))
    s = rng.choice(sess_with_msgs)
    ev = s.events[1]
    r = dict(ev["row"])
    r.update(
        event_id=f"evt_{n + 3:06d}",
        occurred_at="not-a-date",
        received_at=fmt_ts(ev["t"] + secs(60, 300), "Z"),
        event_type="message_read",
        actor="contact",
        flow_step="",
        message_text="",
        buttons="",
        link_url="",
        agent_id="",
    )
    rej.append(r)
    BAD_ROWS.append(("raw_dm_events", f"event_id={r['event_id']}", "occurred_at 'not-a-date' is not a timestamp"))
    s = rng.choice(sess_with_msgs)
    ev = s.events[1]
    r = dict(ev["row"])
    r.update(
        event_id="",
        occurred_at=fmt_ts(ev["t"] + secs(5, 50), "+02:00"),
        received_at=fmt_ts(ev["t"] + secs(60, 120), "+02:00"),
        event_type="message_read",
        actor="contact",
        flow_step="",
        message_text="",
        buttons="",
        link_url="",
        agent_id="",
    )
    rej.append(r)
    BAD_ROWS.append(
        (
            "raw_dm_events",
            f"event_id='' (thread_id={r['thread_id']}, received_at={r['received_at']})",
            "missing event_id",
        )
    )
    allrows = valid_rows + extra + rej
    # the export is ordered by received_at; a late back-filled batch lands at the end
    allrows.sort(key=lambda r: (parse_ts(r["received_at"]), r["event_id"]))
    late_idx = sorted(rng.sample(range(len(allrows)), 45))
    late = [allrows[i] for i in late_idx]
    late_ids = {id(r): True for r in late}
    body = [r for r in allrows if id(r) not in late_ids]
    return body + late


def render_orders():
    rows = []
    ORDERS.sort(key=lambda o: (o.t, o.kind, o.email))
    for n, o in enumerate(ORDERS):
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
            BAD_ROWS.append(("raw_orders", f"order_id={o.order_id}", o.note.replace("REJECT: ", "")))
    return rows


def render_crm():
    rows = []
    CRMS.sort(key=lambda c: (c.created, c.f["email"], c.f["ig_user_id"]))
    n = 0
    for c in CRMS:
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
            BAD_ROWS.append(("raw_crm_contacts", ident, c.note.replace("REJECT: ", "")))
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


def write_csv(name, columns, rows):
    path = SEEDS_DIR / f"{name}.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path


# ----------------------------------------------------------------------------- the models' rules (check)


def read_csv(name):
    with open(SEEDS_DIR / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def check():
    ev_rows = read_csv("raw_dm_events")
    crm_rows = read_csv("raw_crm_contacts")
    ord_rows = read_csv("raw_orders")
    fx_rows = read_csv("raw_fx_rates")
    cost_rows = read_csv("raw_automation_costs")
    for name, cols, _rows in (
        ("raw_dm_events", EVENT_COLUMNS, ev_rows),
        ("raw_crm_contacts", CRM_COLUMNS, crm_rows),
        ("raw_orders", ORDER_COLUMNS, ord_rows),
        ("raw_fx_rates", FX_COLUMNS, fx_rows),
        ("raw_automation_costs", COST_COLUMNS, cost_rows),
    ):
        with open(SEEDS_DIR / f"{name}.csv", encoding="utf-8") as fh:
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


# ----------------------------------------------------------------------------- main


def main():
    SEEDS_DIR.mkdir(parents=True, exist_ok=True)
    build_non_dm_people()
    build_dm()
    n_follow = build_organic()
    for th in THREADS:
        THREAD_BY_ID[th.tid] = th
    break_links()

    # sessions per month, by the trigger's UTC time (what the models count)
    per_month = Counter(s.start.month for s in SESSIONS)
    targets, finals = plan_orders(per_month)
    build_ordinary_orders()

    # fx, then exact amounts for the DM orders
    dm_orders = [o for o in ORDERS if o.kind in ("dm", "unmatched", "dm_uncounted")] + [finals[9], finals[10]]
    dm_orders = [o for i, o in enumerate(dm_orders) if o not in dm_orders[:i]]
    rates, bad_fx, fallback_orders = build_fx(
        [o for o in dm_orders if o not in finals.values()], [o for o in ORDERS if o not in dm_orders]
    )
    # rate rows used by counted foreign DM orders: a multiple of 0.0050, so amounts convert to whole cents
    for o in dm_orders:
        if o.currency in ("EUR", "GBP") and o.counted:
            d, r = effective_rate(rates, o.currency, o.t.astimezone(UTC).date())
            k = int(r * 10000)
            k50 = int((Decimal(k) / 50).to_integral_value(rounding=ROUND_HALF_UP)) * 50
            rates[(o.currency, d)] = Decimal(k50) / 10000
    got = {9: Decimal("0"), 10: Decimal("0")}
    for o in dm_orders:
        if o in finals.values():
            continue
        if o.currency in ("EUR", "GBP"):
            d, r = effective_rate(rates, o.currency, o.t.astimezone(UTC).date())
            k = int(r * 10000)
            step = 10000 // gcd(k, 10000)
            cents = int(o.net * 100)
            cents = max(step, (cents + step // 2) // step * step) if cents > 0 else 0
            o.net = Decimal(cents) / 100
            conv = o.net * r
            assert conv == conv.quantize(CENT), (o.net, r)
        else:
            r = Decimal("1")
        if o.status == "partially_refunded":
            o.refund = Decimal(rng.choice(["10.00", "12.50", "15.00", "20.00"]))
            total = o.net + o.refund
        elif o.status == "refunded":
            total = o.net if o.net > 0 else money(Decimal(rng.randint(5500, 9000)) / 100)
            o.refund = total
        else:
            total = o.net
        o.amounts = decompose(total, o.currency)
        if o.counted:
            got[month_of(o.t)] += (total - o.refund) * r
    for m in (9, 10):
        fo = finals[m]
        fo.net = targets[m] - got[m]
        assert fo.net == fo.net.quantize(CENT)
        fo.net = fo.net.quantize(CENT)
        if not (Decimal("20") <= fo.net <= Decimal("200")):
            raise SystemExit(f"final order of month {m} would be {fo.net}")
        fo.amounts = decompose(fo.net, "USD")

    # remember which persons bought (for CRM lifecycle)
    status_by_person = {}
    for o in ORDERS:
        if o.person is not None:
            o.person.orders.append(o)
            if o.status in ELIGIBLE and o.cancelled_t is None and not o.kind.startswith("reject"):
                status_by_person[o.person.pid] = "won"
    chains = build_crm(status_by_person)

    # ---- render and write
    ev_rows = add_event_mess(render_events())
    crm_rows = render_crm()
    ord_rows = render_orders()
    fx_rows = []
    for cur, d in sorted(rates, key=lambda k: (k[1], k[0])):
        fx_rows.append({"rate_date": d.isoformat(), "currency": cur, "rate_to_reporting": f"{rates[(cur, d)]:.4f}"})
    bad_row = {"rate_date": bad_fx[1].isoformat(), "currency": bad_fx[0], "rate_to_reporting": "-1.3391"}
    fx_rows.append(bad_row)
    fx_rows.sort(key=lambda r: (r["rate_date"], r["currency"]))
    BAD_ROWS.append(
        (
            "raw_fx_rates",
            f"rate_date={bad_row['rate_date']}, currency={bad_row['currency']}",
            "negative rate_to_reporting",
        )
    )
    cost_rows = [
        dict(
            cost_month="2026-09-01",
            cost_type="tool_subscription",
            amount="99.00",
            currency="USD",
            note="DM automation platform, Pro plan",
        ),
        dict(
            cost_month="2026-09-01",
            cost_type="setup",
            amount="1200.00",
            currency="USD",
            note="Flow build and launch (one-off)",
        ),
        dict(
            cost_month="2026-09-01",
            cost_type="agency",
            amount="450.00",
            currency="EUR",
            note="Copywriting agency (Paris): hooks and offers",
        ),
        dict(
            cost_month="2026-09-01",
            cost_type="ads",
            amount="300.00",
            currency="USD",
            note="Click-to-DM ads, autumn launch",
        ),
        dict(
            cost_month="2026-10-01",
            cost_type="Tool_Subscription",
            amount="99.00",
            currency="USD",
            note="DM automation platform, Pro plan",
        ),
        dict(
            cost_month="2026-10-01",
            cost_type="agency",
            amount="250.00",
            currency="USD",
            note="Monthly optimisation: hook rewrite, bundle moved up, offer removed",
        ),
        dict(cost_month="2026-10-01", cost_type="ads", amount="300.00", currency="USD", note="Click-to-DM ads"),
    ]
    write_csv("raw_dm_events", EVENT_COLUMNS, ev_rows)
    write_csv("raw_crm_contacts", CRM_COLUMNS, crm_rows)
    write_csv("raw_orders", ORDER_COLUMNS, ord_rows)
    write_csv("raw_fx_rates", FX_COLUMNS, fx_rows)
    write_csv("raw_automation_costs", COST_COLUMNS, cost_rows)

    # ---- check with the models' rules and print the summary
    res = check()
    ok = True
    print(f"Bloom & Stem demo data (seed {SEED})")
    print("\n== KPI targets (recomputed from the written files)")
    for m, name in ((9, "2026-09"), (10, "2026-10")):
        st = res["stats"][m]
        rev = res["revenue"][m]
        rpc = rev / st["sessions"]
        exact = rev == TARGET_RPC[m] * st["sessions"]
        ok &= exact
        print(
            f"  {name}: sessions={st['sessions']} attributed_orders={res['n_orders'][m]} "
            f"(matched {res['matched'][(m, 'matched')]}, utm_unmatched {res['matched'][(m, 'utm_unmatched')]}, "
            f"incl. zero-net) attributed_revenue={rev:.2f} revenue_per_chat={rpc:.4f} "
            f"{'EXACT' if exact else 'NOT EXACT'} (final order {finals[m].row['order_id']} net {finals[m].net})"
        )
    print("  DM-attributed eligible orders (net in USD):")
    for o in sorted(res["dm_orders"], key=lambda o: o["t"]):
        print(
            f"    {o['order_id']} {o['t']:%Y-%m-%d %H:%M}Z {o['currency']} net {o['net'].quantize(CENT)} "
            f"{'matched' if o['matched'] else 'utm_unmatched'} campaign={o['utm'].get('utm_campaign', '') or '-'}"
            f"{' (final)' if o['order_id'] in (finals[9].row['order_id'], finals[10].row['order_id']) else ''}"
        )
    print("\n== Other KPIs (sessions started in the month)")
    for m, name in ((9, "2026-09"), (10, "2026-10")):
        st = res["stats"][m]
        n, wo = st["sessions"], st["with_outbound"]
        print(
            f"  {name}: entry points "
            + ", ".join(f"{k[6:]}={v}" for k, v in sorted(st.items()) if k.startswith("entry_"))
        )
        print(
            f"           first_message_dropoff={st['first_dropoff'] / wo:.1%} open_rate={st['first_read'] / wo:.1%} "
            f"median_frt={median(res['frts'][m]):.1f}s frt<=60s={st['frt_le_60'] / wo:.1%} "
            f"slow(>60s)={wo - st['frt_le_60']}"
        )
        print(
            f"           consented lead rate={st['consented_leads'] / n:.1%} handoff={st['handoff'] / n:.1%} "
            f"self_serve={st['self_served'] / n:.1%} opt_out={st['opt_out']} link_ctr={st['link_clicks'] / st['links_sent']:.1%} "
            f"reached_offer={st['reached_offer']} ended_at_offer={st['ended_at_offer']} reached_bundle={st['reached_bundle']}"
        )
        print(f"           assisted orders={res['assisted'][m]} assisted_revenue={res['assisted_rev'][m]:.2f}")
    print("\n== Row counts")
    for k, v in res["rows"].items():
        rej = res["rejects"][k]
        print(f"  {k}: {v} rows, {rej} rejects ({rej / v:.2%})")
    print(
        f"  distinct valid event_ids={len(res['dedup'])}, threads={len(THREADS)}, persons (identity graph)={res['persons']}"
    )

    # ---- mess counters, from the files
    evr, crr, orr = res["ev_rows"], res["crm_rows"], res["ord_rows"]
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
    for s in SESSIONS:
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
    raw_by_norm = {}
    for r in crr:
        if r["email"].strip():
            raw_by_norm.setdefault(clean(r["email"]), []).append(r["email"])
    case_dups = [k for k, v in raw_by_norm.items() if len(v) > 1 and len({x: 1 for x in v}) > 1 and k != HUB_EMAIL]
    hub_count = sum(1 for r in crr if clean(r["email"]) == HUB_EMAIL) + sum(
        1 for r in orr if clean(r["customer_email"]) == HUB_EMAIL
    )
    landing_only = sum(1 for o in ORDERS if not any(o.saved) and "utm_" in o.landing.lower())
    landing_only_dm = sum(1 for o in ORDERS if not any(o.saved) and "utm_source=dm" in o.landing.lower())
    mixed_utm = sum(
        1 for r in orr for c in ("utm_source", "utm_medium", "utm_campaign") if r[c] and r[c] != r[c].strip().lower()
    ) + sum(1 for o in ORDERS if not any(o.saved) and ("DM" in o.landing or "UTM_" in o.landing or "%" in o.landing))
    cur = Counter(r["currency"] for r in orr)
    no_contact = sum(1 for r in orr if not r["customer_email"].strip() and not r["customer_phone"].strip())
    print("\n== Deliberate mess (counts from the files)")
    print(
        f"  duplicate event_id deliveries: {len(dup_groups)} ids delivered twice "
        f"({MESS['duplicate_identical']} identical, {MESS['duplicate_later_received']} with a later received_at; "
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
            for s in SESSIONS
            if s.trigger_offset
        )
    )
    for o in ORDERS:
        if o.note.startswith("boundary"):
            print(f"  month-boundary order {o.order_id} created_at {o.row['created_at']}: {o.note}")
    print(
        f"  sessions whose events are out of order in the file: {out_of_order} of {len(SESSIONS)} "
        f"(file sorted by received_at, 45 rows back-filled at the end)"
    )
    print(
        f"  re-triggers on a thread: {sum(1 for th in THREADS for s in th.sessions[1:])} "
        f"({sum(1 for s in SESSIONS if s.retrigger)} within 24 h of the previous session); handle changes: "
        f"{sum(1 for th in THREADS if th.old_handles)}; organic chats: {n_follow} follow-ups >24 h after a session, "
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
        f"  outbound links missing a UTM: {len(res['utm_miss'])} of {res['links']} "
        f"({len(res['utm_miss']) / res['links']:.1%}): "
        + ", ".join(f"{b[1]['row']['event_id'] if b[1] else '?'} ({b[0]})" for b in BROKEN)
        + "; 2 links to instagram.com (need no UTMs)"
    )
    print(
        "  currencies: "
        + ", ".join(f"{k} {v}" for k, v in sorted(cur.items()))
        + f"; orders on a day with no rate of their currency (fall back to the previous day): "
        f"{res['fallback_orders']}, e.g. "
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
        + ", ".join(f"{h[0][0]} {h[0][1]!r} on {h[1]} nodes" for h in res["hubs"])
    )
    for c in CRMS:
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
    for o in ORDERS:
        if o.kind in ("unmatched", "dm_uncounted", "assisted") or (
            o.kind == "dm" and o.status in ("refunded", "partially_refunded")
        ):
            print(
                f"    {o.order_id} {o.row['created_at']} {o.currency} total {o.row['total_price']} "
                f"refunded {o.row['refunded_amount']} [{o.row['financial_status'].strip()}] {o.note or o.kind}"
            )
    print("\n== Contract-breaking rows (rejected by the models, excluded above)")
    for table, ident, rule in BAD_ROWS:
        print(f"  {table}: {ident}: {rule}")
    print("\n== Compliance checks on the clean data")
    comp = res["compliance"]
    print(
        f"  bot message_out after an opt-out: {comp['bot_message_after_opt_out']}; bot message_out > 24 h after "
        f"the customer's last event: {comp['bot_message_outside_24h']}; agent > 7 days: {comp['agent_message_outside_7d']}"
    )
    ok &= sum(comp.values()) == 0
    for k, v in res["rows"].items():
        if k in ("raw_dm_events", "raw_crm_contacts", "raw_orders"):
            ok &= res["rejects"][k] / v < 0.01
    if not ok:
        raise SystemExit("CHECK FAILED")
    print("\nAll checks passed.")


if __name__ == "__main__":
    main()
