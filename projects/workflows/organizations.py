"""Organisations: ``pending`` → ``verified`` | ``rejected``, decided by reviewers.

Reviewers register an organisation (it starts ``pending``) and correct its details; a change
of district or pole moves its contracts with it (the database carries them over in the same
transaction) and refreshes the figures. Who acts for an organisation (its memberships)
changes only here, logged on the organisation's timeline: by its administrators or by staff
with the permission, and never by someone adding themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.credit_code import validate_credit_code
from projects.formatting import full_name
from projects.models import District, Membership, MembershipRequest, Organization, Pole
from projects.models.notifications import NotificationTemplate
from projects.notifications import queue_for_members
from projects.selectors.memberships import pending_membership_requests

from ._core import (
    Input,
    InputKind,
    Transition,
    authorize,
    begin,
    check_choices,
    correct,
    create,
    log_transition,
    move,
    states,
    table,
)
from ._effects import refresh_indicators_on_commit
from .errors import RuleViolation

if TYPE_CHECKING:
    from ._core import Actor

S = Organization.State
ANY_STATE = states(*S.values)
_PERMISSION = "projects.verify_organization"
_MEMBERSHIPS = "projects.change_membership"
ADMIN = Membership.Role.ADMIN


def _itself(organization: Organization) -> int:
    return organization.pk


def _members(organization: Organization) -> models.QuerySet[Membership]:
    return organization.memberships.select_related("user")


DETAILS = (
    Input("name", gettext_lazy("name"), InputKind.TEXT),
    Input("kind", gettext_lazy("kind"), InputKind.CHOICE, choices=Organization.Kind),
    Input("district", gettext_lazy("district"), InputKind.CHOICE, choices=District),
    Input("pole", gettext_lazy("innovation pole"), InputKind.CHOICE, required=False, choices=Pole),
    Input("industry", gettext_lazy("industry"), InputKind.TEXT, required=False),
)
ROLE = Input("role", gettext_lazy("role"), InputKind.CHOICE, choices=Membership.Role)
MEMBER = Input(
    "membership", gettext_lazy("member"), InputKind.RECORD, model=Membership, options=_members
)


def _pending_requests(organization: Organization) -> models.QuerySet[MembershipRequest]:
    # The transition's permission (an administrator, or staff changing memberships) is checked
    # when it runs.
    return pending_membership_requests(organization_id=organization.pk)


REQUEST = Input(
    "membership_request",
    gettext_lazy("membership request"),
    InputKind.RECORD,
    model=MembershipRequest,
    options=_pending_requests,
)

REGISTER = Transition(
    "register",
    gettext_lazy("register"),
    states(),
    S.PENDING,
    "projects.add_organization",
    inputs=(
        DETAILS[0],
        Input("credit_code", gettext_lazy("unified social credit code"), InputKind.TEXT),
        *DETAILS[1:],
    ),
)
EDIT = Transition(
    "edit",
    gettext_lazy("correct the details of"),
    ANY_STATE,
    None,
    "projects.change_organization",
    button=gettext_lazy("correct the details"),
    inputs=DETAILS,
)
VERIFY = Transition("verify", gettext_lazy("verify"), states(S.PENDING), S.VERIFIED, _PERMISSION)
REJECT = Transition("reject", gettext_lazy("reject"), states(S.PENDING), S.REJECTED, _PERMISSION)
ADD_MEMBER = Transition(
    "add_member",
    gettext_lazy("add a member to"),
    ANY_STATE,
    None,
    _MEMBERSHIPS,
    button=gettext_lazy("add a member"),
    members_of=_itself,
    members_role=ADMIN,
    inputs=(
        Input("user", gettext_lazy("user"), InputKind.RECORD, model=get_user_model()),
        ROLE,
    ),
)
CHANGE_MEMBER_ROLE = Transition(
    "change_member_role",
    gettext_lazy("change a member's role in"),
    ANY_STATE,
    None,
    _MEMBERSHIPS,
    button=gettext_lazy("change a member's role"),
    members_of=_itself,
    members_role=ADMIN,
    inputs=(MEMBER, ROLE),
)
REMOVE_MEMBER = Transition(
    "remove_member",
    gettext_lazy("remove a member from"),
    ANY_STATE,
    None,
    _MEMBERSHIPS,
    button=gettext_lazy("remove a member"),
    members_of=_itself,
    members_role=ADMIN,
    inputs=(MEMBER,),
)
APPROVE_MEMBERSHIP = Transition(
    "approve_membership",
    gettext_lazy("approve a membership request for"),
    ANY_STATE,
    None,
    _MEMBERSHIPS,
    button=gettext_lazy("approve a membership request"),
    members_of=_itself,
    members_role=ADMIN,
    inputs=(REQUEST,),
)
REFUSE_MEMBERSHIP = Transition(
    "refuse_membership",
    gettext_lazy("refuse a membership request for"),
    ANY_STATE,
    None,
    _MEMBERSHIPS,
    button=gettext_lazy("refuse a membership request"),
    members_of=_itself,
    members_role=ADMIN,
    inputs=(REQUEST,),
)


@transaction.atomic
def organization_register(
    *,
    actor: Actor,
    name: str,
    credit_code: str,
    kind: str,
    district: str,
    pole: str = "",
    industry: str = "",
    comment: str = "",
) -> Organization:
    """Record an organisation under its unified social credit code; it waits for
    verification (``pending``)."""
    organization = Organization(
        name=name.strip(),
        credit_code=credit_code.strip().upper(),
        kind=kind,
        district=district,
        pole=pole,
        industry=industry,
    )
    authorize(REGISTER, organization, actor)
    _check_details(organization, REGISTER)
    try:
        validate_credit_code(organization.credit_code)
    except ValidationError as exc:
        raise RuleViolation(" ".join(exc.messages)) from exc
    if Organization.objects.filter(credit_code=organization.credit_code).exists():
        raise RuleViolation(
            _("An organisation with the credit code %(code)s is already registered.")
            % {"code": organization.credit_code}
        )
    create(REGISTER, organization, actor=actor, comment=comment)
    return organization


def _check_details(organization: Organization, transition: Transition) -> None:
    if not organization.name:
        raise RuleViolation(_("Give the organisation's name."))
    check_choices(transition, {i.name: getattr(organization, i.name) for i in transition.inputs})


@transaction.atomic
def organization_edit(
    *, organization: Organization, actor: Actor, comment: str = "", **details: Any
) -> Organization:
    """Correct the organisation's name, kind, district, pole or industry, logged with old and
    new values. Its contracts follow a new district or pole; the figures are recomputed."""
    begin(EDIT, organization, actor)
    unknown = set(details) - {i.name for i in EDIT.inputs}
    if unknown:
        raise TypeError(f"not details of an organisation: {sorted(unknown)}")
    correct(
        EDIT,
        organization,
        actor=actor,
        comment=comment,
        values={name: value for name, value in details.items() if value is not None},
        derive=lambda: _check_details(organization, EDIT),
    )
    # The database carries a new district or pole to the organisation's contracts (a
    # trigger, in this transaction).
    refresh_indicators_on_commit()
    return organization


@transaction.atomic
def organization_verify(
    *, organization: Organization, actor: Actor, comment: str = ""
) -> Organization:
    begin(VERIFY, organization, actor)
    move(VERIFY, organization, actor=actor, comment=comment)
    # Verified organisations count in the indicators (certifications, enterprise shares).
    refresh_indicators_on_commit()
    return organization


@transaction.atomic
def organization_reject(
    *, organization: Organization, actor: Actor, comment: str = ""
) -> Organization:
    begin(REJECT, organization, actor)
    move(REJECT, organization, actor=actor, comment=comment)
    return organization


def _log_member(
    transition: Transition,
    organization: Organization,
    *,
    actor: Actor,
    comment: str,
    before: str | None,
    after: str | None,
) -> None:
    log_transition(
        record=organization,
        transition=transition.name,
        from_state=organization.state,
        to_state=organization.state,
        actor=actor,
        comment=comment,
        changes={"member": [before, after]},
    )


def _member_label(membership: Membership) -> str:
    return f"{membership.user.get_username()} ({membership.get_role_display()})"


@transaction.atomic
def membership_add(
    *,
    organization: Organization,
    actor: Actor,
    user: Any,
    role: str = Membership.Role.MEMBER,
    comment: str = "",
) -> Membership:
    """Let ``user`` act for the organisation."""
    begin(ADD_MEMBER, organization, actor)
    check_choices(ADD_MEMBER, {"role": role})
    if actor is not None and user.pk == actor.pk:
        raise RuleViolation(
            _(
                "Nobody adds themselves to an organisation: another administrator or the "
                "bureau does."
            )
        )
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise RuleViolation(
            _("%(user)s already acts for this organisation.") % {"user": user.get_username()}
        )
    membership = Membership.objects.create(organization=organization, user=user, role=role)
    _log_member(
        ADD_MEMBER,
        organization,
        actor=actor,
        comment=comment,
        before=None,
        after=_member_label(membership),
    )
    return membership


def _locked_membership(organization: Organization, membership: Membership) -> Membership:
    found = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(pk=membership.pk, organization=organization)
        .first()
    )
    if found is None:
        raise RuleViolation(_("That person does not act for this organisation."))
    return found


@transaction.atomic
def membership_change_role(
    *,
    organization: Organization,
    actor: Actor,
    membership: Membership,
    role: str,
    comment: str = "",
) -> Membership:
    begin(CHANGE_MEMBER_ROLE, organization, actor)
    check_choices(CHANGE_MEMBER_ROLE, {"role": role})
    membership = _locked_membership(organization, membership)
    if membership.role == role:
        raise RuleViolation(_("Nothing would change: every value is the one recorded."))
    before = _member_label(membership)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    _log_member(
        CHANGE_MEMBER_ROLE,
        organization,
        actor=actor,
        comment=comment,
        before=before,
        after=_member_label(membership),
    )
    return membership


@transaction.atomic
def membership_remove(
    *, organization: Organization, actor: Actor, membership: Membership, comment: str = ""
) -> None:
    begin(REMOVE_MEMBER, organization, actor)
    membership = _locked_membership(organization, membership)
    before = _member_label(membership)
    membership.delete()
    _log_member(
        REMOVE_MEMBER, organization, actor=actor, comment=comment, before=before, after=None
    )


def _check_new_account(user: Any) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise RuleViolation(_("Sign up first: only a signed-in person can do this."))
    if Membership.objects.filter(user_id=user.pk).exists():
        raise RuleViolation(_("Your account already acts for an organisation."))


@transaction.atomic
def organization_sign_up(
    *,
    user: Any,
    name: str,
    credit_code: str,
    kind: str,
    district: str,
    pole: str = "",
    industry: str = "",
    language: str = Membership.Language.ZH_HANS,
) -> Organization:
    """A person signing up registers their organisation, new to the product: it waits for a
    reviewer's verification (``pending``), and they become its first administrator.

    Not the table's ``register`` check (reviewers hold that permission): the right here is
    that of an account that acts for nobody yet. Both steps are logged on the organisation's
    timeline, with the person as their actor.
    """
    _check_new_account(user)
    organization = Organization(
        name=name.strip(),
        credit_code=credit_code.strip().upper(),
        kind=kind,
        district=district,
        pole=pole,
        industry=industry,
    )
    _check_details(organization, REGISTER)
    try:
        validate_credit_code(organization.credit_code)
    except ValidationError as exc:
        raise RuleViolation(" ".join(exc.messages)) from exc
    if Organization.objects.filter(credit_code=organization.credit_code).exists():
        raise RuleViolation(
            _("An organisation with the credit code %(code)s is already registered.")
            % {"code": organization.credit_code}
        )
    create(REGISTER, organization, actor=user, comment=_("Signed up in the portal."))
    membership = Membership.objects.create(
        organization=organization, user=user, role=ADMIN, language=language
    )
    _log_member(
        ADD_MEMBER,
        organization,
        actor=user,
        comment=_("Signed up in the portal."),
        before=None,
        after=_member_label(membership),
    )
    return organization


@transaction.atomic
def membership_request(
    *, user: Any, credit_code: str, language: str = Membership.Language.ZH_HANS
) -> MembershipRequest:
    """Ask to act for the organisation registered under ``credit_code``; its administrators
    or a reviewer decide (``membership_request_approve`` / ``_refuse``). A credit code is
    public (the national registry publishes it), so saying that one is registered tells
    nothing confidential."""
    _check_new_account(user)
    code = credit_code.strip().upper()
    organization = Organization.objects.filter(credit_code=code).first()
    if organization is None:
        raise RuleViolation(
            _("No organisation is registered under the credit code %(code)s.") % {"code": code}
        )
    if MembershipRequest.objects.filter(
        user_id=user.pk, organization=organization, state=MembershipRequest.State.PENDING
    ).exists():
        raise RuleViolation(_("This person already waits for a decision."))
    request = MembershipRequest.objects.create(
        user=user, organization=organization, language=language
    )
    queue_for_members(
        template=NotificationTemplate.MEMBERSHIP_REQUESTED,
        record=request,
        organization_id=organization.pk,
        role=Membership.Role.ADMIN,
        context={"title": organization.name, "person": _person_label(user)},
    )
    return request


def _person_label(user: Any) -> str:
    """ "陈晓雯 (chen@xingan.cn)", or the e-mail address alone (the portal's user name)."""
    name, email = full_name(user), user.email or user.get_username()
    return f"{name} ({email})" if name else email


def _locked_request(organization: Organization, request: MembershipRequest) -> MembershipRequest:
    found = (
        MembershipRequest.objects.select_for_update()
        .select_related("user")
        .filter(pk=request.pk, organization=organization, state=MembershipRequest.State.PENDING)
        .first()
    )
    if found is None:
        raise RuleViolation(_("That membership request is no longer waiting for a decision."))
    return found


def _decide(request: MembershipRequest, *, actor: Actor, state: str) -> None:
    request.state = state
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])


