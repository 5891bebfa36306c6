"""People of the story and their identifiers: names, unique emails, phones and handles.

A ``Person`` is the truth behind the rows: a DM customer, a website sign-up, an imported customer, a
till customer, a guest buyer. The rows then show their identifiers in the contract's messy styles
(``scripts/datagen/mess.py``).
"""

from __future__ import annotations

from scripts.datagen import mess
from scripts.datagen.contract import DOMAINS, FIRST, LAST
from scripts.datagen.mess import ascii_name

from .world import World

RESERVED_PHONES = {"FR": "612345678"}  # the classic 06 12 34 56 78, used by split person A-B-C
CURRENCY_OF = {"US": "USD", "FR": "EUR", "UK": "GBP", "CH": "CHF"}


class Person:
    def __init__(self, pid, kind, country, rng):
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
        self.currency = CURRENCY_OF[country]


def random_email_style(rng, p_messy):
    """'clean', or with probability p_messy one of the messy case / space styles."""
    if rng.random() >= p_messy:
        return "clean"
    return rng.choice(["title", "upper", "lead_space", "trail_space", "both"])


def _unique(w: World, used: set[str], patterns, make, what):
    """Draw a pattern and render it until the result is not in ``used`` (50 tries)."""
    for _attempt in range(50):
        value = make(w.rng.choice(patterns))
        if value not in used:
            used.add(value)
            return value
    raise RuntimeError(f"{what} space exhausted")


def new_email(w: World, first, last, country):
    f, l = ascii_name(first), ascii_name(last)
    rng = w.rng

    def make(pattern):
        local = pattern.format(f=f, l=l, f0=f[0], n=rng.randint(2, 98), l3=l[:3])
        local = local.replace(" ", "").replace("'", "")
        return f"{local}@{rng.choice(DOMAINS[country])}"

    patterns = ["{f}.{l}", "{f}{l}", "{f0}.{l}", "{f}.{l}{n}", "{f}_{l3}", "{l}.{f}"]
    return _unique(w, w.used_emails, patterns, make, "email")


def new_phone(w: World, country):
    if country == "CH":
        return "79" + f"{w.rng.randint(1000000, 9999999)}"
    return w.phone_pools[country].pop()


def new_handle(w: World, first, last):
    f, l = ascii_name(first), ascii_name(last)

    def make(pattern):
        return pattern.format(f=f, l=l, l0=l[0], n=w.rng.randint(3, 99)).replace(" ", "")

    patterns = ["{f}.{l}", "{f}{l}", "{f}_{l}", "{f}.{l0}{n}", "{f}.blooms", "{f}{n}", "the.{f}.{l}", "{f}_{l}_{n}"]
    return _unique(w, w.used_handles, patterns, make, "handle")


def make_person(w: World, kind, country=None, email=True, phone=True, handle=False):
    if country is None:
        country = w.rng.pick([("US", 70), ("FR", 18), ("UK", 12)])
    p = Person(len(w.people) + 1, kind, country, w.rng)
    if email:
        p.email = new_email(w, p.first, p.last, country)
    if phone:
        p.phone = new_phone(w, country)
    if handle:
        p.handle = new_handle(w, p.first, p.last)
    w.people.append(p)
    return p


def fmt_phone(p, kind):
    return mess.render_phone(p.country, p.phone, kind)


def linkable_phone_kind(rng, p):
    """A phone format that normalises to the person's E.164 number under the project's rules."""
    if p.country == "US":
        return rng.pick(
            [("paren", 30), ("dot", 15), ("intl", 20), ("dash", 15), ("e164", 10), ("one", 5), ("plain", 5)]
        )
    return rng.pick([("intl", 55), ("00", 25), ("e164", 20)])


def build_non_dm_people(w: World):
    """Website, import and POS people (created before the orders that reference them)."""
    for _k in range(40):
        make_person(w, "website", phone=w.rng.random() < 0.45, handle=w.rng.random() < 0.2)
    for _k in range(18):
        make_person(w, "import", phone=w.rng.random() < 0.7)
    for _k in range(12):
        make_person(w, "pos_customer", country="US", email=w.rng.random() < 0.4)
