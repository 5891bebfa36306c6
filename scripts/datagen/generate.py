"""Vectorised generator of the five raw tables of the contract, at any size.

``python -m scripts.datagen --sessions N --out DIR`` writes ``raw_dm_events``, ``raw_crm_contacts``,
``raw_orders``, ``raw_fx_rates`` and ``raw_automation_costs`` (Parquet or CSV, every column text, in
the contract's column order) for a year of a shop that answers Instagram DMs with an automation tool.

How: numpy draws every number (one seeded ``SeedSequence``, one child stream per part). Sessions are
simulated for all sessions at once, one flow step at a time (boolean masks over the sessions still
in the flow; loops only over steps, flows, countries and days, never over sessions or events); the
sessions of a thread are placed in time with segmented cumulative sums and maxima; events get ids by
one sort. Per-event renderings (offset, handle style, received_at lag, enum mess) are hashes of the
event id, so a duplicate delivery is rendered exactly like its original. DuckDB renders the text
(the style and template tables of ``mess.py`` compiled to SQL macros, ``macros_sql``) and writes the
files with ``COPY``. Same seed and arguments: byte-identical files, whatever ``--threads``.

Proportions, measured per 1M automated sessions (``--sessions`` counts triggers; every table scales
linearly with it, fx rates and cost lines with ``--days``)
-------------------------------------------------------------------------------------------------
* raw_dm_events, ~9.5M rows: 1M automated sessions on ~630k threads (1..8 sessions a thread, 68%
  one; 4% of repeat sessions re-trigger within a day), ~50k organic-only threads (messages, no
  trigger) and organic follow-ups (a customer message 25-60 h after a session, answered by an
  agent) after ~18% of sessions; ~2.9% duplicate deliveries. By type: message_out 3.1M,
  message_read 2.1M, button_click 1.4M, trigger 1.0M, message_in 0.7M, resolved 0.5M, link_click
  0.4M, lead_submitted 0.22M, handoff 70k, opt_out 9k.
* Entry points comment_to_dm 45% > story_reply 22% > keyword 15% > ad 12% > direct 6%; eight flows
  (``FLOWS``) of 3-5 steps (hook, discovery, premium, offer, bundle, checkout). The bot answers a
  trigger in 2-40 s (3.5% in 61-420 s); every step message offers buttons (``a|b|c``); product steps
  send ``https://shop.example/products/<slug>?utm_source=dm&utm_medium=chat&utm_campaign=<flow>&
  utm_content=<step>``; ~36% drop after the first message; 12% of answers are a question the bot
  answers; checkout asks for an email and/or phone (``lead_submitted`` in 22% of sessions, consent
  true 88%, notice v1 / v2 by date), sends the checkout link (clicked 80%) and resolves. Handoffs in
  ~7% (bot ``handoff``, agent ``message_out`` 2 min - 9 h later, often resolved by the agent);
  STOP + ``opt_out`` in ~0.9%, only on a thread's last session, so no bot message ever follows one.
  Every bot message follows a customer event within minutes (24 h window); agents answer organic
  messages within 26 h (7-day window).
* raw_crm_contacts, ~315k rows: one DM record per thread with a lead (and 5% of the others: source
  = entry point, ig_user_id, handle, dm/chat/<flow> UTMs, flow_path, consent from the lead,
  opted_out from the thread), older website / import records of 8% of DM leads (same email, other
  case), ~45k website, ~18k import and ~18k POS customers, organic-thread records, split persons
  (0.08% of sessions, three records each), the hub email on 25 + N/100k records, the ``--chain``.
* raw_orders, ~80k rows: ~20k DM orders (utm dm / chat / <flow>, 10 min - 6 days after a clean link
  click of a person whose lead gave an email or phone, bought with it in a messy rendering; 25% with
  the UTMs only in ``landing_site``), of which ~5% ``utm_unmatched`` (bought 9-20 days after the
  click, or a forwarded link bought by a website customer); ~3.2k assisted web orders of DM
  clickers; web / POS / instagram_shop orders of website, import, POS and guest customers; 10 +
  N/50k POS orders with the hub email. Statuses paid 84%, pending, partially_refunded, refunded,
  voided ~4% each; 2% cancelled. USD 78% / EUR 13% / GBP 9% by the buyer's country.
* raw_fx_rates: EUR and GBP daily from 7 days before ``--start`` to 7 days after the end (740 rows a
  year), 3% of days missing, no USD rows. raw_automation_costs (32 lines a year): a monthly tool
  subscription and click-to-DM ads (scaled with the volume), a quarterly EUR agency line, a setup
  fee, a few other lines.

The mess (valid once staging cleans it, unless listed as a reject)
------------------------------------------------------------------
events: duplicate deliveries (identical copies and copies received 30-2400 s later); offsets Z,
+00:00, +02:00, -04:00, +05:30; received_at 0 s - 15 min after occurred_at; file ordered by
received_at with a back-filled batch (0.3% of rows) at the end, so not by occurred_at; handles
with ``@``, MixedCase, empty on 3% of rows, changing on ~5% of repeat threads; lead emails with
spaces and capitals, phones in national and international formats; links with ``utm_campain``,
without utm_medium or without utm_campaign in ~0.8% of the sessions with links; links to
instagram.com on 3% of decline closers; enums with stray spaces and capitals (event_type, actor,
entry_point). CRM: the same email in other cases / with spaces, phones as ``06 12 34 56 78``,
``+33 6 12 34 56 78``, ``0033612345678``, ``(415) 555-0100``, ``+1 415-555-0100`` and more; 0.1% of
phones unparseable; split persons (A-B share an email, B-C a phone, A's national FR phone matches
nothing); the hub ``info@shop.example`` (CRM records and POS orders); consent_at in the future or
before created_at, opted_out without opted_out_at, legit opt-outs (0.1% of website records each);
lifecycle / source / channel enum mess. Orders: UTMs only in landing_site with mixed-case names and
values (``UTM_Source=DM&utm_Medium=Chat``), URL-encoding, an extra parameter, ``utm_campain`` on
0.5% of DM orders; saved UTM values in mixed case; orders with no email and no phone; mixed status
case. Identifiers are unique per person (the person number ends every email and handle; phones
are a bijection of it), so only the deliberate links join records.

Rejects (contract-breaking rows; each table at most 0.8%, ~0.1-0.2% from a few thousand rows up):
events ``reaction`` (unknown event_type), ``not-a-date`` occurred_at and empty event_id (0.02% /
0.01% / 0.01%); CRM empty contact_id and lifecycle ``vip`` (0.1% each); orders with a negative
total and in CHF, a currency with no rate (0.1% each); one negative GBP rate on a day without
another GBP rate. Small tables get fewer kinds (``reject_counts``).
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from . import contract as C
from . import mess as M

DAY = 86_400
NONE = -(10**15)  # "no timestamp" in int64 columns of seconds (real ones may be negative: before --start)
SHOP = "https://shop.example"
HUB_EMAILS = [
    "info@shop.example",
    "Info@Shop.example",
    " INFO@shop.example",
    "info@shop.example ",
]

# ----------------------------------------------------------------------------- the scenario

STEPS = ["hook", "discovery", "premium", "offer", "bundle", "checkout", "trigger"]
S = {name: i for i, name in enumerate(STEPS)}
FLOWS = [
    ("spring_bouquets", ["hook", "discovery", "premium", "offer", "checkout"]),
    ("gift_bundle", ["hook", "discovery", "bundle", "checkout"]),
    ("wedding_consult", ["hook", "discovery", "premium", "checkout"]),
    ("summer_sale", ["hook", "offer", "checkout"]),
    ("new_arrivals", ["hook", "premium", "bundle", "checkout"]),
    ("plant_care", ["hook", "discovery", "checkout"]),
    ("holiday_gifts", ["hook", "bundle", "offer", "checkout"]),
    ("loyalty_club", ["hook", "offer", "checkout"]),
]
FLOW_NAMES = [f for f, _ in FLOWS]
MAX_STEPS = max(len(steps) for _, steps in FLOWS)
# rows: entry points (contract order), columns: flows
FLOW_BY_ENTRY = np.array(
    [
        [30, 18, 8, 14, 12, 6, 8, 4],  # comment_to_dm
        [24, 14, 20, 8, 14, 10, 6, 4],  # story_reply
        [10, 26, 16, 10, 6, 8, 14, 10],  # keyword
        [12, 24, 4, 28, 14, 2, 14, 2],  # ad
        [6, 16, 40, 4, 6, 16, 6, 6],  # direct
    ],
    dtype=float,
)
ENTRY_WEIGHTS = [45, 22, 15, 12, 6]
MEDIA_BASE = [
    17954210000000000,
    18021330000000000,
    -1,
    23851120000000000,
    -1,
]  # per entry point
# step -> probabilities of the outcomes after its message (the rest continues)
STEP_PROBS = {
    "hook": {"drop": 0.36, "optout": 0.012, "human": 0.02, "decline": 0.06},
    "discovery": {"drop": 0.16, "human": 0.02, "decline": 0.04},
    "premium": {"drop": 0.18, "human": 0.06, "decline": 0.04, "link": 0.55},
    "offer": {
        "drop": 0.40,
        "optout": 0.01,
        "human": 0.01,
        "decline": 0.10,
        "link": 0.40,
    },
    "bundle": {"drop": 0.16, "human": 0.04, "decline": 0.05, "link": 0.75},
    "checkout": {"drop": 0.15},
}
HUMAN_BOOST = {"wedding_consult": 4.0}
PRODUCT_STEPS = ["premium", "offer", "bundle", "checkout"]
BUTTONS = {  # (continue, talk to a human / something else, decline)
    "hook": ("Show me", "Something else", "Not now"),
    "discovery": ("For me", "Talk to us", "Just looking"),
    "premium": ("Show me more", "Talk to a florist", "Not now"),
    "offer": ("Claim offer", "Ask a question", "No thanks"),
    "bundle": ("Reserve delivery", "Talk to a florist", "Not now"),
}
STEP_TEXT = {
    "hook": "Hi {first}! Thanks for your message about our {title}. Want to see what we have?",
    "discovery": "Lovely! Is it for you or a gift?",
    "premium": "Our premium {title} start at $65, hand-tied this morning.",
    "offer": "This week only: 10% off {title} with code DM10.",
    "bundle": "Our bestseller: the {title} bundle, bouquet + candle + card, $79.",
}
AGENTS = [f"agt_{i:03d}" for i in range(1, 13)]
AGENT_NAMES = [
    "Chloe",
    "Marco",
    "Ines",
    "Sam",
    "Aiko",
    "Lena",
    "Omar",
    "Priya",
    "Tom",
    "Zoe",
    "Ivan",
    "Nia",
]
COUNTRIES = ["US", "FR", "UK", "CH"]
COUNTRY_WEIGHTS = [70, 18, 12, 0]
CURRENCIES = ["USD", "EUR", "GBP", "CHF"]
US_AREAS = [
    415,
    628,
    510,
    650,
    212,
    917,
    303,
    312,
    206,
    617,
]  # none starts with 7 (UK national forms)
PRICE_FACTOR = [1.0, 0.92, 0.80, 0.90]  # list prices per currency
FX_LEVEL = {"EUR": 1.1642, "GBP": 1.3417}
LINKABLE_WEIGHTS = {
    "US": {
        "paren": 30,
        "dot": 15,
        "intl": 15,
        "intl_dash": 10,
        "dash": 15,
        "e164": 7,
        "one": 4,
        "plain": 4,
    },
    "FR": {"intl": 55, "00": 25, "e164": 20},
    "UK": {"intl": 55, "00": 25, "e164": 20},
    "CH": {"intl": 1},
}
PHONE_KINDS = [(c, k) for c in COUNTRIES for k in M.PHONE_FORMATS[c]]
PK = {ck: i for i, ck in enumerate(PHONE_KINDS)}
EMAIL_STYLE_NAMES = list(M.EMAIL_STYLES)
HANDLE_STYLE_NAMES = list(M.HANDLE_STYLES)
EMAIL_PATTERNS = ["{f}.{l}", "{f}{l}", "{f0}.{l}", "{l}.{f}", "{f}_{l}"]
HANDLE_PATTERNS = [
    "{f}.{l}",
    "{f}{l}",
    "{f}_{l}",
    "{f}.{l0}.",
    "the.{f}.{l}",
    "{f}.shop",
    "{f}_{l}_",
]
OFFSETS = list(C.OFFSET_MINUTES)
OFF = {name: i for i, name in enumerate(OFFSETS)}
ET = {name: i for i, name in enumerate(C.EVENT_TYPES + ["reaction"])}
ACT = {name: i for i, name in enumerate(C.ACTORS)}

# every message text the generator writes, by category; a row holds an index into TEXTS
TEXTS: list[str] = []
TX: dict[str, int | list[int]] = {}


def _texts(name, values):
    TX[name] = list(range(len(TEXTS), len(TEXTS) + len(values)))
    TEXTS.extend(values)


for _f, _steps in FLOWS:
    for _s in STEPS[:5]:
        TEXTS.append(STEP_TEXT[_s].replace("{title}", _f.replace("_", " ")))
TX["step0"] = 0  # text of (flow f, step s) = f * 5 + s
_texts(
    "trigger_comment_to_dm",
    [
        "Love these! How much?",
        "price please",
        "So pretty, do you deliver?",
        "Want!",
        "info",
    ],
)
_texts(
    "trigger_story_reply",
    ["So pretty!", "Need this", "Wow", "How much is this one?", "Do you do weddings?"],
)
_texts("trigger_keyword", [f.split("_")[0].upper() for f in FLOW_NAMES])
_texts("trigger_ad", ["Hi! I saw your ad", "Tell me more"])
_texts(
    "trigger_direct",
    ["Hi! Do you do wedding flowers?", "Hello, I need a gift for Friday", "Hi there"],
)
_texts("free", ["price?", "Do you deliver on Sundays?", "yes", "what do you have?"])
_texts(
    "bot_answer",
    [
        "Good question! Delivery is free over $150.",
        "We deliver 7 days a week.",
        "Yes! Tap a button below to continue.",
    ],
)
_texts("thanks_in", ["Thank you!", "thanks!!", "Great, thank you"])
_texts(
    "human",
    [
        "Can I talk to a real person?",
        "Can someone call me?",
        "I have a question about delivery",
    ],
)
_texts("stop", ["STOP", "stop", "Stop"])
_texts(
    "question",
    [
        "Is Saturday delivery possible?",
        "Can I add a vase?",
        "Do you have anything without lilies?",
    ],
)
_texts(
    "answer",
    [
        "Yes, we deliver on Saturdays until 2 pm.",
        "Of course, a glass vase is $15 extra.",
        "Yes, all our bouquets can be made lily-free.",
    ],
)
_texts("greeting", ["Hi, it is the studio team here. How can I help?"])
_texts("handoff", ["Handed over to the team"])
_texts("closer", ["No problem! Happy browsing, we are here if you need us."])
_texts("closer_ig", ["No problem! Our latest arrangements are on this post:"])
_texts(
    "ask",
    ["Great choice! Leave your email or phone number and we will hold a delivery slot for you."],
)
_texts("thanks", ["Thank you! Your slot is held for 2 hours. Check out here:"])
_texts("reaction", ["<3"])
_texts(
    "organic_in",
    [
        "The flowers arrived, they are gorgeous!",
        "Can I change the delivery address of my order?",
        "Are you open on Monday?",
        "Do you have sunflowers this week?",
    ],
)
_texts(
    "organic_out",
    [
        "Thank you, that made our day!",
        "Of course, send me the new address.",
        "We are open 9 to 6 on Monday.",
        "We do, until Saturday!",
    ],
)
_texts("organic_thanks", ["Perfect, thanks!"])


@dataclass(frozen=True)
class Config:
    sessions: int
    out: Path
    fmt: str = "parquet"
    seed: int = 20251101
    chain: int = 0
    start: date = date(2025, 11, 1)
    days: int = 365
    parts: str | None = None
    threads: int = 2


# ----------------------------------------------------------------------------- numpy helpers


def uniform_int(rng, lo, hi, size):
    """Integers in [lo, hi] (inclusive), as int64."""
    return rng.integers(lo, hi + 1, size=size, dtype=np.int64)


def mixture(rng, size, parts):
    """Integers from a mixture of uniform ranges: parts = [(weight, lo, hi), ...] (one draw each)."""
    w = np.array([p[0] for p in parts], dtype=float)
    cw = np.cumsum(w / w.sum())
    cw[-1] = 1.0
    u = rng.random(size)
    comp = np.minimum(np.searchsorted(cw, u, side="right"), len(parts) - 1)
    below = np.concatenate([[0.0], cw[:-1]])
    within = (u - below[comp]) / (cw - below)[comp]
    lo = np.array([p[1] for p in parts], dtype=np.int64)
    span = np.array([p[2] - p[1] + 1 for p in parts], dtype=np.int64)
    return lo[comp] + np.minimum((within * span[comp]).astype(np.int64), span[comp] - 1)


def hashed_uniform(ids, salt):
    """A uniform number in [0, 1) per id (a multiply-xorshift hash of id and salt): same id, same number."""
    with np.errstate(over="ignore"):
        x = ids.astype(np.uint64)
        x *= np.uint64(0x9E3779B97F4A7C15)
        x += np.uint64((salt * 0x632BE59BD9B4E019) % (1 << 64))
        x ^= x >> np.uint64(32)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(29)
        x >>= np.uint64(40)
    out = x.astype(np.float32)
    out *= np.float32(1.0 / (1 << 24))
    return out


def hashed_choice(ids, salt, weights):
    """A weighted choice (index, int8) per id, a function of the id."""
    w = np.cumsum(np.asarray(weights, float))
    edges = (w / w[-1]).astype(np.float32)
    return np.minimum(np.searchsorted(edges, hashed_uniform(ids, salt), side="right"), len(w) - 1).astype(np.int8)


def hashed_mixture(ids, salt, parts):
    """Integers from a mixture of uniform ranges [(weight, lo, hi), ...], a function of the id."""
    comp = hashed_choice(ids, salt, [p[0] for p in parts])
    lo = np.array([p[1] for p in parts], dtype=np.int64)[comp]
    span = np.array([p[2] - p[1] + 1 for p in parts], dtype=np.int64)[comp]
    return lo + np.minimum((hashed_uniform(ids, salt + 1000) * span).astype(np.int64), span - 1)


def weighted(rng, size, weights):
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=size, p=w / w.sum()).astype(np.int8)


def read_lag(rng, size):
    return mixture(rng, size, [(60, 2, 60), (30, 60, 900), (10, 900, 10_800)])


def segment_starts(counts):
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)


def scaled(n, share, minimum=1):
    """How many rows a share of n is, at least ``minimum`` (0 when n is tiny)."""
    return max(minimum, round(n * share)) if n >= 50 else 0


def reject_counts(n, shares, budget=0.008):
    """Rows of each reject kind for a table of n rows: share x n, at least 1, all together at most
    ``budget`` x n (the project errors above 1%), dropping the last kinds first on small tables."""
    counts = [max(1, round(n * share)) for share in shares]
    cap = int(n * budget)
    while sum(counts) > cap and any(counts):
        last = max(i for i, c in enumerate(counts) if c)
        counts[last] -= 1
    return counts


class Emitter:
    """Blocks of events (one array per column); concatenated once at the end."""

    def __init__(self):
        self.blocks: list[dict[str, np.ndarray]] = []

    def add(self, index, t, et, actor, where=None, **codes):
        """Events of type et by actor for the sessions (or threads) in index, at times t.

        With a boolean mask ``where`` over index, only those rows: index, t and every code given
        at full length are masked; codes already of the masked length (or scalars) are kept."""
        index, t = np.asarray(index), np.asarray(t)
        if where is not None:
            index, t = index[where], t[where]
        n = len(index)
        if n == 0:
            return
        block = {
            "i": index,
            "t": t,
            "et": np.full(n, ET[et], np.int8),
            "actor": np.full(n, ACT[actor], np.int8),
        }
        for name, value in codes.items():
            value = np.asarray(value)
            if where is not None and value.ndim and len(value) == len(where) != n:
                value = value[where]
            block[name] = np.broadcast_to(value, (n,))
        self.blocks.append(block)

    def concat(self, dtypes):
        out = {}
        sizes = [len(b["i"]) for b in self.blocks]
        for name, dtype in dtypes.items():
            out[name] = np.concatenate(
                [
                    np.asarray(b.pop(name), dtype) if name in b else np.full(k, -1, dtype)
                    for b, k in zip(self.blocks, sizes)
                ]
            )
        self.blocks = []
        return out


# ----------------------------------------------------------------------------- people


def make_people(rng, country):
    """Name, email and handle patterns of persons of the given countries (codes into COUNTRIES)."""
    n = len(country)
    fi = np.empty(n, np.int16)
    li = np.empty(n, np.int16)
    dom = np.empty(n, np.int8)
    for c, code in enumerate(COUNTRIES):
        mask = country == c
        k = int(mask.sum())
        vocab = "US" if code == "CH" else code
        fi[mask] = FIRST_OFFSET[vocab] + rng.integers(0, len(C.FIRST[vocab]), k)
        li[mask] = LAST_OFFSET[vocab] + rng.integers(0, len(C.LAST[vocab]), k)
        dom[mask] = DOMAIN_OFFSET[code] + rng.integers(0, len(C.DOMAINS[code]), k)
    return {
        "country": country,
        "fi": fi,
        "li": li,
        "dom": dom,
        "ep": rng.integers(0, len(EMAIL_PATTERNS), n).astype(np.int8),
        "hp": rng.integers(0, len(HANDLE_PATTERNS), n).astype(np.int8),
    }


FIRST_ALL = [name for c in ("US", "FR", "UK") for name in C.FIRST[c]]
LAST_ALL = [name for c in ("US", "FR", "UK") for name in C.LAST[c]]
FIRST_OFFSET = {
    "US": 0,
    "FR": len(C.FIRST["US"]),
    "UK": len(C.FIRST["US"]) + len(C.FIRST["FR"]),
}
LAST_OFFSET = {
    "US": 0,
    "FR": len(C.LAST["US"]),
    "UK": len(C.LAST["US"]) + len(C.LAST["FR"]),
}
DOMAINS_ALL = [d for c in COUNTRIES for d in C.DOMAINS[c]]
DOMAIN_OFFSET = {}
for _c in COUNTRIES:
    DOMAIN_OFFSET[_c] = sum(len(C.DOMAINS[x]) for x in COUNTRIES[: COUNTRIES.index(_c)])


def linkable_phone_kind(rng, country):
    """A phone format (index into PHONE_KINDS) that normalises to the person's own number."""
    out = np.empty(len(country), np.int8)
    for c, code in enumerate(COUNTRIES):
        mask = country == c
        kinds = list(LINKABLE_WEIGHTS[code])
        pick = weighted(rng, int(mask.sum()), list(LINKABLE_WEIGHTS[code].values()))
        out[mask] = np.array([PK[(code, k)] for k in kinds], np.int8)[pick]
    return out


