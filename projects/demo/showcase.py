"""The enterprise the demo account belongs to: an intelligent-vehicle electronics maker in
Liangjiang New Area, given needs in every state, projects it leads or joins, and contracts.

It takes over records the generators already made for other enterprises, so every count and
share stays what it was (an enterprise's record stays an enterprise's).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from .figures import AS_OF
from .needs import application_add
from .organizations import SHOWCASE_NAME
from .world import Org, day_in, moment

if TYPE_CHECKING:
    from .builder import World
    from .research import Project

NEED_STATES = (
    "draft",
    "submitted",
    "in_review",
    "returned",
    "published",
    "published",
    "matched",
    "closed",
    "closed",
    "rejected",
    "expired",
    "withdrawn",
)
LED_PROJECT_STATES = ("in_progress", "completed", "acceptance_review", "approved")
CONTRACT_STATES = (
    "registered",
    "registered",
    "registered",
    "submitted",
    "supplement_requested",
    "not_registered",
    "cancelled",
)
CONTACT = ("陈晓雯", "023-67886512", "chen.xiaowen@example.cn")


def showcase_pick(w: World) -> None:
    """A digital-pole high-tech enterprise of Yubei (Liangjiang), registered in 2025."""
    latest = {org.id for org in w.tech_registrants[max(w.tech_registrants)]}
    candidates = [o for o in w.high_tech if o.pole == "digital" and o.id in latest]
    preferred = [
        o for o in candidates if o.district == "500112" and "intelligent_connected_nev" in o.chains
    ]
    pool = preferred or candidates or w.high_tech
    org = pool[0]
    org.name = SHOWCASE_NAME
    w.showcase = org


def showcase_assign(w: World) -> None:
    org = w.showcase
    assert org is not None
    taken: set[int] = set()
    for state in NEED_STATES:
        candidates = [
            n
            for n in w.needs
            if n.state == state
            and n.id not in taken
            and n.owner.is_enterprise
            and n.owner is not org
            and all(a.owner is not org for a in n.applications)
            and not any(a.project for a in n.applications)
        ]
        if not candidates:
            continue
        need = max(candidates, key=lambda n: (n.pole == org.pole, n.created_at))
        need.proposer = org
        need.contact = CONTACT
        for application in need.applications:
            if application.contract is not None and application.contract.seller is not org:
                application.contract.buyer = org
        taken.add(need.id)
    for state in LED_PROJECT_STATES:
        project = _project_in(w, state, org, role="lead")
        if project is not None:
            project.lead = org
    project = _project_in(w, "in_progress", org, role="partner")
    if project is not None:
        project.partners = [
            (org, role) if role == "partner" and o.is_enterprise else (o, role)
            for o, role in project.partners
        ]
    for state in CONTRACT_STATES:
        contracts = [
            c
            for c in w.contracts
            if c.state == state
            and c.need is None
            and c.project is None
            and c.buyer is not None
            and c.buyer.is_enterprise
            and c.buyer is not org
            and c.owner is not org
        ]
        if contracts:
            max(contracts, key=lambda c: (c.owner.pole == org.pole, c.submitted_on)).buyer = org
    # Its own technology sold: a registered contract of a seller from its district and pole.
    for c in w.contracts:
        if (
            c.state == "registered"
            and c.need is None
            and c.owner.is_enterprise
            and c.owner.district == org.district
            and c.owner.pole == org.pole
            and c.buyer is not org
        ):
            c.seller = org
            break
    _applications(w, org)


def _project_in(w: World, state: str, org: Org, *, role: str) -> Project | None:
    """A recent project in ``state`` led by an enterprise (``role`` lead), or led by an
    institution with one enterprise partner (``role`` partner); none whose lead or partner is
    named elsewhere (a need it came from, a contract it led to)."""
    with_contracts = {c.project.id for c in w.contracts if c.project is not None}
    for p in sorted(w.projects, key=lambda p: p.created_at, reverse=True):
        if p.state != state or p.needs or p.id in with_contracts or org in p.organisations():
            continue
        if role == "lead" and p.owner.is_enterprise:
            return p
        partners = [o for o, r in p.partners if r == "partner" and o.is_enterprise]
        if role == "partner" and not p.owner.is_enterprise and len(partners) == 1:
            return p
    return None


def _applications(w: World, org: Org) -> None:
    """It also applies to solve two other organisations' open needs."""
    rng = w.rng
    open_needs = [
        n
        for n in w.needs
        if n.state == "published"
        and n.owner is not org
        and n.published_at is not None
        and n.published_at.date() < AS_OF - datetime.timedelta(days=10)
        and all(a.owner is not org for a in n.applications)
    ]
    open_needs.sort(key=lambda n: (n.pole != org.pole, -n.created_at.timestamp()))
    for index, need in enumerate(open_needs[:2]):
        assert need.published_at is not None
        application = application_add(w, need, org, first=need.published_at.date(), last=AS_OF)
        if index == 1:
            day = day_in(rng, application.created_at.date() + datetime.timedelta(days=1), AS_OF)
            application.happen("shortlist", "shortlisted", moment(rng, day), w.reviewer())
