"""Who sees an organisation: its own members (the organisation and who belongs to it), and
staff with ``projects.view_organization`` (its members with ``projects.view_membership``).

Others learn an organisation's name only where a record they may see shows it (a need's
public summary carries its proposer's name); they cannot list or open organisations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from projects.models import Membership, Organization

from ._core import get_or_not_found, scoped, sees_all
from .errors import RecordNotFound
from .memberships import is_member, organization_ids_for

if TYPE_CHECKING:
    from .memberships import Viewer


def organization_list_for(*, user: Viewer, own: bool = False) -> QuerySet[Organization]:
    """The organisations ``user`` sees, by name."""
    organizations = Organization.objects.order_by("name", "pk")
    members_see = Q(pk__in=organization_ids_for(user=user))
    return scoped(organizations, user=user, members_see=members_see, own=own)


def organization_get_for(*, user: Viewer, pk: Any) -> Organization:
    return get_or_not_found(organization_list_for(user=user), pk=pk)


def organization_members_for(*, user: Viewer, organization: Organization) -> QuerySet[Membership]:
    """Who acts for ``organization`` (memberships with their users), for its own members and
    staff with ``projects.view_membership``; ``RecordNotFound`` for anybody else."""
    if not (
        sees_all(user=user, model=Membership)
        or is_member(user=user, organization_id=organization.pk)
    ):
        raise RecordNotFound(Organization)
    return (
        Membership.objects.filter(organization_id=organization.pk)
        .select_related("user")
        .order_by("user__username", "pk")
    )
