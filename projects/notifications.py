"""E-mail notifications through the outbox (``Notification`` rows).

``queue_for_members`` runs inside a transition's transaction: it writes one ``queued`` row per
member of the organisation concerned, so a rollback leaves none, and asks for each to be sent
once the transaction commits. ``notification_send`` sends one row (called by the Celery task
and by the periodic sweep); ``notification_sweep`` sends what stayed queued because the broker
was down at commit or a worker died.
"""

from __future__ import annotations

import datetime
import enum
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from projects.models import Membership, Notification, TechnicalNeed, TransferContract
from projects.workflows.outbox import (
    claimable,
    notification_claim,
    notification_mark_failed,
    notification_mark_sent,
    notification_release,
)

logger = logging.getLogger(__name__)

# Attempts per e-mail, over the task's retries and the sweeps, before it is marked failed.
MAX_ATTEMPTS = 5
# Errors worth another try later: ``smtplib.SMTPException`` is an ``OSError``, like refused
# connections and timeouts.
RETRYABLE_ERRORS: tuple[type[BaseException], ...] = (OSError,)
# A row younger than this is still in the hands of the task queued at its commit.
SWEEP_GRACE = datetime.timedelta(minutes=2)

# Where a member reads the record in the portal: the URL name (taking ``pk``) the portal
# declares, and the path used while it declares none.
_RECORD_PAGES: dict[type[models.Model], tuple[str, str]] = {
    TechnicalNeed: ("need_detail", "/needs/{pk}/"),
    TransferContract: ("contract_detail", "/contracts/{pk}/"),
}

TEMPLATES = (
    "need_returned",
    "need_published",
    "need_rejected",
    "need_matched",
    "contract_registered",
    "contract_supplement_requested",
    "contract_refused",
)


class Delivery(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


def record_url(record: models.Model) -> str:
    name, fallback = _RECORD_PAGES[type(record)]
    try:
        path = reverse(name, kwargs={"pk": record.pk})
    except NoReverseMatch:
        path = fallback.format(pk=record.pk)
    return f"{settings.SITE_URL}{path}"


def _language(code: str) -> str:
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def queue_for_members(
    *,
    template: str,
    record: models.Model,
    organization_id: int,
    context: dict[str, Any] | None = None,
) -> list[Notification]:
    """Queue ``template`` about ``record`` for every active member of the organisation who has
    an e-mail address. Call inside the transaction of the change the e-mail announces."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown notification template {template!r}")
    # The title, not str(): a registered contract prints as its registration number.
    title = getattr(record, "title", None) or str(record)
    content = {"title": title, "url": record_url(record), **(context or {})}
    memberships = (
        Membership.objects.filter(organization_id=organization_id, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    content_type = ContentType.objects.get_for_model(record)
    queued = [
        Notification.objects.create(
            recipient=membership.user,
            email=membership.user.email,
            template=template,
            content_type=content_type,
            object_id=record.pk,
            language=_language(membership.language),
            context=content,
        )
        for membership in memberships
    ]
    for notification in queued:
        # robust: the change is committed by then; a broker that is down must not turn it
        # into an error. The row stays queued and the sweep sends it.
        transaction.on_commit(_enqueue_later(notification.pk), robust=True)
    return queued


def _enqueue_later(notification_id: int) -> Callable[[], None]:
    # A named function, not a partial: Django logs a failing robust callback by __qualname__.
    def enqueue_notification() -> None:
        from projects.tasks import notification_send_task

        notification_send_task.delay(notification_id)

    return enqueue_notification


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


def notification_send(*, notification_id: int) -> Delivery:
    """Send one queued e-mail, once.

    Returns what happened; raises the delivery error when the e-mail should be tried again
    later (the row is back in the queue with the error recorded).
    """
    notification = notification_claim(notification_id=notification_id)
    if notification is None:
        return Delivery.SKIPPED
    if not notification.recipient.is_active:
        notification_mark_failed(notification=notification, error="The recipient is inactive.")
        return Delivery.FAILED
    try:
        subject, body = render(notification)
    except Exception as exc:
        # A missing template or bad context will fail the same way every time: no retry.
        logger.exception(
            "notification %s: cannot render %s", notification.pk, notification.template
        )
        notification_mark_failed(notification=notification, error=f"{type(exc).__name__}: {exc}")
        return Delivery.FAILED
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send(fail_silently=False)
    except RETRYABLE_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"
        if notification.attempts >= MAX_ATTEMPTS:
            logger.error("notification %s failed for good: %s", notification.pk, error)
            notification_mark_failed(notification=notification, error=error)
            return Delivery.FAILED
        logger.warning(
            "notification %s: attempt %s failed: %s", notification.pk, notification.attempts, error
        )
        notification_release(notification=notification, error=error)
        raise
    notification_mark_sent(notification=notification)
    return Delivery.SENT


def notification_sweep(*, limit: int = 200) -> int:
    """Send what stayed queued; return how many were sent."""
    due = (
        Notification.objects.filter(claimable(), created_at__lt=timezone.now() - SWEEP_GRACE)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for notification_id in list(due):
        try:
            outcome = notification_send(notification_id=notification_id)
        except RETRYABLE_ERRORS:
            # The mail server is likely unavailable: stop here, the next sweep goes on.
            logger.warning("notification sweep stopped after a delivery error", exc_info=True)
            break
        sent += outcome is Delivery.SENT
    return sent
