"""The state of one run: the random generator and everything built so far, in one object.

Every builder takes the ``World`` (or only its ``rng`` when it draws and builds nothing shared) and
appends to its lists; nothing lives in module globals. The files are byte-identical from run to run
because there is one ``random.Random`` with a fixed seed and the builders draw from it in a fixed
order: moving a draw, even to a helper, changes the seeds (``make seed-data`` then ``git status``
shows it).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from .story import SEED

US_AREAS = ["415", "628", "510", "650", "212", "718"]


class Dice(random.Random):
    """The run's random generator: a ``random.Random`` (same draws for the same calls) with two
    shorthands the story uses everywhere."""

    def pick(self, pairs):
        """Weighted choice from a list of (value, weight): one draw."""
        total = sum(w for _, w in pairs)
        r = self.random() * total
        for value, weight in pairs:
            r -= weight
            if r < 0:
                return value
        return pairs[-1][0]

    def secs(self, a, b):
        """A random whole number of seconds in [a, b], as a timedelta: one draw."""
        return timedelta(seconds=self.randint(a, b))

    def delay(self, ranges):
        """One of several kinds of delay, from ((min s, max s), weight) pairs: a delay is drawn in every
        range first, then one of them is picked by weight (as many draws as ranges, plus one)."""
        return self.pick([(self.secs(a, b), weight) for (a, b), weight in ranges])


@dataclass
class World:
    """What a run has built so far (people, DM threads and sessions, orders, CRM records) and what the
    writers collect on the way (contract-breaking rows, mess counters)."""

    rng: Dice
    phone_pools: dict[str, list[str]]  # national numbers handed out once each, by country
    ig_ids: list[int]  # Instagram user ids handed out once each
    used_emails: set[str] = field(default_factory=set)
    used_handles: set[str] = field(default_factory=set)
    people: list = field(default_factory=list)  # Person
    threads: list = field(default_factory=list)  # Thread
    sessions: list = field(default_factory=list)  # Session
    events: list[dict] = field(default_factory=list)  # every generated event, before ids and rendering
    broken_links: list[tuple] = field(default_factory=list)  # (kind, message event, click event, session)
    orders: list = field(default_factory=list)  # Order
    crms: list = field(default_factory=list)  # Crm
    bad_rows: list[tuple[str, str, str]] = field(default_factory=list)  # (table, identifier, rule)
    mess: Counter = field(default_factory=Counter)

    @classmethod
    def new(cls, seed: int = SEED) -> World:
        """A fresh world. Its first draws shuffle the phone pools and sample the Instagram ids, in
        this order, before anything else is drawn."""
        rng = Dice(seed)
        us = [a + "555" + f"{n:04d}" for a in US_AREAS for n in range(100, 200)]
        rng.shuffle(us)
        fr = ["63998" + f"{n:04d}" for n in range(10000)]
        rng.shuffle(fr)
        uk = ["7700900" + f"{n:03d}" for n in range(1000)]
        rng.shuffle(uk)
        ig_ids = rng.sample(range(100000, 999999), 600)
        return cls(rng=rng, phone_pools={"US": us, "FR": fr, "UK": uk}, ig_ids=ig_ids)


def month_of(dt):
    """The calendar month of an aware datetime in UTC (the month the models count it in)."""
    return dt.astimezone(UTC).month