def email_style(rng, n, p_messy):
    messy = rng.random(n) < p_messy
    style = rng.integers(1, len(EMAIL_STYLE_NAMES), n).astype(np.int8)
    return np.where(messy, style, 0).astype(np.int8)


# ----------------------------------------------------------------------------- sessions


def thread_layout(rng, n_sessions):
    """Sessions per thread (1..8), summing to n_sessions exactly."""
    probs = np.array([0.68, 0.18, 0.07, 0.035, 0.018, 0.009, 0.005, 0.003])
    probs /= probs.sum()
    mean = float((np.arange(1, 9) * probs).sum())
    m = int(n_sessions / mean * 1.05) + 20
    counts = rng.choice(8, size=m, p=probs).astype(np.int64) + 1
    while counts.sum() < n_sessions:
        counts = np.concatenate([counts, rng.choice(8, size=m, p=probs).astype(np.int64) + 1])
    cs = np.cumsum(counts)
    cut = int(np.searchsorted(cs, n_sessions))
    counts = counts[: cut + 1]
    counts[-1] -= cs[cut] - n_sessions
    return counts


def simulate_sessions(rng, flow, entry, country, optout_ok):
    """Every automated session, relative to its trigger (t = 0): the events and a per-session summary."""
    n = len(flow)
    em = Emitter()
    seq = np.full((len(FLOWS), MAX_STEPS), -1, np.int8)
    for f, (_, steps) in enumerate(FLOWS):
        seq[f, : len(steps)] = [S[s] for s in steps]
    probs = {k: np.zeros((len(FLOWS), len(STEPS))) for k in ("drop", "optout", "human", "decline", "link")}
    for f, name in enumerate(FLOW_NAMES):
        for s, step in enumerate(STEPS[:6]):
            for k, v in STEP_PROBS[step].items():
                probs[k][f, s] = v * (HUMAN_BOOST.get(name, 1.0) if k == "human" else 1.0)

    summary = {
        "dur": np.zeros(n, np.int64),
        "lead_t": np.full(n, -1, np.int64),
        "lead_what": np.zeros(n, np.int8),  # 1 email, 2 phone, 3 both
        "lead_consent": np.zeros(n, np.int8),
        "lead_es": np.full(n, -1, np.int8),
        "lead_pf": np.full(n, -1, np.int8),
        "click_t": np.full(n, -1, np.int64),
        "click_step": np.full(n, -1, np.int8),
        "agent": np.full(n, -1, np.int8),
        "opt_t": np.full(n, -1, np.int64),
        "depth": np.zeros(n, np.int8),
        "has_link": np.zeros(n, np.int8),
    }
    idx = np.arange(n)
    # the trigger
    # source_media_id = MEDIA_BASE[entry] + flow * 1000 + media (one of 12 posts / stories / ads)
    media = np.where(np.array(MEDIA_BASE)[entry] > 0, rng.integers(0, 12, n), -1)
    trig_txt = np.empty(n, np.int16)
    for e, name in enumerate(C.ENTRY_POINTS):
        mask = entry == e
        options = np.array(TX[f"trigger_{name}"])
        if name == "keyword":
            trig_txt[mask] = options[flow[mask]]
        else:
            trig_txt[mask] = options[rng.integers(0, len(options), int(mask.sum()))]
    em.add(
        idx,
        np.zeros(n, np.int64),
        "trigger",
        "contact",
        entry=entry,
        media=media,
        txt=trig_txt,
        step=np.where(rng.random(n) < 0.5, S["trigger"], -1),
    )
    slow = rng.random(n) < 0.035
    t_next = np.where(
        slow,
        uniform_int(rng, 61, 420, n),
        np.rint(rng.triangular(2, 6, 40, n)).astype(np.int64),
    )
    alive = np.ones(n, bool)
    for p in range(MAX_STEPS):
        act = np.flatnonzero(alive)
        if act.size == 0:
            break
        step = seq[flow[act], p]
        summary["depth"][act] = p + 1
        chk = step == S["checkout"]
        _checkout(rng, em, act[chk], t_next[act[chk]], country, summary)
        alive[act[chk]] = False
        act, step = act[~chk], step[~chk]
        t = t_next[act]
        f = flow[act]
        is_product = np.isin(step, [S[s] for s in PRODUCT_STEPS])
        em.add(
            act,
            t,
            "message_out",
            "bot",
            step=step,
            txt=f * 5 + step,
            btn=step,
            url=np.where(is_product, 0, -1),
        )
        summary["has_link"][act[is_product]] = 1
        u = rng.random(act.size)
        edges = np.cumsum(
            [
                probs["drop"][f, step],
                probs["optout"][f, step] * optout_ok[act],
                probs["human"][f, step],
                probs["decline"][f, step],
            ],
            axis=0,
        )
        outcome = (u[None, :] >= edges).sum(axis=0)  # 0 drop, 1 optout, 2 human, 3 decline, 4 continue
        # drop: sometimes read, then silence
        d = outcome == 0
        read = d & (rng.random(act.size) < 0.5)
        t_read = t + read_lag(rng, act.size)
        em.add(act, t_read, "message_read", "contact", where=read)
        summary["dur"][act[d]] = np.where(read[d], t_read[d], t[d])
        alive[act[d]] = False
        # everyone else reads (90%) and answers
        go = ~d
        read = go & (rng.random(act.size) < 0.9)
        base = np.where(read, t_read, t + uniform_int(rng, 5, 600, act.size))
        em.add(act, base, "message_read", "contact", where=read)
        # opt-out: STOP, opt_out, nothing more on this thread
        o = outcome == 1
        t_stop = base + uniform_int(rng, 3, 120, act.size)
        t_opt = t_stop + uniform_int(rng, 1, 3, act.size)
        em.add(
            act,
            t_stop,
            "message_in",
            "contact",
            where=o,
            txt=rng.choice(TX["stop"], int(o.sum())),
        )
        em.add(act, t_opt, "opt_out", "contact", where=o)
        summary["opt_t"][act[o]] = t_opt[o]
        summary["dur"][act[o]] = t_opt[o]
        alive[act[o]] = False
        # human: a button (or a message on the hook), then the agent part
        h = outcome == 2
        hook = step == S["hook"]
        hb, hm = h & ~hook, h & hook
        t_h = np.where(
            hm,
            base + uniform_int(rng, 10, 180, act.size),
            base + uniform_int(rng, 3, 90, act.size),
        )
        em.add(
            act,
            t_h,
            "button_click",
            "contact",
            where=hb,
            step=step,
            lbl=step[hb] * 3 + 1,
        )
        em.add(
            act,
            t_h,
            "message_in",
            "contact",
            where=hm,
            txt=rng.choice(TX["human"], int(hm.sum())),
        )
        summary["dur"][act[h]] = _agent_part(rng, em, act[h], t_h[h] + uniform_int(rng, 1, 3, int(h.sum())), summary)
        alive[act[h]] = False
        # decline: the decline button, a closer (a few with a link to an Instagram post), resolved by the bot
        x = outcome == 3
        t_click = base + uniform_int(rng, 3, 90, act.size)
        t_close = t_click + uniform_int(rng, 1, 3, act.size)
        t_res = t_close + uniform_int(rng, 20, 300, act.size)
        ig = rng.random(act.size) < 0.03
        em.add(
            act,
            t_click,
            "button_click",
            "contact",
            where=x,
            step=step,
            lbl=step[x] * 3 + 2,
        )
        em.add(
            act,
            t_close,
            "message_out",
            "bot",
            where=x,
            step=step,
            txt=np.where(ig[x], TX["closer_ig"][0], TX["closer"][0]),
            url=np.where(ig[x], 4, -1),
        )
        em.add(act, t_res, "resolved", "bot", where=x)
        summary["dur"][act[x]] = _thanks(rng, em, act[x], t_res[x])
        alive[act[x]] = False
        # continue: maybe the link, then a button (or a free message on the hook), then the next step
        c = outcome == 4
        lk = c & is_product & (rng.random(act.size) < probs["link"][f, step])
        t_link = base + uniform_int(rng, 5, 600, act.size)
        em.add(act, t_link, "link_click", "contact", where=lk, step=step, url=0)
        summary["click_t"][act[lk]] = t_link[lk]
        summary["click_step"][act[lk]] = step[lk]
        base = np.where(lk, t_link + uniform_int(rng, 30, 900, act.size), base)
        # a question first (12%): the bot answers it, then the customer taps the button
        free = c & (rng.random(act.size) < 0.12)
        t_q = base + uniform_int(rng, 5, 120, act.size)
        t_bot = t_q + uniform_int(rng, 2, 8, act.size)
        em.add(
            act,
            t_q,
            "message_in",
            "contact",
            where=free,
            txt=rng.choice(TX["free"], int(free.sum())),
        )
        em.add(
            act,
            t_bot,
            "message_out",
            "bot",
            where=free,
            step=step,
            txt=rng.choice(TX["bot_answer"], int(free.sum())),
        )
        seen = free & (rng.random(act.size) < 0.8)
        t_seen = t_bot + uniform_int(rng, 2, 40, act.size)
        em.add(act, t_seen, "message_read", "contact", where=seen)
        base = np.where(
            free,
            np.where(seen, t_seen, t_bot) + uniform_int(rng, 3, 60, act.size),
            base,
        )
        t_ans = base + uniform_int(rng, 2, 90, act.size)
        em.add(act, t_ans, "button_click", "contact", where=c, step=step, lbl=step[c] * 3)
        t_next[act[c]] = t_ans[c] + uniform_int(rng, 1, 4, int(c.sum()))
    return em, summary


