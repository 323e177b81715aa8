"""Who sees a research project: members of its lead and of every participant (read-only),
and staff with ``projects.view_researchproject``. Nobody else, anonymous visitors included.

The originating needs are not loaded with the project: a participant may not see them in
full; a page that shows them reads each through the needs' selectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet

from projects.models import FundingAllocation, ProjectParticipant, ResearchProject

from ._core import get_or_not_found, scoped
from .memberships import organization_ids_for

if TYPE_CHECKING:
    from .memberships import Viewer


def _participants() -> Prefetch[str, QuerySet[ProjectParticipant], str]:
    return Prefetch(
        "participants",
        queryset=ProjectParticipant.objects.select_related("organization").order_by("pk"),
    )


def project_list_for(*, user: Viewer, own: bool = False) -> QuerySet[ResearchProject]:
    """The projects ``user`` sees, with their lead and participants' organisations."""
    organizations = organization_ids_for(user=user)
    taking_part = ProjectParticipant.objects.filter(organization_id__in=organizations).values(
        "project_id"
    )
    projects = (
        ResearchProject.objects.select_related("lead")
        .prefetch_related(_participants())
        .order_by("-approved_on", "code")
    )
    members_see = Q(lead_id__in=organizations) | Q(pk__in=taking_part)
    return scoped(projects, user=user, members_see=members_see, own=own)


def project_get_for(*, user: Viewer, pk: Any) -> ResearchProject:
    """The project with its participants, funding and addressed bottlenecks."""
    projects = project_list_for(user=user).prefetch_related(
        Prefetch(
            "funding",
            queryset=FundingAllocation.objects.select_related("organization").order_by(
                "year", "pk"
            ),
        ),
        "bottlenecks",
    )
    return get_or_not_found(projects, pk=pk)
