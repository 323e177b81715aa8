"""Technical needs, their indicators and the applications to solve them (揭榜).

Each year's accepted needs are drawn with the enterprise quota first, so the share proposed by
enterprises holds year by year. A matched need has exactly one selected application; what
followed it is a technology contract between the solver and the proposer, or a research
project the solver leads.
"""

from __future__ import annotations

import bisect
import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from projects.models import MIN_NEED_INDICATORS, NeedApplication, TechnicalNeed
from projects.workflows.applications import OPEN_STATES

from .contracts import Contract, contract_new, contract_run
from .figures import (
    AS_OF,
    NEED_ENTERPRISE_SHARE,
    NEEDS_PENDING,
    NEEDS_PUBLISHED,
    NEEDS_REJECTED_SHARE,
    NEEDS_WITHDRAWN_SHARE,
    scaled,
)
from .vocabulary import (
    APPROACHES,
    CHAIN_INDICATORS,
    CHAIN_OBJECTS,
    CONDITIONS,
    DEFICIENCIES,
    FEW_INDICATORS_COMMENT,
    GENERIC_INDICATORS,
    GIVEN_NAMES,
    KEY_TECHNIQUES,
    NEED_ASPECTS,
    REJECTION_COMMENTS,
    RETURN_COMMENTS,
    SURNAMES,
    Indicator,
    chain_name,
)
from .world import (
    CST,
    OWNER,
    SYSTEM,
    Actor,
    Chooser,
    Org,
    Record,
    after,
    day_in,
    day_of_year,
    moment,
    month_end,
    workday_before,
)

if TYPE_CHECKING:
    from .builder import World
    from .research import Bottleneck, Project

INSTITUTIONS: Chooser[str] = Chooser(
    ["university", "research_institute", "new_rd_institution", "laboratory"], [45, 35, 12, 8]
)
SOLVERS: Chooser[str] = Chooser(
    ["university", "research_institute", "new_rd_institution", "enterprise"], [35, 20, 10, 35]
)
BUDGETS = (50, 80, 100, 150, 200, 300, 500, 800, 1000, 1500, 2000)  # 万元
BUDGET_WEIGHTS = (8, 10, 14, 12, 14, 12, 11, 7, 6, 3, 3)
MATCHED_COMMENT = "该需求已完成匹配。"
EXPIRED_COMMENT = "该需求已过期。"


@dataclass(slots=True, eq=False)
class Need(Record):
    proposer: Org | None = None
    title: str = ""
    summary: str = ""
    problem: str = ""
    key_technology: str = ""
    goals: str = ""
    pole: str = ""
    chain: str = ""
    obj: str = ""
    bottleneck: Bottleneck | None = None
    budget: int = 0
    open_until: datetime.date | None = None
    contact: tuple[str, str, str] = ("", "", "")
    rejection_reason: str = ""
    submitted_at: datetime.datetime | None = None
    published_at: datetime.datetime | None = None
    indicators: list[Indicator] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)

    @property
    def owner(self) -> Org:
        assert self.proposer is not None
        return self.proposer

    def happen(
        self, transition: str, to_state: str, at: datetime.datetime, actor: Actor, comment: str = ""
    ) -> bool:
        happened = Record.happen(self, transition, to_state, at, actor, comment)
        if happened and transition in ("submit", "resubmit"):
            self.submitted_at = self.events[-1].at
        if happened and transition == "publish":
            self.published_at = self.events[-1].at
        return happened


@dataclass(slots=True, eq=False)
class Application(Record):
    need: Need | None = None
    applicant: Org | None = None
    proposal: str = ""
    project: Project | None = None
    contract: Contract | None = None

    @property
    def owner(self) -> Org:
        assert self.applicant is not None
        return self.applicant


