"""Funding of the approved projects: public funds and the participants' self-raised funds, per
year of work.

Enterprise-led projects are larger, the lead takes most of the public money, and enterprises
raise two and a half to five times their public share, as the programmes ask. The generated
amounts land near the bureau's shares; a last pass scales, year by year, the public money of
non-enterprises and the self-raised money of enterprises so that both shares are exactly the
year's target (about 72–76 %). In 2021–2025 that pass changes amounts by 0.85–1.45×.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .figures import AS_OF, PUBLIC_FUNDS_ENTERPRISE_SHARE, SELF_RAISED_ENTERPRISE_SHARE
from .world import CST, Org, workday

if TYPE_CHECKING:
    from .builder import World
    from .research import Project

PUBLIC, SELF_RAISED = "public", "self_raised"


@dataclass(slots=True, eq=False)
class Allocation:
    project: Project
    organization: Org
    source: str
    year: int
    amount: int


def funding_build(w: World) -> None:
    for p in w.projects:
        if p.approve_event is not None:
            _project(w, p)
    years = sorted({a.year for a in w.allocations})
    for year in years:
        _calibrate(w, year)


def _project(w: World, p: Project) -> None:
    rng = w.rng
    assert p.approved_on is not None and p.end_on is not None
    stop = p.completed_on or p.stopped_on or p.end_on
    years = list(range(p.approved_on.year, min(stop.year, AS_OF.year) + 1))
    public = rng.uniform(6e6, 15e6) if p.programme == "major" else rng.uniform(1e6, 3e6)
    public *= 1.8 if p.owner.is_enterprise else 0.6
    partners = [org for org, role in p.partners if role == "partner"]
    # The lead takes most of the money; an enterprise partner of an institution's project
    # takes a large part too (it industrialises the result).
    weights = [3.0 if p.owner.is_enterprise else 1.5]
    weights += [1.0 if org.is_enterprise else 0.35 for org in partners]
    funded = [
        (org, weight / sum(weights))
        for org, weight in zip([p.owner, *partners], weights, strict=True)
    ]
    for org, share in funded:
        own_public = public * share
        ratio = rng.uniform(2.5, 5.0) if org.is_enterprise else rng.choice((0, 0, 0.1, 0.2))
        own_self = own_public * ratio
        for index, year in enumerate(years):
            # The first tranche of public money comes with the approval, the rest over the work.
            if len(years) == 1:
                public_part = 1.0
            else:
                public_part = 0.6 if index == 0 else 0.4 / (len(years) - 1)
            _add(w, p, org, PUBLIC, year, own_public * public_part)
            _add(w, p, org, SELF_RAISED, year, own_self / len(years))


def _add(w: World, p: Project, org: Org, source: str, year: int, amount: float) -> None:
    rounded = round(amount / 100) * 100
    if rounded > 0:
        w.allocations.append(Allocation(p, org, source, year, rounded))


def _calibrate(w: World, year: int) -> None:
    rows = [a for a in w.allocations if a.year == year]
    public_target = PUBLIC_FUNDS_ENTERPRISE_SHARE.get(year, 0.74)
    self_target = SELF_RAISED_ENTERPRISE_SHARE.get(year, 0.74)
    enterprise_public = sum(
        a.amount for a in rows if a.source == PUBLIC and a.organization.is_enterprise
    )
    other_public = [a for a in rows if a.source == PUBLIC and not a.organization.is_enterprise]
    other_total = sum(a.amount for a in other_public)
    if enterprise_public and other_total:
        factor = enterprise_public * (1 - public_target) / (public_target * other_total)
        for a in other_public:
            a.amount = max(100, round(a.amount * factor / 100) * 100)
    public_total = sum(a.amount for a in rows if a.source == PUBLIC)
    other_self = sum(
        a.amount for a in rows if a.source == SELF_RAISED and not a.organization.is_enterprise
    )
    enterprise_self = [a for a in rows if a.source == SELF_RAISED and a.organization.is_enterprise]
    enterprise_total = sum(a.amount for a in enterprise_self)
    if enterprise_total:
        wanted = self_target * (public_total + other_self) / (1 - self_target)
        factor = wanted / enterprise_total
        for a in enterprise_self:
            a.amount = max(100, round(a.amount * factor / 100) * 100)


def funding_write(w: World) -> None:
    table = w.tables.funding
    for a in w.allocations:
        # Recorded when the year's money was committed: the approval, or early in the year.
        day = max(a.project.approved_on or AS_OF, workday(datetime.date(a.year, 1, 5)))
        stamp = datetime.datetime.combine(day, datetime.time(10, 0), CST)
        table.add(
            stamp, stamp, a.project.id, a.organization.id, a.source, Decimal(a.amount), a.year
        )
