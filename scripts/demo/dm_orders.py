"""The DM orders, planned so that revenue per chat is exactly $3.10 (September) and $6.40 (October).

``DmOrderPlan`` takes the sessions' buyers in a fixed order: the two month-boundary buyers, the four
utm_unmatched orders, then per month one USD *final* order held back and matched DM orders filled
greedily towards the month's target; then DM orders that never count (pending, voided, cancelled)
and assisted orders (non-DM UTMs after a DM link click). ``settle_amounts`` then gives every DM order
its exact amounts once the fx rates exist, and the final order of each month the remainder.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from math import gcd

from scripts.datagen.mess import CENT, dm_landing, messy_email, money

from .fx import effective_rate
from .orders import Order, buyer_contact, decompose, forward_amounts, order_delay, set_dm_utms
from .people import make_person
from .story import NOMINAL, ORDER_END, TARGET_RPC
from .world import World, month_of

NET_RANGE_USD = {"autumn_bouquets": (36, 72), "gift_bundle": (39, 75), "wedding_consult": (90, 130)}
ASSISTED_UTMS = [  # the saved / landing UTMs of five assisted orders (empty: no UTMs at all)
    ("instagram", "social", "autumn_stories", ""),
    ("google", "cpc", "florist_near_me", ""),
    ("", "", "", ""),
    ("instagram", "social", "profile_link", ""),
    ("", "", "", ""),
]


class DmOrderPlan:
    """The DM orders of both months, built in ``build()``; each step draws in a fixed order."""

    def __init__(self, w: World, sessions_per_month):
        self.w = w
        self.rng = w.rng
        self.targets = {m: TARGET_RPC[m] * sessions_per_month[m] for m in (9, 10)}
        self.remaining = dict(self.targets)  # revenue still to place, per month
        self.used_sessions = []
        self.broken = {b[0]: b for b in w.broken_links if b[2] is not None}
        self.month_orders = {9: [], 10: []}
        self.finals = {}
        self.leftovers = {9: [], 10: []}
        self.cands, self.forced = self.candidates()

    # ---- who can buy

    def candidates(self):
        """Sessions with a clean DM link click and a linkable buyer, by month of the order, best first
        (one GBP and one EUR buyer first in each month); and the two forced boundary buyers."""
        rng = self.rng
        cands = {9: [], 10: []}
        forced = []
        for s in self.w.sessions:
            if s.broken or not s.link_clicks:
                continue
            click = s.link_clicks[-1]
            if s.force == "buy_oct":
                t = datetime(2026, 10, 1, 2, 40, 0, tzinfo=UTC)
            elif s.force == "buy_sep":
                t = datetime(2026, 9, 30, 22, 35, 0, tzinfo=UTC)
            else:
                t = click["t"] + order_delay(rng)
                if t > ORDER_END:
                    t = click["t"] + rng.secs(600, 3600)
                if t > ORDER_END:
                    continue
            contact = buyer_contact(rng, s, t)
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
            for cur in ("GBP", "EUR"):
                first = next((c for c in cands[m] if c["sess"].person.currency == cur), None)
                if first is not None:
                    cands[m].remove(first)
                    cands[m].insert(0, first)
        return cands, forced

    def desired_net(self, flow, currency):
        """A plausible basket for the flow, in the currency (sized with the nominal rate)."""
        lo, hi = NET_RANGE_USD[flow]
        usd = Decimal(self.rng.randint(lo * 100, hi * 100)) / 100
        if self.rng.random() < 0.4:
            usd = usd.to_integral_value() - Decimal("0.01")
        return money(usd / NOMINAL[currency]) if currency != "USD" else money(usd)

    def dm_order(self, item, kind="dm", currency=None):
        """An order of a candidate: its contact, an offset for its currency, UTMs from its click."""
        rng = self.rng
        s = item["sess"]
        cur = currency or s.person.currency
        o = Order(item["t"], kind, s.person, cur)
        o.session = s
        o.email, o.phone = item["contact"]
        o.off = {  # both choices are drawn whatever the currency
            "USD": rng.choice(["-04:00", "Z", "-04:00", "+00:00"]),
            "EUR": "+02:00",
            "GBP": rng.choice(["Z", "+00:00"]),
        }[cur]
        set_dm_utms(rng, o, item["click"]["url"], rng.pick([("clean", 45), ("mixed", 25), ("landing_only", 30)]))
        o.source_name = "web"
        self.used_sessions.append(s)
        return o

    def take(self, m):
        """The next unused candidate of month m (or of the other month)."""
        return self.leftovers[m].pop(0) if self.leftovers[m] else self.leftovers[19 - m].pop(0)

    # ---- the plan, step by step

    def build(self):
        self.boundary_orders()
        self.unmatched_orders()
        self.matched_orders()
        uncounted = self.uncounted_orders()
        assisted = self.assisted_orders()
        dm_all = self.month_orders[9] + self.month_orders[10] + [self.finals[9], self.finals[10]] + uncounted
        self.w.orders.extend(dm_all)
        self.w.orders.extend(assisted)
        return self

    def place(self, o, amount):
        """Count an order in its month and take its (approximate USD) amount off what is left."""
        self.month_orders[month_of(o.t)].append(o)
        self.remaining[month_of(o.t)] -= amount

    def boundary_orders(self):
        """The two boundary buyers: an order at 2026-10-01T00:35+02:00 (September revenue) and one at
        2026-09-30T22:40-04:00 (October revenue)."""
        for item in self.forced:
            o = self.dm_order(item)
            o.net = Decimal("79.00") if item["sess"].force == "buy_sep" else Decimal("84.50")
            o.currency = "USD"
            if item["sess"].force == "buy_oct":
                o.off = "-04:00"  # 2026-09-30T22:40:00-04:00: an October order with a September local date
                o.note = "boundary: local date 2026-09-30, UTC October"
            else:
                o.off = "+02:00"  # 2026-10-01T00:35:00+02:00: a September order with an October local date
                o.note = "boundary: local date 2026-10-01, UTC September"
            o.counted = True
            self.place(o, o.net)

    def unmatched_orders(self):
        """Four DM-attributed orders with no session to go to (utm_unmatched)."""
        rng = self.rng
        unmatched = []
        # U1: no email, no phone; UTMs only in landing_site
        o = Order(datetime(2026, 9, 12, 19, 41, 7, tzinfo=UTC), "unmatched", None, "USD")
        o.landing = "/products/gift-bundle?utm_source=dm&utm_medium=chat&utm_campaign=gift_bundle&utm_content=bundle"
        o.net, o.off, o.counted = Decimal("69.00"), "-04:00", True
        o.note = "utm_unmatched: no email and no phone (a person of its own)"
        unmatched.append(o)
        # U2: the person's only session of that flow is 9-12 days old
        for item in self.cands[9] + self.cands[10]:
            s = item["sess"]
            if len(s.person.sessions) != 1 or s.person.currency != "USD":
                continue
            t = item["click"]["t"] + timedelta(days=rng.randint(9, 12), hours=rng.randint(1, 6))
            if t > ORDER_END or t.month != 10:
                continue
            o = self.dm_order(dict(item, t=t), kind="unmatched")
            o.net, o.counted = Decimal("58.00"), True
            o.note = f"utm_unmatched: the only {s.flow} session started {(t - s.start).days} days before the order"
            unmatched.append(o)
            for mm in (9, 10):
                self.cands[mm] = [c for c in self.cands[mm] if c["sess"] is not s]
            break
        # U3: the misspelled utm_campain link: DM source/medium, no campaign
        _kind, _msg, click, s = self.broken["campain"]
        t = click["t"] + rng.secs(3600, 30 * 3600)
        o = Order(t, "unmatched", s.person, s.person.currency)
        o.email = messy_email(s.person.email, "title")
        o.landing = dm_landing(click["url"], "plain")
        o.off = "Z"
        o.net, o.counted = None, True  # amount set with the other DM orders (currency may be foreign)
        o.note = "utm_unmatched: landing_site carries utm_campain (misspelled), so no utm_campaign"
        o.session = s
        self.used_sessions.append(s)
        unmatched.append(o)
        # U4: a forwarded link, bought by someone who never wrote to us
        guest = make_person(self.w, "guest", country="US", phone=False)
        o = Order(datetime(2026, 10, 17, 15, 2, 44, tzinfo=UTC), "unmatched", guest, "USD")
        o.email = guest.email
        o.saved = ("dm", "chat", "autumn_bouquets", "bundle")
        o.landing = "/products/autumn-bundle"
        o.net, o.off, o.counted = Decimal("79.00"), "-04:00", True
        o.note = "utm_unmatched: a forwarded DM link, the buyer has no DM session"
        unmatched.append(o)
        for o in unmatched:
            if o.net is None:
                o.net = self.desired_net("gift_bundle" if o.session is None else o.session.flow, o.currency)
            self.place(o, o.net * NOMINAL.get(o.currency, 1))

    def matched_orders(self):
        """Per month: hold back one USD final order, then fill greedily (one fully refunded order in
        October, one partially refunded per month) until less than $90 is left."""
        for m in (9, 10):
            pool = [c for c in self.cands[m] if c["sess"] not in self.used_sessions]
            final_item = next(c for c in pool if c["sess"].person.currency == "USD" and c["contact"][0])
            pool.remove(final_item)
            fo = self.dm_order(final_item)
            fo.currency = "USD"
            fo.counted = True
            fo.note = "final order: net amount set so that revenue / sessions is exact"
            self.finals[m] = fo
            n_partial = 0
            zero_refund_done = m == 9
            k = 0
            while k < len(pool):
                item = pool[k]
                k += 1
                if self.remaining[m] <= Decimal("90"):
                    self.leftovers[m].extend(pool[k - 1 :])
                    break
                s = item["sess"]
                if s in self.used_sessions:
                    continue
                net = self.desired_net(s.flow, s.person.currency)
                approx = net * NOMINAL[s.person.currency]
                if not zero_refund_done and len(self.month_orders[m]) >= 4:
                    o = self.dm_order(item)
                    o.status, o.net, o.counted = "refunded", Decimal("0.00"), True
                    o.note = "fully refunded DM order: net 0, not an order"
                    self.month_orders[m].append(o)
                    zero_refund_done = True
                    continue
                if self.remaining[m] - approx < Decimal("35"):
                    if self.remaining[m] - Decimal("35") < Decimal("35"):
                        self.leftovers[m].append(item)
                        continue
                    # a smaller basket (a single bouquet) fits what is left
                    net = money((self.remaining[m] - Decimal("50")) / NOMINAL[s.person.currency])
                    approx = net * NOMINAL[s.person.currency]
                o = self.dm_order(item)
                o.net, o.counted = net, True
                if n_partial == 0 and len(self.month_orders[m]) >= 2:
                    o.status = "partially_refunded"
                    n_partial += 1
                self.month_orders[m].append(o)
                self.remaining[m] -= approx
            if self.remaining[m] > Decimal("90"):
                raise SystemExit(f"not enough DM buyers in month {m}: {self.remaining[m]} left")
        for m in (9, 10):
            self.leftovers[m] = [c for c in self.leftovers[m] if c["sess"] not in self.used_sessions]

    def uncounted_orders(self):
        """DM orders that never count: pending, voided, cancelled (refunded with cancelled_at)."""
        uncounted = []
        for status, cancelled, m in (("pending", False, 9), ("voided", False, 10), ("refunded", True, 10)):
            item = self.take(m)
            o = self.dm_order(item, kind="dm_uncounted")
            o.status = status
            o.net = self.desired_net(item["sess"].flow, o.currency)
            if cancelled:
                o.cancelled_t = o.t + self.rng.secs(3600, 20 * 3600)
                o.note = "cancelled DM order (cancelled_at set): not eligible"
            else:
                o.note = f"{status} DM order: not eligible"
            o.counted = False
            uncounted.append(o)
        return uncounted

    def assisted_order(self, t, s, note):
        """A non-DM order of a DM session's person (forward amounts, not counted as DM revenue)."""
        o = Order(t, "assisted", s.person, s.person.currency)
        o.note = note
        o.session = s
        return o

    def assisted_orders(self):
        """Non-DM orders of people who clicked a DM link in the days before (int_order_assists)."""
        rng = self.rng
        assisted = []
        for n_st, st in enumerate(ASSISTED_UTMS):
            item = self.take(9 if n_st % 2 == 0 else 10)
            s = item["sess"]
            o = self.assisted_order(
                item["click"]["t"] + rng.secs(3 * 3600, 4 * 86400), s, "assisted: non-DM UTMs after a DM link click"
            )
            if o.t > ORDER_END:
                o.t = item["click"]["t"] + rng.secs(1800, 7200)
            o.email, o.phone = item["contact"]
            if st[0]:
                if rng.random() < 0.5:
                    o.saved = st
                    o.landing = "/collections/autumn"
                else:
                    o.landing = f"/collections/autumn?utm_source={st[0]}&utm_medium={st[1]}&utm_campaign={st[2]}"
            else:
                o.landing = "/"
            o.amounts = forward_amounts(rng, o.currency, 40, 120)
            o.off = {"USD": "-04:00", "EUR": "+02:00", "GBP": "Z"}[o.currency]
            self.used_sessions.append(s)
            assisted.append(o)
        # saved set (instagram) wins over a DM landing_site: not DM, assisted
        item = self.take(10)
        s = item["sess"]
        o = self.assisted_order(
            item["t"], s, "saved UTMs (instagram) override the DM landing_site: the sets are never mixed, not DM"
        )
        o.email, o.phone = item["contact"]
        o.saved = ("instagram", "social", "bio_link", "")
        o.landing = dm_landing(item["click"]["url"], "plain")
        o.amounts = forward_amounts(rng, o.currency, 40, 120)
        o.off = "Z"
        assisted.append(o)
        # the link without utm_medium: dm source but no medium, so not DM-attributed
        _kind, _msg, click, s = self.broken["no_medium"]
        o = self.assisted_order(
            click["t"] + rng.secs(1800, 40000),
            s,
            "landing_site has utm_source=dm but no utm_medium: not DM-attributed (assisted)",
        )
        o.email = messy_email(s.person.email, "clean")
        o.landing = dm_landing(click["url"], "plain")
        o.amounts = forward_amounts(rng, o.currency, 40, 120)
        assisted.append(o)
        return assisted


