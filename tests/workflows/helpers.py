"""Reading what the workflows wrote, for assertions."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from projects.models import TransitionLog


def timeline(record: Any) -> list[tuple[str, str, str, str | None]]:
    """The record's logged transitions, oldest first: (transition, from, to, actor's username)."""
    rows = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("actor")
    return [
        (row.transition, row.from_state, row.to_state, row.actor.username if row.actor else None)
        for row in rows
    ]
