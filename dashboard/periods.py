"""Reporting periods: ISO weeks (Monday start) and calendar months, on UTC dates.

A period is *complete* when its last day is on or before the latest date of
the data (the latest session or order in the marts): the data then covers
every day of it. The default period is the latest complete month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

GRAINS = ("month", "week")
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    grain: str
    start: date

    @property
    def end(self) -> date:
        """The last day of the period."""
        if self.grain == "week":
            return self.start + timedelta(days=6)
        next_month = (self.start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return next_month - timedelta(days=1)

    @property
    def code(self) -> str:
        """How PERIOD= spells it: 2026-09 or 2026-W40."""
        if self.grain == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.strftime("%Y-%m")

    @property
    def label(self) -> str:
        if self.grain == "week":
            year, week, _ = self.start.isocalendar()
            return f"Week {week} of {year} ({self.start:%d %b} – {self.end:%d %b %Y})"
        return self.start.strftime("%B %Y")

    @property
    def short_label(self) -> str:
        if self.grain == "week":
            return f"W{self.start.isocalendar()[1]:02d}"
        return self.start.strftime("%b %Y")

    def is_complete(self, latest_data_date: date) -> bool:
        return self.end <= latest_data_date


def period_containing(grain: str, day: date) -> Period:
    if grain == "week":
        return Period("week", day - timedelta(days=day.weekday()))
    if grain == "month":
        return Period("month", day.replace(day=1))
    raise ValueError(f"unknown period grain {grain!r} (week or month)")


def previous(period: Period) -> Period:
    return period_containing(period.grain, period.start - timedelta(days=1))


def latest_complete(grain: str, latest_data_date: date) -> Period:
    """The latest period of the grain whose last day is on or before latest_data_date."""
    period = period_containing(grain, latest_data_date)
    return period if period.is_complete(latest_data_date) else previous(period)


def parse_period(text: str | None, latest_data_date: date) -> Period:
    """PERIOD as given: empty or 'month' (the latest complete month), 'week' (the
    latest complete ISO week), 2026-09 (a month) or 2026-W40 (an ISO week)."""
    text = (text or "").strip()
    if text in ("", "month", "week"):
        return latest_complete(text or "month", latest_data_date)
    if match := MONTH_PATTERN.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"PERIOD {text!r}: month {month} does not exist")
        return Period("month", date(year, month, 1))
    if match := WEEK_PATTERN.match(text):
        year, week = int(match[1]), int(match[2])
        try:
            return Period("week", date.fromisocalendar(year, week, 1))
        except ValueError as error:
            raise ValueError(f"PERIOD {text!r}: {error}") from None
    raise ValueError(f"PERIOD {text!r}: expected YYYY-MM (a month), YYYY-Www (an ISO week), 'month' or 'week'")
