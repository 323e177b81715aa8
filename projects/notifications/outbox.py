"""The outbox's own small state machine: ``queued`` → ``sent`` | ``failed``.

Every step is a compare-and-set ``update()``: a worker owns a row only if its ``update`` matched
it, so two workers (the task after commit and the periodic sweep, or a task redelivered after a
worker died) never send the same e-mail twice. The row itself is the audit: ``attempts``,
``last_error`` and ``sent_at`` say what happened, so no ``TransitionLog`` row is written per
e-mail.
"""

from __future__ import annotations

import datetime

from django.db.models import F, Q
from django.utils import timezone

from projects.models import Notification

# Longer than any send can take (EMAIL_TIMEOUT is seconds): a claim older than this belongs
# to a worker that died, and the sweep may take the row over.
CLAIM_LEASE = datetime.timedelta(minutes=15)


def claimable() -> Q:
    stale = timezone.now() - CLAIM_LEASE
    return Q(state=Notification.State.QUEUED) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )


def notification_claim(*, notification_id: int) -> Notification | None:
    """Take the row for one delivery attempt; ``None`` if it is sent, failed or being sent."""
    now = timezone.now()
    taken = Notification.objects.filter(claimable(), pk=notification_id).update(
        claimed_at=now, attempts=F("attempts") + 1
    )
    if not taken:
        return None
    return Notification.objects.select_related("recipient").get(pk=notification_id)


def notification_mark_sent(*, notification: Notification) -> bool:
    return bool(
        Notification.objects.filter(
            pk=notification.pk, state=Notification.State.QUEUED, claimed_at=notification.claimed_at
        ).update(state=Notification.State.SENT, sent_at=timezone.now(), claimed_at=None)
    )


def notification_release(*, notification: Notification, error: str) -> bool:
    """Give the row back to the queue after a failed attempt that will be tried again."""
    return bool(
        Notification.objects.filter(
            pk=notification.pk, state=Notification.State.QUEUED, claimed_at=notification.claimed_at
        ).update(claimed_at=None, last_error=error)
    )


def notification_mark_failed(*, notification: Notification, error: str) -> bool:
    return bool(
        Notification.objects.filter(
            pk=notification.pk, state=Notification.State.QUEUED, claimed_at=notification.claimed_at
        ).update(state=Notification.State.FAILED, claimed_at=None, last_error=error)
    )


def notification_requeue(*, notification_id: int) -> bool:
    """Put a failed row back in the queue for one more attempt (staff resending it); its
    ``attempts`` and ``last_error`` stay as they were, as the record of what happened."""
    return bool(
        Notification.objects.filter(pk=notification_id, state=Notification.State.FAILED).update(
            state=Notification.State.QUEUED, claimed_at=None
        )
    )
