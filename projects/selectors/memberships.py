"""The membership rule: which organisations a user acts for.

Shared with the workflows (who may act for an organisation) so that reading and acting can
never disagree about who belongs where.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from projects.models import Membership, Organization

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
