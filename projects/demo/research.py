"""Research projects and the bottlenecks they attack.

Projects are approved in two batches a year and run their lifecycle up to the demo's "today";
the enterprise quotas of each approval year are drawn first, so the shares of projects led by
or involving enterprises hold in every year at any scale. Completed projects then resolve the
report's 304 bottlenecks in 2021–2025, each on the day of its project's acceptance.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from projects.models import Bottleneck as BottleneckModel
from projects.models import ResearchProject
from projects.workflows.bottlenecks import PROJECT_UNDER_WAY

from .figures import (
    AS_OF,
    BOTTLENECKS_DROPPED,
    BOTTLENECKS_IDENTIFIED,
    PLAN_YEARS,
    PROJECT_APPROVALS,
    PROJECT_ENTERPRISE_INVOLVED_SHARE,
    PROJECT_ENTERPRISE_LED_SHARE,
    PROJECTS_PROPOSED,
    PROPOSALS_WITHDRAWN,
    RESOLVED_BOTTLENECKS,
    scaled,
)
from .vocabulary import (
    CHAIN_INDICATORS,
    CONDITIONS,
    DEFICIENCIES,
    DROP_COMMENTS,
    FAILURE_AFTER_RECTIFICATION,
    FAILURE_COMMENT,
    POLE_CHAINS,
    PROJECT_FORMS,
    RECTIFICATION_COMMENTS,
    TERMINATION_COMMENTS,
    WITHDRAWN_PROPOSAL_COMMENTS,
    chain_name,
)
from .world import (
    OWNER,
    Chooser,
    Event,
    Org,
    Record,
    add_months,
    after,
    day_in,
    moment,
    workday,
)

if TYPE_CHECKING:
    from .builder import World
    from .needs import Need

LEAD_KINDS: Chooser[str] = Chooser(
    ["university", "research_institute", "new_rd_institution", "laboratory"], [50, 30, 12, 8]
)


@dataclass(slots=True, eq=False)
class Bottleneck(Record):
    title: str = ""
    chain: str = ""
    pole: str = ""
    description: str = ""
    criteria: str = ""
    identified_on: datetime.date = AS_OF
    resolved_on: datetime.date | None = None
    resolved_by: Project | None = None


@dataclass(slots=True, eq=False)
class Project(Record):
    code: str = ""
    title: str = ""
    programme: str = "key"
    pole: str = ""
    chain: str = ""
    topic: tuple[str, str] = ("", "")
    lead: Org | None = None
    # Besides the lead: (organisation, role) with role "partner" or "user".
    partners: list[tuple[Org, str]] = field(default_factory=list)
    flag: str = "none"  # "led", "partner" (enterprise partner only) or "none"
    start_on: datetime.date | None = None
    end_on: datetime.date | None = None
    approved_on: datetime.date | None = None
    completed_on: datetime.date | None = None
    stopped_on: datetime.date | None = None
    rectification_used: bool = False
    approve_event: Event | None = None
    complete_event: Event | None = None
    bottlenecks: list[Bottleneck] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)

    @property
    def owner(self) -> Org:
        assert self.lead is not None
        return self.lead

    def organisations(self) -> list[Org]:
        return [self.owner, *(org for org, _role in self.partners)]


def research_build(w: World) -> None:
    for year, count in PROJECT_APPROVALS.items():
        _approval_year(w, year, scaled(count, w.scale))
    for _ in range(scaled(PROJECTS_PROPOSED, w.scale)):
        _proposal(w, withdrawn=False)
    for _ in range(scaled(PROPOSALS_WITHDRAWN, w.scale)):
        _proposal(w, withdrawn=True)
    _bottlenecks(w)


# --- Projects ---------------------------------------------------------------------------------


def _approval_year(w: World, year: int, count: int) -> None:
    rng = w.rng
    led = round(PROJECT_ENTERPRISE_LED_SHARE[year] * count)
    involved = max(led, math.ceil(PROJECT_ENTERPRISE_INVOLVED_SHARE[year] * count))
    flags = ["led"] * led + ["partner"] * (involved - led) + ["none"] * (count - involved)
    rng.shuffle(flags)
    batches = [
        workday(datetime.date(year, 6, rng.randint(8, 22))),
        workday(datetime.date(year, 12, rng.randint(8, 16))),
    ]
    serials: dict[str, int] = {}
    for index, flag in enumerate(flags):
        approved_on = batches[0] if index < count * 0.45 else batches[1]
        project = _project(w, flag=flag, year=year, serials=serials)
        project.approved_on = approved_on
        project.created_at = moment(
            rng, approved_on - datetime.timedelta(days=rng.randint(60, 150))
        )
        _lifecycle(w, project)
        w.projects.append(project)


def _project(
    w: World, *, flag: str, year: int, serials: dict[str, int], proposal: bool = False
) -> Project:
    rng = w.rng
    if flag == "led":
        lead = rng.choice(w.high_tech)
        chain = rng.choice(lead.chains)
        pole = lead.pole
    else:
        lead = _institution(w, year, "")
        pole = lead.pole if lead.pole and rng.random() < 0.7 else rng.choice(list(POLE_CHAINS))
        chain = rng.choice(POLE_CHAINS[pole])
    programme = "major" if rng.random() < 0.35 else "key"
    # Approved projects are numbered per programme; proposals carry an application number.
    series = "SB" if proposal else "STX" if programme == "major" else "KPX"
    serials[series] = serials.get(series, 0) + 1
    topic = w.topic(chain)
    project = Project(
        id=w.ids.next(ResearchProject),
        state="proposed",
        created_at=w.epoch,
        code=f"CSTB{year}TIAD-{series}{serials[series]:04d}",
        title=rng.choice(PROJECT_FORMS).format(
            object=topic[0], aspect=topic[1], chain=chain_name(chain)
        ),
        programme=programme,
        pole=pole,
        chain=chain,
        topic=topic,
        lead=lead,
        flag=flag,
    )
    members = {lead.id}

    def join(org: Org, role: str) -> None:
        if org.id not in members:
            members.add(org.id)
            project.partners.append((org, role))

    if flag == "led":
        for _ in range(rng.randint(1, 2)):
            join(_institution(w, year, pole), "partner")
        if rng.random() < 0.3:
            join(_enterprise(w, pole), "partner")
    elif flag == "partner":
        join(_enterprise(w, pole), "partner")
        if rng.random() < 0.5:
            join(_institution(w, year, pole), "partner")
    else:
        for _ in range(rng.randint(1, 2)):
            join(_institution(w, year, pole), "partner")
    if flag != "none" and rng.random() < 0.25:
        join(_enterprise(w, pole), "user")
    return project


def _institution(w: World, year: int, pole: str) -> Org:
    kind = LEAD_KINDS.pick(w.rng)
    if kind == "laboratory" and year < 2023:
        kind = "university"  # the Chongqing laboratories opened in 2022 and 2023
    return w.institution(kind, pole)


def _enterprise(w: World, pole: str) -> Org:
    candidates = w.high_tech_by_pole.get(pole) or w.high_tech
    return w.rng.choice(candidates)


def _lifecycle(w: World, p: Project) -> None:
    """Approval, start, acceptance (with at most one rectification), or an early end."""
    rng = w.rng
    assert p.approved_on is not None
    p.start_on = p.approved_on + datetime.timedelta(days=rng.randint(30, 75))
    months = 36 if p.programme == "major" or rng.random() < 0.4 else 24
    p.end_on = add_months(p.start_on, months) - datetime.timedelta(days=1)
    approve = moment(rng, p.approved_on)
    if not p.happen("approve", "approved", approve, w.reviewer()):
        return
    p.approve_event = p.events[-1]
    if not p.happen("start", "in_progress", moment(rng, workday(p.start_on)), w.reviewer()):
        return
    fate = rng.random()
    if fate < 0.03:
        day = day_in(
            rng, p.start_on + datetime.timedelta(days=120), p.end_on - datetime.timedelta(days=60)
        )
        if p.happen(
            "terminate",
            "terminated",
            moment(rng, day),
            w.reviewer(),
            rng.choice(TERMINATION_COMMENTS),
        ):
            p.stopped_on = day
        return
    submitted = after(rng, p.end_on, 0, 45)
    if not p.happen("request_acceptance", "acceptance_review", submitted, OWNER):
        return
    decided = after(rng, submitted, 30, 100)
    if fate < 0.06:
        if p.happen("fail", "failed", decided, w.reviewer(), FAILURE_COMMENT):
            p.stopped_on = decided.date()
        return
    if fate < 0.18:
        if not p.happen(
            "rectify", "rectification", decided, w.reviewer(), rng.choice(RECTIFICATION_COMMENTS)
        ):
            return
        p.rectification_used = True
        resubmitted = after(rng, decided, 60, 150)
        if not p.happen("request_acceptance", "acceptance_review", resubmitted, OWNER):
            return
        decided = after(rng, resubmitted, 30, 60)
        if fate < 0.08:
            if p.happen("fail", "failed", decided, w.reviewer(), FAILURE_AFTER_RECTIFICATION):
                p.stopped_on = decided.date()
            return
    if p.happen("complete", "completed", decided, w.reviewer()):
        p.completed_on = decided.date()
        p.complete_event = p.events[-1]


def _proposal(w: World, *, withdrawn: bool) -> None:
    """A project proposed and not (yet) approved; ``withdrawn`` ones were terminated."""
    rng = w.rng
    if withdrawn:
        year = rng.randint(2022, 2025)
        created = day_in(rng, datetime.date(year, 1, 5), datetime.date(year, 11, 30))
    else:
        year = AS_OF.year
        created = day_in(rng, datetime.date(2025, 11, 1), AS_OF - datetime.timedelta(days=2))
    flag = rng.choice(["led", "led", "partner", "none"])
    serials = w.proposal_serials.setdefault(year, {})
    p = _project(w, flag=flag, year=year, serials=serials, proposal=True)
    p.created_at = moment(rng, created)
    p.start_on = add_months(created, 6)
    p.end_on = add_months(p.start_on, 24) - datetime.timedelta(days=1)
    if withdrawn:
        p.happen(
            "terminate",
            "terminated",
            after(rng, created, 20, 120),
            w.reviewer(),
            rng.choice(WITHDRAWN_PROPOSAL_COMMENTS),
        )
    w.projects.append(p)


# --- Bottlenecks --------------------------------------------------------------------------------


def _bottlenecks(w: World) -> None:
    rng = w.rng
    approved = [p for p in w.projects if p.approve_event is not None]
    in_plan = [p for p in approved if p.completed_on and p.completed_on.year in PLAN_YEARS]
    resolved = scaled(RESOLVED_BOTTLENECKS, w.scale)
    if resolved and not in_plan:
        raise ValueError(f"scale {w.scale} is too small: no project completed in 2021–2025")
    weights = [(1.4 if p.programme == "major" else 0.9) * rng.uniform(0.6, 1.4) for p in in_plan]
    shares = _apportion(resolved, weights)
    resolving = dict(zip((p.id for p in in_plan), shares, strict=True))
    for p in approved:
        if p.state == "completed":
            count = resolving.get(p.id)
            if count is None:  # completed after 2025: resolves one like the others
                count = 1 if rng.random() < 0.7 else 0
            complete = p.complete_event
            assert complete is not None
            for _ in range(count):
                b = _bottleneck_for(w, p)
                b.happen("resolve", "resolved", complete.at, complete.actor, _resolved_comment(p))
                b.resolved_on = p.completed_on
                b.resolved_by = p
            if count == 0 or rng.random() < 0.15:
                _bottleneck_for(w, p)  # addressed, not (yet) resolved by this acceptance
        elif p.state in PROJECT_UNDER_WAY:
            for _ in range(rng.choice([1, 1, 2])):
                _bottleneck_for(w, p)
        else:  # failed or terminated after approval
            b = _bottleneck_for(w, p)
            if rng.random() < 0.4 and p.stopped_on:
                b.happen(
                    "drop",
                    "dropped",
                    after(rng, p.stopped_on, 30, 200),
                    w.reviewer(),
                    rng.choice(DROP_COMMENTS),
                )
    for p in w.projects:
        if p.state == "proposed":
            b = _bottleneck(w, chain=p.chain, pole=p.pole, topic=p.topic)
            b.identified_on = day_in(
                rng,
                p.created_at.date() - datetime.timedelta(days=300),
                p.created_at.date() - datetime.timedelta(days=20),
            )
            p.bottlenecks.append(b)
    for index in range(scaled(BOTTLENECKS_IDENTIFIED + BOTTLENECKS_DROPPED, w.scale)):
        pole = rng.choice(list(POLE_CHAINS))
        chain = rng.choice(POLE_CHAINS[pole])
        b = _bottleneck(w, chain=chain, pole=pole, topic=w.topic(chain))
        b.identified_on = day_in(
            rng, datetime.date(2021, 1, 4), AS_OF - datetime.timedelta(days=10)
        )
        if index < scaled(BOTTLENECKS_DROPPED, w.scale):
            b.happen(
                "drop",
                "dropped",
                after(rng, b.identified_on, 90, 720),
                w.reviewer(),
                rng.choice(DROP_COMMENTS),
            )
    for b in w.bottlenecks:
        b.created_at = moment(rng, b.identified_on)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), summing exactly."""
    if not weights:
        return []
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    shares = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares


def _bottleneck_for(w: World, p: Project) -> Bottleneck:
    """A bottleneck the approved project addresses, targeted when it was approved."""
    rng = w.rng
    topic = p.topic if not p.bottlenecks else w.topic(p.chain)
    b = _bottleneck(w, chain=p.chain, pole=p.pole, topic=topic)
    assert p.approved_on is not None
    b.identified_on = day_in(
        rng,
        p.approved_on - datetime.timedelta(days=420),
        p.approved_on - datetime.timedelta(days=45),
    )
    approve = p.approve_event
    assert approve is not None
    b.happen("target", "targeted", approve.at, approve.actor, f"由已立项项目 {p.code} 攻关。")
    p.bottlenecks.append(b)
    return b


def _resolved_comment(p: Project) -> str:
    return f"项目 {p.code} 通过验收，卡点已解决。"


def _bottleneck(w: World, *, chain: str, pole: str, topic: tuple[str, str]) -> Bottleneck:
    rng = w.rng
    obj, aspect = topic
    metric, target, benchmark, method = rng.choice(CHAIN_INDICATORS[chain])
    b = Bottleneck(
        id=w.ids.next(BottleneckModel),
        state="identified",
        created_at=w.epoch,
        title=f"{obj}{aspect}",
        chain=chain,
        pole=pole,
        description=(
            f"{chain_name(chain)}产业链中，{obj}长期依赖进口；国内产品在{rng.choice(CONDITIONS)}"
            f"条件下{rng.choice(DEFICIENCIES)}，{aspect}是制约链上企业供应安全的关键环节。"
        ),
        criteria=(
            f"{metric}{target}（现有水平{benchmark}），经{method}验证；"
            f"在不少于{rng.randint(2, 5)}家链上企业实现批量应用。"
        ),
    )
    w.bottlenecks.append(b)
    return b


# --- Writing --------------------------------------------------------------------------------


def research_write(w: World) -> None:
    t = w.tables
    for b in w.bottlenecks:
        t.bottlenecks.add(
            b.id,
            b.created_at,
            b.updated_at,
            b.title,
            b.chain,
            b.pole,
            b.description,
            b.criteria,
            b.identified_on,
            b.resolved_on,
            b.resolved_by.id if b.resolved_by else None,
            b.state,
        )
    for p in w.projects:
        t.projects.add(
            p.id,
            p.created_at,
            p.updated_at,
            p.code,
            p.title,
            p.programme,
            p.pole,
            p.owner.id,
            p.start_on,
            p.end_on,
            p.approved_on if p.approve_event else None,
            p.completed_on,
            p.rectification_used,
            p.state,
        )
        t.participants.add(p.created_at, p.created_at, p.id, p.owner.id, "lead")
        for org, role in p.partners:
            t.participants.add(p.created_at, p.created_at, p.id, org.id, role)
        for b in p.bottlenecks:
            t.project_bottlenecks.add(p.id, b.id)
        for need in p.needs:
            t.project_needs.add(p.id, need.id)
