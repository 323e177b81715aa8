"""Industrial-chain bottlenecks a need may name: the bureau publishes the list of those still
open (identified or targeted), so anybody who proposes a need may choose among them."""

from __future__ import annotations

from django.db.models import QuerySet

from projects.models import Bottleneck

OPEN_STATES = (Bottleneck.State.IDENTIFIED, Bottleneck.State.TARGETED)


def bottleneck_choices() -> QuerySet[Bottleneck]:
    return Bottleneck.objects.filter(state__in=OPEN_STATES).order_by("industrial_chain", "title")
