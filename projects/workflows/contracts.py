"""Technology contracts submitted for registration (技术合同认定登记).

``submitted`` → ``registered`` | ``supplement_requested`` (→ ``submitted``) | ``not_registered``
(with a reason); ``registered`` → ``cancelled``.

The registry answers within 15 working days of a complete submission, 30 when the contract
amount is 5 million yuan or more. A request for supplements stops the clock; it starts again,
from zero, on the day the supplements are handed in.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import clock
from projects.models import (
    Organization,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
    TransitionLog,
)
from projects.models.contracts import TransferContractKind
from projects.notifications import queue_for_members
from projects.workdays import add_working_days

from ._core import (
    Input,
    InputKind,
    Transition,
    authorize,
    begin,
    check_choices,
    check_event_date,
    correct,
    create,
    event_day,
    move,
    require_verified,
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


# The facts of a contract: fixed at submission, changed only by an amendment (before the
# registry decides) or a correction (after registration), each logged with old and new values.
FACTS = (
    Input(
        "seller", gettext_lazy("seller (technology provider)"), InputKind.RECORD, model=Organization
    ),
    Input("buyer", gettext_lazy("buyer"), InputKind.RECORD, model=Organization),
    Input("kind", gettext_lazy("kind"), InputKind.CHOICE, choices=TransferContract.Kind),
    Input("title", gettext_lazy("title"), InputKind.TEXT),
    Input("contract_amount", gettext_lazy("contract amount (yuan)"), InputKind.AMOUNT),
    Input(
        "technology_transaction_amount",
        gettext_lazy("technology transaction amount (yuan)"),
        InputKind.AMOUNT,
        help_text=gettext_lazy(
            "The contract amount less equipment, materials and other non-technical costs."
        ),
    ),
    Input("signed_on", gettext_lazy("signed on"), InputKind.DATE),
    event_day("submitted_on", gettext_lazy("submitted on")),
)
FACT_FIELDS = tuple(i.name for i in FACTS)
# In an amendment or a correction every fact is optional, and one left out keeps its value.
_CHANGES = tuple(
    replace(i, required=False, help_text="" if i.kind is InputKind.DATE else i.help_text)
    for i in FACTS
)

SUBMIT = Transition(
    "submit",
    gettext_lazy("submit"),
    states(),
    S.SUBMITTED,
    _REGISTER,
    members_of=_seller,
    inputs=(
        *FACTS,
        Input(
            "need",
            gettext_lazy("technical need"),
            InputKind.RECORD,
            required=False,
            model=TechnicalNeed,
        ),
        Input(
            "project",
            gettext_lazy("research project"),
            InputKind.RECORD,
            required=False,
            model=ResearchProject,
        ),
    ),
)
AMEND = Transition(
    "amend",
    gettext_lazy("amend"),
    states(S.SUBMITTED, S.SUPPLEMENT_REQUESTED),
    None,
    _REGISTER,
    members_of=_seller,
    inputs=_CHANGES,
)
REGISTER = Transition(
    "register",
    gettext_lazy("register"),
    states(S.SUBMITTED),
    S.REGISTERED,
    _REGISTER,
    inputs=(
        Input(
            "registration_number",
            gettext_lazy("registration number"),
            InputKind.TEXT,
            required=False,
            help_text=gettext_lazy("Left empty, one is made from the year, district and id."),
        ),
        event_day("registered_on", gettext_lazy("registered on")),
    ),
)
REQUEST_SUPPLEMENTS = Transition(
    "request_supplements",
    gettext_lazy("request supplements for"),
    states(S.SUBMITTED),
    S.SUPPLEMENT_REQUESTED,
    _REGISTER,
    button=gettext_lazy("request supplements"),
)
RESUBMIT = Transition(
    "resubmit",
    gettext_lazy("resubmit"),
    states(S.SUPPLEMENT_REQUESTED),
    S.SUBMITTED,
    _REGISTER,
    members_of=_seller,
    inputs=(event_day("resubmitted_on", gettext_lazy("supplements handed in on")),),
)
REFUSE = Transition(
    "refuse",
    gettext_lazy("refuse to register"),
    states(S.SUBMITTED),
    S.NOT_REGISTERED,
    _REGISTER,
    inputs=(Input("reason", gettext_lazy("reason for not registering"), InputKind.LONG_TEXT),),
)
CORRECT = Transition(
    "correct",
    gettext_lazy("correct"),
    states(S.REGISTERED),
    None,
    _REGISTER,
    inputs=(
        *_CHANGES,
        Input("registered_on", gettext_lazy("registered on"), InputKind.DATE, required=False),
    ),
)
CANCEL = Transition("cancel", gettext_lazy("cancel"), states(S.REGISTERED), S.CANCELLED, _REGISTER)


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


def _check_facts(contract: TransferContract) -> None:
    """The rules every version of a contract's facts obeys, checked before it is saved."""
    check_choices(SUBMIT, {"kind": contract.kind})
    amount, technology = contract.contract_amount, contract.technology_transaction_amount
    if amount < 0 or technology < 0:
        raise RuleViolation(_("Contract amounts cannot be negative."))
    if technology > amount:
        raise RuleViolation(
            _(
                "The technology transaction amount (%(technology)s yuan) cannot exceed the "
                "contract amount (%(amount)s yuan)."
            )
            % {"technology": technology, "amount": amount}
        )
    if contract.seller_id == contract.buyer_id:
        raise RuleViolation(_("The seller and the buyer must be different organisations."))
    check_event_date(contract.signed_on, label=_("signing date"))
    check_event_date(
        contract.submitted_on,
        label=_("submission date"),
        after=contract.signed_on,
        after_label=_("signing date"),
    )


