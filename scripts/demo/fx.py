"""The fx table (raw_fx_rates): daily EUR and GBP rates to USD, with gaps, and the rates the DM orders
use rounded so that their amounts convert to whole cents."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .world import World


def build_fx(rng, dm_orders, other_orders):
    """Daily EUR and GBP rates (a bounded random walk) with missing days, two of them on the day of a
    foreign order (it falls back to the previous day); and the day of the negative GBP reject row."""
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
    """(date, rate) of the rate row an amount of day d uses: that day's or the latest earlier one."""
    while (cur, d) not in rates:
        d -= timedelta(days=1)
        if d < date(2026, 8, 1):
            return None, None
    return d, rates[(cur, d)]


def round_rates_for(rates, dm_orders):
    """Rate rows used by counted foreign DM orders become a multiple of 0.0050, so that their amounts
    convert to whole cents."""
    for o in dm_orders:
        if o.currency in ("EUR", "GBP") and o.counted:
            d, r = effective_rate(rates, o.currency, o.t.astimezone(UTC).date())
            k = int(r * 10000)
            k50 = int((Decimal(k) / 50).to_integral_value(rounding=ROUND_HALF_UP)) * 50
            rates[(o.currency, d)] = Decimal(k50) / 10000


def fx_rows(w: World, rates, bad):
    """The rows of raw_fx_rates: every rate by date and currency, plus the negative reject row."""
    rows = []
    for cur, d in sorted(rates, key=lambda k: (k[1], k[0])):
        rows.append({"rate_date": d.isoformat(), "currency": cur, "rate_to_reporting": f"{rates[(cur, d)]:.4f}"})
    bad_row = {"rate_date": bad[1].isoformat(), "currency": bad[0], "rate_to_reporting": "-1.3391"}
    rows.append(bad_row)
    rows.sort(key=lambda r: (r["rate_date"], r["currency"]))
    w.bad_rows.append(
        (
            "raw_fx_rates",
            f"rate_date={bad_row['rate_date']}, currency={bad_row['currency']}",
            "negative rate_to_reporting",
        )
    )
    return rows
