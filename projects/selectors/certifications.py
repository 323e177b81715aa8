"""Who sees a certification (high-tech enterprise, technology-based SME): members of the
certified organisation, and staff with ``projects.view_certification``. Nobody else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from projects.models import Certification

from ._core import get_or_not_found, scoped
from .memberships import organization_ids_for

if TYPE_CHECKING:
    from .memberships import Viewer


def certification_list_for(*, user: Viewer, own: bool = False) -> QuerySet[Certification]:
    """The certifications ``user`` sees, latest first, with their organisation."""
    certifications = Certification.objects.select_related("organization").order_by(
        "-valid_from", "-pk"
    )
    members_see = Q(organization_id__in=organization_ids_for(user=user))
    return scoped(certifications, user=user, members_see=members_see, own=own)


def certification_get_for(*, user: Viewer, pk: Any) -> Certification:
    return get_or_not_found(certification_list_for(user=user), pk=pk)
