"""Applications to solve a published need (揭榜): ``submitted`` → ``shortlisted`` →
``selected`` | ``declined``, or ``withdrawn`` by the applicant.

The need's proposer chooses its solver together with the bureau, so the proposer's members and
reviewers may shortlist, select and decline. Selecting an application matches the need and
declines the others.

Every function locks the need before the application: selecting one application and acting
on another of the same need then queue behind each other in the same order, without deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import clock
from projects.attachments import original_name
from projects.models import ApplicationAttachment, NeedApplication, Organization, TechnicalNeed
from projects.notifications import queue_for_members
from projects.selectors.needs import NeedVisibility, need_visibility_for

from ._core import (
    Input,
    InputKind,
    Transition,
    authorize,
    check_state,
    create,
    lock,
    lock_all,
    move,
    require_accepted_file,
    require_verified,
    state_label,
    states,
    table,
)
from ._effects import refresh_indicators_on_commit
from .errors import InvalidTransition, RuleViolation, WorkflowError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from ._core import Actor

S = NeedApplication.State
_REVIEW = "projects.review_needapplication"


def _applicant(application: NeedApplication) -> int:
    return application.applicant_id


def _need_proposer(application: NeedApplication) -> int:
    return application.need.proposer_id


SUBMIT = Transition(
    "submit",
    gettext_lazy("apply"),
    states(),
    S.SUBMITTED,
    _REVIEW,
    members_of=_applicant,
    inputs=(
        Input("need", gettext_lazy("technical need"), InputKind.RECORD, model=TechnicalNeed),
        Input("applicant", gettext_lazy("applicant"), InputKind.RECORD, model=Organization),
        Input("proposal", gettext_lazy("proposal"), InputKind.LONG_TEXT),
    ),
)
SHORTLIST = Transition(
    "shortlist",
    gettext_lazy("shortlist"),
    states(S.SUBMITTED),
    S.SHORTLISTED,
    _REVIEW,
    members_of=_need_proposer,
)
SELECT = Transition(
    "select",
    gettext_lazy("select"),
    states(S.SHORTLISTED),
    S.SELECTED,
    _REVIEW,
    members_of=_need_proposer,
)
DECLINE = Transition(
    "decline",
    gettext_lazy("decline"),
    states(S.SUBMITTED, S.SHORTLISTED),
    S.DECLINED,
    _REVIEW,
    members_of=_need_proposer,
)
WITHDRAW = Transition(
    "withdraw",
    gettext_lazy("withdraw"),
    states(S.SUBMITTED, S.SHORTLISTED),
    S.WITHDRAWN,
    members_of=_applicant,
)
OPEN_STATES = (S.SUBMITTED, S.SHORTLISTED)

N = TechnicalNeed.State
# The need's transition to ``matched``, in the needs' table. It is declared here, where the two
# machines meet (selecting an application matches its need), so that the needs import this
# module and not the other way.
MATCH = Transition(
    "match",
    gettext_lazy("mark as matched"),
    states(N.PUBLISHED),
    N.MATCHED,
    "projects.review_technicalneed",
)


def _require_published(need: TechnicalNeed) -> None:
    if need.state != TechnicalNeed.State.PUBLISHED:
        raise InvalidTransition(
            _("The technical need “%(need)s” is %(state)s: it takes no applications now.")
            % {"need": need, "state": state_label(need)}
        )


def _refuse_submit(need: TechnicalNeed, application: NeedApplication, actor: Actor) -> None:
    """Raise the first reason ``actor`` may not apply for the applicant (the proposal aside)."""
    applicant = application.applicant
    authorize(SUBMIT, application, actor)
    if need_visibility_for(user=actor, need=need) is NeedVisibility.NONE:
        # Said the same way as for a need that does not exist: nothing about a draft leaks.
        raise InvalidTransition(_("There is no such technical need."))
    _require_published(need)
    if need.open_until and need.open_until < clock.today():
        raise RuleViolation(
            _("The technical need “%(need)s” no longer takes applications.") % {"need": need}
        )
    require_verified(applicant, action=_("apply to solve a technical need"))
    if applicant.pk == need.proposer_id:
        raise RuleViolation(_("An organisation cannot apply to solve its own technical need."))
    if NeedApplication.objects.filter(need=need, applicant=applicant).exists():
        raise RuleViolation(
            _("“%(organization)s” has already applied to this technical need.")
            % {"organization": applicant}
        )


def application_submit_refusal(
    *, need: TechnicalNeed, applicant: Organization, actor: Actor
) -> str | None:
    """Why ``actor`` could not apply now for ``applicant`` (the message
    ``application_submit`` would raise), or ``None``: pages say so before the form is filled."""
    try:
        _refuse_submit(need, NeedApplication(need=need, applicant=applicant), actor)
    except WorkflowError as error:
        return error.message
    return None


@transaction.atomic
def application_submit(
    *,
    need: TechnicalNeed,
    applicant: Organization,
    proposal: str,
    actor: Actor,
    comment: str = "",
    attachments: Iterable[UploadedFile] = (),
) -> NeedApplication:
    """Apply, for ``applicant``, to solve a published need, with ``attachments`` (documents
    checked by ``check_upload``, stored under random names)."""
    lock(need)
    application = NeedApplication(
        need=need, applicant=applicant, proposal=proposal, submitted_by=actor
    )
    _refuse_submit(need, application, actor)
    if not proposal.strip():
        raise RuleViolation(_("Describe how you would solve the need (the proposal)."))
    files = list(attachments)
    for file in files:
        require_accepted_file(file)
    create(SUBMIT, application, actor=actor, comment=comment)
    for file in files:
        name = original_name(file)
        attachment = ApplicationAttachment(
            application=application, original_name=name, uploaded_by=actor
        )
        attachment.file.save(name, file, save=False)
        attachment.save()
    return application


def _begin(transition: Transition, application: NeedApplication, actor: Actor) -> TechnicalNeed:
    need = TechnicalNeed.objects.select_for_update().get(pk=application.need_id)
    lock(application)
    application.need = need
    authorize(transition, application, actor)
    check_state(transition, application)
    return need


@transaction.atomic
def application_shortlist(
    *, application: NeedApplication, actor: Actor, comment: str = ""
) -> NeedApplication:
    need = _begin(SHORTLIST, application, actor)
    _require_published(need)
    move(SHORTLIST, application, actor=actor, comment=comment)
    return application


@transaction.atomic
def application_select(
    *, application: NeedApplication, actor: Actor, comment: str = ""
) -> NeedApplication:
    """Choose this applicant as the need's solver: the need is matched, the others declined."""
    need = _begin(SELECT, application, actor)
    _require_published(need)
    move(SELECT, application, actor=actor, comment=comment)
    mark_matched(need, actor=actor, comment=comment, solver=application.applicant.name)
    return application


