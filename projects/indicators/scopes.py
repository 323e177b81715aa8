"""Scopes and years an indicator run covers.

A scope is ``city``, ``district:<GB/T 2260 code>`` or ``pole:<pole>``; these strings are stored
on every value and used by the API and exports, so they are stable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from projects import clock
from projects.models import District, Pole

CITY = "city"
FIRST_YEAR = 2016
# Plan periods (五年规划): (number, first year, last year). The base year of a plan is the last
# year of the one before it.
PLAN_PERIODS: tuple[tuple[int, int, int], ...] = (
    (13, 2016, 2020),
    (14, 2021, 2025),
    (15, 2026, 2030),
)

ScopeKind = Literal["city", "district", "pole"]


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    code: str = ""

    def __str__(self) -> str:
        return CITY if self.kind == "city" else f"{self.kind}:{self.code}"


def district_scope(code: str) -> str:
    return f"district:{code}"


def pole_scope(code: str) -> str:
    return f"pole:{code}"


def parse_scope(scope: str) -> Scope:
    """The scope named by ``scope``; ``ValueError`` for anything the runs do not compute."""
    if scope == CITY:
        return Scope("city")
    kind, _sep, code = scope.partition(":")
    if kind == "district" and code in District.values:
        return Scope("district", code)
    if kind == "pole" and code in Pole.values:
        return Scope("pole", code)
    raise ValueError(f"unknown indicator scope {scope!r}")


def all_scopes() -> list[str]:
    """Every scope a run computes: the city, each district, each innovation pole."""
    return (
        [CITY]
        + [district_scope(code) for code in District.values]
        + [pole_scope(code) for code in Pole.values]
    )


def current_year() -> int:
    """The year it is in Chongqing, whatever time zone the server runs with."""
    return clock.today().year


def indicator_years(*, last: int | None = None) -> range:
    """The years a run computes: 2016 (start of the 13th plan) to the current year."""
    return range(FIRST_YEAR, (last or current_year()) + 1)


def year_end(year: int) -> datetime.date:
    """31 December of ``year``."""
    return datetime.date(year, 12, 31)


def count_day(year: int) -> datetime.date:
    """The day stock indicators (certifications, platforms) are counted on: 31 December, or
    today for the current year (a 31 December that has not come would count certificates
    that may yet be withdrawn and miss none that expire before it, as if the year were over).
    """
    return min(year_end(year), clock.today())


def is_year_to_date(year: int) -> bool:
    """Whether ``year``'s figures cover only part of it (the current year)."""
    return year >= current_year()
