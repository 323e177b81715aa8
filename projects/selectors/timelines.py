"""A record's timeline: its logged transitions, as the portal and the admin show them."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from projects.models import TransitionLog


def timeline_for(*, record: models.Model) -> QuerySet[TransitionLog]:
    """``record``'s transitions, oldest first, with their actor.

    No visibility check of its own: call it only on a record obtained through a
    ``<noun>_get_for`` selector, which already decided that the user may see it.
    """
    return (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