def _checkout(rng, em, act, t, country, summary):
    """Checkout: ask, lead (email and/or phone, consent), the checkout link, click, resolved by the bot."""
    n = act.size
    if n == 0:
        return
    em.add(act, t, "message_out", "bot", step=S["checkout"], txt=TX["ask"][0])
    drop = rng.random(n) < STEP_PROBS["checkout"]["drop"]
    read = drop & (rng.random(n) < 0.6)
    t_read = t + read_lag(rng, n)
    em.add(act, t_read, "message_read", "contact", where=read)
    summary["dur"][act[drop]] = np.where(read[drop], t_read[drop], t[drop])
    go = ~drop
    a, t = act[go], t[go]
    n = a.size
    t_read = t + uniform_int(rng, 2, 90, n)
    em.add(a, t_read, "message_read", "contact")
    what = weighted(rng, n, [0, 55, 15, 30])  # 1 email, 2 phone, 3 both
    es = np.where(what != 2, email_style(rng, n, 0.30), -1).astype(np.int8)
    pf = np.where(what >= 2, linkable_phone_kind(rng, country[a]), -1).astype(np.int8)
    consent = (rng.random(n) < 0.88).astype(np.int8)
    t_lead = t_read + uniform_int(rng, 20, 240, n)
    em.add(
        a,
        t_lead,
        "lead_submitted",
        "contact",
        step=S["checkout"],
        es=es,
        pf=pf,
        consent=consent,
    )
    t_out = t_lead + uniform_int(rng, 1, 3, n)
    em.add(a, t_out, "message_out", "bot", step=S["checkout"], txt=TX["thanks"][0], url=0)
    clicked = rng.random(n) < 0.8
    t_r2 = t_out + uniform_int(rng, 2, 40, n)
    t_click = t_r2 + uniform_int(rng, 3, 300, n)
    em.add(a, t_r2, "message_read", "contact", where=clicked)
    em.add(a, t_click, "link_click", "contact", where=clicked, step=S["checkout"], url=0)
    t_res = np.maximum(
        t_out + uniform_int(rng, 60, 600, n),
        np.where(clicked, t_click + uniform_int(rng, 5, 60, n), 0),
    )
    em.add(a, t_res, "resolved", "bot")
    t_res = _thanks(rng, em, a, t_res)
    summary["lead_t"][a] = t_lead
    summary["lead_what"][a] = what
    summary["lead_consent"][a] = consent
    summary["lead_es"][a] = es
    summary["lead_pf"][a] = pf
    summary["click_t"][a[clicked]] = t_click[clicked]
    summary["click_step"][a[clicked]] = S["checkout"]
    summary["has_link"][a] = 1
    summary["dur"][a] = t_res


def _thanks(rng, em, act, t):
    """A quarter of the customers say thank you after the bot closed the conversation."""
    yes = rng.random(act.size) < 0.25
    t_in = t + uniform_int(rng, 10, 600, act.size)
    em.add(
        act,
        t_in,
        "message_in",
        "contact",
        where=yes,
        txt=rng.choice(TX["thanks_in"], int(yes.sum())),
    )
    return np.where(yes, t_in, t)


def _agent_part(rng, em, act, t, summary):
    """Handoff: the bot hands over, an agent answers minutes to hours later, maybe resolves."""
    n = act.size
    em.add(act, t, "handoff", "bot", txt=TX["handoff"][0])
    agent = rng.integers(0, len(AGENTS), n).astype(np.int8)
    summary["agent"][act] = agent
    t_hi = t + mixture(rng, n, [(70, 120, 2400), (25, 2400, 10_800), (5, 10_800, 32_400)])
    em.add(act, t_hi, "message_out", "agent", agent=agent, txt=TX["greeting"][0])
    last = t_hi.copy()
    read = rng.random(n) < 0.85
    t_read = t_hi + read_lag(rng, n)
    em.add(act, t_read, "message_read", "contact", where=read)
    last = np.where(read, t_read, last)
    qa = rng.random(n) < 0.8
    k = rng.integers(0, len(TX["question"]), n)
    t_q = last + uniform_int(rng, 30, 1800, n)
    t_a = t_q + uniform_int(rng, 60, 1200, n)
    em.add(act, t_q, "message_in", "contact", where=qa, txt=np.array(TX["question"])[k[qa]])
    em.add(
        act,
        t_a,
        "message_out",
        "agent",
        where=qa,
        agent=agent,
        txt=np.array(TX["answer"])[k[qa]],
    )
    last = np.where(qa, t_a, last)
    qa2 = qa & (rng.random(n) < 0.5)  # a second question
    k2 = rng.integers(0, len(TX["question"]), n)
    t_q2 = last + uniform_int(rng, 60, 3600, n)
    t_a2 = t_q2 + uniform_int(rng, 60, 1800, n)
    em.add(
        act,
        t_q2,
        "message_in",
        "contact",
        where=qa2,
        txt=np.array(TX["question"])[k2[qa2]],
    )
    em.add(
        act,
        t_a2,
        "message_out",
        "agent",
        where=qa2,
        agent=agent,
        txt=np.array(TX["answer"])[k2[qa2]],
    )
    last = np.where(qa2, t_a2, last)
    res = qa & (rng.random(n) < 0.85)
    t_res = last + uniform_int(rng, 300, 3600, n)
    em.add(act, t_res, "resolved", "agent", where=res, agent=agent)
    return np.where(res, t_res, last)


def day_weights(cfg):
    """Relative volume per day: weekly rhythm, a summer lull, a holiday peak."""
    days = np.arange(cfg.days)
    dates = np.array([cfg.start + timedelta(days=int(d)) for d in days])
    weekday = np.array([d.weekday() for d in dates])
    doy = np.array([d.timetuple().tm_yday for d in dates])
    w = 1.0 + 0.15 * (weekday >= 5) + 0.25 * np.cos((doy - 15) / 365.25 * 2 * np.pi)
    w += 0.8 * np.exp(-(((doy - 350) % 365) ** 2) / 200.0)
    return w / w.sum()


HOUR_WEIGHTS = np.array([3, 2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 7, 7, 8, 8, 7, 6, 5, 4], float)


def random_times(rng, cfg, n, dw):
    """n times (seconds from the start) spread like the shop's traffic."""
    day = rng.choice(cfg.days, size=n, p=dw).astype(np.int64)
    hour = rng.choice(24, size=n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum()).astype(np.int64)
    return day * DAY + hour * 3600 + rng.integers(0, 3600, n)


# ----------------------------------------------------------------------------- the world


