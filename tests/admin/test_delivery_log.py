"""The notifications' delivery log: states, attempts and last errors; failed ones resent."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from projects import notifications
from projects.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("admin:projects_notification_changelist")


def _notification(state: str, error: str = "", attempts: int = 0) -> Notification:
    need = factories.TechnicalNeedFactory(title="电池热管理")
    factories.MembershipFactory(organization=need.proposer)
    with transaction.atomic():
        [row] = notifications.queue_for_members(
            template="need_published", record=need, organization_id=need.proposer_id
        )
    Notification.objects.filter(pk=row.pk).update(state=state, last_error=error, attempts=attempts)
    return Notification.objects.get(pk=row.pk)


def test_the_log_lists_states_attempts_and_errors_and_filters_failed(client: Any) -> None:
    failed = _notification("failed", "SMTPRecipientsRefused: 550 mailbox unavailable", 5)
    _notification("sent", attempts=1)
    client.force_login(factories.reviewer_only_user())

    page = client.get(URL, {"state__exact": "failed"}, HTTP_ACCEPT_LANGUAGE="en")

    assert list(page.context["cl"].result_list) == [failed]
    html = page.content.decode()
    assert "550 mailbox unavailable" in html and "Failed" in html or "failed" in html
    assert "电池热管理" in html


def test_a_failed_email_is_sent_again_and_a_sent_one_is_not(
    client: Any, celery_eager: Any, django_capture_on_commit_callbacks: Any
) -> None:
    failed = _notification("failed", "TimeoutError", 5)
    sent = _notification("sent", attempts=1)
    client.force_login(factories.registrar_user())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
            HTTP_ACCEPT_LANGUAGE="en",
            follow=True,
        )

    failed.refresh_from_db()
    assert failed.state == "sent" and failed.attempts == 6
    assert len(mail.outbox) == 1
    page = response.content.decode()
    assert "1 e-mail is queued to be sent again" in page
    assert "Not sent again" in page
    assert Notification.objects.get(pk=sent.pk).attempts == 1


def test_a_manager_reads_the_log_but_cannot_resend(client: Any) -> None:
    failed = _notification("failed", "TimeoutError", 5)
    client.force_login(factories.manager_user())

    page = client.get(URL)
    assert page.status_code == 200 and "resend" not in page.content.decode()
    client.post(URL, {"action": "resend", "_selected_action": [failed.pk]})
    assert Notification.objects.get(pk=failed.pk).state == "failed"
