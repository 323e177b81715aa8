"""Sending the outbox: render a row in its recipient's language, send it, record what happened.

``notification_send`` sends one row (once, whoever calls it); ``notification_send_many`` sends
the rows a transaction queued, and ``notification_sweep`` those that stayed queued (the broker
was down at commit, a worker died, an attempt failed).

Every failed attempt counts against the row, whatever failed: the row keeps the error and goes
back to the queue, and is marked ``failed`` once it has had ``MAX_ATTEMPTS``. A template fixed
by a deploy in between then still goes out.
"""

from __future__ import annotations

import datetime
import enum
import logging
import smtplib
import socket
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from projects.models import Notification, TechnicalNeed
from projects.notifications.outbox import (
    claimable,
    notification_claim,
    notification_mark_failed,
    notification_mark_sent,
    notification_release,
)

logger = logging.getLogger(__name__)

# Attempts per e-mail, over the task after commit and the sweeps, before it is marked failed.
MAX_ATTEMPTS = 5
# A row younger than this is still in the hands of the task queued at its commit.
SWEEP_GRACE = datetime.timedelta(minutes=2)
# The mail server itself cannot be reached: every following row would wait for the same
# timeout, so sending stops there. Anything else (``SMTPRecipientsRefused`` included, an
# ``OSError`` too) is about the one row.
SERVER_UNREACHABLE: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
)


class Delivery(enum.StrEnum):
    SENT = "sent"
    # Released: the attempt failed and the row waits for a later one.
    RETRY = "retry"
    SKIPPED = "skipped"
    FAILED = "failed"


class MailServerUnreachable(Exception):
    """The attempt failed because the mail server cannot be reached; stop sending for now."""


def render(notification: Notification) -> tuple[str, str]:
    """Subject and body in the recipient's language."""
    context = dict(notification.context)
    if reason := context.get("reason_code"):
        context["reason_code_label"] = TechnicalNeed.RejectionReason(reason).label
    context["recipient"] = notification.recipient
    with translation.override(notification.language):
        subject = render_to_string(f"notifications/{notification.template}_subject.txt", context)
        body = render_to_string(f"notifications/{notification.template}_body.txt", context)
    return " ".join(subject.split()), body


def _attempt_failed(notification: Notification, exc: BaseException) -> Delivery:
    error = f"{type(exc).__name__}: {exc}"
    if notification.attempts >= MAX_ATTEMPTS:
        logger.error("notification %s failed for good: %s", notification.pk, error)
        notification_mark_failed(notification=notification, error=error)
        return Delivery.FAILED
    logger.warning(
        "notification %s: attempt %s failed: %s", notification.pk, notification.attempts, error
    )
    notification_release(notification=notification, error=error)
    return Delivery.RETRY


def notification_send(*, notification_id: int) -> Delivery:
    """Send one queued e-mail, once, and return what happened to it.

    Raises ``MailServerUnreachable`` (after recording the attempt) when the mail server cannot
    be reached, so that a caller sending many stops there.
    """
    notification = notification_claim(notification_id=notification_id)
    if notification is None:
        return Delivery.SKIPPED
    if not notification.recipient.is_active:
        notification_mark_failed(notification=notification, error="The recipient is inactive.")
        return Delivery.FAILED
    try:
        subject, body = render(notification)
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
    except Exception as exc:
        # A programming or data error: the traceback is worth keeping.
        logger.exception("notification %s: cannot render it", notification.pk)
        return _attempt_failed(notification, exc)
    try:
        message.send(fail_silently=False)
    except SERVER_UNREACHABLE as exc:
        _attempt_failed(notification, exc)
        raise MailServerUnreachable(f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        return _attempt_failed(notification, exc)
    notification_mark_sent(notification=notification)
    return Delivery.SENT


def notification_send_many(*, notification_ids: Iterable[int]) -> int:
    """Send these rows in order and return how many were sent.

    A row's own error does not stop the others; an unreachable mail server does, after one
    attempt: the rows not tried stay queued, untouched, for the sweep.
    """
    sent = 0
    for notification_id in notification_ids:
        try:
            outcome = notification_send(notification_id=notification_id)
        except MailServerUnreachable as exc:
            logger.warning("stopped sending notifications, mail server unreachable: %s", exc)
            break
        sent += outcome is Delivery.SENT
    return sent


def notification_sweep(*, limit: int = 200) -> int:
    """Send what stayed queued; return how many were sent."""
    due = (
        Notification.objects.filter(claimable(), created_at__lt=timezone.now() - SWEEP_GRACE)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return notification_send_many(notification_ids=list(due))