def needs_build(w: World) -> None:
    rng = w.rng
    _index_projects(w)
    accepted = 0
    for year, count in NEEDS_PUBLISHED.items():
        n = scaled(count, w.scale)
        accepted += n
        enterprise = math.ceil(NEED_ENTERPRISE_SHARE[year] * n)
        flags = [True] * enterprise + [False] * (n - enterprise)
        rng.shuffle(flags)
        for flag in flags:
            need = _need(w, _proposer(w, year, enterprise=flag), year)
            _accepted(w, need, year)
    years = [y for y in NEEDS_PUBLISHED if y < AS_OF.year]
    weights = [NEEDS_PUBLISHED[y] for y in years]
    for _ in range(scaled(accepted * NEEDS_REJECTED_SHARE, 1)):
        year = rng.choices(years, weights)[0]
        _refused(w, _need(w, _proposer(w, year, enterprise=rng.random() < 0.7), year), year)
    for _ in range(scaled(accepted * NEEDS_WITHDRAWN_SHARE, 1)):
        year = rng.choices(years, weights)[0]
        _withdrawn(w, _need(w, _proposer(w, year, enterprise=rng.random() < 0.7), year), year)
    for state, count in NEEDS_PENDING.items():
        for _ in range(scaled(count, w.scale)):
            need = _need(w, _proposer(w, AS_OF.year, enterprise=rng.random() < 0.7), AS_OF.year)
            _pending(w, need, state)
    for need in w.needs:
        _indicators_as_reviewed(need)


# --- One need -------------------------------------------------------------------------------


def _proposer(w: World, year: int, *, enterprise: bool) -> Org:
    rng = w.rng
    if enterprise:
        registrants = w.tech_registrants[min(year, max(w.tech_registrants))]
        return rng.choice(registrants if rng.random() < 0.85 else w.high_tech)
    kind = INSTITUTIONS.pick(rng)
    if kind == "laboratory" and year < 2023:
        kind = "research_institute"
    return rng.choice(w.by_kind.get(kind) or w.by_kind["university"])


def _need(w: World, proposer: Org, year: int) -> Need:
    rng = w.rng
    chain = rng.choice(proposer.chains)
    obj = rng.choice(CHAIN_OBJECTS[chain])
    aspect = rng.choice(NEED_ASPECTS)
    months = rng.choice((12, 18, 24, 36))
    surname, surname_py = rng.choice(SURNAMES)
    given, given_py = rng.choice(GIVEN_NAMES)
    phone = (
        f"023-6{rng.randrange(10**7):07d}"
        if rng.random() < 0.6
        else f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    )
    specific = rng.sample(CHAIN_INDICATORS[chain], rng.randint(3, 5))
    count = rng.randint(MIN_NEED_INDICATORS, MIN_NEED_INDICATORS + 3)
    generic = rng.sample(GENERIC_INDICATORS, max(0, count - len(specific)))
    need = Need(
        id=w.ids.next(TechnicalNeed),
        state="draft",
        created_at=w.epoch,
        proposer=proposer,
        title=f"{obj}{aspect}",
        summary=(
            f"面向{chain_name(chain)}产业需求，征集{obj}{aspect}解决方案，"
            f"期望在{months}个月内完成技术验证并在生产中应用。"
        ),
        problem=(
            f"本单位现有{obj}在{rng.choice(CONDITIONS)}条件下{rng.choice(DEFICIENCIES)}，"
            "与国际先进水平存在明显差距，影响产品交付和市场竞争力。"
        ),
        key_technology="；".join(rng.sample(KEY_TECHNIQUES, 3)) + "。",
        goals=(
            f"{months}个月内完成{obj}样机（样品）研制和工程化验证，关键指标达到或优于国际同类"
            f"产品水平，在不少于{rng.randint(1, 3)}家用户单位示范应用。"
        ),
        pole=proposer.pole or rng.choice(["digital", "materials"]),
        chain=chain,
        obj=obj,
        budget=rng.choices(BUDGETS, BUDGET_WEIGHTS)[0] * 10_000,
        contact=(f"{surname}{given}", phone, f"{given_py}.{surname_py}@example.cn"),
        indicators=[*specific, *generic],
    )
    candidates = w.bottlenecks_by_chain.get(chain)
    if candidates and rng.random() < 0.25:
        need.bottleneck = rng.choice(candidates)
    w.needs.append(need)
    return need


Step = tuple[str, str, Actor, str]  # transition, target state, actor, comment


