"""China's working-day calendar (工作日): public holidays off, exchanged weekend days (调休) on.

The State Council publishes each year's arrangement in November or December of the year
before. The ``holidays`` package encodes every published arrangement as ``China``'s
``special_public_holidays`` (keyed by year, from 2001); for a year missing there it only
*estimates* the statutory days from the lunar calendar and knows no exchanged weekend days,
so such a year is not treated as known: we count Monday to Friday and say the result is
provisional.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

# The next year's notice can also move the last days of December (29–31 December in 2001,
# 2005, 2006, 2007, 2011 and 2018, for the coming New Year), so from Christmas week on a day is
# only final once the following year is known too.
_YEAR_END_FROM = (12, 25)


@lru_cache(maxsize=1)
def official_years() -> frozenset[int]:
    """The years whose official holiday arrangement the installed calendar holds."""
    published = holidays.China().special_public_holidays
    if not published:
        return frozenset()
    # Every year from the first to the last is covered by a notice; a year with no entry in
    # between would only mean its arrangement needed no exchanged day, not that it is unknown.
    return frozenset(range(min(published), max(published) + 1))


def is_official(day: datetime.date) -> bool:
    """Whether ``day``'s status comes from a published arrangement (else: estimated)."""
    known = official_years()
    if day.year not in known:
        return False
    if (day.month, day.day) >= _YEAR_END_FROM:
        return day.year + 1 in known
    return True


@lru_cache(maxsize=64)
def _calendar(year: int) -> holidays.HolidayBase:
    # Neighbouring years too: a notice can make a weekend day of the previous or next year a
    # working day (2002's notice put working Saturdays in December 2001).
    return holidays.China(years=range(year - 1, year + 2))


def is_working_day(day: datetime.date) -> bool:
    if day.year not in official_years():
        return day.weekday() < 5
    return _calendar(day.year).is_working_day(day)


def add_working_days(start: datetime.date, count: int) -> tuple[datetime.date, bool]:
    """The ``count``-th working day after ``start`` (``start`` itself not counted), and whether
    the answer is provisional because a day on the way is not in a published arrangement."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    provisional = False
    remaining = count
    while remaining:
        day += datetime.timedelta(days=1)
        provisional = provisional or not is_official(day)
        if is_working_day(day):
            remaining -= 1
    return day, provisional