@transaction.atomic
def membership_request_approve(
    *,
    organization: Organization,
    actor: Actor,
    membership_request: MembershipRequest,
    comment: str = "",
) -> Membership:
    """The person who asked now acts for the organisation, as a member."""
    begin(APPROVE_MEMBERSHIP, organization, actor)
    request = _locked_request(organization, membership_request)
    membership, _created = Membership.objects.get_or_create(
        organization=organization,
        user=request.user,
        defaults={"role": Membership.Role.MEMBER, "language": request.language},
    )
    _decide(request, actor=actor, state=MembershipRequest.State.APPROVED)
    _log_member(
        APPROVE_MEMBERSHIP,
        organization,
        actor=actor,
        comment=comment,
        before=None,
        after=_member_label(membership),
    )
    return membership


@transaction.atomic
def membership_request_refuse(
    *,
    organization: Organization,
    actor: Actor,
    membership_request: MembershipRequest,
    comment: str = "",
) -> MembershipRequest:
    begin(REFUSE_MEMBERSHIP, organization, actor)
    request = _locked_request(organization, membership_request)
    _decide(request, actor=actor, state=MembershipRequest.State.REFUSED)
    log_transition(
        record=organization,
        transition=REFUSE_MEMBERSHIP.name,
        from_state=organization.state,
        to_state=organization.state,
        actor=actor,
        comment=comment,
        changes={"membership_request": [request.user.get_username(), None]},
    )
    return request


def member_language_set(*, user: Any, language: str) -> int:
    """Remember the language ``user`` chose for the portal, on their memberships (the
    language of their e-mails) and on their pending requests. Returns the rows changed."""
    if language not in Membership.Language.values:
        raise RuleViolation(_("“%(value)s” is not a language of the portal.") % {"value": language})
    changed = (
        Membership.objects.filter(user_id=user.pk)
        .exclude(language=language)
        .update(language=language, updated_at=timezone.now())
    )
    changed += (
        MembershipRequest.objects.filter(user_id=user.pk, state=MembershipRequest.State.PENDING)
        .exclude(language=language)
        .update(language=language, updated_at=timezone.now())
    )
    return changed


TRANSITIONS = table(
    REGISTER.performed_by(organization_register),
    EDIT.performed_by(organization_edit),
    VERIFY.performed_by(organization_verify),
    REJECT.performed_by(organization_reject),
    ADD_MEMBER.performed_by(membership_add),
    CHANGE_MEMBER_ROLE.performed_by(membership_change_role),
    REMOVE_MEMBER.performed_by(membership_remove),
    APPROVE_MEMBERSHIP.performed_by(membership_request_approve),
    REFUSE_MEMBERSHIP.performed_by(membership_request_refuse),
)