@transaction.atomic
def application_decline(
    *, application: NeedApplication, actor: Actor, comment: str = ""
) -> NeedApplication:
    _begin(DECLINE, application, actor)
    move(DECLINE, application, actor=actor, comment=comment)
    return application


@transaction.atomic
def application_withdraw(
    *, application: NeedApplication, actor: Actor, comment: str = ""
) -> NeedApplication:
    _begin(WITHDRAW, application, actor)
    move(WITHDRAW, application, actor=actor, comment=comment)
    return application


def mark_matched(need: TechnicalNeed, *, actor: Actor, comment: str = "", solver: str = "") -> None:
    """Move a locked, published need to ``matched`` with its effects (the caller authorised
    the actor: a reviewer matching directly, or whoever selected an application)."""
    check_state(MATCH, need)
    move(MATCH, need, actor=actor, comment=comment)
    decline_open_applications(need, actor=actor, comment=_("The need has been matched."))
    queue_for_members(
        template="need_matched",
        record=need,
        organization_id=need.proposer_id,
        context={"comment": comment, "solver": solver},
    )
    refresh_indicators_on_commit()


def decline_open_applications(need: TechnicalNeed, *, actor: Actor, comment: str) -> int:
    """Decline the applications still open on a need that was just matched or expired (the
    caller holds the need's lock and authorised the actor)."""
    open_ids = need.applications.filter(state__in=OPEN_STATES).values_list("pk", flat=True)
    declined = 0
    for application in lock_all(NeedApplication, open_ids):
        if application.state in DECLINE.sources:
            move(DECLINE, application, actor=actor, comment=comment)
            declined += 1
    return declined


TRANSITIONS = table(
    SUBMIT.performed_by(application_submit),
    SHORTLIST.performed_by(application_shortlist),
    SELECT.performed_by(application_select),
    DECLINE.performed_by(application_decline),
    WITHDRAW.performed_by(application_withdraw),
)
