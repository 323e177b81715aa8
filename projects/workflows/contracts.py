"""Technology contracts submitted for registration (技术合同认定登记).

``submitted`` → ``registered`` | ``supplement_requested`` (→ ``submitted``) | ``not_registered``
(with a reason); ``registered`` → ``cancelled``.

The registry answers within 15 working days of a complete submission, 30 when the contract
amount is 5 million yuan or more. A request for supplements stops the clock; it starts again,
from zero, on the day the supplements are handed in.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Organization, ResearchProject, TechnicalNeed, TransferContract
from projects.models.contracts import TransferContractKind
from projects.notifications import queue_for_members
from projects.workdays import add_working_days

from ._core import (
    Transition,
    authorize,
    begin,
    create,
    move,
    states,
    table,
)
from ._effects import refresh_indicators_on_commit
from .errors import RuleViolation

if TYPE_CHECKING:
    from ._core import Actor

S = TransferContract.State
_REGISTER = "projects.register_transfercontract"

LARGE_CONTRACT_AMOUNT = Decimal("5000000.00")
REGISTRATION_WORKING_DAYS = 15
LARGE_REGISTRATION_WORKING_DAYS = 30


def _seller(contract: TransferContract) -> int:
    return contract.seller_id


SUBMIT = Transition(
    "submit", gettext_lazy("submit"), states(), S.SUBMITTED, _REGISTER, members_of=_seller
)
REGISTER = Transition(
    "register", gettext_lazy("register"), states(S.SUBMITTED), S.REGISTERED, _REGISTER
)
REQUEST_SUPPLEMENTS = Transition(
    "request_supplements",
    gettext_lazy("request supplements for"),
    states(S.SUBMITTED),
    S.SUPPLEMENT_REQUESTED,
    _REGISTER,
)
RESUBMIT = Transition(
    "resubmit",
    gettext_lazy("resubmit"),
    states(S.SUPPLEMENT_REQUESTED),
    S.SUBMITTED,
    _REGISTER,
    members_of=_seller,
)
REFUSE = Transition(
    "refuse", gettext_lazy("refuse to register"), states(S.SUBMITTED), S.NOT_REGISTERED, _REGISTER
)
CANCEL = Transition("cancel", gettext_lazy("cancel"), states(S.REGISTERED), S.CANCELLED, _REGISTER)
TRANSITIONS = table(SUBMIT, REGISTER, REQUEST_SUPPLEMENTS, RESUBMIT, REFUSE, CANCEL)


def registration_due_date(
    *, submitted_on: datetime.date, contract_amount: Decimal
) -> tuple[datetime.date, bool]:
    """When the registry must have answered a complete submission made on ``submitted_on``,
    and whether that date is provisional (the official calendar of a year on the way is not
    published yet, so Monday to Friday were counted)."""
    days = (
        LARGE_REGISTRATION_WORKING_DAYS
        if contract_amount >= LARGE_CONTRACT_AMOUNT
        else REGISTRATION_WORKING_DAYS
    )
    return add_working_days(submitted_on, days)


def _check_amounts(contract_amount: Decimal, technology_transaction_amount: Decimal) -> None:
    if contract_amount < 0 or technology_transaction_amount < 0:
        raise RuleViolation(_("Contract amounts cannot be negative."))
    if technology_transaction_amount > contract_amount:
        raise RuleViolation(
            _(
                "The technology transaction amount (%(technology)s yuan) cannot exceed the "
                "contract amount (%(amount)s yuan)."
            )
            % {"technology": technology_transaction_amount, "amount": contract_amount}
        )


@transaction.atomic
def contract_submit(
    *,
    seller: Organization,
    buyer: Organization,
    kind: TransferContractKind | str,
    title: str,
    contract_amount: Decimal,
    technology_transaction_amount: Decimal,
    signed_on: datetime.date,
    actor: Actor,
    submitted_on: datetime.date | None = None,
    need: TechnicalNeed | None = None,
    project: ResearchProject | None = None,
    comment: str = "",
) -> TransferContract:
    """Submit a contract for registration, for the seller (technology provider); the registry's
    due date is set from the submission date."""
    submitted_on = submitted_on or timezone.localdate()
    contract = TransferContract(
        seller=seller,
        buyer=buyer,
        kind=kind,
        title=title,
        contract_amount=contract_amount,
        technology_transaction_amount=technology_transaction_amount,
        signed_on=signed_on,
        submitted_on=submitted_on,
        need=need,
        project=project,
    )
    authorize(SUBMIT, contract, actor)
    if kind not in TransferContract.Kind.values:
        raise RuleViolation(_("Unknown contract kind: %(kind)s.") % {"kind": kind})
    _check_amounts(contract_amount, technology_transaction_amount)
    if seller.pk == buyer.pk:
        raise RuleViolation(_("The seller and the buyer must be different organisations."))
    if submitted_on < signed_on:
        raise RuleViolation(
            _("A contract signed on %(signed)s cannot be submitted before, on %(submitted)s.")
            % {"signed": date_format(signed_on), "submitted": date_format(submitted_on)}
        )
    contract.clock_started_on = submitted_on
    contract.registration_due_on, contract.registration_due_provisional = registration_due_date(
        submitted_on=submitted_on, contract_amount=contract_amount
    )
    create(SUBMIT, contract, actor=actor, comment=comment)
    return contract


def _notify(template: str, contract: TransferContract, **context: str) -> None:
    queue_for_members(
        template=template, record=contract, organization_id=contract.seller_id, context=context
    )


@transaction.atomic
def contract_register(
    *,
    contract: TransferContract,
    actor: Actor,
    comment: str = "",
    registration_number: str = "",
    registered_on: datetime.date | None = None,
) -> TransferContract:
    """Register the contract. Without ``registration_number`` one is made from the year, the
    seller's district code and the contract's id, which are unique together."""
    begin(REGISTER, contract, actor)
    registered_on = registered_on or timezone.localdate()
    if registered_on < contract.submitted_on:
        raise RuleViolation(
            _("A contract submitted on %(submitted)s cannot be registered before, on %(date)s.")
            % {"submitted": date_format(contract.submitted_on), "date": date_format(registered_on)}
        )
    _check_amounts(contract.contract_amount, contract.technology_transaction_amount)
    number = registration_number.strip() or (
        f"{registered_on.year}{contract.district}{contract.pk:08d}"
    )
    if TransferContract.objects.filter(registration_number=number).exclude(pk=contract.pk).exists():
        raise RuleViolation(
            _("The registration number %(number)s is already used by another contract.")
            % {"number": number}
        )
    contract.registration_number = number
    contract.registered_on = registered_on
    move(
        REGISTER,
        contract,
        actor=actor,
        comment=comment,
        fields=["registration_number", "registered_on"],
    )
    _notify(
        "contract_registered",
        contract,
        comment=comment,
        registration_number=number,
        registered_on=registered_on.isoformat(),
    )
    refresh_indicators_on_commit()
    return contract


@transaction.atomic
def contract_request_supplements(
    *, contract: TransferContract, actor: Actor, comment: str = ""
) -> TransferContract:
    """Return the contract to its seller for supplements (``comment`` lists them and is
    e-mailed). The registry's clock stops: the due date is cleared until the resubmission."""
    begin(REQUEST_SUPPLEMENTS, contract, actor)
    contract.clock_started_on = None
    contract.registration_due_on = None
    contract.registration_due_provisional = False
    move(
        REQUEST_SUPPLEMENTS,
        contract,
        actor=actor,
        comment=comment,
        fields=["clock_started_on", "registration_due_on", "registration_due_provisional"],
    )
    _notify("contract_supplement_requested", contract, comment=comment)
    return contract