def dm_orders_of(w: World, finals):
    """Every DM order (counted or not), each once, in the order of ``w.orders`` then the finals."""
    dm = [o for o in w.orders if o.kind in ("dm", "unmatched", "dm_uncounted")] + [finals[9], finals[10]]
    return [o for i, o in enumerate(dm) if o not in dm[:i]]


def settle_amounts(w: World, plan: DmOrderPlan, dm_orders, rates):
    """Exact amounts: foreign DM orders get a net that converts to whole cents at their (rounded) rate,
    refunds are added, and each month's final USD order gets target x sessions - the rest."""
    rng = w.rng
    finals = plan.finals
    got = {9: Decimal("0"), 10: Decimal("0")}
    for o in dm_orders:
        if o in finals.values():
            continue
        if o.currency in ("EUR", "GBP"):
            _d, r = effective_rate(rates, o.currency, o.t.astimezone(UTC).date())
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
        o.amounts = decompose(rng, total, o.currency)
        if o.counted:
            got[month_of(o.t)] += (total - o.refund) * r
    for m in (9, 10):
        fo = finals[m]
        fo.net = plan.targets[m] - got[m]
        assert fo.net == fo.net.quantize(CENT)
        fo.net = fo.net.quantize(CENT)
        if not (Decimal("20") <= fo.net <= Decimal("200")):
            raise SystemExit(f"final order of month {m} would be {fo.net}")
        fo.amounts = decompose(rng, fo.net, "USD")
