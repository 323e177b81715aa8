"""Every state machine by name, for generic callers: the ``transition`` command, admin buttons,
tests that walk all transitions. Creations (``application_submit``, ``contract_submit``) take
more than a record and are called directly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from projects.models import (
    Bottleneck,
    NeedApplication,
    Organization,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
)

from . import applications, bottlenecks, contracts, needs, organizations, research
from ._core import Transition


@dataclass(frozen=True)
class Machine:
    # Also the keyword its transition functions take the record by (need=..., contract=...).
    name: str
    model: type[models.Model]
    transitions: dict[str, Transition]
    functions: dict[str, Callable[..., Any]]


MACHINES: dict[str, Machine] = {
    machine.name: machine
    for machine in (
        Machine(
            "organization",
            Organization,
            organizations.TRANSITIONS,
            {
                "verify": organizations.organization_verify,
                "reject": organizations.organization_reject,
            },
        ),
        Machine(
            "need",
            TechnicalNeed,
            needs.TRANSITIONS,
            {
                "submit": needs.need_submit,
                "start_review": needs.need_start_review,
                "return": needs.need_return,
                "resubmit": needs.need_resubmit,
                "publish": needs.need_publish,
                "reject": needs.need_reject,
                "withdraw": needs.need_withdraw,
                "match": needs.need_match,
                "close": needs.need_close,
                "expire": needs.need_expire,
            },
        ),
        Machine(
            "application",
            NeedApplication,
            applications.TRANSITIONS,
            {
                "shortlist": applications.application_shortlist,
                "select": applications.application_select,
                "decline": applications.application_decline,
                "withdraw": applications.application_withdraw,
            },
        ),
        Machine(
            "project",
            ResearchProject,
            research.TRANSITIONS,
            {
                "approve": research.project_approve,
                "start": research.project_start,
                "request_acceptance": research.project_request_acceptance,
                "complete": research.project_complete,
                "rectify": research.project_rectify,
                "fail": research.project_fail,
                "terminate": research.project_terminate,
            },
        ),
        Machine(
            "bottleneck",
            Bottleneck,
            bottlenecks.TRANSITIONS,
            {
                "target": bottlenecks.bottleneck_target,
                "resolve": bottlenecks.bottleneck_resolve,
                "drop": bottlenecks.bottleneck_drop,
            },
        ),
        Machine(
            "contract",
            TransferContract,
            contracts.TRANSITIONS,
            {
                "register": contracts.contract_register,
                "request_supplements": contracts.contract_request_supplements,
                "resubmit": contracts.contract_resubmit,
                "refuse": contracts.contract_refuse,
                "cancel": contracts.contract_cancel,
            },
        ),
    )
}

ALIASES = {"organisation": "organization", "org": "organization", "transfercontract": "contract"}


def machine(name: str) -> Machine:
    key = name.lower().replace("-", "_")
    return MACHINES[ALIASES.get(key, key)]