def build(cfg):
    """Every table as numpy columns (codes and seconds from the start), plus counts for the summary."""
    seeds = np.random.SeedSequence(cfg.seed).spawn(8)
    r_threads, r_sim, r_org, r_ev, r_crm, r_ord, r_fx, r_people = (np.random.default_rng(s) for s in seeds)
    n = cfg.sessions
    dw = day_weights(cfg)

    # ---- threads and their persons (person index = thread index for DM threads)
    counts = thread_layout(r_threads, n)
    n_auto = len(counts)
    n_org = scaled(n_auto, 0.08)
    thread_of = np.repeat(np.arange(n_auto, dtype=np.int64), counts)
    first = segment_starts(counts)
    pos = np.arange(n) - first[thread_of]
    is_last = pos == counts[thread_of] - 1

    # ---- other persons: website, import, POS, guests, split persons, hub records, the chain
    sizes = {
        "website": scaled(n, 0.045),
        "import": scaled(n, 0.018),
        "pos": scaled(n, 0.018),
        "guest": scaled(n, 0.006),
        "split": scaled(n, 0.0008),
        "hub": 25 + n // 100_000,
    }
    offsets, p = {}, n_auto + n_org
    for k, v in sizes.items():
        offsets[k] = p
        p += v
    n_people = p + (1 if cfg.chain else 0)
    country = weighted(r_people, n_people, COUNTRY_WEIGHTS)
    country[offsets["pos"] : offsets["pos"] + sizes["pos"]] = 0  # the till: US customers
    country[offsets["hub"] : offsets["hub"] + sizes["hub"]] = 0
    half = sizes["split"] // 2
    country[offsets["split"] : offsets["split"] + half] = 1  # FR: the 06 12 34 56 78 person A
    country[offsets["split"] + half : offsets["split"] + sizes["split"]] = 0
    people = make_people(r_people, country)

    # ---- sessions: entry point, flow, outcome
    entry = weighted(r_sim, n, ENTRY_WEIGHTS)
    flow = np.empty(n, np.int8)
    for e in range(len(C.ENTRY_POINTS)):
        mask = entry == e
        flow[mask] = weighted(r_sim, int(mask.sum()), FLOW_BY_ENTRY[e])
    sess_country = people["country"][thread_of]
    em, sm = simulate_sessions(r_sim, flow, entry, sess_country, is_last.astype(float))

    # ---- session start times: sorted anchors per thread, pushed after the previous session
    anchor = random_times(r_threads, cfg, n, dw)
    anchor = anchor[np.lexsort((anchor, thread_of))]
    retrigger = (pos > 0) & (r_threads.random(n) < 0.04)
    gap = np.where(
        retrigger,
        uniform_int(r_threads, 1800, 72_000, n),
        uniform_int(r_threads, 7200, 172_800, n),
    )
    anchor = np.where(retrigger, -(10**9), anchor)
    step_len = sm["dur"] + np.where(is_last, 0, np.roll(gap, -1))
    excl = np.cumsum(step_len) - step_len
    cum = excl - excl[first[thread_of]]
    span = 4 * 10**9
    val = anchor - cum + thread_of * span
    start = cum + np.maximum.accumulate(val) - thread_of * span
    end = start + sm["dur"]

    # ---- automated events: absolute times, thread, flow, broken links
    ev = em.concat(EV_DTYPES)
    sess = ev.pop("i")
    ev["t"] = ev["t"] + start[sess]
    ev["thr"] = thread_of[sess].astype(np.int32)
    ev["flow"] = flow[sess]
    broken = np.zeros(n, np.int8)
    u = r_ev.random(n)
    broken[(sm["has_link"] == 1) & (u < 0.004)] = 1  # utm_campain
    broken[(sm["has_link"] == 1) & (u >= 0.004) & (u < 0.0065)] = 2  # no utm_medium
    broken[(sm["has_link"] == 1) & (u >= 0.0065) & (u < 0.008)] = 3  # no utm_campaign
    ev["url"] = np.where((ev["url"] == 0) & (broken[sess] > 0), broken[sess], ev["url"]).astype(np.int8)
    del sess

    # ---- handle changes (5% of repeat threads, at the start of a later session)
    change_at = np.full(n_auto + n_org, np.iinfo(np.int64).max, np.int64)
    cand = np.flatnonzero((pos > 0) & (r_threads.random(n) < 0.05 / np.maximum(counts[thread_of] - 1, 1)))
    change_at[thread_of[cand]] = start[cand]

    # ---- organic events: follow-ups after sessions, and threads without any trigger
    next_start = np.where(is_last, cfg.days * DAY + 30 * DAY, np.roll(start, -1))
    opted = np.zeros(n_auto + n_org, bool)
    opted[thread_of[sm["opt_t"] >= 0]] = True
    org = Emitter()
    cand = (next_start - end > 100 * 3600) & ~opted[thread_of] & (r_org.random(n) < 0.18)
    cand &= end + 100 * 3600 < cfg.days * DAY
    idx = np.flatnonzero(cand)
    k = idx.size
    t_in = end[idx] + uniform_int(r_org, 25 * 3600, 60 * 3600, k)
    _organic_exchange(r_org, org, thread_of[idx], t_in)
    org_thr = np.arange(n_auto, n_auto + n_org)
    t_in = random_times(r_org, cfg, n_org, dw)
    _organic_exchange(r_org, org, org_thr, t_in)
    oe = org.concat(EV_DTYPES)
    oe["thr"] = oe.pop("i").astype(np.int32)
    oe["flow"] = np.full(len(oe["t"]), -1, np.int8)
    ev = {k: np.concatenate([ev[k], oe[k]]) for k in ev}
    del oe

    # ---- event ids in time order (one sort key: time, then thread)
    ne = len(ev["t"])
    shift = int(n_auto + n_org).bit_length()
    order = np.argsort(((ev["t"] - ev["t"].min()) << shift) | ev["thr"].astype(np.int64))
    ev["eid"] = np.empty(ne, np.int64)
    ev["eid"][order] = np.arange(1, ne + 1, dtype=np.int64)
    del order
    # received_at lag and the per-event renderings are functions of the event id, so a duplicate
    # delivery is rendered exactly like its original
    ev["lag"] = hashed_mixture(ev["eid"], 1, [(70, 0, 20), (22, 20, 120), (8, 120, 900)]).astype(np.int32)
    ev["bad"] = np.zeros(ne, np.int8)

    # ---- duplicate deliveries (identical, or received later) and contract-breaking rows
    dup = np.flatnonzero(r_ev.random(ne) < 0.03)
    later = r_ev.random(dup.size) < 0.5
    extra = {k: v[dup] for k, v in ev.items()}
    extra["lag"] = np.where(later, extra["lag"] + uniform_int(r_ev, 30, 2400, dup.size), extra["lag"]).astype(np.int32)
    rejects = _event_rejects(r_ev, ev, ne)
    ev = {k: np.concatenate([ev[k], extra[k], rejects[k]]) for k in ev}
    del extra, rejects
    # ---- file order: by received_at, a back-filled batch at the end
    rec = ev["t"] + ev["lag"]
    shift = int(ne + len(dup) + 1).bit_length()
    order = np.argsort(((rec - rec.min()) << shift) | ev["eid"])
    del rec
    late = r_ev.random(order.size) < 0.003
    order = np.concatenate([order[~late], order[late]])
    ev = {k: v[order] for k, v in ev.items()}
    del order

    # ---- per-event identity columns (from the thread's person), offsets, handle styles, enum mess
    thr = ev["thr"]
    for key in ("fi", "li", "ep", "dom"):
        ev[key] = people[key][thr]
    ev["cty"] = people["country"][thr]
    hp2 = (people["hp"] + 1 + r_threads.integers(0, len(HANDLE_PATTERNS) - 1, n_people)) % len(HANDLE_PATTERNS)
    ev["hp"] = np.where(ev["t"] >= change_at[thr], hp2[thr], people["hp"][thr]).astype(np.int8)
    thread_style = weighted(r_threads, n_auto + n_org, [50, 20, 15, 15])
    eid = ev["eid"]
    style = np.where(
        hashed_uniform(eid, 2) < 0.9,
        thread_style[thr],
        hashed_choice(eid, 3, [1, 1, 1, 1]),
    )
    ev["hs"] = np.where(hashed_uniform(eid, 4) < 0.03, -1, style).astype(np.int8)
    del style
    ev["off"] = hashed_choice(eid, 5, [45, 15, 15, 15, 10])
    u = hashed_uniform(eid, 6)
    valid = (ev["bad"] == 0) & (ev["et"] != ET["reaction"])
    mess_kind = np.zeros(len(eid), np.int8)
    mess_kind[valid & ((ev["et"] == ET["message_out"]) | (ev["et"] == ET["trigger"])) & (u < 0.002)] = 1
    mess_kind[valid & (ev["et"] == ET["trigger"]) & (u >= 0.002) & (u < 0.007)] = 2
    mess_kind[valid & (ev["actor"] != ACT["agent"]) & (u >= 0.007) & (u < 0.008)] = 3
    ev["em"] = mess_kind
    del u, valid, eid, thr

    world = {
        "cfg": cfg,
        "events": ev,
        "people": people,
        "n_auto": n_auto,
        "n_org": n_org,
        "offsets": offsets,
        "sizes": sizes,
        "duplicates": int(dup.size),
    }
    sessions = {
        "thread": thread_of,
        "flow": flow,
        "entry": entry,
        "start": start,
        "end": end,
        "pos": pos,
        "is_last": is_last,
        **sm,
    }
    world["orders"], won = _orders(r_ord, cfg, sessions, people, offsets, sizes, dw, broken)
    world["crm"] = _crm(
        r_crm,
        cfg,
        sessions,
        people,
        offsets,
        sizes,
        n_auto,
        n_org,
        opted,
        won,
    )
    world["fx"], world["costs"] = _finance(r_fx, cfg)
    return world


EV_DTYPES = {
    "i": np.int64,
    "t": np.int64,
    "et": np.int8,
    "actor": np.int8,
    "agent": np.int8,
    "entry": np.int8,
    "media": np.int8,
    "step": np.int8,
    "txt": np.int16,
    "btn": np.int8,
    "lbl": np.int8,
    "url": np.int8,
    "es": np.int8,
    "pf": np.int8,
    "consent": np.int8,
}


def _organic_exchange(rng, em, thr, t_in):
    """A customer message outside any automated session, answered by an agent (who may close it)."""
    k = thr.size
    q = rng.integers(0, len(TX["organic_in"]), k)
    em.add(thr, t_in, "message_in", "contact", txt=np.array(TX["organic_in"])[q])
    agent = rng.integers(0, len(AGENTS), k).astype(np.int8)
    t_out = t_in + mixture(rng, k, [(60, 300, 7200), (40, 7200, 93_600)])
    em.add(
        thr,
        t_out,
        "message_out",
        "agent",
        agent=agent,
        txt=np.array(TX["organic_out"])[q],
    )
    back = rng.random(k) < 0.4
    t_back = t_out + uniform_int(rng, 120, 3600, k)
    em.add(thr, t_back, "message_in", "contact", where=back, txt=TX["organic_thanks"][0])
    res = rng.random(k) < 0.6
    t_res = np.where(back, t_back, t_out) + uniform_int(rng, 60, 1800, k)
    em.add(thr, t_res, "resolved", "agent", where=res, agent=agent)


def _event_rejects(rng, ev, ne):
    """Contract-breaking copies of real events: ``reaction``, ``not-a-date`` occurred_at, empty event_id."""
    contact = np.flatnonzero((ev["actor"] == ACT["contact"]) & (ev["et"] != ET["trigger"]))
    n_reaction, n_bad_ts, n_no_id = reject_counts(ne, [0.0002, 0.0001, 0.0001])
    total = n_reaction + n_bad_ts + n_no_id
    if total == 0 or contact.size == 0:
        return {k: v[:0] for k, v in ev.items()}
    src = contact[rng.integers(0, contact.size, total)]
    out = {k: v[src].copy() for k, v in ev.items()}
    out["t"] = out["t"] + uniform_int(rng, 1, 20, total)
    out["eid"] = np.arange(ne + 1, ne + 1 + total, dtype=np.int64)
    for name in (
        "step",
        "btn",
        "lbl",
        "url",
        "es",
        "pf",
        "consent",
        "entry",
        "agent",
        "txt",
    ):
        out[name][:] = -1
    out["media"][:] = -1
    out["et"][:n_reaction] = ET["reaction"]
    out["txt"][:n_reaction] = TX["reaction"][0]
    out["et"][n_reaction:] = ET["message_read"]
    out["bad"][n_reaction : n_reaction + n_bad_ts] = 1
    out["bad"][n_reaction + n_bad_ts :] = 2  # rendered with an empty event_id
    return out


# ----------------------------------------------------------------------------- orders

ORDER_KINDS = [
    "dm",
    "dm_late",
    "dm_forwarded",
    "assisted",
    "web",
    "pos",
    "hub",
    "guest",
    "reject_negative",
    "reject_chf",
    "instagram_shop",
]
OK_ = {name: i for i, name in enumerate(ORDER_KINDS)}
LANDINGS = [
    "/",
    "dm_plain",
    "dm_path",
    "dm_mixed",
    "dm_encoded",
    "dm_fbclid",
    "dm_campain",
    "google",
    "newsletter",
]
LD = {name: i for i, name in enumerate(LANDINGS)}
SAVED = ["dm", "dm_mixed", "google", "instagram", "newsletter"]
SV = {name: i for i, name in enumerate(SAVED)}
SOURCE_NAMES = ["web", "pos", "instagram_shop"]
FLOW_PRICE = [55, 69, 150, 39, 62, 35, 79, 45]  # USD list price of each flow's product


