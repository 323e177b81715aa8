"""Technology-based enterprise registrations (one calendar year each) and high-tech enterprise
certificates (three years each), issued so that the counts on 31 December are the report's.

Each enterprise holds at most one certificate of a kind at a time: a renewed high-tech
certificate starts the day after the previous one ends.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from .figures import (
    ESTABLISHED_ENTERPRISES,
    HIGH_TECH_RENEWAL,
    TECH_ENTERPRISES,
    TECH_RETENTION,
    high_tech_issued,
    scaled,
)
from .organizations import enterprise_add
from .world import CST, Org, workday

if TYPE_CHECKING:
    from .builder import World

TECH = "tech_enterprise"
HIGH_TECH = "high_tech"


def certifications_build(w: World) -> None:
    _tech_enterprises(w)
    for _ in range(scaled(ESTABLISHED_ENTERPRISES, w.scale)):
        w.established.append(enterprise_add(w))
    _high_tech(w)


def _batches(w: World, year: int, months: range) -> list[datetime.date]:
    """The days a year's evaluation rounds announced their lists."""
    return [workday(datetime.date(year, month, w.rng.randint(12, 26))) for month in months]


def _imported_at(day: datetime.date) -> datetime.datetime:
    # Lists are imported the morning they are announced; one timestamp per list.
    return datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=CST)


def _tech_enterprises(w: World) -> None:
    rng = w.rng
    table = w.tables.certifications
    previous: list[Org] = []
    for year, count in TECH_ENTERPRISES.items():
        target = scaled(count, w.scale)
        keep = min(len(previous), round(TECH_RETENTION * len(previous)), target)
        # Draw the few that leave rather than the many that stay.
        leaving = set(rng.sample(range(len(previous)), len(previous) - keep))
        kept = [org for index, org in enumerate(previous) if index not in leaving]
        new = [enterprise_add(w) for _ in range(target - len(kept))]
        w.tech_newcomers[year] = new
        registrants = kept + new
        w.tech_registrants[year] = registrants
        batches = _batches(w, year, range(3, 11))
        stamps = [_imported_at(day) for day in batches]
        until = datetime.date(year, 12, 31)
        serials: dict[str, int] = {}
        add = table.rows.append
        for org in new:
            org.first_seen = batches[0]
        for org in registrants:
            batch = int(rng.random() * len(batches))
            serial = serials[org.district] = serials.get(org.district, 0) + 1
            number = f"{year}{org.district}{serial:06d}"
            add((stamps[batch], stamps[batch], org.id, TECH, number, batches[batch], until))
        previous = registrants


def _high_tech(w: World) -> None:
    rng = w.rng
    table = w.tables.certifications
    issued = high_tech_issued(w.scale)
    first_cohort = min(w.tech_newcomers)
    pool: list[Org] = list(w.established) + list(w.tech_newcomers[first_cohort])
    started: dict[int, list[tuple[Org, datetime.date]]] = {}
    for year, count in issued.items():
        if year > first_cohort:
            pool.extend(w.tech_newcomers.get(year, []))
        expiring = started.get(year - 3, [])
        renewed = rng.sample(expiring, min(count, round(HIGH_TECH_RENEWAL * len(expiring))))
        certificates = [(org, _three_years_after(start)) for org, start in renewed]
        batches = _batches(w, year, range(10, 13))
        for _ in range(count - len(renewed)):
            if not pool:
                raise ValueError("not enough enterprises for the high-tech certificates")
            index = rng.randrange(len(pool))
            pool[index], pool[-1] = pool[-1], pool[index]
            org = pool.pop()
            w.high_tech.append(org)
            certificates.append((org, rng.choice(batches)))
        started[year] = certificates
        for serial, (org, start) in enumerate(certificates, start=1):
            org.seen(start)
            until = _three_years_after(start) - datetime.timedelta(days=1)
            stamp = _imported_at(start)
            table.add(stamp, stamp, org.id, HIGH_TECH, f"GR{year}511{serial:05d}", start, until)


def _three_years_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 3)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 3, day=28)