def _review(w: World, *, returned: bool) -> list[Step]:
    """Submission and review, with a round trip to the proposer when ``returned``."""
    steps: list[Step] = [
        ("submit", "submitted", OWNER, ""),
        ("start_review", "in_review", w.reviewer(), ""),
    ]
    if returned:
        steps += [
            ("return", "returned", w.reviewer(), w.rng.choice(RETURN_COMMENTS)),
            ("resubmit", "submitted", OWNER, ""),
            ("start_review", "in_review", w.reviewer(), ""),
        ]
    return steps


def _path(w: World, need: Need, *, end: datetime.date, steps: list[Step]) -> None:
    """The need's steps a few days apart, the last one on ``end``; drafted before the first."""
    rng = w.rng
    gaps = [0] + [rng.randint(1, 12) for _ in steps[1:]]
    day = end - datetime.timedelta(days=sum(gaps))
    need.created_at = moment(rng, day - datetime.timedelta(days=rng.randint(1, 20)))
    for (transition, state, actor, comment), gap in zip(steps, gaps, strict=True):
        day += datetime.timedelta(days=gap)
        need.happen(transition, state, moment(rng, min(workday_before(day), end)), actor, comment)


def _accepted(w: World, need: Need, year: int) -> None:
    rng = w.rng
    published = day_of_year(rng, year)
    steps = _review(w, returned=rng.random() < 0.25)
    _path(w, need, end=published, steps=[*steps, ("publish", "published", w.reviewer(), "")])
    assert need.published_at is not None
    age = (AS_OF - published).days
    roll = rng.random()
    if published < datetime.date(2024, 7, 1):
        fate = "match" if roll < 0.68 else "expire"
    elif age > 120:
        fate = "match" if roll < 0.55 else "expire" if roll < 0.75 else "open"
    else:
        fate = "open" if roll < 0.7 else "match"
    if fate == "match" and age < 25:
        fate = "open"
    if fate == "expire" and age < 95:
        fate = "open"
    if fate == "open":
        floor = AS_OF + datetime.timedelta(days=rng.randint(240, 420))
        need.open_until = month_end(
            max(published + datetime.timedelta(days=rng.randint(365, 540)), floor)
        )
        _open_applications(w, need, until=AS_OF)
    elif fate == "expire":
        need.open_until = published + datetime.timedelta(days=rng.randint(90, min(540, age - 1)))
        expiry = datetime.datetime.combine(
            need.open_until + datetime.timedelta(days=1), datetime.time(0, 30), CST
        )
        _open_applications(w, need, until=need.open_until)
        need.happen("expire", "expired", expiry, SYSTEM)
        _decline_open(need, expiry, SYSTEM, EXPIRED_COMMENT)
    else:
        _matched(w, need, published, age)


def _decline_open(need: Need, at: datetime.datetime, actor: Actor, comment: str) -> None:
    """The need was matched or expired: its open applications are declined, as the workflow
    does."""
    for application in need.applications:
        if application.state in OPEN_STATES:
            application.happen("decline", "declined", at, actor, comment)


def _matched(w: World, need: Need, published: datetime.date, age: int) -> None:
    rng = w.rng
    matched_on = day_in(
        rng,
        published + datetime.timedelta(days=20),
        published + datetime.timedelta(days=min(180, age - 1)),
    )
    need.open_until = month_end(
        published
        + datetime.timedelta(days=max((matched_on - published).days + 30, rng.randint(180, 540)))
    )
    project = _project_for(w, need, matched_on) if rng.random() < 0.35 else None
    solver = project.owner if project else _solver(w, need)
    chosen = application_add(w, need, solver, first=published, last=matched_on)
    _open_applications(w, need, until=matched_on, most=3)
    actor = w.reviewer()
    match = moment(rng, matched_on)
    shortlisted = day_in(
        rng,
        chosen.created_at.date() + datetime.timedelta(days=1),
        matched_on - datetime.timedelta(days=1),
    )
    chosen.happen("shortlist", "shortlisted", moment(rng, shortlisted), w.reviewer())
    chosen.happen("select", "selected", match, actor)
    need.happen("match", "matched", match, actor)
    _decline_open(need, match, actor, MATCHED_COMMENT)
    if project is not None:
        chosen.project = project
        project.needs.append(need)
        if need.owner not in project.organisations():
            project.partners.append((need.owner, "user"))
        assert project.approved_on is not None
        need.happen("close", "closed", after(rng, project.approved_on, 3, 20), w.reviewer())
        return
    kind = rng.choices(["development", "transfer", "licensing"], [70, 20, 10])[0]
    amount = int(need.budget * rng.uniform(0.6, 1.1)) // 100 * 100
    contract = contract_new(
        w, seller=solver, buyer=need.owner, kind=kind, amount=amount, obj=need.obj, need=need
    )
    signed_on = matched_on + datetime.timedelta(days=rng.randint(10, 60))
    submitted = after(rng, signed_on, 3, 20)
    registered = after(rng, submitted, 5, 25)
    contract_run(
        w,
        contract,
        submitted=submitted,
        decided=registered,
        supplements=rng.random() < 0.1,
        signed_on=signed_on,
    )
    if contract.events:
        chosen.contract = contract
    if contract.state == "registered":
        # The proposer closes the need once the contracted work is delivered.
        assert contract.registered_on is not None
        closer = w.reviewer() if rng.random() < 0.5 else OWNER
        need.happen("close", "closed", after(rng, contract.registered_on, 60, 400), closer)


