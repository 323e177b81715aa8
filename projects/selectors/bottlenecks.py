"""Who sees an industrial-chain bottleneck: every signed-in user. The bureau publishes its
list of bottlenecks so that enterprises can point their needs at one (a need's ``bottleneck``);
anonymous visitors see none. Those still open (identified or targeted) are the ones a new need
may choose among."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from projects.models import Bottleneck

from ._core import get_or_not_found, scoped

if TYPE_CHECKING:
    from .memberships import Viewer

OPEN_STATES = (Bottleneck.State.IDENTIFIED, Bottleneck.State.TARGETED)


def bottleneck_list_for(*, user: Viewer) -> QuerySet[Bottleneck]:
    """The bottlenecks ``user`` sees, most recently identified first."""
    bottlenecks = Bottleneck.objects.order_by("-identified_on", "-pk")
    return scoped(bottlenecks, user=user, members_see=Q())


def bottleneck_get_for(*, user: Viewer, pk: Any) -> Bottleneck:
    return get_or_not_found(bottleneck_list_for(user=user), pk=pk)


def bottleneck_choices() -> QuerySet[Bottleneck]:
    """The open bottlenecks a need may name, by chain and title."""
    return Bottleneck.objects.filter(state__in=OPEN_STATES).order_by("industrial_chain", "title")
