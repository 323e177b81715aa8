"""Who sees an application to a need (揭榜): members of the applicant, members of the need's
proposer (every application to its needs: they are all submitted, the first state), and staff
with ``projects.view_needapplication``. Nobody else, anonymous visitors included.

The need is not loaded with the application: an applicant may see only the need's public
summary, so its title, state and proposer's name come as annotations (``need_title``,
``need_state``, ``need_proposer_name``), and a page that shows more of the need reads it
through ``need_get_for`` or ``need_summary_get``. The resulting project or contract is read
through its own selector for the same reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet

from projects.models import ApplicationAttachment, NeedApplication

from ._core import get_or_not_found, scoped
from .memberships import organization_ids_for

if TYPE_CHECKING:
    from .memberships import Viewer


def application_list_for(*, user: Viewer, own: bool = False) -> QuerySet[NeedApplication]:
    """The applications ``user`` sees, newest first, with their applicant."""
    organizations = organization_ids_for(user=user)
    applications = (
        NeedApplication.objects.select_related("applicant")
        .annotate(
            need_title=F("need__title"),
            need_state=F("need__state"),
            need_proposer_name=F("need__proposer__name"),
        )
        .order_by("-created_at", "-pk")
    )
    members_see = Q(applicant_id__in=organizations) | Q(need__proposer_id__in=organizations)
    return scoped(applications, user=user, members_see=members_see, own=own)


def application_get_for(*, user: Viewer, pk: Any) -> NeedApplication:
    return get_or_not_found(application_list_for(user=user), pk=pk)


def application_attachment_get_for(*, user: Viewer, pk: Any) -> ApplicationAttachment:
    """An application's attachment, only for those who see the application."""
    attachments = ApplicationAttachment.objects.filter(
        application__in=application_list_for(user=user).values("pk")
    )
    return get_or_not_found(attachments, pk=pk)