def application_add(
    w: World, need: Need, applicant: Org, *, first: datetime.date, last: datetime.date
) -> Application:
    rng = w.rng
    day = day_in(rng, first + datetime.timedelta(days=2), last - datetime.timedelta(days=3))
    application = Application(
        id=w.ids.next(NeedApplication),
        state="submitted",
        created_at=moment(rng, day),
        need=need,
        applicant=applicant,
        proposal=(
            f"{applicant.name}拟采用{rng.choice(APPROACHES)}，围绕{rng.choice(KEY_TECHNIQUES)}开展攻关，"
            f"{rng.choice((12, 18, 24))}个月内完成{need.title}，达到需求方提出的全部技术指标。"
        ),
    )
    application.log("submit", application.created_at, OWNER)
    applicant.seen(day)
    need.applications.append(application)
    w.applications.append(application)
    return application


def _open_applications(w: World, need: Need, *, until: datetime.date, most: int = 3) -> None:
    """Other organisations' applications while the need took them (until ``until``); some
    were withdrawn or shortlisted along the way."""
    rng = w.rng
    assert need.published_at is not None
    first = need.published_at.date()
    if (until - first).days < 6:
        return
    taken = {need.owner.id, *(a.owner.id for a in need.applications)}
    for _ in range(rng.randint(0, most)):
        applicant = _solver(w, need)
        if applicant.id in taken:
            continue
        taken.add(applicant.id)
        application = application_add(w, need, applicant, first=first, last=until)
        created = application.created_at.date()
        if (until - created).days < 2:
            continue
        at = moment(
            rng,
            day_in(rng, created + datetime.timedelta(days=1), until - datetime.timedelta(days=1)),
        )
        roll = rng.random()
        if roll < 0.2:
            application.happen("withdraw", "withdrawn", at, OWNER)
        elif roll < 0.55:
            application.happen("shortlist", "shortlisted", at, w.reviewer())


def _solver(w: World, need: Need) -> Org:
    rng = w.rng
    while True:
        kind = SOLVERS.pick(rng)
        if kind == "enterprise":
            solver = rng.choice(w.high_tech_by_pole.get(need.pole) or w.high_tech)
        else:
            solver = w.institution(kind, need.pole)
        if solver is not need.owner:
            return solver


def _index_projects(w: World) -> None:
    w.projects_by_pole = {}
    for p in sorted(
        (p for p in w.projects if p.approve_event is not None), key=lambda p: (p.approved_on, p.id)
    ):
        w.projects_by_pole.setdefault(p.pole, []).append(p)
    w.bottlenecks_by_chain = {}
    for b in w.bottlenecks:
        w.bottlenecks_by_chain.setdefault(b.chain, []).append(b)


def _project_for(w: World, need: Need, matched_on: datetime.date) -> Project | None:
    """A project of the need's pole approved after the match, led by someone else, not born
    from another need; an enterprise's need goes to a project that involves enterprises."""
    projects = w.projects_by_pole.get(need.pole, [])
    dates: list[datetime.date] = []
    for p in projects:
        assert p.approved_on is not None  # projects_by_pole holds approved projects only
        dates.append(p.approved_on)
    start = bisect.bisect_left(dates, matched_on + datetime.timedelta(days=20))
    stop = bisect.bisect_right(dates, matched_on + datetime.timedelta(days=270))
    candidates = [
        p
        for p in projects[start:stop]
        if not p.needs
        and p.owner is not need.owner
        and not (need.owner.is_enterprise and p.flag == "none")
    ]
    return w.rng.choice(candidates) if candidates else None


