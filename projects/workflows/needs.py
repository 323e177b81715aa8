"""Technical needs.

``draft`` → ``submitted`` → ``in_review`` → ``published`` | ``returned`` (→ ``submitted``) |
``rejected`` (coded reason); ``published`` → ``matched`` → ``closed``; ``withdrawn`` by the
proposer before publication; ``expired`` when ``open_until`` passes unmatched.

A draft is created with a plain ``TechnicalNeed.objects.create(...)``; ``need_submit`` hands it
to the bureau.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import MIN_NEED_INDICATORS, TechnicalNeed
from projects.models.needs import TechnicalNeedRejectionReason
from projects.notifications import queue_for_members

from ._core import Transition, begin, check_state, move, states, table
from ._effects import refresh_indicators_on_commit
from .applications import decline_open_applications
from .errors import InvalidTransition, RuleViolation

if TYPE_CHECKING:
    from ._core import Actor

logger = logging.getLogger(__name__)

S = TechnicalNeed.State
_REVIEW = "projects.review_technicalneed"


def _proposer(need: TechnicalNeed) -> int:
    return need.proposer_id


SUBMIT = Transition(
    "submit", gettext_lazy("submit"), states(S.DRAFT), S.SUBMITTED, members_of=_proposer
)
START_REVIEW = Transition(
    "start_review", gettext_lazy("start reviewing"), states(S.SUBMITTED), S.IN_REVIEW, _REVIEW
)
RETURN = Transition(
    "return", gettext_lazy("return for changes"), states(S.IN_REVIEW), S.RETURNED, _REVIEW
)
RESUBMIT = Transition(
    "resubmit", gettext_lazy("resubmit"), states(S.RETURNED), S.SUBMITTED, members_of=_proposer
)
PUBLISH = Transition("publish", gettext_lazy("publish"), states(S.IN_REVIEW), S.PUBLISHED, _REVIEW)
REJECT = Transition("reject", gettext_lazy("reject"), states(S.IN_REVIEW), S.REJECTED, _REVIEW)
WITHDRAW = Transition(
    "withdraw",
    gettext_lazy("withdraw"),
    states(S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED),
    S.WITHDRAWN,
    members_of=_proposer,
)
MATCH = Transition(
    "match", gettext_lazy("mark as matched"), states(S.PUBLISHED), S.MATCHED, _REVIEW
)
CLOSE = Transition(
    "close", gettext_lazy("close"), states(S.MATCHED), S.CLOSED, _REVIEW, members_of=_proposer
)
EXPIRE = Transition(
    "expire", gettext_lazy("expire"), states(S.PUBLISHED), S.EXPIRED, _REVIEW, system=True
)
TRANSITIONS = table(
    SUBMIT, START_REVIEW, RETURN, RESUBMIT, PUBLISH, REJECT, WITHDRAW, MATCH, CLOSE, EXPIRE
)


def _notify(template: str, need: TechnicalNeed, **context: str) -> None:
    queue_for_members(
        template=template, record=need, organization_id=need.proposer_id, context=context
    )


@transaction.atomic
def need_submit(*, need: TechnicalNeed, actor: Actor, comment: str = "") -> TechnicalNeed:
    begin(SUBMIT, need, actor)
    need.submitted_at = timezone.now()
    move(SUBMIT, need, actor=actor, comment=comment, fields=["submitted_at"])
    return need


@transaction.atomic
def need_start_review(*, need: TechnicalNeed, actor: Actor, comment: str = "") -> TechnicalNeed:
    begin(START_REVIEW, need, actor)
    move(START_REVIEW, need, actor=actor, comment=comment)
    return need


@transaction.atomic
def need_return(*, need: TechnicalNeed, actor: Actor, comment: str = "") -> TechnicalNeed:
    """Send the need back to its proposer; ``comment`` says what to change and is e-mailed."""
    begin(RETURN, need, actor)
    move(RETURN, need, actor=actor, comment=comment)
    _notify("need_returned", need, comment=comment)
    return need


@transaction.atomic
def need_resubmit(*, need: TechnicalNeed, actor: Actor, comment: str = "") -> TechnicalNeed:
    begin(RESUBMIT, need, actor)
    need.submitted_at = timezone.now()
    move(RESUBMIT, need, actor=actor, comment=comment, fields=["submitted_at"])
    return need


@transaction.atomic
def need_publish(*, need: TechnicalNeed, actor: Actor, comment: str = "") -> TechnicalNeed:
    begin(PUBLISH, need, actor)
    indicators = need.indicators.count()
    if indicators < MIN_NEED_INDICATORS:
        raise RuleViolation(
            _(
                "A technical need is published with at least %(minimum)d technical indicators; "
                "“%(need)s” has %(count)d."
            )
            % {"minimum": MIN_NEED_INDICATORS, "need": need, "count": indicators}
        )
    if need.open_until and need.open_until < timezone.localdate():
        raise RuleViolation(
            _("“%(need)s” was open until %(date)s: set a later date before publishing it.")
            % {"need": need, "date": date_format(need.open_until)}
        )
    need.published_at = timezone.now()
    move(PUBLISH, need, actor=actor, comment=comment, fields=["published_at"])
    _notify("need_published", need, comment=comment)
    refresh_indicators_on_commit()
    return need


@transaction.atomic
def need_reject(
    *,
    need: TechnicalNeed,
    actor: Actor,
    reason: TechnicalNeedRejectionReason | str,
    comment: str = "",
) -> TechnicalNeed:
    begin(REJECT, need, actor)
    if reason not in TechnicalNeed.RejectionReason.values:
        raise RuleViolation(
            _("Choose one of the rejection reasons: %(reasons)s.")
            % {"reasons": ", ".join(TechnicalNeed.RejectionReason.values)}
        )
    need.rejection_reason = str(reason)
    move(REJECT, need, actor=actor, comment=comment, fields=["rejection_reason"])
    _notify("need_rejected", need, comment=comment, reason_code=need.rejection_reason)
    return need


@transaction.atomic
def need_withdraw(*, need: TechnicalNeed, actor: Actor, comment: str = "") -> TechnicalNeed:
    begin(WITHDRAW, need, actor)
    move(WITHDRAW, need, actor=actor, comment=comment)
    return need


@transaction.atomic
def need_match(*, need: TechnicalNeed, actor: Actor, comment: str = "") -> TechnicalNeed:
    """Record that the need found its solver outside the application process.

    Open applications are declined: a matched need takes no other solver.
    """
    begin(MATCH, need, actor)
    mark_matched(need, actor=actor, comment=comment)
    return need


def mark_matched(need: TechnicalNeed, *, actor: Actor, comment: str = "", solver: str = "") -> None:
    """Move a locked, published need to ``matched`` with its effects (the caller authorised
    the actor: a reviewer matching directly, or whoever selected an application)."""
    check_state(MATCH, need)
    move(MATCH, need, actor=actor, comment=comment)
    decline_open_applications(need, actor=actor, comment=_("The need has been matched."))
    _notify("need_matched", need, comment=comment, solver=solver)
    refresh_indicators_on_commit()


@transaction.atomic
def need_close(*, need: TechnicalNeed, actor: Actor, comment: str = "") -> TechnicalNeed:
    begin(CLOSE, need, actor)
    move(CLOSE, need, actor=actor, comment=comment)
    return need


@transaction.atomic
def need_expire(
    *,
    need: TechnicalNeed,
    actor: Actor,
    comment: str = "",
    today: datetime.date | None = None,
) -> TechnicalNeed:
    """Close a published need nobody was matched with once ``open_until`` has passed.

    ``actor=None`` is the daily job.
    """
    begin(EXPIRE, need, actor)
    today = today or timezone.localdate()
    if need.open_until is None or need.open_until >= today:
        raise RuleViolation(
            _("“%(need)s” is open until %(date)s: it cannot expire before then.")
            % {
                "need": need,
                "date": date_format(need.open_until) if need.open_until else _("no end date"),
            }
        )
    move(EXPIRE, need, actor=actor, comment=comment)
    decline_open_applications(need, actor=actor, comment=_("The need has expired."))
    refresh_indicators_on_commit()
    return need


def need_expire_overdue(*, today: datetime.date | None = None) -> int:
    """Expire every published need past its ``open_until``; the daily beat task runs this.

    One transaction per need: a need matched at the same moment is skipped, not a failure.
    """
    today = today or timezone.localdate()
    overdue = TechnicalNeed.objects.filter(state=S.PUBLISHED, open_until__lt=today)
    expired = 0
    # need_expire locks and re-reads each need before it acts.
    for need in list(overdue.order_by("pk")):
        try:
            need_expire(need=need, actor=None, today=today)
        except InvalidTransition:
            logger.info("need %s changed before it could expire", need.pk)
            continue
        expired += 1
    return expired
