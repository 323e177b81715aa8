"""Who sees an innovation platform: every signed-in user (the municipal list of laboratories,
engineering centres and R&D institutions is public); anonymous visitors see none."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from projects.models import InnovationPlatform

from ._core import get_or_not_found, scoped

if TYPE_CHECKING:
    from .memberships import Viewer


def platform_list_for(*, user: Viewer) -> QuerySet[InnovationPlatform]:
    """The platforms ``user`` sees, by name, with their host organisation."""
    platforms = InnovationPlatform.objects.select_related("host").order_by("name", "pk")
    return scoped(platforms, user=user, members_see=Q())


def platform_get_for(*, user: Viewer, pk: Any) -> InnovationPlatform:
    return get_or_not_found(platform_list_for(user=user), pk=pk)
