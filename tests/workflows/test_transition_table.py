"""Every state machine, walked from its table: each legal transition succeeds for an allowed
actor and logs exactly one row on the record; every other (state, transition) pair is refused
with the domain error and changes nothing; actors of another organisation are refused.

The expected table below is written out by hand (it is the product's specification), and is
compared with the one the workflows declare.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from projects.models import (
    Bottleneck,
    MembershipRequest,
    NeedApplication,
    Organization,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
    TransitionLog,
)
from projects.workflows.errors import InvalidTransition, TransitionNotPermitted
from projects.workflows.registry import MACHINES
from tests import factories

pytestmark = pytest.mark.django_db

REVIEWER = "reviewer"
OWNER = "owner"  # a member of the organisation the record belongs to
BOTH = "reviewer|owner"

ANY_ORGANIZATION_STATE = {"pending", "verified", "rejected"}

# machine -> the transition that creates its records, and their first state
CREATIONS: dict[str, tuple[str, str]] = {
    "organization": ("register", "pending"),
    "need": ("create", "draft"),
    "application": ("submit", "submitted"),
    "project": ("propose", "proposed"),
    "bottleneck": ("identify", "identified"),
    "contract": ("submit", "submitted"),
}

# machine -> transition -> (source states, target state, who may act); a target of None
# keeps the record in its state (a logged correction).
EXPECTED: dict[str, dict[str, tuple[set[str], str | None, str]]] = {
    "organization": {
        "edit": (ANY_ORGANIZATION_STATE, None, REVIEWER),
        "verify": ({"pending"}, "verified", REVIEWER),
        "reject": ({"pending"}, "rejected", REVIEWER),
        # OWNER here is an administrator of the organisation.
        "add_member": (ANY_ORGANIZATION_STATE, None, BOTH),
        "change_member_role": (ANY_ORGANIZATION_STATE, None, BOTH),
        "remove_member": (ANY_ORGANIZATION_STATE, None, BOTH),
        "approve_membership": (ANY_ORGANIZATION_STATE, None, BOTH),
        "refuse_membership": (ANY_ORGANIZATION_STATE, None, BOTH),
    },
    "need": {
        "edit": ({"draft", "returned"}, None, OWNER),
        "submit": ({"draft"}, "submitted", OWNER),
        "start_review": ({"submitted"}, "in_review", REVIEWER),
        "return": ({"in_review"}, "returned", REVIEWER),
        "resubmit": ({"returned"}, "submitted", OWNER),
        "publish": ({"in_review"}, "published", REVIEWER),
        "reject": ({"in_review"}, "rejected", REVIEWER),
        "withdraw": ({"draft", "submitted", "in_review", "returned"}, "withdrawn", OWNER),
        "match": ({"published"}, "matched", REVIEWER),
        "close": ({"matched"}, "closed", BOTH),
        "expire": ({"published"}, "expired", REVIEWER),
    },
    "application": {
        # OWNER here is the need's proposer, who picks its solver with the bureau…
        "shortlist": ({"submitted"}, "shortlisted", BOTH),
        "select": ({"shortlisted"}, "selected", BOTH),
        "decline": ({"submitted", "shortlisted"}, "declined", BOTH),
        # …except for withdrawing, which is the applicant's.
        "withdraw": ({"submitted", "shortlisted"}, "withdrawn", OWNER),
    },
    "project": {
        "approve": ({"proposed"}, "approved", REVIEWER),
        "start": ({"approved"}, "in_progress", REVIEWER),
        "request_acceptance": ({"in_progress", "rectification"}, "acceptance_review", BOTH),
        "complete": ({"acceptance_review"}, "completed", REVIEWER),
        "rectify": ({"acceptance_review"}, "rectification", REVIEWER),
        "fail": ({"acceptance_review"}, "failed", REVIEWER),
        "terminate": (
            {"proposed", "approved", "in_progress", "acceptance_review", "rectification"},
            "terminated",
            REVIEWER,
        ),
    },
    "bottleneck": {
        "target": ({"identified"}, "targeted", REVIEWER),
        "resolve": ({"targeted"}, "resolved", REVIEWER),
        "drop": ({"identified", "targeted"}, "dropped", REVIEWER),
    },
    "contract": {
        "amend": ({"submitted", "supplement_requested"}, None, BOTH),
        "register": ({"submitted"}, "registered", REVIEWER),
        "request_supplements": ({"submitted"}, "supplement_requested", REVIEWER),
        "resubmit": ({"supplement_requested"}, "submitted", BOTH),
        "refuse": ({"submitted"}, "not_registered", REVIEWER),
        "correct": ({"registered"}, None, REVIEWER),
        "cancel": ({"registered"}, "cancelled", REVIEWER),
    },
}


@dataclass
class World:
    """A record in a given state, the people around it, and the arguments a transition
    needs beyond the record, the actor and the comment."""

    record: Any
    owner_org: Organization
    extra: dict[str, Any] = field(default_factory=dict)
    owner_role: str = "member"


def _today() -> datetime.date:
    return timezone.localdate()


def _organization(state: str, transition: str) -> World:
    org = factories.OrganizationFactory(state=state)
    member = factories.MembershipFactory(organization=org)
    extra: dict[str, Any] = {
        "edit": {"name": "重庆新名称科技有限公司"},
        "add_member": {"user": factories.UserFactory(), "role": "member"},
        "change_member_role": {"membership": member, "role": "admin"},
        "remove_member": {"membership": member},
    }.get(transition, {})
    if transition in ("approve_membership", "refuse_membership"):
        asked = MembershipRequest.objects.create(user=factories.UserFactory(), organization=org)
        extra = {"membership_request": asked}
    return World(org, org, extra, owner_role="admin")


def _need(state: str, transition: str) -> World:
    proposer = factories.OrganizationFactory()
    open_until = _today() - datetime.timedelta(days=1) if transition == "expire" else None
    need = factories.TechnicalNeedFactory(
        proposer=proposer,
        state=state,
        rejection_reason="duplicate" if state == "rejected" else "",
        open_until=open_until or _today() + datetime.timedelta(days=90),
    )
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    extra: dict[str, Any] = {
        "reject": {"reason": TechnicalNeed.RejectionReason.OUT_OF_SCOPE},
        "edit": {"title": "电池热管理系统（修订）"},
    }.get(transition, {})
    return World(need, proposer, extra)


def _application(state: str, transition: str) -> World:
    proposer = factories.OrganizationFactory()
    need = factories.TechnicalNeedFactory(proposer=proposer, state="published")
    applicant = factories.OrganizationFactory(kind=Organization.Kind.UNIVERSITY)
    application = factories.NeedApplicationFactory(need=need, applicant=applicant, state=state)
    owner = applicant if transition == "withdraw" else proposer
    return World(application, owner)


def _approved_on(state: str) -> datetime.date | None:
    return None if state in ("proposed", "terminated") else datetime.date(2024, 1, 10)


def _project(state: str, transition: str) -> World:
    lead = factories.OrganizationFactory()
    project = factories.ResearchProjectFactory(
        lead=lead, state=state, approved_on=_approved_on(state)
    )
    extra = {"resolved_bottlenecks": []} if transition == "complete" else {}
    return World(project, lead, extra)


def _bottleneck(state: str, transition: str) -> World:
    bottleneck = factories.BottleneckFactory(
        state=state, resolved_on=datetime.date(2025, 6, 1) if state == "resolved" else None
    )
    extra: dict[str, Any] = {}
    if transition in ("target", "resolve"):
        project_state = "approved" if transition == "target" else "completed"
        project = factories.ResearchProjectFactory(
            state=project_state,
            approved_on=datetime.date(2024, 1, 10),
            completed_on=datetime.date(2025, 6, 1) if transition == "resolve" else None,
        )
        project.bottlenecks.add(bottleneck)
        extra["project"] = project
    return World(bottleneck, factories.OrganizationFactory(), extra)


def _contract(state: str, transition: str) -> World:
    seller = factories.OrganizationFactory(kind=Organization.Kind.UNIVERSITY)
    registered = state in ("registered", "cancelled")
    contract = factories.TransferContractFactory(
        seller=seller,
        state=state,
        registration_number=f"TEST{seller.pk:08d}" if registered else None,
        registered_on=datetime.date(2024, 3, 20) if registered else None,
        refusal_reason="材料不全" if state == "not_registered" else "",
    )
    extra: dict[str, Any] = {
        "refuse": {"reason": "不属于技术合同"},
        "amend": {"title": "智能网联汽车域控制器联合开发（修订）"},
        "correct": {"title": "智能网联汽车域控制器联合开发（更正）"},
    }.get(transition, {})
    return World(contract, seller, extra)


BUILDERS: dict[str, Callable[[str, str], World]] = {
    "organization": _organization,
    "need": _need,
    "application": _application,
    "project": _project,
    "bottleneck": _bottleneck,
    "contract": _contract,
}
STATES: dict[str, list[str]] = {
    "organization": Organization.State.values,
    "need": TechnicalNeed.State.values,
    "application": NeedApplication.State.values,
    "project": ResearchProject.State.values,
    "bottleneck": Bottleneck.State.values,
    "contract": TransferContract.State.values,
}

ALL_CASES = [
    pytest.param(machine, transition, state, id=f"{machine}-{transition}-from-{state}")
    for machine, transitions in EXPECTED.items()
    for transition in transitions
    for state in STATES[machine]
]


def _legal_cases(*whos: str) -> list[Any]:
    return [
        pytest.param(machine, transition, state, id=f"{machine}-{transition}-from-{state}")
        for machine, transitions in EXPECTED.items()
        for transition, (sources, _target, who) in transitions.items()
        for state in sorted(sources)
        if who in whos
    ]


LEGAL_CASES = _legal_cases(REVIEWER, OWNER, BOTH)


def _member_of(org: Organization, role: str = "member") -> Any:
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organization=org, role=role)
    return user


def _allowed_actor(who: str, world: World) -> Any:
    if who == OWNER:
        return _member_of(world.owner_org, world.owner_role)
    return factories.reviewer_user()


def _logs(record: Any) -> list[TransitionLog]:
    return list(
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
    )


def _snapshot(record: Any) -> tuple[str, datetime.datetime]:
    fresh = type(record).objects.get(pk=record.pk)
    return fresh.state, fresh.updated_at


def _perform(machine: str, transition: str, world: World, actor: Any) -> Any:
    chosen = MACHINES[machine]
    record = type(world.record).objects.get(pk=world.record.pk)
    return chosen.functions[transition](
        **{chosen.name: record},
        actor=actor,
        comment="table test",
        **world.extra,
    )


def test_declared_creations_match_the_specification() -> None:
    declared = {
        name: (machine.creation.name, machine.creation.target) for name, machine in MACHINES.items()
    }
    assert declared == CREATIONS


def test_declared_tables_match_the_specification() -> None:
    declared = {
        name: {
            transition: (
                set(machine.transitions[transition].sources),
                machine.transitions[transition].target,
            )
            for transition in machine.functions
        }
        for name, machine in MACHINES.items()
    }
    expected = {
        name: {t: (sources, target) for t, (sources, target, _who) in transitions.items()}
        for name, transitions in EXPECTED.items()
    }
    assert declared == expected


@pytest.mark.parametrize(("machine", "transition", "state"), ALL_CASES)
def test_transition_from_state(machine: str, transition: str, state: str) -> None:
    sources, target, who = EXPECTED[machine][transition]
    world = BUILDERS[machine](state, transition)
    actor = _allowed_actor(OWNER if who == BOTH else who, world)
    before = _snapshot(world.record)

    if state in sources:
        _perform(machine, transition, world, actor)
        reached = target or state
        assert type(world.record).objects.get(pk=world.record.pk).state == reached
        [log] = _logs(world.record)
        assert (log.transition, log.from_state, log.to_state) == (transition, state, reached)
        assert log.actor == actor
        assert log.comment == "table test"
    else:
        with pytest.raises(InvalidTransition):
            _perform(machine, transition, world, actor)
        assert _snapshot(world.record) == before
        assert _logs(world.record) == []


@pytest.mark.parametrize(("machine", "transition", "state"), _legal_cases(BOTH))
def test_reviewer_may_also_act_where_the_owner_may(
    machine: str, transition: str, state: str
) -> None:
    _sources, target, _who = EXPECTED[machine][transition]
    world = BUILDERS[machine](state, transition)
    _perform(machine, transition, world, factories.reviewer_user())
    assert type(world.record).objects.get(pk=world.record.pk).state == (target or state)


@pytest.mark.parametrize(("machine", "transition", "state"), LEGAL_CASES)
def test_actor_of_another_organisation_is_refused(
    machine: str, transition: str, state: str
) -> None:
    world = BUILDERS[machine](state, transition)
    outsider = _member_of(factories.OrganizationFactory(name="重庆另一家科技有限公司"))
    before = _snapshot(world.record)

    with pytest.raises(TransitionNotPermitted):
        _perform(machine, transition, world, outsider)

    assert _snapshot(world.record) == before
    assert _logs(world.record) == []


@pytest.mark.parametrize(("machine", "transition", "state"), _legal_cases(REVIEWER))
def test_reviewer_transitions_refuse_the_owner(machine: str, transition: str, state: str) -> None:
    world = BUILDERS[machine](state, transition)
    before = _snapshot(world.record)

    with pytest.raises(TransitionNotPermitted):
        _perform(machine, transition, world, _member_of(world.owner_org))

    assert _snapshot(world.record) == before
    assert _logs(world.record) == []


@pytest.mark.parametrize(("machine", "transition", "state"), _legal_cases(OWNER))
def test_owner_transitions_refuse_a_reviewer_without_membership(
    machine: str, transition: str, state: str
) -> None:
    world = BUILDERS[machine](state, transition)

    with pytest.raises(TransitionNotPermitted):
        _perform(machine, transition, world, factories.reviewer_user())

    assert _logs(world.record) == []