@transaction.atomic
def contract_resubmit(
    *,
    contract: TransferContract,
    actor: Actor,
    comment: str = "",
    resubmitted_on: datetime.date | None = None,
) -> TransferContract:
    """Hand in the supplements; the registration clock restarts from ``resubmitted_on``.
    ``submitted_on`` keeps the first submission date."""
    begin(RESUBMIT, contract, actor)
    resubmitted_on = resubmitted_on or timezone.localdate()
    if resubmitted_on < contract.submitted_on:
        raise RuleViolation(
            _("Supplements cannot be handed in (%(date)s) before the submission (%(submitted)s).")
            % {"date": date_format(resubmitted_on), "submitted": date_format(contract.submitted_on)}
        )
    contract.clock_started_on = resubmitted_on
    contract.registration_due_on, contract.registration_due_provisional = registration_due_date(
        submitted_on=resubmitted_on, contract_amount=contract.contract_amount
    )
    move(
        RESUBMIT,
        contract,
        actor=actor,
        comment=comment,
        fields=["clock_started_on", "registration_due_on", "registration_due_provisional"],
    )
    return contract


@transaction.atomic
def contract_refuse(
    *, contract: TransferContract, actor: Actor, reason: str, comment: str = ""
) -> TransferContract:
    """Refuse to register the contract; ``reason`` is kept on the contract and e-mailed."""
    begin(REFUSE, contract, actor)
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("Give the reason why the contract is not registered."))
    contract.refusal_reason = reason
    move(REFUSE, contract, actor=actor, comment=comment, fields=["refusal_reason"])
    _notify("contract_refused", contract, comment=comment, reason=reason)
    return contract


@transaction.atomic
def contract_cancel(
    *, contract: TransferContract, actor: Actor, comment: str = ""
) -> TransferContract:
    begin(CANCEL, contract, actor)
    move(CANCEL, contract, actor=actor, comment=comment)
    refresh_indicators_on_commit()
    return contract