def _refused(w: World, need: Need, year: int) -> None:
    rng = w.rng
    returned = rng.random() < 0.4
    reason = (
        "insufficient_detail"
        if returned
        else rng.choice(["out_of_scope", "not_technical", "duplicate", "proposer_ineligible"])
    )
    need.rejection_reason = reason
    review = _review(w, returned=returned)
    if reason == "insufficient_detail":
        # "Still no quantifiable indicators after the return": the return asked for them.
        transition, state, actor, _comment = review[2]
        review[2] = (transition, state, actor, FEW_INDICATORS_COMMENT)
    reject: Step = ("reject", "rejected", w.reviewer(), REJECTION_COMMENTS[reason])
    _path(w, need, end=day_of_year(rng, year), steps=[*review, reject])


def _indicators_as_reviewed(need: Need) -> None:
    """A need returned for lacking indicators still lacks them until its proposer resubmits it,
    and one rejected for insufficient detail never got them: its list then agrees with the
    reviewers' words. (Whoever resubmitted added them: a published need has the minimum.)"""
    review = [e for e in need.events if e.transition in ("return", "resubmit")]
    pending_return = bool(review) and review[-1].transition == "return"
    if (pending_return and review[-1].comment == FEW_INDICATORS_COMMENT) or (
        need.rejection_reason == "insufficient_detail"
    ):
        # Three or four: no draw, so the rest of the demo stays as it was.
        need.indicators = need.indicators[: MIN_NEED_INDICATORS - 1 - need.id % 2]


def _withdrawn(w: World, need: Need, year: int) -> None:
    """Withdrawn by its proposer while waiting for review, or after it came back returned."""
    rng = w.rng
    steps = _review(w, returned=True)[:3] if rng.random() < 0.5 else _review(w, returned=False)[:1]
    withdraw: Step = ("withdraw", "withdrawn", OWNER, "需求已通过其他渠道解决，申请撤回。")
    _path(w, need, end=day_of_year(rng, year), steps=[*steps, withdraw])


def _pending(w: World, need: Need, state: str) -> None:
    """A need still on its way on the demo's "today"."""
    rng = w.rng
    end = day_in(rng, AS_OF - datetime.timedelta(days=20), AS_OF - datetime.timedelta(days=1))
    if state == "draft":
        need.created_at = moment(rng, end)
        # A draft may still lack indicators: the bureau checks them before publishing.
        need.indicators = need.indicators[: rng.randint(3, len(need.indicators))]
        return
    steps = _review(w, returned=True)[: {"submitted": 1, "in_review": 2, "returned": 3}[state]]
    _path(w, need, end=end, steps=steps)


# --- Writing --------------------------------------------------------------------------------


def needs_write(w: World) -> None:
    t = w.tables
    for n in w.needs:
        name, phone, email = n.contact
        t.needs.add(
            n.id,
            n.created_at,
            n.updated_at,
            n.owner.id,
            n.title,
            n.summary,
            n.problem,
            n.key_technology,
            n.goals,
            n.pole,
            n.chain,
            n.bottleneck.id if n.bottleneck else None,
            Decimal(n.budget),
            n.open_until,
            name,
            phone,
            email,
            n.state,
            n.rejection_reason,
            n.submitted_at,
            n.published_at,
            w.member(n.owner),
        )
        for position, (metric, target, benchmark, method) in enumerate(n.indicators, start=1):
            t.indicators.add(
                n.created_at, n.created_at, n.id, metric, target, benchmark, method, position
            )
    for a in w.applications:
        assert a.need is not None
        t.applications.add(
            a.id,
            a.created_at,
            a.updated_at,
            a.need.id,
            a.owner.id,
            a.proposal,
            a.state,
            a.project.id if a.project else None,
            a.contract.id if a.contract else None,
            w.member(a.owner),
        )
