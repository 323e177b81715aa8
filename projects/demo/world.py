"""The in-memory demo world: the records being built, their timelines, ids and the clock.

Records are plain objects with their final ids, built completely before anything is written:
the generators refer to each other freely (a need to the project that followed it), and the
writer then inserts every table in one pass.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db import models
from django.db.models import Max

from .figures import AS_OF
from .vocabulary import DISTRICT_WEIGHTS, POLE_CHAINS, Sector

T = TypeVar("T")

# China has kept UTC+8 all year since 1991, so a fixed offset equals Asia/Shanghai here.
CST = datetime.timezone(datetime.timedelta(hours=8), "CST")
CUTOFF = datetime.datetime.combine(AS_OF, datetime.time(18, 0), CST)
ONE_DAY = datetime.timedelta(days=1)

# Actor of an event: a reviewer's user id, OWNER (a member of the record's organisation: the
# proposer, applicant, lead or seller, resolved once the records are final), or SYSTEM (the
# scheduled job, no user).
OWNER = "owner"
SYSTEM = None
Actor = int | str | None


@dataclass(slots=True)
class Event:
    transition: str
    from_state: str
    to_state: str
    at: datetime.datetime
    actor: Actor
    comment: str = ""


@dataclass(slots=True, eq=False)
class Record:
    """Something with a state machine: its state is wherever its events, cut at the demo's
    "today", left it."""

    id: int
    state: str
    created_at: datetime.datetime
    events: list[Event] = field(default_factory=list)

    def happen(
        self, transition: str, to_state: str, at: datetime.datetime, actor: Actor, comment: str = ""
    ) -> bool:
        """Apply the transition if it happened by the demo's "today"; later ones never did."""
        if at > CUTOFF:
            return False
        if self.events and at <= self.events[-1].at:
            at = self.events[-1].at + datetime.timedelta(minutes=7)
        self.events.append(Event(transition, self.state, to_state, at, actor, comment))
        self.state = to_state
        return True

    def log(self, transition: str, at: datetime.datetime, actor: Actor, comment: str = "") -> None:
        """A logged creation (contracts and applications start with one, from no state)."""
        self.events.append(Event(transition, "", self.state, at, actor, comment))

    @property
    def updated_at(self) -> datetime.datetime:
        return self.events[-1].at if self.events else self.created_at


@dataclass(slots=True, eq=False)
class Org(Record):
    name: str = ""
    credit_code: str = ""
    kind: str = ""
    district: str = ""
    pole: str = ""
    industry: str = ""
    sector: Sector | None = None
    verified: bool = True  # to be verified by a reviewer once registered
    # The earliest date a record of the organisation refers to; its registration precedes it.
    first_seen: datetime.date | None = None

    @property
    def is_enterprise(self) -> bool:
        return self.kind == "enterprise"

    def seen(self, day: datetime.date) -> None:
        if self.first_seen is None or day < self.first_seen:
            self.first_seen = day

    @property
    def chains(self) -> tuple[str, ...]:
        """The industrial chains it works on."""
        return self.sector.chains if self.sector else POLE_CHAINS[self.pole or "digital"]


class Ids:
    """The next primary key of each table: explicit ids let records point at each other before
    they are written. They start after whatever the table already holds."""

    def __init__(self, models_: Sequence[type[models.Model]]) -> None:
        # Their sequences are moved past the demo's ids once it is written.
        self.models = list(models_)
        self._next: dict[type[models.Model], itertools.count[int]] = {}
        for model in models_:
            top = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
            self._next[model] = itertools.count(top + 1)

    def next(self, model: type[models.Model]) -> int:
        return next(self._next[model])


class Chooser(Generic[T]):
    """Weighted choices from a fixed population, fast for hundreds of thousands of draws."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        point = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_right(self.cumulative, point)]


DISTRICT_CHOOSER: Chooser[str] = Chooser(
    [code for code, _weight in DISTRICT_WEIGHTS], [weight for _code, weight in DISTRICT_WEIGHTS]
)


# --- The clock ------------------------------------------------------------------------------


def workday(day: datetime.date) -> datetime.date:
    """The day itself, or the Monday after a weekend."""
    weekday = day.weekday()
    return day + datetime.timedelta(days=7 - weekday) if weekday >= 5 else day


def workday_before(day: datetime.date) -> datetime.date:
    """The day itself, or the Friday before a weekend."""
    weekday = day.weekday()
    return day - datetime.timedelta(days=weekday - 4) if weekday >= 5 else day


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """``rng.choice`` for the hot loops (``random()`` is several times cheaper than the exact
    integer draw ``choice`` makes)."""
    return items[int(rng.random() * len(items))]


def moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    """A time during office hours on ``day`` (the date is the same in UTC and Beijing time, so
    no record changes year with the time zone a query uses)."""
    seconds = 30600 + int(rng.random() * 33600)  # 08:30 to 17:50
    return datetime.datetime(
        day.year, day.month, day.day, seconds // 3600, seconds // 60 % 60, seconds % 60, tzinfo=CST
    )


def day_in(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A working day between ``first`` and ``last`` (inclusive, if ``last`` allows one)."""
    span = max(0, (last - first).days)
    day = workday(first + datetime.timedelta(days=rng.randint(0, span)))
    if day > last:
        day = last
        while day.weekday() >= 5 and day > first:
            day -= ONE_DAY
    return day


def day_of_year(
    rng: random.Random, year: int, month_weights: Sequence[float] | None = None
) -> datetime.date:
    """A working day of ``year``, by month weights, never after the demo's "today"."""
    if month_weights is None:
        month = rng.randint(1, 12)
    else:
        month = rng.choices(range(1, 13), weights=month_weights)[0]
    first = datetime.date(year, month, 1)
    last = month_end(first)
    if first > AS_OF - ONE_DAY:
        first = datetime.date(AS_OF.year, 1, 2)
    last = min(last, AS_OF - ONE_DAY)
    return day_in(rng, first, last)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - ONE_DAY


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = month_end(datetime.date(year, month, 1)).day
    return datetime.date(year, month, min(day.day, last))


def after(
    rng: random.Random, at: datetime.datetime | datetime.date, low: int, high: int
) -> datetime.datetime:
    """A moment ``low``..``high`` days after ``at``, in office hours on a working day."""
    day = at.date() if isinstance(at, datetime.datetime) else at
    return moment(rng, workday(day + datetime.timedelta(days=rng.randint(low, high))))
