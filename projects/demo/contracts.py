"""Technology contracts: the registrations of each year, whose amounts add up exactly to the
report's transaction volume, and the contracts refused, cancelled or still with the registry.

Amounts are drawn from a mixture (most contracts between tens of thousands and a few million
yuan, a tail of large development and transfer contracts of hundreds of millions) and then
scaled so that the year's registered total is exact; the residue of rounding goes to the year's
largest contract. Amounts are whole yuan, which keeps SQLite's sums exact.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from projects.models import TransferContract
from projects.workflows.contracts import registration_due_date

from .figures import (
    AS_OF,
    CONTRACT_VOLUME,
    CONTRACTS_CANCELLED_SHARE,
    CONTRACTS_PENDING,
    CONTRACTS_REFUSED_SHARE,
    CONTRACTS_REGISTERED,
    scaled,
    scaled_amount,
)
from .vocabulary import (
    CANCEL_COMMENTS,
    CHAIN_OBJECTS,
    CONTRACT_FORMS,
    LATE_SUPPLEMENTS_REFUSAL,
    REFUSAL_REASONS,
    SUPPLEMENT_COMMENTS,
)
from .world import (
    CUTOFF,
    OWNER,
    Chooser,
    Org,
    Record,
    after,
    day_in,
    day_of_year,
    moment,
    workday_before,
)

if TYPE_CHECKING:
    from .builder import World
    from .needs import Need
    from .research import Project

KINDS: Chooser[str] = Chooser(
    ["development", "service", "transfer", "licensing", "consulting"], [45, 30, 10, 5, 10]
)
SELLER_KINDS: Chooser[str] = Chooser(
    ["enterprise", "university", "research_institute", "new_rd_institution", "laboratory"],
    [61, 20, 10, 8, 1],
)
# Registrations by month: the registry is busiest before the year closes.
MONTH_WEIGHTS = (4, 6, 8, 8, 8, 9, 8, 8, 9, 9, 10, 13)
# Median of the ordinary contracts by kind (yuan); large contracts are drawn separately.
MEDIANS = {
    "development": 2_500_000,
    "transfer": 4_000_000,
    "licensing": 3_000_000,
    "consulting": 400_000,
    "service": 800_000,
}
LARGE_MEDIAN = 150_000_000
# Share of large contracts among development, transfer and licensing ones (×1.6 of all).
LARGE_SHARE = {
    2016: 0.015,
    2017: 0.02,
    2018: 0.025,
    2019: 0.03,
    2020: 0.035,
    2021: 0.06,
    2022: 0.09,
    2023: 0.12,
    2024: 0.14,
    2025: 0.15,
}
SMALLEST = 20_000
LARGEST = 950_000_000


@dataclass(slots=True, eq=False)
class Contract(Record):
    kind: str = "development"
    seller: Org | None = None
    buyer: Org | None = None
    title: str = ""
    amount: int = 0
    ratio: float = 0.9
    signed_on: datetime.date = AS_OF
    submitted_on: datetime.date = AS_OF
    registered_on: datetime.date | None = None
    registration_number: str | None = None
    clock_started_on: datetime.date | None = None
    due_on: datetime.date | None = None
    due_provisional: bool = False
    refusal_reason: str = ""
    need: Need | None = None
    project: Project | None = None

    @property
    def owner(self) -> Org:
        assert self.seller is not None
        return self.seller

    @property
    def technology_amount(self) -> int:
        # The registry's deduction of equipment and materials, to the hundred yuan below.
        return int(self.amount * self.ratio) // 100 * 100


def contract_new(
    w: World,
    *,
    seller: Org,
    buyer: Org,
    kind: str,
    amount: int,
    obj: str,
    need: Need | None = None,
    project: Project | None = None,
) -> Contract:
    rng = w.rng
    contract = Contract(
        id=w.ids.next(TransferContract),
        state="submitted",
        created_at=w.epoch,
        kind=kind,
        seller=seller,
        buyer=buyer,
        title=CONTRACT_FORMS[kind].format(object=obj),
        amount=max(SMALLEST, amount),
        ratio=rng.uniform(0.85, 0.95),
        need=need,
        project=project,
    )
    w.contracts.append(contract)
    return contract


def contract_run(
    w: World,
    c: Contract,
    *,
    submitted: datetime.datetime,
    decided: datetime.datetime | None,
    outcome: str = "registered",
    supplements: bool = False,
    signed_on: datetime.date | None = None,
) -> None:
    """Submission, an optional request for supplements, then the registry's decision
    (``registered`` or ``refused``; ``decided`` None leaves it open). Events after the demo's
    "today" did not happen; a contract not yet submitted then is dropped."""
    rng = w.rng
    if submitted > CUTOFF:
        w.contracts.remove(c)
        return
    c.submitted_on = submitted.date()
    c.signed_on = signed_on or c.submitted_on - datetime.timedelta(days=rng.randint(1, 45))
    c.created_at = submitted
    c.log("submit", submitted, OWNER)
    clock_from = c.clock_started_on = c.submitted_on
    if supplements:
        limit = decided if decided else CUTOFF
        span = max(2, (limit - submitted).days)
        request = after(rng, submitted, 1, max(1, span // 3))
        if not c.happen(
            "request_supplements",
            "supplement_requested",
            request,
            w.reviewer(),
            rng.choice(SUPPLEMENT_COMMENTS),
        ):
            # Still with the registry, its clock running from the submission.
            c.due_on, c.due_provisional = _due(clock_from, c.amount)
            return
        resubmit = after(rng, request, 1, max(1, span // 3))
        if decided and resubmit >= decided:
            resubmit = decided - datetime.timedelta(hours=2)
        if not c.happen("resubmit", "submitted", resubmit, OWNER):
            c.clock_started_on = None  # stopped while supplements are requested
            return
        clock_from = c.clock_started_on = resubmit.date()
    if decided is None or decided > CUTOFF:
        c.due_on, c.due_provisional = _due(clock_from, c.amount)
        return
    if outcome == "refused":
        reasons = (*REFUSAL_REASONS, LATE_SUPPLEMENTS_REFUSAL) if supplements else REFUSAL_REASONS
        c.refusal_reason = rng.choice(reasons)
        c.happen("refuse", "not_registered", decided, w.reviewer(), c.refusal_reason)
        return
    c.happen("register", "registered", decided, w.reviewer())
    c.registered_on = decided.date()


def _due(submitted_on: datetime.date, amount: int) -> tuple[datetime.date, bool]:
    return registration_due_date(submitted_on=submitted_on, contract_amount=Decimal(amount))


def contracts_build(w: World) -> None:
    _from_projects(w)
    for year, count in CONTRACTS_REGISTERED.items():
        _year(w, year, scaled(count, w.scale))
    _pending(w)
    for year, volume in CONTRACT_VOLUME.items():
        _calibrate(w, year, scaled_amount(volume, w.scale))
    _number(w)


def _from_projects(w: World) -> None:
    """Completed projects license or transfer their results to enterprises."""
    rng = w.rng
    for p in w.projects:
        if p.state != "completed" or p.completed_on is None or rng.random() > 0.3:
            continue
        buyer = _buyer(w, p.pole, exclude=p.owner)
        kind = "licensing" if rng.random() < 0.4 else "transfer"
        c = contract_new(
            w,
            seller=p.owner,
            buyer=buyer,
            kind=kind,
            amount=_amount(w, kind),
            obj=p.topic[0],
            project=p,
        )
        submitted = after(rng, p.completed_on, 20, 300)
        contract_run(
            w,
            c,
            submitted=submitted,
            decided=after(rng, submitted, 5, 25),
            supplements=rng.random() < 0.1,
        )


def _year(w: World, year: int, count: int) -> None:
    """Enough ordinary contracts for ``count`` registrations in ``year`` (those that came out
    of needs and projects included), plus the refused and cancelled ones."""
    rng = w.rng
    already = sum(
        1
        for c in w.contracts
        if c.state == "registered" and c.registered_on and c.registered_on.year == year
    )
    for _ in range(max(0, count - already)):
        _ordinary(w, decided_on=day_of_year(rng, year, MONTH_WEIGHTS))
    for _ in range(scaled(count * CONTRACTS_REFUSED_SHARE, 1)):
        _ordinary(w, decided_on=day_of_year(rng, year, MONTH_WEIGHTS), outcome="refused")
    for _ in range(scaled(count * CONTRACTS_CANCELLED_SHARE, 1)):
        c = _ordinary(w, decided_on=day_of_year(rng, year, MONTH_WEIGHTS))
        c.happen(
            "cancel",
            "cancelled",
            after(rng, c.events[-1].at, 20, 300),
            w.reviewer(),
            rng.choice(CANCEL_COMMENTS),
        )


def _ordinary(w: World, *, decided_on: datetime.date, outcome: str = "registered") -> Contract:
    rng = w.rng
    kind = KINDS.pick(rng)
    seller = _seller(w, decided_on.year)
    buyer = _buyer(w, seller.pole, exclude=seller, service=kind in ("consulting", "service"))
    chain = rng.choice(seller.chains)
    c = contract_new(
        w,
        seller=seller,
        buyer=buyer,
        kind=kind,
        amount=_amount(w, kind, decided_on.year),
        obj=rng.choice(CHAIN_OBJECTS[chain]),
    )
    decided = moment(rng, decided_on)
    supplements = rng.random() < 0.1
    submitted = decided - datetime.timedelta(days=rng.randint(5, 25) + (20 if supplements else 0))
    contract_run(
        w,
        c,
        submitted=moment(rng, workday_before(submitted.date())),
        decided=decided,
        outcome=outcome,
        supplements=supplements,
    )
    return c


def _pending(w: World) -> None:
    """Contracts still with the registry on the demo's "today"."""
    rng = w.rng
    for state, count in CONTRACTS_PENDING.items():
        for _ in range(scaled(count, w.scale)):
            kind = KINDS.pick(rng)
            seller = _seller(w, AS_OF.year)
            buyer = _buyer(w, seller.pole, exclude=seller)
            c = contract_new(
                w,
                seller=seller,
                buyer=buyer,
                kind=kind,
                amount=_amount(w, kind, AS_OF.year),
                obj=rng.choice(CHAIN_OBJECTS[rng.choice(seller.chains)]),
            )
            if state == "submitted":
                day = day_in(
                    rng, AS_OF - datetime.timedelta(days=14), AS_OF - datetime.timedelta(days=1)
                )
                contract_run(w, c, submitted=moment(rng, day), decided=None)
            else:
                day = day_in(
                    rng, AS_OF - datetime.timedelta(days=30), AS_OF - datetime.timedelta(days=10)
                )
                submitted = moment(rng, day)
                contract_run(w, c, submitted=submitted, decided=None)
                c.happen(
                    "request_supplements",
                    "supplement_requested",
                    after(rng, submitted, 2, 6),
                    w.reviewer(),
                    rng.choice(SUPPLEMENT_COMMENTS),
                )
                # The registry's clock stops while supplements are requested.
                c.due_on, c.due_provisional, c.clock_started_on = None, False, None


