"""The membership rule: which organisations a user acts for.

Shared with the workflows (who may act for an organisation) so that reading and acting can
never disagree about who belongs where.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from projects.models import Membership, MembershipRequest, Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    Viewer = User | AnonymousUser | None


def organization_ids_for(*, user: Viewer, role: str | None = None) -> QuerySet[Membership, int]:
    """The ids of the organisations an active ``user`` acts for (in ``role``, if given);
    none for anonymous or deactivated users (a deactivated account keeps its membership rows
    for the record).

    Lazy: used inside another filter it becomes a subquery, not an extra query.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Membership.objects.none().values_list("organization_id", flat=True)
    memberships = Membership.objects.filter(user_id=user.pk)
    if role is not None:
        memberships = memberships.filter(role=role)
    return memberships.values_list("organization_id", flat=True)


def is_member(*, user: Viewer, organization_id: int | None, role: str | None = None) -> bool:
    """Whether ``user`` acts for the organisation (in ``role``, e.g. its administrator)."""
    if organization_id is None:
        return False
    memberships = organization_ids_for(user=user, role=role)
    return memberships.filter(organization_id=organization_id).exists()


def organizations_for(*, user: Viewer) -> QuerySet[Organization]:
    """The organisations ``user`` acts for, by name (the portal's "your organisation")."""
    return Organization.objects.filter(pk__in=organization_ids_for(user=user)).order_by(
        "name", "pk"
    )


def pending_membership_requests(*, organization_id: int) -> QuerySet[MembershipRequest]:
    """The requests waiting for a decision on joining the organisation, oldest first, with
    their user; whoever calls it has checked that the reader may decide them."""
    return (
        MembershipRequest.objects.filter(
            organization_id=organization_id, state=MembershipRequest.State.PENDING
        )
        .select_related("user")
        .order_by("created_at", "pk")
    )


def membership_requests_for(*, user: Viewer, organization_id: int) -> QuerySet[MembershipRequest]:
    """The requests waiting for a decision on joining the organisation, oldest first, for
    its administrators and staff who may change memberships; none for anybody else."""
    pending = pending_membership_requests(organization_id=organization_id)
    if user is None or not user.is_authenticated or not user.is_active:
        return pending.none()
    if not (
        (user.is_staff and user.has_perm("projects.change_membership"))
        or is_member(user=user, organization_id=organization_id, role=Membership.Role.ADMIN)
    ):
        return pending.none()
    return pending


def membership_request_for(*, user: Viewer) -> QuerySet[MembershipRequest]:
    """``user``'s own requests to join an organisation, newest first (the home page says
    which one is waiting)."""
    if user is None or not user.is_authenticated:
        return MembershipRequest.objects.none()
    return (
        MembershipRequest.objects.filter(user_id=user.pk)
        .select_related("organization")
        .order_by("-created_at", "-pk")
    )


def remembered_language_for(*, user: Viewer) -> str | None:
    """The language ``user`` last chose (kept on their memberships, or on a request still
    waiting), or ``None`` when nothing is kept."""
    if user is None or not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user_id=user.pk).order_by("-updated_at").first()
    if membership is not None:
        return membership.language
    request = MembershipRequest.objects.filter(user_id=user.pk).order_by("-updated_at").first()
    return request.language if request is not None else None