def _amounts(rng, n, base_usd, currency):
    """subtotal - discount + shipping + tax = total, in cents of ``currency``."""
    factor = np.array(PRICE_FACTOR)[currency]
    items = np.where(rng.random(n) < 0.88, 1, uniform_int(rng, 2, 3, n))
    sub = np.rint(base_usd * factor * items * (0.85 + 0.3 * rng.random(n)) * 100).astype(np.int64)
    sub = np.where(rng.random(n) < 0.6, (sub // 100) * 100 - 1, sub)
    disc = np.where(rng.random(n) < 0.15, np.rint(sub * 0.10).astype(np.int64), 0)
    ship_opts = np.array([0, 995, 1250])
    ship = np.where(sub >= 15000, 0, ship_opts[rng.integers(0, 3, n)])
    tax = np.where(currency == 0, np.rint((sub - disc) * 0.08625).astype(np.int64), 0)
    total = sub - disc + ship + tax
    return sub, disc, ship, tax, total


def _orders(rng, cfg, s, people, offsets, sizes, dw, broken):
    n = len(s["flow"])
    t_click_abs = s["start"] + s["click_t"]
    # a buyer must be identifiable: a lead with email or phone on the thread at or before the click
    lead_abs = np.where(s["lead_t"] >= 0, s["start"] + s["lead_t"], np.iinfo(np.int64).max)
    has_contact = (s["lead_what"] > 0) & (lead_abs <= np.where(s["click_t"] >= 0, t_click_abs, -1))
    # earlier sessions of the thread count as well: segmented running max of "a lead so far"
    known = has_contact.astype(np.int64)
    what = np.where(has_contact, s["lead_what"], 0).astype(np.int64)
    seg = s["thread"] * 4
    known_run = np.maximum.accumulate(np.where(known > 0, seg + what, seg)) - seg
    known_run = np.where(known_run > 0, known_run, 0)
    clickers = (s["click_t"] >= 0) & (known_run > 0) & (broken == 0)
    p_buy = np.where(s["click_step"] == S["checkout"], 0.11, 0.05)
    buy = clickers & (rng.random(n) < p_buy)
    b = np.flatnonzero(buy)
    k = b.size
    late = rng.random(k) < 0.03
    delay = np.where(
        late,
        uniform_int(rng, 9 * DAY, 20 * DAY, k),
        mixture(rng, k, [(50, 600, 7200), (30, 7200, DAY), (20, DAY, 6 * DAY)]),
    )
    cols = {
        "kind": np.where(late, OK_["dm_late"], OK_["dm"]).astype(np.int8),
        "pid": s["thread"][b],
        "t": t_click_abs[b] + delay,
        "flow": s["flow"][b].astype(np.int8),
        "ustep": s["click_step"][b].astype(np.int8),
    }
    kw = known_run[b]  # 1 email, 2 phone, 3 both
    country = people["country"][cols["pid"]]
    cols["es"] = np.where(kw != 2, email_style(rng, k, 0.35), -1).astype(np.int8)
    cols["pf"] = np.where(
        (kw == 2) | ((kw == 3) & (rng.random(k) < 0.3)),
        linkable_phone_kind(rng, country),
        -1,
    )
    style = weighted(rng, k, [55, 20, 25])  # saved clean, saved mixed, landing only
    landing_only = weighted(rng, k, [20, 50, 15, 15])  # plain, mixed, encoded, fbclid
    lo_land = np.array([LD["dm_plain"], LD["dm_mixed"], LD["dm_encoded"], LD["dm_fbclid"]])[landing_only]
    campain = rng.random(k) < 0.005
    lo_land = np.where(campain, LD["dm_campain"], lo_land)
    style = np.where(campain, 2, style)
    cols["saved"] = np.where(style == 0, SV["dm"], np.where(style == 1, SV["dm_mixed"], -1)).astype(np.int8)
    cols["landing"] = np.where(
        style == 2,
        lo_land,
        np.where(rng.random(k) < 0.6, LD["dm_plain"], LD["dm_path"]),
    ).astype(np.int8)
    dm = cols
    # assisted: DM clickers who buy on the web without DM UTMs a few days later
    a = np.flatnonzero(clickers & ~buy & (rng.random(n) < 0.02))
    ka = a.size
    assisted = {
        "kind": np.full(ka, OK_["assisted"], np.int8),
        "pid": s["thread"][a],
        "t": t_click_abs[a] + uniform_int(rng, 3600, 5 * DAY, ka),
        "flow": s["flow"][a].astype(np.int8),
        "ustep": np.full(ka, -1, np.int8),
        "es": np.where(known_run[a] != 2, email_style(rng, ka, 0.2), -1).astype(np.int8),
        "pf": np.where(
            known_run[a] == 2,
            linkable_phone_kind(rng, people["country"][s["thread"][a]]),
            -1,
        ),
        "saved": np.where(rng.random(ka) < 0.3, SV["google"], -1).astype(np.int8),
        "landing": np.full(ka, LD["/"], np.int8),
    }
    # ordinary orders: website, import and POS customers, guests; the hub; forwarded DM links
    n_web = scaled(n, 0.036)
    n_pos = scaled(n, 0.012)
    n_ig = scaled(n, 0.003)
    n_guest = sizes["guest"]
    n_fwd = scaled(k, 0.03)
    n_hub = 10 + n // 50_000
    pools = np.concatenate(
        [np.arange(offsets[g], offsets[g] + sizes[g]) for g in ("website", "import", "pos") if sizes[g]]
        or [np.zeros(0, np.int64)]
    )
    parts = []
    for kind, m in (
        ("web", n_web),
        ("pos", n_pos),
        ("instagram_shop", n_ig),
        ("dm_forwarded", n_fwd),
    ):
        if m == 0 or pools.size == 0:
            continue
        if kind == "pos":
            pool = np.arange(offsets["pos"], offsets["pos"] + sizes["pos"])
        elif kind == "dm_forwarded":
            pool = np.arange(offsets["website"], offsets["website"] + sizes["website"])
        else:
            pool = pools
        pid = pool[rng.integers(0, pool.size, m)]
        part = {
            "kind": np.full(m, OK_[kind], np.int8),
            "pid": pid,
            "t": random_times(rng, cfg, m, dw),
            "flow": rng.integers(0, len(FLOWS), m).astype(np.int8),
            "ustep": np.full(m, -1, np.int8),
            "es": email_style(rng, m, 0.2),
            "pf": np.where(
                rng.random(m) < 0.3,
                linkable_phone_kind(rng, people["country"][pid]),
                -1,
            ),
        }
        if kind == "pos":
            none = rng.random(m) < 0.25  # walk-in customers who give nothing
            part["es"] = np.where(none | (rng.random(m) < 0.5), -1, part["es"]).astype(np.int8)
            part["pf"] = np.where(
                none,
                -1,
                np.where(part["es"] < 0, linkable_phone_kind(rng, people["country"][pid]), -1),
            )
            part["saved"] = np.full(m, -1, np.int8)
            part["landing"] = np.full(m, -1, np.int8)
        elif kind == "dm_forwarded":
            part["ustep"] = np.full(m, S["bundle"], np.int8)
            part["saved"] = np.full(m, SV["dm"], np.int8)
            part["landing"] = np.full(m, LD["dm_plain"], np.int8)
        else:
            src = weighted(rng, m, [40, 20, 15, 10, 15])
            part["saved"] = np.array([-1, SV["google"], -1, SV["instagram"], -1], np.int8)[src]
            part["landing"] = np.array([LD["/"], LD["google"], LD["newsletter"], LD["/"], -1], np.int8)[src]
        parts.append(part)
    for kind, m, lo in (
        ("guest", n_guest, offsets["guest"]),
        ("hub", n_hub, offsets["hub"]),
    ):
        if m == 0:
            continue
        pid = lo + (np.arange(m) % sizes[kind])
        parts.append(
            {
                "kind": np.full(m, OK_[kind], np.int8),
                "pid": pid,
                "t": random_times(rng, cfg, m, dw),
                "flow": np.zeros(m, np.int8),
                "ustep": np.full(m, -1, np.int8),
                "es": email_style(rng, m, 0.2) if kind == "guest" else np.full(m, -1, np.int8),
                "pf": np.where(rng.random(m) < 0.5, PK[("US", "paren")], -1) if kind == "hub" else np.full(m, -1),
                "saved": np.full(m, -1, np.int8),
                "landing": np.full(m, LD["/"] if kind == "guest" else -1, np.int8),
            }
        )
    o = {key: np.concatenate([dm[key], assisted[key]] + [p_[key] for p_ in parts]) for key in dm}
    m = len(o["t"])
    o["pf"] = o["pf"].astype(np.int8)
    o["hub"] = (o["kind"] == OK_["hub"]).astype(np.int8)
    # rejects: a till correction with a negative total, a web order in CHF (no rate at all)
    n_neg, n_chf = reject_counts(m, [0.001, 0.001])
    ordinary = np.flatnonzero(o["kind"] == OK_["web"])
    if ordinary.size >= n_neg + n_chf:
        pick = ordinary[rng.choice(ordinary.size, n_neg + n_chf, replace=False)]
        o["kind"][pick[:n_neg]] = OK_["reject_negative"]
        o["kind"][pick[n_neg:]] = OK_["reject_chf"]
    country = people["country"][o["pid"]]
    currency = np.where(o["kind"] == OK_["reject_chf"], 3, np.where(country == 3, 0, country)).astype(np.int8)
    o["cur"] = currency
    base = np.array(FLOW_PRICE, float)[o["flow"]]
    base = np.where(
        np.isin(o["kind"], [OK_["dm"], OK_["dm_late"], OK_["dm_forwarded"]]),
        base,
        30 + 90 * rng.random(m),
    )
    sub, disc, ship, tax, total = _amounts(rng, m, base, currency.astype(np.int64))
    neg = o["kind"] == OK_["reject_negative"]
    sub, disc, ship, tax = (np.where(neg, 0, x) for x in (sub, disc, ship, tax))
    total = np.where(neg, -uniform_int(rng, 500, 4000, m), total)
    status = weighted(rng, m, [4, 86, 4, 3, 3])  # pending, paid, partially_refunded, refunded, voided
    status = np.where(neg, 1, status).astype(np.int8)
    refund = np.where(status == 2, np.rint(total * (0.2 + 0.3 * rng.random(m))).astype(np.int64), 0)
    refund = np.where(status == 3, total, refund)
    refund = np.where(status == 2, np.minimum(refund, total - 1), refund)
    cancelled = (rng.random(m) < 0.02) & ~neg
    status = np.where(cancelled, np.where(rng.random(m) < 0.5, 4, 3), status).astype(np.int8)
    refund = np.where(cancelled & (status == 3), total, np.where(cancelled, 0, refund))
    o["cancel_t"] = np.where(cancelled, o["t"] + uniform_int(rng, 3600, 3 * DAY, m), -1)
    o["status"] = status
    o["smess"] = (rng.random(m) < 0.03).astype(np.int8)
    o.update(sub=sub, disc=disc, ship=ship, tax=tax, total=total, refund=refund)
    usd_off = np.array([OFF["-04:00"], OFF["Z"], OFF["-04:00"], OFF["+00:00"]], np.int8)[rng.integers(0, 4, m)]
    gbp_off = np.array([OFF["Z"], OFF["+00:00"]], np.int8)[rng.integers(0, 2, m)]
    o["off"] = np.select(
        [currency == 1, currency == 2, currency == 3],
        [OFF["+02:00"], gbp_off, OFF["+02:00"]],
        usd_off,
    )
    o["off"] = o["off"].astype(np.int8)
    o["srcn"] = np.select(
        [
            o["kind"] == OK_["pos"],
            o["kind"] == OK_["hub"],
            o["kind"] == OK_["instagram_shop"],
        ],
        [1, 1, 2],
        0,
    ).astype(np.int8)
    order = np.lexsort((np.arange(m), o["t"]))
    o = {key: v[order] for key, v in o.items()}
    o["oid"] = np.arange(100_001, 100_001 + m, dtype=np.int64)
    # persons with a counted order (for CRM lifecycle "won")
    eligible = np.isin(o["status"], [1, 2, 3]) & (o["cancel_t"] < 0) & (o["kind"] != OK_["reject_negative"])
    won = np.zeros(len(people["country"]), bool)
    won[o["pid"][eligible & ((o["es"] >= 0) | (o["pf"] >= 0)) & (o["hub"] == 0)]] = True
    return o, won


# ----------------------------------------------------------------------------- CRM

CRM_KINDS = [
    "dm",
    "pre_website",
    "pre_import",
    "website",
    "import",
    "pos",
    "hub",
    "split_a",
    "split_b",
    "split_c",
    "organic",
    "chain",
]
CK = {name: i for i, name in enumerate(CRM_KINDS)}
PRODUCT_INTEREST = [f.replace("_", " ") for f in FLOW_NAMES] + [
    "plants",
    "weekly flowers",
]
BUDGETS = ["under $50", "$50-100", "$100-200", "$1,000-2,000", "not sure"]
TIMELINES = ["this week", "this month", "next month", "2027"]
LAST_ACTIONS = [
    "submitted lead",
    "clicked link",
    "started flow",
    "talked to an agent",
    "ordered",
]
NEXT_STEPS = ["send reminder", "follow up in 3 days", "call back"]
CRM_UTMS = [
    ("dm", "chat", None),
    ("google", "cpc", "florist_near_me"),
    ("instagram", "social", "bio_link"),
    ("newsletter", "email", "monthly_newsletter"),
]
CONSENT_SOURCES = ["dm_flow", "website_form", "import", "pos_signup"]


def _crm(rng, cfg, s, people, offsets, sizes, n_auto, n_org, opted, won):
    n = len(s["flow"])
    thread = s["thread"]
    first_of = segment_starts(np.bincount(thread, minlength=n_auto))
    # per thread: first lead session (by order), first consented lead, any handoff, clicks, opt-out
    has_lead = s["lead_what"] > 0
    lead_rank = np.where(has_lead, np.arange(n), n + 1)
    first_lead = np.minimum.reduceat(lead_rank, first_of) if n_auto else np.zeros(0, np.int64)
    cons_rank = np.where(has_lead & (s["lead_consent"] == 1), np.arange(n), n + 1)
    first_consent = np.minimum.reduceat(cons_rank, first_of) if n_auto else np.zeros(0, np.int64)
    any_handoff = np.maximum.reduceat(s["agent"], first_of) if n_auto else np.zeros(0, np.int8)
    any_click = np.maximum.reduceat(s["click_t"], first_of) if n_auto else np.zeros(0, np.int64)
    last_end = np.maximum.reduceat(s["end"], first_of) if n_auto else np.zeros(0, np.int64)
    opt_sess = np.where(s["opt_t"] >= 0, np.arange(n), -1)
    opt_of = np.maximum.reduceat(opt_sess, first_of) if n_auto else np.zeros(0, np.int64)
    th_lead = first_lead <= n
    keep = th_lead | (rng.random(n_auto) < 0.05)
    t_idx = np.flatnonzero(keep)
    k = t_idx.size
    fs = first_of[t_idx]  # the thread's first session
    ls = np.where(th_lead[t_idx], first_lead[t_idx], fs)  # the session whose lead the record holds
    rec = {
        "kind": np.full(k, CK["dm"], np.int8),
        "pid": t_idx,
        "thr": t_idx,
        "created": s["start"][fs] + uniform_int(rng, 2, 15, k),
        "updated": last_end[t_idx] + uniform_int(rng, 30, 900, k),
        "hs": np.array([0, 1, 3], np.int8)[weighted(rng, k, [40, 40, 20])],
        "es": np.where(th_lead[t_idx] & (s["lead_what"][ls] != 2), s["lead_es"][ls], -1).astype(np.int8),
        "pf": np.where(th_lead[t_idx], s["lead_pf"][ls], -1).astype(np.int8),
        "chan": np.zeros(k, np.int8),
        "source": s["entry"][fs].astype(np.int8),
        "campaign": s["flow"][fs].astype(np.int8),
        "utm": np.zeros(k, np.int8),
        "utm_flow": s["flow"][fs].astype(np.int8),
        "interest": s["flow"][fs].astype(np.int8),
        "budget": np.where(th_lead[t_idx], rng.integers(0, len(BUDGETS), k), -1).astype(np.int8),
        "timeline": np.where(th_lead[t_idx], rng.integers(0, len(TIMELINES), k), -1).astype(np.int8),
        "path_flow": s["flow"][ls].astype(np.int8),
        "path_depth": s["depth"][ls].astype(np.int8),
    }
    fc = first_consent[t_idx]
    has_c = fc <= n
    rec["consent_t"] = np.where(
        has_c,
        s["start"][np.minimum(fc, n - 1)] + s["lead_t"][np.minimum(fc, n - 1)],
        NONE,
    )
    rec["csrc"] = np.where(has_c, 0, -1).astype(np.int8)
    ho = any_handoff[t_idx] >= 0
    clicked = any_click[t_idx] >= 0
    action = np.where(th_lead[t_idx], 0, np.where(clicked, 1, 2))
    action = np.where(ho, 3, action)
    life = np.where(th_lead[t_idx], 1, np.where(ho & (rng.random(k) < 0.5), 3, 0))
    life = np.where(won[t_idx], 2, life)
    action = np.where(won[t_idx], 4, action)
    rec["owner"] = np.where(ho, any_handoff[t_idx], -1).astype(np.int8)
    rec["next"] = np.where(th_lead[t_idx] & ~won[t_idx], rng.integers(-1, len(NEXT_STEPS), k), -1).astype(np.int8)
    oo = opted[t_idx]
    life = np.where(oo & (life == 0), 3, life)
    rec["life"] = life.astype(np.int8)
    rec["action"] = action.astype(np.int8)
    rec["opted"] = oo.astype(np.int8)
    os_ = opt_of[t_idx]
    rec["opted_t"] = np.where(oo, s["start"][np.maximum(os_, 0)] + s["opt_t"][np.maximum(os_, 0)], NONE)
    records = [rec]

    # older website / import records of 8% of DM leads with an email: same email, another case
    pre = t_idx[th_lead[t_idx] & (s["lead_what"][ls] != 2) & (rng.random(k) < 0.08)]
    kp = pre.size
    web = rng.random(kp) < 0.7
    created = s["start"][first_of[pre]] - uniform_int(rng, 30 * DAY, 400 * DAY, kp)
    records.append(
        _plain_records(
            rng,
            np.where(web, CK["pre_website"], CK["pre_import"]),
            pre,
            created,
            created + uniform_int(rng, 0, 20 * DAY, kp),
            people,
            es=np.array([1, 2, 0], np.int8)[rng.integers(0, 3, kp)],
            hs=np.where(
                rng.random(kp) < 0.6,
                np.array([1, 3, 2], np.int8)[rng.integers(0, 3, kp)],
                -1,
            ),
            thr=pre,
        )
    )

    # website, import and POS customers
    window = cfg.days * DAY
    for group, kind in (("website", "website"), ("import", "import"), ("pos", "pos")):
        m = sizes[group]
        pid = np.arange(offsets[group], offsets[group] + m)
        if kind == "import":
            created = -290 * DAY + 36_000 + rng.integers(0, 3600, m)
            updated = created + uniform_int(rng, 0, 400 * DAY, m)
        elif kind == "website":
            created = rng.integers(-200 * DAY, window - 2 * DAY, m)
            updated = created + uniform_int(rng, 0, 30 * DAY, m)
        else:
            created = rng.integers(-150 * DAY, window - DAY, m)
            updated = created + uniform_int(rng, 0, 20 * DAY, m)
        updated = np.minimum(updated, window)
        records.append(
            _plain_records(
                rng,
                np.full(m, CK[kind], np.int8),
                pid,
                created,
                updated,
                people,
                won=won,
            )
        )

    # the hub: the shop's own email typed on till records
    m = sizes["hub"]
    pid = np.arange(offsets["hub"], offsets["hub"] + m)
    created = rng.integers(-100 * DAY, window - DAY, m)
    hub = _plain_records(rng, np.full(m, CK["hub"], np.int8), pid, created, created + DAY, people)
    hub["es"][:] = -1
    hub["hub"] = np.arange(m) % len(HUB_EMAILS)
    hub["pf"] = np.where(rng.random(m) < 0.5, PK[("US", "paren")], -1).astype(np.int8)
    records.append(hub)

    # split persons: A (email [+ FR national phone]) - B (same email, messy; intl phone) - C (handle, phone)
    m = sizes["split"]
    if m:
        pid = np.arange(offsets["split"], offsets["split"] + m)
        fr = people["country"][pid] == 1
        t0 = rng.integers(0, window - 10 * DAY, m)
        a = _plain_records(rng, np.full(m, CK["split_a"], np.int8), pid, t0, t0 + 3 * DAY, people)
        a["es"][:] = 0
        a["pf"] = np.where(fr, PK[("FR", "national")], -1).astype(np.int8)
        b = _plain_records(
            rng,
            np.full(m, CK["split_b"], np.int8),
            pid,
            t0 - 300 * DAY,
            t0 - 297 * DAY,
            people,
        )
        b["es"][:] = EMAIL_STYLE_NAMES.index("both")
        b["pf"] = np.where(fr, PK[("FR", "intl")], PK[("US", "intl_dash")]).astype(np.int8)
        c = _plain_records(
            rng,
            np.full(m, CK["split_c"], np.int8),
            pid,
            t0 + 5 * DAY,
            t0 + 8 * DAY,
            people,
        )
        c["es"][:] = -1
        c["pf"] = np.where(fr, PK[("FR", "00")], PK[("US", "paren")]).astype(np.int8)
        c["hs"][:] = 3
        records += [a, b, c]

    # organic threads: half of them have a "direct" record with the handle
    org = np.arange(n_auto, n_auto + n_org)
    org = org[rng.random(org.size) < 0.2]
    created = rng.integers(0, window - DAY, org.size)
    o_rec = _plain_records(
        rng,
        np.full(org.size, CK["organic"], np.int8),
        org,
        created,
        created + DAY,
        people,
    )
    o_rec["es"][:] = -1
    o_rec["pf"][:] = -1
    o_rec["hs"][:] = 1
    o_rec["chan"][:] = 0
    o_rec["thr"] = org
    records.append(o_rec)

    # the adversarial chain: record i shares an email with i-1 or i+1 and a phone with the other
    if cfg.chain:
        m = cfg.chain
        created = rng.integers(0, window - DAY, m)
        ch = _plain_records(
            rng,
            np.full(m, CK["chain"], np.int8),
            np.full(m, len(people["country"]) - 1),
            created,
            created + DAY,
            people,
        )
        ch["chain_k"] = np.arange(m)
        records.append(ch)

    defaults = {
        "thr": -1,
        "hub": -1,
        "chain_k": -1,
        "opted": 0,
        "consent_t": NONE,
        "opted_t": NONE,
    }
    keys = set(defaults).union(*[r.keys() for r in records])
    r = {}
    for key in sorted(keys):
        r[key] = np.concatenate(
            [np.asarray(x[key]) if key in x else np.full(len(x["kind"]), defaults.get(key, -1)) for x in records]
        )
    total = len(r["kind"])
    # data errors on single-record website people (warnings), enum mess, rejects
    web = np.flatnonzero(r["kind"] == CK["website"])
    if web.size >= 20:
        pick = web[rng.choice(web.size, 4 * max(1, web.size // 1000), replace=False)]
        q = len(pick) // 4
        future, before, no_at, legit = (
            pick[:q],
            pick[q : 2 * q],
            pick[2 * q : 3 * q],
            pick[3 * q :],
        )
        r["consent_t"][future] = window + uniform_int(rng, 30 * DAY, 120 * DAY, q)
        r["csrc"][future] = 1
        r["consent_t"][before] = r["created"][before] - uniform_int(rng, 20 * DAY, 60 * DAY, q)
        r["csrc"][before] = 1
        r["opted"][no_at] = 1
        r["opted_t"][no_at] = NONE
        r["opted"][legit] = 1
        r["opted_t"][legit] = np.minimum(
            r["created"][legit] + uniform_int(rng, 2 * DAY, 40 * DAY, legit.size),
            window,
        )
        r["updated"][legit] = np.maximum(r["updated"][legit], r["opted_t"][legit])
    r["lmess"] = (rng.random(total) < 0.01).astype(np.int8)
    r["smess"] = (rng.random(total) < 0.005).astype(np.int8)
    r["cmess"] = (rng.random(total) < 0.005).astype(np.int8)
    r["badphone"] = np.zeros(total, np.int8)  # a few phones no rule can read ("555-01")
    with_phone = np.flatnonzero((r["pf"] >= 0) & (r["chain_k"] < 0))
    if with_phone.size >= 100:
        r["badphone"][with_phone[rng.choice(with_phone.size, max(1, with_phone.size // 1000), replace=False)]] = 1
    r["reject"] = np.zeros(total, np.int8)
    plain = np.flatnonzero(np.isin(r["kind"], [CK["website"], CK["import"]]))
    n_empty, n_vip = reject_counts(total, [0.001, 0.001])
    if plain.size >= n_empty + n_vip:
        pick = plain[rng.choice(plain.size, n_empty + n_vip, replace=False)]
        r["reject"][pick[:n_empty]] = 1  # empty contact_id
        r["reject"][pick[n_empty:]] = 2  # lifecycle vip
    r["c_off"] = np.array([OFF["Z"], OFF["Z"], OFF["+00:00"], OFF["-04:00"], OFF["+02:00"]], np.int8)[
        rng.integers(0, 5, total)
    ]
    r["u_off"] = np.array([OFF["Z"], OFF["+00:00"]], np.int8)[rng.integers(0, 2, total)]
    r["k_off"] = np.array([OFF["Z"], OFF["+00:00"], OFF["-04:00"]], np.int8)[rng.integers(0, 3, total)]
    r["has_last"] = (rng.random(total) < 0.85).astype(np.int8)
    r["updated"] = np.maximum(r["updated"], r["created"])
    # file order: by created_at; chain records last
    order = np.lexsort((np.arange(total), r["created"], r["kind"] == CK["chain"]))
    r = {key: v[order] for key, v in r.items()}
    r["cid"] = np.cumsum(r["reject"] != 1)
    return r


def _plain_records(rng, kind, pid, created, updated, people, es=None, hs=None, thr=None, won=None):
    """CRM records of non-DM origin (website, import, POS...): contact details from the person."""
    m = len(pid)
    kind = np.asarray(kind, np.int8)
    country = people["country"][pid]
    is_import = np.isin(kind, [CK["import"], CK["pre_import"]])
    is_pos = kind == CK["pos"]
    has_phone = rng.random(m) < np.where(is_import, 0.7, np.where(is_pos, 1.0, 0.45))
    phone = linkable_phone_kind(rng, country)
    national = np.where(country == 1, PK[("FR", "national")], PK[("UK", "national")])
    phone = np.where(
        is_import & (country > 0) & (country < 3) & (rng.random(m) < 0.5),
        national,
        phone,
    )
    pos_kind = np.array(
        [
            PK[("US", "paren")],
            PK[("US", "dot")],
            PK[("US", "dash")],
            PK[("US", "intl_dash")],
        ]
    )
    phone = np.where(is_pos & (country == 0), pos_kind[rng.integers(0, 4, m)], phone)
    has_email = np.where(is_pos, rng.random(m) < 0.4, True)
    if es is None:
        es = email_style(rng, m, 0.2)
    if hs is None:
        hs = np.where((kind == CK["website"]) & (rng.random(m) < 0.2), 1, -1)
    life = np.where(is_import, np.where(rng.random(m) < 0.7, 2, 0), rng.choice([0, 1, 3], m))
    life = np.where(is_pos, 2, life)
    if won is not None:
        life = np.where(won[pid], 2, life)
    website = np.isin(kind, [CK["website"], CK["pre_website"], CK["split_a"]])
    consent = website & (rng.random(m) < 0.6)
    chan = np.where(is_pos, 3, np.where(website, np.where(rng.random(m) < 0.8, 1, 2), 1))
    chan = np.where(is_import & (rng.random(m) < 0.3), -1, chan)
    source = np.select(
        [
            website,
            is_import | (kind == CK["split_b"]),
            is_pos | (kind == CK["hub"]),
            kind == CK["split_c"],
            kind == CK["organic"],
        ],
        [5, 6, 7, 1, 4],
        6,
    )
    return {
        "kind": kind,
        "pid": np.asarray(pid),
        "thr": np.full(m, -1) if thr is None else np.asarray(thr),
        "created": np.asarray(created, np.int64),
        "updated": np.asarray(updated, np.int64),
        "hs": np.asarray(hs, np.int8).copy(),
        "es": np.where(has_email, es, -1).astype(np.int8),
        "pf": np.where(has_phone, phone, -1).astype(np.int8),
        "chan": chan.astype(np.int8),
        "source": source.astype(np.int8),
        "campaign": np.where(is_import, 100, -1).astype(np.int8),
        "utm": np.where(website, rng.choice([-1, 1, 2, 3], m), -1).astype(np.int8),
        "utm_flow": np.full(m, -1, np.int8),
        "interest": np.where(
            website & (rng.random(m) < 0.5),
            rng.integers(0, len(PRODUCT_INTEREST), m),
            -1,
        ),
        "budget": np.full(m, -1, np.int8),
        "timeline": np.full(m, -1, np.int8),
        "path_flow": np.full(m, -1, np.int8),
        "path_depth": np.full(m, -1, np.int8),
        "consent_t": np.where(consent, np.asarray(created) + rng.integers(0, 20, m), NONE),
        "csrc": np.where(consent, 1, -1).astype(np.int8),
        "owner": np.full(m, -1, np.int8),
        "next": np.full(m, -1, np.int8),
        "life": life.astype(np.int8),
        "action": np.full(m, -1, np.int8),
        "opted": np.zeros(m, np.int8),
        "opted_t": np.full(m, NONE, np.int64),
    }


# ----------------------------------------------------------------------------- finance


def _finance(rng, cfg):
    """Daily EUR / GBP rates (some days missing, one negative rate) and the monthly cost lines."""
    first = -7
    n_days = cfg.days + 14
    rows = []
    for cur, level in FX_LEVEL.items():
        walk = level + np.cumsum(rng.normal(0, 0.0032, n_days))
        walk = np.clip(walk, level - 0.06, level + 0.06)
        rate = np.rint(walk * 10_000).astype(np.int64)
        keep = rng.random(n_days) >= 0.03
        keep[:7] = True
        days = np.arange(first, first + n_days)
        rows.append((np.full(int(keep.sum()), cur), days[keep], rate[keep]))
        if cur == "GBP":
            missing = days[~keep]
            if missing.size:
                rows.append((np.array([cur]), missing[:1], -rate[~keep][:1]))
    fx = {
        "cur": np.concatenate([r[0] for r in rows]).astype(str),
        "day": np.concatenate([r[1] for r in rows]).astype(np.int64),
        "rate": np.concatenate([r[2] for r in rows]).astype(np.int64),
    }
    order = np.lexsort((fx["cur"].astype(str), fx["day"]))
    fx = {k: v[order] for k, v in fx.items()}
    fx["cur"] = fx["cur"].astype(object)

    months = []
    d = date(cfg.start.year, cfg.start.month, 1)
    end = cfg.start + timedelta(days=cfg.days)
    while d < end:
        months.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    volume = cfg.sessions / max(len(months), 1)
    lines = []
    for i, month in enumerate(months):
        tier = 99 + 50 * int(volume // 20_000)
        lines.append(
            (
                month,
                "tool_subscription" if i != 2 else "Tool_Subscription",
                tier * 100,
                "USD",
                "automation tool, monthly plan",
            )
        )
        lines.append(
            (
                month,
                "ads",
                int(volume * 6 * (1 + 0.2 * rng.random())),
                "USD",
                "click-to-DM ads",
            )
        )
        if i % 3 == 0:
            lines.append(
                (
                    month,
                    "agency",
                    45_000 + 100 * int(volume // 1000),
                    "EUR",
                    "flow copy and design",
                )
            )
        if i == 0:
            lines.append((month, "setup", 120_000, "USD", "flow setup"))
        if i % 4 == 1:
            lines.append((month, "other", int(rng.integers(2_000, 20_000)), "USD", None))
    return fx, lines


# ----------------------------------------------------------------------------- SQL rendering


def q(s):
    """A SQL string literal."""
    return "NULL" if s is None else "'" + str(s).replace("'", "''") + "'"


def lst(values):
    return "[" + ", ".join(q(v) for v in values) + "]"


def lookup(values, expr):
    """values[expr] for a 0-based integer code, NULL when the code is negative."""
    return f"(CASE WHEN ({expr}) >= 0 THEN {lst(values)}[({expr}) + 1] END)"


def case_sql(expr, branches, default="NULL"):
    whens = " ".join(f"WHEN {k} THEN {v}" for k, v in branches)
    return f"(CASE {expr} {whens} ELSE {default} END)"


FIRST_ASCII = [M.ascii_name(x) for x in FIRST_ALL]
LAST_ASCII = [M.ascii_name(x) for x in LAST_ALL]
assert all(x.isalpha() and x.isascii() for x in FIRST_ASCII + LAST_ASCII)
NAME_FIELDS = {
    "f": (FIRST_ASCII, "fi"),
    "l": (LAST_ASCII, "li"),
    "f0": ([x[0] for x in FIRST_ASCII], "fi"),
    "l0": ([x[0] for x in LAST_ASCII], "li"),
}


def name_template_sql(template, camel_case, fi="fi", li="li"):
    """A name template ("{f}.{l}") as SQL; camel_case renders mess.camel() of it, token by token."""
    cols = {"fi": fi, "li": li}
    out, up = [], True
    for part in re.split(r"(\{\w+\})", template):
        if not part:
            continue
        if part.startswith("{"):
            vocab, col = NAME_FIELDS[part[1:-1]]
            if camel_case and up:
                vocab = [M.camel(v) for v in vocab]
            out.append(f"{lst(vocab)}[{cols[col]} + 1]")
            up = False  # name tokens are letters only
        else:
            lit = part
            if camel_case:
                chars = []
                for ch in part:
                    chars.append(ch.upper() if up else ch)
                    up = ch in "._"
                lit = "".join(chars)
            out.append(q(lit))
    return " || ".join(out)


def case_expr(case, plain, camel_expr=None):
    if case == "same":
        return plain
    if case == "lower":
        return f"lower({plain})"
    if case == "upper":
        return f"upper({plain})"
    if case == "capitalize":
        return f"(upper(left({plain}, 1)) || lower(substr({plain}, 2)))"
    if case == "camel" and camel_expr is not None:
        return camel_expr
    raise ValueError(case)


def macros_sql(cfg):
    """DuckDB macros that render the mess tables of mess.py (one definition for both generators)."""
    base = int(datetime(cfg.start.year, cfg.start.month, cfg.start.day, tzinfo=UTC).timestamp())
    off_seconds = [C.OFFSET_MINUTES[o] * 60 for o in OFFSETS]
    sql = []
    sql.append(
        f"""create or replace macro ts(t, o) as
        replace(cast(make_timestamp((cast(t as bigint) + {base} + {off_seconds}[o + 1]) * 1000000) as varchar),
        ' ', 'T')
        || {lst(OFFSETS)}[o + 1]"""
    )
    sql.append(
        f"create or replace macro day_str(d) as cast(date '{cfg.start.isoformat()}' + cast(d as integer) as varchar)"
    )
    us = (
        f"cast(cast({US_AREAS}[(pid // 10000000) % {len(US_AREAS)} + 1] as bigint) * 10000000"
        " + ((pid % 10000000) * 7654321 + 1234567) % 10000000 as varchar)"
    )
    fr = "cast(600000000 + ((pid % 100000000) * 76543211 + 12345) % 100000000 as varchar)"
    uk = "cast(7000000000 + ((pid % 1000000000) * 765432101 + 12345) % 1000000000 as varchar)"
    ch = "cast(790000000 + ((pid % 10000000) * 7654321 + 12345) % 10000000 as varchar)"
    sql.append(
        "create or replace macro nsn(p, cty) as "
        + case_sql("cty", [(0, us), (1, fr), (2, uk), (3, ch)]).replace("pid", "cast(p as bigint)")
    )
    branches = []
    for i, (country, kind) in enumerate(PHONE_KINDS):
        parts = []
        for part in M.template_parts(M.PHONE_FORMATS[country][kind]):
            if isinstance(part, str):
                parts.append(q(part))
            else:
                a, b = part
                parts.append(f"substr(n, {a + 1}, {b - a})" if b is not None else f"substr(n, {a + 1})")
        branches.append((i, " || ".join(parts)))
    sql.append(f"create or replace macro phone_fmt(n, pf) as {case_sql('pf', branches)}")
    sql.append("create or replace macro phone(pid, cty, pf) as phone_fmt(nsn(pid, cty), pf)")
    plain = case_sql("ep", [(i, name_template_sql(t, False)) for i, t in enumerate(EMAIL_PATTERNS)])
    camel = case_sql("ep", [(i, name_template_sql(t, True)) for i, t in enumerate(EMAIL_PATTERNS)])
    sql.append(f"create or replace macro email_local(pid, fi, li, ep) as {plain} || cast(pid as varchar)")
    sql.append(f"create or replace macro email_local_camel(pid, fi, li, ep) as {camel} || cast(pid as varchar)")
    sql.append(f"create or replace macro email_domain(dom) as {lst(DOMAINS_ALL)}[dom + 1]")
    branches = []
    loc, loc_camel, dom = (
        "email_local(pid, fi, li, ep)",
        "email_local_camel(pid, fi, li, ep)",
        "email_domain(dom)",
    )
    for i, name in enumerate(EMAIL_STYLE_NAMES):
        prefix, local_case, domain_case, suffix = M.EMAIL_STYLES[name]
        expr = f"{q(prefix)} || {case_expr(local_case, loc, loc_camel)} || '@' || {case_expr(domain_case, dom)} || {q(suffix)}"
        branches.append((i, expr))
    sql.append(f"create or replace macro email(pid, fi, li, ep, dom, es) as {case_sql('es', branches)}")
    plain = case_sql("hp", [(i, name_template_sql(t, False)) for i, t in enumerate(HANDLE_PATTERNS)])
    camel = case_sql("hp", [(i, name_template_sql(t, True)) for i, t in enumerate(HANDLE_PATTERNS)])
    branches = []
    for i, name in enumerate(HANDLE_STYLE_NAMES):
        prefix, hcase = M.HANDLE_STYLES[name]
        body = camel if hcase == "camel" else plain
        branches.append((i, f"{q(prefix)} || {body} || cast(pid as varchar)"))
    sql.append(f"create or replace macro handle(pid, fi, li, hp, hs) as {case_sql('hs', branches)}")
    sql.append(
        "create or replace macro ig_user_id(thr) as "
        "'178414' || lpad(cast((cast(thr as bigint) * 104729 + 7477) % 100000000000 as varchar), 11, '0')"
    )
    sql.append("create or replace macro thread_id(thr) as 'thr_' || lpad(cast(thr as varchar), 7, '0')")
    sql.append(
        "create or replace macro cents(c) as (case when c < 0 then '-' else '' end) || cast(abs(c) // 100 as varchar)"
        " || '.' || lpad(cast(abs(c) % 100 as varchar), 2, '0')"
    )
    sql.append(f"create or replace macro flow_name(f) as {lookup(FLOW_NAMES, 'f')}")
    sql.append(f"create or replace macro step_name(s) as {lookup(STEPS, 's')}")
    slugs = [f"{f.replace('_', '-')}-{s}" for f in FLOW_NAMES for s in STEPS]
    sql.append(f"create or replace macro slug(f, s) as {lst(slugs)}[f * {len(STEPS)} + s + 1]")
    url = f"'{SHOP}/products/' || slug(f, s) || '?'"
    link = {
        0: f"{url} || 'utm_source=dm&utm_medium=chat&utm_campaign=' || flow_name(f) || '&utm_content=' || step_name(s)",
        1: f"{url} || 'utm_source=dm&utm_medium=chat&utm_campain=' || flow_name(f) || '&utm_content=' || step_name(s)",
        2: f"{url} || 'utm_source=dm&utm_campaign=' || flow_name(f) || '&utm_content=' || step_name(s)",
        3: f"{url} || 'utm_source=dm&utm_medium=chat&utm_content=' || step_name(s)",
        4: "'https://www.instagram.com/p/ShopExampleNew/'",
    }
    sql.append(f"create or replace macro link(f, s, k) as {case_sql('k', link.items())}")
    return sql


def events_select(cfg):
    mid = cfg.days * DAY // 2
    mess_et = case_sql(
        "et",
        [(ET[k], f"{lst(v)}[eid % {len(v)} + 1]") for k, v in C.EVENT_TYPE_MESS.items()],
        f"{lst(C.EVENT_TYPES + ['reaction'])}[et + 1]",
    )
    mess_actor = case_sql(
        "actor",
        [(ACT[k], f"{lst(v)}[eid % {len(v)} + 1]") for k, v in C.ACTOR_MESS.items()],
        f"{lst(C.ACTORS)}[actor + 1]",
    )
    hook_texts = ", ".join(str(f * 5 + S["hook"]) for f in range(len(FLOWS)))
    buttons = ["|".join(BUTTONS[s]) if s in BUTTONS else None for s in STEPS]
    labels = [BUTTONS[s][k] if s in BUTTONS else None for s in STEPS for k in range(3)]
    return f"""
    select
        case when bad <> 2 then 'evt_' || lpad(cast(eid as varchar), 9, '0') end as event_id,
        case when bad = 1 then 'not-a-date' else ts(t, off) end as occurred_at,
        ts(t + lag, off) as received_at,
        thread_id(thr) as thread_id,
        ig_user_id(thr) as ig_user_id,
        case when hs >= 0 then handle(thr, fi, li, hp, hs) end as ig_handle,
        case when em = 3 then {mess_actor} else {lst(C.ACTORS)}[actor + 1] end as actor,
        {lookup(AGENTS, "agent")} as agent_id,
        case when em = 1 then {mess_et} else {lst(C.EVENT_TYPES + ["reaction"])}[et + 1] end as event_type,
        case when em = 2 then {lookup([C.ENTRY_POINT_MESS[e] for e in C.ENTRY_POINTS], "entry")}
             else {lookup(C.ENTRY_POINTS, "entry")} end as entry_point,
        case when media >= 0 then cast({MEDIA_BASE}[entry + 1] + flow * 1000 + media as varchar) end
            as source_media_id,
        flow_name(flow) as flow_name,
        step_name(step) as flow_step,
        case when txt in ({hook_texts}) then replace({lst(TEXTS)}[txt + 1], '{{first}}', {lst(FIRST_ALL)}[fi + 1])
             else {lookup(TEXTS, "txt")} end as message_text,
        {lookup(buttons, "btn")} as buttons,
        {lookup(labels, "lbl")} as button_label,
        case when url >= 0 then link(flow, step, url) end as link_url,
        case when es >= 0 then email(thr, fi, li, ep, dom, es) end as email,
        case when pf >= 0 then phone(thr, cty, pf) end as phone,
        case consent when 1 then 'true' when 0 then 'false' end as consent,
        case when et = {ET["lead_submitted"]} then (case when t < {mid} then 'v1' else 'v2' end) end
            as consent_text_version/*part*/
    from src
    """


def crm_select(cfg):
    sources = C.CRM_SOURCES
    source_mess = [C.CRM_SOURCE_MESS.get(x, x.title()) for x in sources]
    paths = []
    for _, steps in FLOWS:
        for depth in range(MAX_STEPS + 1):
            path = ">".join(x for x in steps[:depth] if x != "hook") or "hook"
            paths.append(path)
    campaign = case_sql("campaign", [(100, q("2024 customer list"))], "flow_name(campaign)")
    utm = CRM_UTMS
    email_expr = case_sql(
        "true",
        [
            ("hub >= 0", f"{lst(HUB_EMAILS)}[hub + 1]"),
            (
                "chain_k >= 0",
                "'chain' || cast(chain_k // 2 as varchar) || '@chain.example'",
            ),
            ("es >= 0", "email(pid, fi, li, ep, dom, es)"),
        ],
    )
    phone_expr = case_sql(
        "true",
        [
            (
                "chain_k >= 0",
                "'+1 800 ' || lpad(cast((chain_k + 1) // 2 as varchar), 7, '0')",
            ),
            ("badphone = 1", "'555-01'"),
            ("pf >= 0", "phone(pid, cty, pf)"),
        ],
    )
    life = case_sql(
        "true",
        [
            ("reject = 2", "'vip'"),
            (
                "lmess = 1",
                f"{lst([C.LIFECYCLE_MESS[x] for x in C.LIFECYCLES])}[life + 1]",
            ),
        ],
        f"{lst(C.LIFECYCLES)}[life + 1]",
    )
    return f"""
    select
        case when reject = 1 then null
             when chain_k >= 0 then 'crm_chain_' || lpad(cast(chain_k as varchar), 7, '0')
             else 'crm_' || lpad(cast(cid as varchar), 7, '0') end as contact_id,
        ts(created, c_off) as created_at,
        ts(updated, u_off) as updated_at,
        {lst(FIRST_ALL)}[fi + 1] as first_name,
        case when has_last = 1 then {lst(LAST_ALL)}[li + 1] end as last_name,
        case when hs >= 0 then handle(pid, fi, li, hp, hs) end as ig_handle,
        case when thr >= 0 and kind in ({CK["dm"]}, {CK["organic"]}) then ig_user_id(thr) end as ig_user_id,
        {email_expr} as email,
        {phone_expr} as phone,
        case when cmess = 1 then upper({lookup(C.CHANNELS, "chan")}) else {lookup(C.CHANNELS, "chan")} end
            as preferred_channel,
        case when smess = 1 then {lookup(source_mess, "source")} else {lookup(sources, "source")} end as source,
        {campaign} as campaign,
        {lookup([u[0] for u in utm], "utm")} as utm_source,
        {lookup([u[1] for u in utm], "utm")} as utm_medium,
        case when utm = 0 then flow_name(utm_flow) else {lookup([u[2] for u in utm], "utm")} end as utm_campaign,
        {lookup(PRODUCT_INTEREST, "interest")} as product_interest,
        {lookup(BUDGETS, "budget")} as budget,
        {lookup(TIMELINES, "timeline")} as timeline,
        {lookup(LAST_ACTIONS, "action")} as last_action,
        {life} as lifecycle_status,
        {lookup(AGENT_NAMES, "owner")} as owner,
        {lookup(NEXT_STEPS, "next")} as next_step,
        case when path_flow >= 0 then {lst(paths)}[path_flow * {MAX_STEPS + 1} + path_depth + 1] end as flow_path,
        case when consent_t > {NONE} and csrc >= 0 then ts(consent_t, k_off) end as consent_at,
        {lookup(CONSENT_SOURCES, "csrc")} as consent_source,
        case when opted = 1 then 'true' else 'false' end as opted_out,
        case when opted = 1 and opted_t > {NONE} then ts(opted_t, 0) end as opted_out_at/*part*/
    from src
    """


def orders_select():
    statuses = C.STATUSES
    status_mess = {1: "['PAID ', ' Paid', 'Paid']", 3: "['Refunded']"}
    status = case_sql(
        "true",
        [(f"smess = 1 and status = {k}", f"{v}[oid % {v.count(',') + 1} + 1]") for k, v in status_mess.items()],
        f"{lst(statuses)}[status + 1]",
    )
    path = "'/products/' || slug(flow, coalesce_step)"
    mixed_k = M.LANDING_MIXED_KEYS
    mixed_v = M.LANDING_MIXED_VALUES
    q_plain = "'utm_source=dm&utm_medium=chat&utm_campaign=' || flow_name(flow) || '&utm_content=' || step_name(coalesce_step)"
    q_mixed = (
        f"'{mixed_k['utm_source']}={mixed_v['dm']}&{mixed_k['utm_medium']}={mixed_v['chat']}&utm_campaign='"
        " || flow_name(flow) || '&utm_content=' || step_name(coalesce_step)"
    )
    q_encoded = (
        "'utm_source=dm&utm_medium=chat%20&utm_campaign=' || replace(flow_name(flow), '_', '%5F')"
        " || '&utm_content=' || step_name(coalesce_step)"
    )
    landing = {
        LD["/"]: "'/'",
        LD["dm_plain"]: f"{path} || '?' || {q_plain}",
        LD["dm_path"]: path,
        LD["dm_mixed"]: f"{path} || '?' || {q_mixed}",
        LD["dm_encoded"]: f"{path} || '?' || {q_encoded}",
        LD["dm_fbclid"]: f"{path} || '?' || {q_plain} || '&{M.LANDING_EXTRA}'",
        LD["dm_campain"]: f"{path} || '?' || replace({q_plain}, 'utm_campaign=', 'utm_campain=')",
        LD["google"]: "'/collections/bouquets?utm_source=google&utm_medium=cpc&utm_campaign=florist_near_me'",
        LD["newsletter"]: "'/collections/new?utm_source=newsletter&utm_medium=email&utm_campaign=monthly_newsletter'",
    }
    saved = {
        "utm_source": {
            SV["dm"]: "'dm'",
            SV["dm_mixed"]: "['dm', 'DM', ' dm'][oid % 3 + 1]",
            SV["google"]: "'google'",
            SV["instagram"]: "'instagram'",
            SV["newsletter"]: "'newsletter'",
        },
        "utm_medium": {
            SV["dm"]: "'chat'",
            SV["dm_mixed"]: "['Chat', 'CHAT', 'chat'][oid % 3 + 1]",
            SV["google"]: "'cpc'",
            SV["instagram"]: "'social'",
            SV["newsletter"]: "'email'",
        },
        "utm_campaign": {
            SV["dm"]: "flow_name(flow)",
            SV[
                "dm_mixed"
            ]: "case when oid % 5 < 2 then upper(left(flow_name(flow), 1)) || substr(flow_name(flow), 2) else flow_name(flow) end",
            SV["google"]: "'florist_near_me'",
            SV["instagram"]: "'bio_link'",
            SV["newsletter"]: "'monthly_newsletter'",
        },
        "utm_content": {
            SV["dm"]: "step_name(coalesce_step)",
            SV["dm_mixed"]: "step_name(coalesce_step)",
        },
    }
    saved_cols = ",\n        ".join(f"{case_sql('saved', v.items())} as {k}" for k, v in saved.items())
    return f"""
    select
        'SO-' || cast(oid as varchar) as order_id,
        ts(t, off) as created_at,
        case when hub = 1 then {lst(HUB_EMAILS)}[oid % {len(HUB_EMAILS)} + 1]
             when es >= 0 then email(pid, fi, li, ep, dom, es) end as customer_email,
        case when pf >= 0 then phone(pid, cty, pf) end as customer_phone,
        {lst(CURRENCIES)}[cur + 1] as currency,
        cents(sub) as subtotal,
        cents(disc) as discount_total,
        cents(ship) as shipping_total,
        cents(tax) as tax_total,
        cents(total) as total_price,
        {status} as financial_status,
        cents(refund) as refunded_amount,
        case when cancel_t >= 0 then ts(cancel_t, off) end as cancelled_at,
        {case_sql("landing", landing.items())} as landing_site,
        {saved_cols},
        {lst(SOURCE_NAMES)}[srcn + 1] as source_name/*part*/
    from (select *, case when ustep >= 0 then ustep else {S["bundle"]} end as coalesce_step from src)
    """


FX_SELECT = """
    select day_str(day) as rate_date, cur as currency,
        (case when rate < 0 then '-' else '' end) || cast(abs(rate) // 10000 as varchar) || '.'
        || lpad(cast(abs(rate) % 10000 as varchar), 4, '0') as rate_to_reporting
    from src
"""
COSTS_SELECT = """
    select cost_month, cost_type, cents(amount) as amount, currency, note from src
"""


# ----------------------------------------------------------------------------- writing


def load_source(con, columns):
    """The numpy columns as DuckDB temp table ``src`` (numbers only, a few bytes a row); empties
    ``columns`` so that the arrays are freed. A DuckDB table scans in parallel, in a fixed order."""
    con.register("src_arrays", pd.DataFrame(columns, copy=False))
    con.execute("create or replace temp table src as select * from src_arrays")
    con.unregister("src_arrays")
    columns.clear()


def write_table(con, cfg, name, select, columns, part_key=None):
    """COPY the rendered table to DIR/<name>.<ext>; with --parts, to DIR/<name>/<YYYY-MM-DD>.<ext> by
    part_key (days from --start), or DIR/<name>/all.<ext> when the table has no part key.

    Parts: the rows, sorted by day (stable), are rendered once into a temporary Parquet file with the
    day as an extra column; each day is then copied out of it (row groups are pruned by the day), so
    the big rendering query runs once, not once a day."""
    ext = "csv" if cfg.fmt == "csv" else "parquet"
    options = (
        "(FORMAT csv, HEADER true)"
        if cfg.fmt == "csv"
        else "(FORMAT parquet, COMPRESSION zstd, WRITE_BLOOM_FILTER false)"
    )
    if cfg.parts is None or part_key is None:
        target = cfg.out / f"{name}.{ext}" if cfg.parts is None else cfg.out / name / f"all.{ext}"
        target.parent.mkdir(parents=True, exist_ok=True)
        load_source(con, columns)
        con.execute(f"copy ({select.replace('/*part*/', '')}) to '{target}' {options}")
        con.execute("drop table src")
        return
    folder = cfg.out / name
    folder.mkdir(parents=True, exist_ok=True)
    order = np.argsort(part_key, kind="stable")
    for key in list(columns):
        columns[key] = columns[key][order]
    columns["_part"] = part_key[order]
    days = np.unique(part_key).tolist()
    del order
    load_source(con, columns)
    tmp = folder / ".rendered.parquet"
    con.execute(f"copy ({select.replace('/*part*/', ', _part')}) to '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
    con.execute("drop table src")
    for d in days:
        day = (cfg.start + timedelta(days=int(d))).isoformat()
        con.execute(
            f"copy (select * exclude (_part) from read_parquet('{tmp}') where _part = {int(d)}) "
            f"to '{folder / f'{day}.{ext}'}' {options}"
        )
    tmp.unlink()


MARKER = ".dm_roi_datagen"


def generate(cfg):
    """Build the world and write the five tables; returns row counts and timings."""
    out = cfg.out
    out.mkdir(parents=True, exist_ok=True)
    marker = out / MARKER
    existing = [
        p.name for name in C.TABLES for p in (out / f"{name}.parquet", out / f"{name}.csv", out / name) if p.exists()
    ]
    if existing and not marker.exists():
        # never replace files this generator did not write (they may be someone's exports)
        raise SystemExit(
            f"{out} already holds {', '.join(existing)} and was not written by this generator "
            f"(no {MARKER} file): choose a new or empty folder"
        )
    marker.write_text("written by python -m scripts.datagen; its tables are replaced on the next run\n")
    t0 = time.perf_counter()
    world = build(cfg)
    t_build = time.perf_counter() - t0
    for name in C.TABLES:
        for path in (out / f"{name}.parquet", out / f"{name}.csv"):
            path.unlink(missing_ok=True)
        if (out / name).is_dir():  # a previous --parts run
            shutil.rmtree(out / name)
    con = duckdb.connect()
    con.execute(f"set threads = {cfg.threads}")
    con.execute("set preserve_insertion_order = true")
    con.execute("set enable_progress_bar = false")
    for statement in macros_sql(cfg):
        con.execute(statement)
    people = world["people"]
    counts, seconds = {}, {}
    t_write = time.perf_counter()

    ev = world["events"]
    counts["raw_dm_events"] = len(ev["t"])
    day = (ev["t"] + ev["lag"]) // DAY
    write_table(con, cfg, "raw_dm_events", events_select(cfg), ev, day)
    seconds["raw_dm_events"] = round(time.perf_counter() - t_write, 1)
    del ev, day
    world["events"] = None

    r = world["crm"]
    for key in ("fi", "li", "ep", "dom", "hp"):
        r[key] = people[key][r["pid"]]
    r["cty"] = people["country"][r["pid"]]
    counts["raw_crm_contacts"] = len(r["kind"])
    t_write = time.perf_counter()
    write_table(con, cfg, "raw_crm_contacts", crm_select(cfg), r, r["updated"] // DAY)
    seconds["raw_crm_contacts"] = round(time.perf_counter() - t_write, 1)

    o = world["orders"]
    for key in ("fi", "li", "ep", "dom"):
        o[key] = people[key][o["pid"]]
    o["cty"] = people["country"][o["pid"]]
    counts["raw_orders"] = len(o["t"])
    write_table(con, cfg, "raw_orders", orders_select(), o, o["t"] // DAY)

    fx = world["fx"]
    counts["raw_fx_rates"] = len(fx["day"])
    write_table(con, cfg, "raw_fx_rates", FX_SELECT, fx)

    lines = world["costs"]
    costs = {
        "cost_month": np.array([m.isoformat() for m, *_ in lines], dtype=object),
        "cost_type": np.array([x[1] for x in lines], dtype=object),
        "amount": np.array([x[2] for x in lines], dtype=np.int64),
        "currency": np.array([x[3] for x in lines], dtype=object),
        "note": np.array([x[4] for x in lines], dtype=object),
    }
    counts["raw_automation_costs"] = len(lines)
    write_table(con, cfg, "raw_automation_costs", COSTS_SELECT, costs)
    con.close()
    return {
        "counts": counts,
        "duplicates": world["duplicates"],
        "threads": world["n_auto"] + world["n_org"],
        "seconds_build": round(t_build, 1),
        "seconds_write": seconds,
        "seconds_total": round(time.perf_counter() - t0, 1),
    }