def _seller(w: World, year: int) -> Org:
    rng = w.rng
    kind = SELLER_KINDS.pick(rng)
    if kind == "laboratory" and year < 2023:
        kind = "university"
    if kind == "enterprise":
        registrants = w.tech_registrants.get(min(year, max(w.tech_registrants)))
        return rng.choice(w.high_tech if rng.random() < 0.4 or not registrants else registrants)
    return rng.choice(w.by_kind.get(kind) or w.by_kind["university"])


def _buyer(w: World, pole: str, *, exclude: Org, service: bool = False) -> Org:
    rng = w.rng
    while True:
        roll = rng.random()
        if service and roll < 0.08:
            buyer = rng.choice(w.by_kind["government"])
        elif roll < 0.5:
            buyer = rng.choice(w.high_tech_by_pole.get(pole) or w.high_tech)
        elif roll < 0.75:
            buyer = rng.choice(w.established)
        else:
            buyer = rng.choice(w.enterprises)
        if buyer is not exclude:
            return buyer


def _amount(w: World, kind: str, year: int = 2024) -> int:
    """An amount before calibration; large contracts are rarer in the early years."""
    rng = w.rng
    large_share = LARGE_SHARE.get(year, 0.14)
    if kind in ("development", "transfer", "licensing") and rng.random() < large_share * 1.6:
        value = rng.lognormvariate(math.log(LARGE_MEDIAN), 0.8)
    else:
        value = rng.lognormvariate(math.log(MEDIANS[kind]), 1.3)
    return int(min(LARGEST * 0.7, max(SMALLEST, value))) // 100 * 100


