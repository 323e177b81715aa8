"""Technical needs.

``draft`` → ``submitted`` → ``in_review`` → ``published`` | ``returned`` (→ ``submitted``) |
``rejected`` (coded reason); ``published`` → ``matched`` → ``closed``; ``withdrawn`` by the
proposer before publication; ``expired`` when ``open_until`` passes unmatched.

``need_create`` writes a draft for its proposer; the proposer's members change its content
(``need_edit``, ``need_indicators_set``, attachments) while they hold it (draft, returned), and
``need_submit`` hands it to the bureau once every part of it is complete. The proposer never
changes.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from projects import clock
from projects.attachments import original_name
from projects.models import (
    MIN_NEED_INDICATORS,
    Bottleneck,
    IndustrialChain,
    NeedAttachment,
    NeedIndicator,
    Organization,
    Pole,
    TechnicalNeed,
)
from projects.models.needs import TechnicalNeedRejectionReason
from projects.notifications import queue_for_members

from ._core import (
    Input,
    InputKind,
    Transition,
    authorize,
    begin,
    check_choices,
    correct,
    create,
    move,
    require_accepted_file,
    require_verified,
    states,
    table,
)
from ._effects import refresh_indicators_on_commit
from .applications import MATCH, decline_open_applications, mark_matched
from .errors import InvalidTransition, RuleViolation

if TYPE_CHECKING:
    from ._core import Actor

logger = logging.getLogger(__name__)

S = TechnicalNeed.State
_REVIEW = "projects.review_technicalneed"


def _proposer(need: TechnicalNeed) -> int:
    return need.proposer_id


# What the proposer writes: the need's content, in the order of the form.
CONTENT = (
    Input("title", gettext_lazy("title"), InputKind.TEXT),
    Input("summary", gettext_lazy("public summary"), InputKind.LONG_TEXT),
    Input("problem", gettext_lazy("problem"), InputKind.LONG_TEXT, required=False),
    Input("key_technology", gettext_lazy("key technology"), InputKind.LONG_TEXT, required=False),
    Input("goals", gettext_lazy("goals"), InputKind.LONG_TEXT, required=False),
    Input("pole", gettext_lazy("innovation pole"), InputKind.CHOICE, choices=Pole),
    Input(
        "industrial_chain",
        gettext_lazy("industrial chain"),
        InputKind.CHOICE,
        choices=IndustrialChain,
    ),
    Input(
        "bottleneck",
        gettext_lazy("bottleneck"),
        InputKind.RECORD,
        required=False,
        model=Bottleneck,
    ),
    Input("budget", gettext_lazy("budget (yuan)"), InputKind.AMOUNT, required=False),
    Input("open_until", gettext_lazy("open until"), InputKind.DATE, required=False),
    Input("contact_name", gettext_lazy("contact name"), InputKind.TEXT, required=False),
    Input("contact_phone", gettext_lazy("contact phone"), InputKind.TEXT, required=False),
    Input("contact_email", gettext_lazy("contact e-mail"), InputKind.TEXT, required=False),
)
CONTENT_FIELDS = tuple(i.name for i in CONTENT)


class Part:
    """A part of the need's content as its proposer fills it in (a page of the portal's form),
    with what makes it complete."""

    def __init__(
        self,
        slug: str,
        title: Any,
        fields: tuple[str, ...] = (),
        *,
        required: tuple[str, ...] = (),
        complete_when: tuple[str, ...] = (),
        optional: bool = False,
        confidential: bool = True,
        hints: dict[str, Any] | None = None,
    ) -> None:
        self.slug = slug
        self.title = title
        self.fields = fields
        self.required = required
        self.complete_when = complete_when or required
        self.optional = optional
        self.confidential = confidential
        self.hints = hints or {}


PARTS = (
    Part(
        "overview",
        gettext_lazy("Title, public summary and field"),
        ("title", "summary", "pole", "industrial_chain"),
        required=("title", "summary", "pole", "industrial_chain"),
        confidential=False,
        hints={
            "title": gettext_lazy("A short name of the need, e.g. 高精度传感器芯片研发."),
            "summary": gettext_lazy(
                "Public once the need is published: anybody may read it in the catalogue. "
                "Write no confidential detail here."
            ),
        },
    ),
    Part(
        "problem",
        gettext_lazy("Problem, key technology and goals"),
        ("problem", "key_technology", "goals"),
        complete_when=("problem", "key_technology", "goals"),
        hints={
            "problem": gettext_lazy("What does not work today, and where."),
            "key_technology": gettext_lazy("The technology the solution depends on."),
            "goals": gettext_lazy("What the solution must achieve, and by when."),
        },
    ),
    Part("indicators", gettext_lazy("Technical indicators")),
    Part(
        "scope",
        gettext_lazy("Bottleneck, budget and closing date"),
        ("bottleneck", "budget", "open_until"),
        complete_when=("budget", "open_until"),
        hints={
            "bottleneck": gettext_lazy("Optional: the industrial-chain bottleneck it addresses."),
            "budget": gettext_lazy("In yuan, digits only: 3000000 is 300 万元."),
            "open_until": gettext_lazy("The last day solvers may apply."),
        },
    ),
    Part(
        "contact",
        gettext_lazy("Contact"),
        ("contact_name", "contact_phone", "contact_email"),
        complete_when=("contact_name", "contact_phone", "contact_email"),
        hints={"contact_phone": gettext_lazy("e.g. 023-68881234")},
    ),
    Part("attachments", gettext_lazy("Attachments"), optional=True),
)
PARTS_BY_SLUG = {part.slug: part for part in PARTS}


class PartStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    OPTIONAL = "optional"

    LABELS = {
        NOT_STARTED: gettext_lazy("not started"),
        IN_PROGRESS: pgettext_lazy("part of a form", "in progress"),
        COMPLETE: gettext_lazy("complete"),
        OPTIONAL: gettext_lazy("optional"),
    }


def part_status(part: Part, need: TechnicalNeed) -> str:
    """Whether a part is complete; read from prefetched indicators and attachments."""
    if part.slug == "indicators":
        count = len(need.indicators.all())
        if count >= MIN_NEED_INDICATORS:
            return PartStatus.COMPLETE
        return PartStatus.IN_PROGRESS if count else PartStatus.NOT_STARTED
    if part.slug == "attachments":
        return PartStatus.COMPLETE if len(need.attachments.all()) else PartStatus.OPTIONAL
    filled = [bool(getattr(need, name) not in (None, "")) for name in part.complete_when]
    if all(filled):
        return PartStatus.COMPLETE
    return PartStatus.IN_PROGRESS if any(filled) else PartStatus.NOT_STARTED


def missing_parts(need: TechnicalNeed) -> list[Part]:
    """The parts still to finish before the need can be submitted."""
    return [
        part
        for part in PARTS
        if not part.optional and part_status(part, need) != PartStatus.COMPLETE
    ]


def require_complete(need: TechnicalNeed) -> None:
    """Refuse to hand the need to the bureau while a part is unfinished, naming each one."""
    missing = missing_parts(need)
    if missing:
        raise RuleViolation(
            " ".join(
                _("Finish this part first: %(part)s.") % {"part": capfirst(str(part.title))}
                for part in missing
            )
        )


CREATE = Transition(
    "create",
    gettext_lazy("create a draft of"),
    states(),
    S.DRAFT,
    "projects.add_technicalneed",
    members_of=_proposer,
    button=gettext_lazy("create a draft"),
    inputs=(
        Input("proposer", gettext_lazy("proposer"), InputKind.RECORD, model=Organization),
        *CONTENT,
    ),
)
EDIT = Transition(
    "edit",
    gettext_lazy("edit"),
    states(S.DRAFT, S.RETURNED),
    None,
    members_of=_proposer,
    inputs=tuple(replace(i, required=False) for i in CONTENT),
)
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
REJECT = Transition(
    "reject",
    gettext_lazy("reject"),
    states(S.IN_REVIEW),
    S.REJECTED,
    _REVIEW,
    inputs=(
        Input(
            "reason",
            gettext_lazy("rejection reason"),
            InputKind.CHOICE,
            choices=TechnicalNeed.RejectionReason,
        ),
    ),
)
WITHDRAW = Transition(
    "withdraw",
    gettext_lazy("withdraw"),
    states(S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED),
    S.WITHDRAWN,
    members_of=_proposer,
)
CLOSE = Transition(
    "close", gettext_lazy("close"), states(S.MATCHED), S.CLOSED, _REVIEW, members_of=_proposer
)
EXPIRE = Transition(
    "expire", gettext_lazy("expire"), states(S.PUBLISHED), S.EXPIRED, _REVIEW, system=True
)


def _notify(template: str, need: TechnicalNeed, **context: str) -> None:
    queue_for_members(
        template=template, record=need, organization_id=need.proposer_id, context=context
    )


@transaction.atomic
def need_create(
    *, proposer: Organization, actor: Actor, comment: str = "", **content: Any
) -> TechnicalNeed:
    """Write a draft need for ``proposer`` with ``content`` (the fields of ``CONTENT``).

    An organisation still waiting for verification may prepare drafts; it submits them once
    verified.
    """
    need = TechnicalNeed(proposer=proposer, created_by=actor)
    for name, value in _content(content).items():
        setattr(need, name, value)
    authorize(CREATE, need, actor)
    create(CREATE, need, actor=actor, comment=comment)
    return need


@transaction.atomic
def need_edit(
    *, need: TechnicalNeed, actor: Actor, comment: str = "", **content: Any
) -> TechnicalNeed:
    """Change the content of a need its proposer holds (draft, returned); the old and new
    values are logged, so a reviewer reads what changed since the return."""
    begin(EDIT, need, actor)
    correct(EDIT, need, actor=actor, comment=comment, values=_content(content))
    return need


def _content(content: Mapping[str, Any]) -> dict[str, Any]:
    """``content`` checked: only fields of ``CONTENT``, choices among their values (blank only
    where optional, as at creation), no negative budget."""
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not the content of a need: {sorted(unknown)}")
    check_choices(CREATE, content)
    budget = content.get("budget")
    if budget is not None and budget < 0:
        raise RuleViolation(_("The budget cannot be negative."))
    return dict(content)


@transaction.atomic
def need_indicators_set(
    *, need: TechnicalNeed, actor: Actor, indicators: Sequence[Mapping[str, str]]
) -> list[NeedIndicator]:
    """Replace the need's technical indicators, in the order given (metric, target value,
    current benchmark, test method), while its proposer holds it."""
    begin(EDIT, need, actor)
    rows = []
    for position, values in enumerate(indicators, start=1):
        metric = (values.get("metric") or "").strip()
        if not metric or not (values.get("target_value") or "").strip():
            raise RuleViolation(
                _("Technical indicator %(position)d needs a metric and a target value.")
                % {"position": position}
            )
        rows.append(
            NeedIndicator(
                need=need,
                position=position,
                metric=metric,
                target_value=values["target_value"].strip(),
                current_benchmark=(values.get("current_benchmark") or "").strip(),
                test_method=(values.get("test_method") or "").strip(),
            )
        )
    need.indicators.all().delete()
    NeedIndicator.objects.bulk_create(rows)
    need.save(update_fields=["updated_at"])
    return rows


@transaction.atomic
def need_attachment_add(
    *, need: TechnicalNeed, actor: Actor, file: File[Any], description: str = ""
) -> NeedAttachment:
    """Attach a document (PDF, Office, image: checked by name and content, size limited by
    ``ATTACHMENT_MAX_BYTES``), stored under a random name; its own name is kept for the
    download."""
    begin(EDIT, need, actor)
    require_accepted_file(file)
    name = original_name(file)
    attachment = NeedAttachment(
        need=need, description=description, uploaded_by=actor, original_name=name
    )
    attachment.file.save(name, file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def need_attachment_remove(*, attachment: NeedAttachment, actor: Actor) -> None:
    begin(EDIT, attachment.need, actor)
    stored = attachment.file.name
    attachment.delete()
    # The file goes once the row is gone for good, not if the transaction rolls back.
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


@transaction.atomic
def need_submit(*, need: TechnicalNeed, actor: Actor, comment: str = "") -> TechnicalNeed:
    begin(SUBMIT, need, actor)
    require_verified(need.proposer, action=_("submit technical needs"))
    require_complete(need)
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
    require_verified(need.proposer, action=_("submit technical needs"))
    require_complete(need)
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
    if need.open_until and need.open_until < clock.today():
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
    check_choices(REJECT, {"reason": reason})
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
    today = today or clock.today()
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
    today = today or clock.today()
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


TRANSITIONS = table(
    CREATE.performed_by(need_create),
    EDIT.performed_by(need_edit),
    SUBMIT.performed_by(need_submit),
    START_REVIEW.performed_by(need_start_review),
    RETURN.performed_by(need_return),
    RESUBMIT.performed_by(need_resubmit),
    PUBLISH.performed_by(need_publish),
    REJECT.performed_by(need_reject),
    WITHDRAW.performed_by(need_withdraw),
    MATCH.performed_by(need_match),
    CLOSE.performed_by(need_close),
    EXPIRE.performed_by(need_expire),
)
