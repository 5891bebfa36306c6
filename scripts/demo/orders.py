"""Orders: the ``Order`` of the story, its amounts and UTMs, and the shop's ordinary orders (web, POS,
instagram_shop) that have nothing to do with a DM session. The DM orders are planned in
``scripts/demo/dm_orders.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

from scripts.datagen.mess import camel, dm_landing, messy_email, money

from .people import fmt_phone, linkable_phone_kind, make_person, random_email_style
from .story import DATA_START, HUB_EMAIL
from .world import World


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


def decompose(rng, total, currency):
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


def forward_amounts(rng, currency, lo=30, hi=140):
    """The amounts of an order whose total follows from its lines (non-DM orders)."""
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


def order_delay(rng):
    """How long after their last link click a DM buyer orders."""
    return rng.delay([((600, 7200), 50), ((7200, 86400), 30), ((86400, 5 * 86400), 20)])


def buyer_contact(rng, sess, order_t):
    """(email, phone) the buyer types at checkout, linkable to the session's person."""
    p = sess.person
    known_email = any(s.lead and s.lead["email"] and s.lead["t"] < order_t for s in p.sessions)
    known_phone = any(s.lead and s.lead["phone"] and s.lead["t"] < order_t for s in p.sessions)
    if known_email or p.pre_record:
        email = messy_email(p.email, random_email_style(rng, 0.35))
        phone = fmt_phone(p, linkable_phone_kind(rng, p)) if rng.random() < 0.3 else ""
        return email, phone
    if known_phone:
        return "", fmt_phone(p, linkable_phone_kind(rng, p))
    return None


def set_dm_utms(rng, o, url, saved_style):
    """The order's UTMs from the DM link: saved columns (clean or mixed case) or only in landing_site."""
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


def build_ordinary_orders(w: World):
    """Web / POS / instagram_shop orders unrelated to DM sessions, and the two contract-breaking orders."""
    rng = w.rng
    customers = [p for p in w.people if p.kind in ("website", "import")]
    n_web = 0
    for _k in range(150):
        p = rng.choice(customers) if rng.random() < 0.7 else make_person(w, "guest", phone=rng.random() < 0.4)
        day = datetime(2026, rng.choice([9, 10]), rng.randint(1, 30), tzinfo=UTC)
        t = day + timedelta(seconds=rng.randint(8 * 3600, 23 * 3600 + 3000))
        if t < DATA_START:
            t += timedelta(hours=3)
        o = Order(t, "ordinary", p, p.currency if p.currency in ("USD", "EUR", "GBP") else "USD")
        o.email = messy_email(p.email, random_email_style(rng, 0.25)) if p.email else ""
        if p.phone and rng.random() < 0.35:
            o.phone = fmt_phone(
                p, rng.choice(["paren", "dot", "intl", "dash"] if p.country == "US" else ["intl", "00", "national"])
            )
        o.amounts = forward_amounts(rng, o.currency)
        o.status = rng.pick(
            [("paid", 84), ("pending", 4), ("refunded", 3), ("partially_refunded", 4), ("voided", 3), ("cancel", 2)]
        )
        if o.status == "cancel":
            o.status = "refunded"
            o.cancelled_t = o.t + rng.secs(1800, 86400)
        utm = rng.pick([("none", 40), ("google", 22), ("instagram", 14), ("newsletter", 14), ("landing", 10)])
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
        o.source_name = rng.pick([("web", 90), ("instagram_shop", 10)])
        if o.source_name == "instagram_shop":
            o.saved, o.landing = ("", "", "", ""), ""
        o.off = {
            "USD": rng.pick([("-04:00", 60), ("Z", 25), ("+00:00", 15)]),
            "EUR": rng.pick([("+02:00", 80), ("Z", 20)]),
            "GBP": rng.pick([("Z", 50), ("+00:00", 50)]),
        }[o.currency]
        w.orders.append(o)
        n_web += 1
    # the shop till: the hub email, walk-ins with nothing
    pos_people = [p for p in w.people if p.kind == "pos_customer"]
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
        o.amounts = forward_amounts(rng, "USD", 18, 90)
        o.status = rng.pick([("paid", 95), ("partially_refunded", 5)])
        w.orders.append(o)
    # contract-breaking orders
    o = Order(datetime(2026, 10, 9, 18, 12, 5, tzinfo=UTC), "reject_negative", None, "USD")
    o.source_name, o.off = "pos", "-04:00"
    o.amounts = (Decimal("-25.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), Decimal("-25.00"))
    o.note = "REJECT: negative total_price (a till correction keyed as an order)"
    w.orders.append(o)
    swiss = make_person(w, "guest", country="CH")
    o = Order(datetime(2026, 9, 24, 9, 48, 30, tzinfo=UTC), "reject_chf", swiss, "CHF")
    o.email = swiss.email
    o.saved = ("google", "cpc", "florist_near_me", "")
    o.landing = "/products/autumn-premium-bouquet?gclid=Cj0KCQjwCHF"
    o.amounts = forward_amounts(rng, "CHF", 60, 90)
    o.off = "+02:00"
    o.note = "REJECT: currency CHF has no rate at all"
    w.orders.append(o)