def _calibrate(w: World, year: int, target: Decimal) -> None:
    """Scale the year's registered amounts to ``target`` exactly, none above ``LARGEST``."""
    registered = [
        c
        for c in w.contracts
        if c.state == "registered" and c.registered_on and c.registered_on.year == year
    ]
    if not registered:
        return
    goal = int(target)
    capped: list[Contract] = []
    free = registered
    while True:
        factor = (goal - LARGEST * len(capped)) / sum(c.amount for c in free)
        over = [c for c in free if c.amount * factor > LARGEST]
        if not over:
            break
        capped += over
        free = [c for c in free if c.amount * factor <= LARGEST]
    for c in capped:
        c.amount = LARGEST
    for c in free:
        c.amount = max(SMALLEST // 2, round(c.amount * factor / 100) * 100)
    # The rounding residue (a few thousand yuan) goes to the largest contract below the cap.
    largest = max(free, key=lambda c: c.amount)
    largest.amount += goal - sum(c.amount for c in registered)
    if not 0 < largest.amount <= LARGEST:
        raise ValueError(f"cannot calibrate the contracts of {year}")


def _number(w: World) -> None:
    """Registration numbers: the seller's district, the year, a serial in that registry."""
    books: dict[tuple[str, int], list[Contract]] = {}
    for c in w.contracts:
        if c.registered_on is not None:
            books.setdefault((c.owner.district, c.registered_on.year), []).append(c)
    for (district, year), contracts in books.items():
        contracts.sort(key=lambda c: (c.registered_on, c.id))
        for serial, c in enumerate(contracts, start=1):
            c.registration_number = f"{district}{year}{serial:06d}"


def contracts_write(w: World) -> None:
    table = w.tables.contracts
    for c in w.contracts:
        seller, buyer = c.owner, c.buyer
        assert buyer is not None
        table.add(
            c.id,
            c.created_at,
            c.updated_at,
            c.registration_number,
            c.kind,
            seller.id,
            buyer.id,
            c.title,
            Decimal(c.amount),
            Decimal(c.technology_amount),
            c.signed_on,
            c.submitted_on,
            c.registered_on,
            c.due_on,
            c.due_provisional,
            c.refusal_reason,
            c.need.id if c.need else None,
            c.project.id if c.project else None,
            seller.district,
            seller.pole,
            c.state,
            c.clock_started_on,
        )
