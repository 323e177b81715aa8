"""Queueing notifications: what a transition calls inside its transaction.

``queue_for_members`` writes one ``queued`` row per member of the organisation concerned, so a
rollback leaves none, and sends one task message for all of them once the transaction commits.
When the broker is down that message is lost on purpose, quickly: the rows stay queued and the
periodic sweep sends them, so a transition never waits for a broker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from kombu.exceptions import OperationalError

from projects.models import (
    Membership,
    MembershipRequest,
    Notification,
    TechnicalNeed,
    TransferContract,
)
from projects.models.notifications import NotificationTemplate
from projects.notifications.tasks import notification_send_task

logger = logging.getLogger(__name__)

# One try, no waiting: Celery's default policy retries a refused connection three times, 0.2 s
# apart, which a person publishing a need would feel. A broker restarted meanwhile is
# reconnected on that one try.
PUBLISH_RETRY_POLICY = {"max_retries": 0}

# Where a member reads the record in the portal: the URL name the portal declares, the path
# used while it declares none, and whether the page takes the record's ``pk``. A request to
# join is decided on the organisation's page, among its members.
_RECORD_PAGES: dict[type[models.Model], tuple[str, str, bool]] = {
    TechnicalNeed: ("need_detail", "/needs/{pk}/", True),
    TransferContract: ("contract_detail", "/contracts/{pk}/", True),
    MembershipRequest: ("organisation", "/organisation/", False),
}


def record_url(record: models.Model) -> str:
    name, fallback, takes_pk = _RECORD_PAGES[type(record)]
    arguments = {"pk": record.pk} if takes_pk else {}
    try:
        path = reverse(name, kwargs=arguments)
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
    role: str | None = None,
) -> list[Notification]:
    """Queue ``template`` about ``record`` for every active member of the organisation who has
    an e-mail address (those of ``role`` only, if given). Call inside the transaction of the
    change the e-mail announces."""
    if template not in NotificationTemplate.values:
        raise ValueError(f"unknown notification template {template!r}")
    # The title, not str(): a registered contract prints as its registration number.
    title = getattr(record, "title", None) or str(record)
    content = {"title": title, "url": record_url(record), **(context or {})}
    memberships = Membership.objects.filter(organization_id=organization_id, user__is_active=True)
    if role is not None:
        memberships = memberships.filter(role=role)
    memberships = memberships.exclude(user__email="").select_related("user").order_by("user_id")
    content_type = ContentType.objects.get_for_model(record)
    queued = Notification.objects.bulk_create(
        Notification(
            recipient=membership.user,
            email=membership.user.email,
            template=template,
            content_type=content_type,
            object_id=record.pk,
            language=_language(membership.language),
            context=content,
        )
        for membership in memberships
    )
    if queued:
        # robust: the change is committed by then; nothing after it may turn it into an error.
        transaction.on_commit(_send_later([n.pk for n in queued]), robust=True)
    return queued


def _send_later(notification_ids: list[int]) -> Callable[[], None]:
    # A named function, not a partial: Django logs a failing robust callback by __qualname__.
    def enqueue_notifications() -> None:
        try:
            notification_send_task.apply_async(
                args=notification_ids, retry=True, retry_policy=PUBLISH_RETRY_POLICY
            )
        except OperationalError as exc:
            logger.warning(
                "broker unavailable, the sweep will send notifications %s: %s",
                notification_ids,
                exc,
            )

    return enqueue_notifications