def _start_clock(contract: TransferContract, day: datetime.date) -> None:
    contract.clock_started_on = day
    contract.registration_due_on, contract.registration_due_provisional = registration_due_date(
        submitted_on=day, contract_amount=contract.contract_amount
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
    contract = TransferContract(
        seller=seller,
        buyer=buyer,
        kind=kind,
        title=title,
        contract_amount=contract_amount,
        technology_transaction_amount=technology_transaction_amount,
        signed_on=signed_on,
        submitted_on=submitted_on or clock.today(),
        need=need,
        project=project,
    )
    authorize(SUBMIT, contract, actor)
    require_verified(seller, action=_("submit contracts for registration"))
    _check_facts(contract)
    _start_clock(contract, contract.submitted_on)
    create(SUBMIT, contract, actor=actor, comment=comment)
    return contract


@transaction.atomic
def contract_amend(
    *, contract: TransferContract, actor: Actor, comment: str = "", **facts: Any
) -> TransferContract:
    """Amend the facts of a contract the registry has not decided yet (``FACTS``: parties,
    kind, title, amounts, dates). The old and new values go to the timeline; a running
    registration clock restarts from the amended submission when that moves, and the due
    date follows the amount (30 working days from 5 million yuan)."""
    begin(AMEND, contract, actor)
    _change_facts(AMEND, contract, actor=actor, comment=comment, facts=facts)
    return contract


@transaction.atomic
def contract_correct(
    *, contract: TransferContract, actor: Actor, comment: str, **facts: Any
) -> TransferContract:
    """Correct the facts of a registered contract (``FACTS`` and ``registered_on``), with the
    reason in ``comment``; the figures are recomputed."""
    begin(CORRECT, contract, actor)
    if not comment.strip():
        raise RuleViolation(_("Say why the registered contract is corrected (the comment)."))
    _change_facts(CORRECT, contract, actor=actor, comment=comment, facts=facts)
    return contract


def _change_facts(
    transition: Transition,
    contract: TransferContract,
    *,
    actor: Actor,
    comment: str,
    facts: dict[str, Any],
) -> None:
    allowed = {i.name for i in transition.inputs}
    unknown = set(facts) - allowed
    if unknown:
        raise TypeError(f"not facts of a contract: {sorted(unknown)}")
    values = {name: value for name, value in facts.items() if value is not None}
    first_submission = contract.submitted_on

    def derive() -> None:
        _check_facts(contract)
        # Copied here rather than left to the model's save, so the timeline shows the move.
        contract.district, contract.pole = contract.seller.district, contract.seller.pole
        clock_day = contract.clock_started_on
        if clock_day is not None and (
            clock_day == first_submission or clock_day < contract.submitted_on
        ):
            # The clock ran from the submission whose day was corrected.
            clock_day = contract.submitted_on
        if contract.state == S.SUBMITTED:
            _start_clock(contract, clock_day or contract.submitted_on)
        elif contract.state == S.REGISTERED:
            assert contract.registered_on is not None  # a registered contract has its date
            contract.clock_started_on = clock_day
            check_event_date(
                contract.registered_on,
                label=_("registration date"),
                after=clock_day or contract.submitted_on,
                after_label=_("complete submission"),
            )

    correct(
        transition,
        contract,
        actor=actor,
        comment=comment,
        values=values,
        derived=(
            "district",
            "pole",
            "clock_started_on",
            "registration_due_on",
            "registration_due_provisional",
        ),
        derive=derive,
    )
    refresh_indicators_on_commit()


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
    registered_on = registered_on or clock.today()
    check_event_date(
        registered_on,
        label=_("registration date"),
        after=contract.clock_started_on or contract.submitted_on,
        after_label=_("complete submission"),
    )
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


def _supplements_requested_on(contract: TransferContract) -> datetime.date:
    """The day of the last request for supplements (the submission day if none is logged)."""
    requested = (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(contract),
            object_id=contract.pk,
            transition=REQUEST_SUPPLEMENTS.name,
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return (
        max(clock.day_of(requested), contract.submitted_on) if requested else contract.submitted_on
    )


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
    resubmitted_on = resubmitted_on or clock.today()
    check_event_date(
        resubmitted_on,
        label=_("date the supplements were handed in"),
        after=_supplements_requested_on(contract),
        after_label=_("request for supplements"),
    )
    _start_clock(contract, resubmitted_on)
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


TRANSITIONS = table(
    SUBMIT.performed_by(contract_submit),
    AMEND.performed_by(contract_amend),
    REGISTER.performed_by(contract_register),
    REQUEST_SUPPLEMENTS.performed_by(contract_request_supplements),
    RESUBMIT.performed_by(contract_resubmit),
    REFUSE.performed_by(contract_refuse),
    CORRECT.performed_by(contract_correct),
    CANCEL.performed_by(contract_cancel),
)
