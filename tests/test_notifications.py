"""E-mail through the outbox: written in the transition's transaction, sent after commit in the
recipient's language, never on rollback, retried on SMTP errors, never sent twice."""

from __future__ import annotations

import datetime
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from projects import notifications
from projects.models import Notification, TechnicalNeed
from projects.notifications import Delivery, notification_send, notification_sweep
from projects.workflows import applications, contracts, needs
from projects.workflows.outbox import CLAIM_LEASE, notification_claim
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager", "indicator_refreshes")]


class FlakyBackend(EmailBackend):
    """The locmem backend, failing the next ``failures`` sends like an SMTP server would."""

    failures = 0

    def send_messages(self, messages: Any) -> int:
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_smtp(settings: Any, celery_eager: Any) -> Any:
    settings.EMAIL_BACKEND = "tests.test_notifications.FlakyBackend"
    # Eager tasks only run their retries when errors are not propagated to the caller (a
    # worker's behaviour); propagated, the first Retry would escape to the commit hook.
    propagates = celery_eager.conf.task_eager_propagates
    celery_eager.conf.task_eager_propagates = False
    FlakyBackend.failures = 0
    yield FlakyBackend
    FlakyBackend.failures = 0
    celery_eager.conf.task_eager_propagates = propagates


@pytest.fixture
def proposer() -> Any:
    return factories.OrganizationFactory(name="重庆长安智能科技有限公司")


def _member(org: Any, username: str, language: str = "zh-hans", **user: Any) -> Any:
    person = factories.UserFactory(username=username, **user)
    factories.MembershipFactory(user=person, organization=org, language=language)
    return person


def _need_in_review(proposer: Any) -> TechnicalNeed:
    need = factories.TechnicalNeedFactory(
        proposer=proposer,
        state="in_review",
        title="电池热管理",
        open_until=timezone.localdate() + datetime.timedelta(days=60),
    )
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    return need


def test_published_need_mails_the_proposers_members_after_commit_in_their_language(
    proposer: Any, reviewer: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://kjj.example.cn"
    chen = _member(proposer, "chen")
    anna = _member(proposer, "anna", language="en")
    _member(proposer, "gone", is_active=False)
    _member(proposer, "no.mail", email="")
    _member(factories.OrganizationFactory(), "li.outsider")
    need = _need_in_review(proposer)

    with django_capture_on_commit_callbacks(execute=True):
        needs.need_publish(need=need, actor=reviewer, comment="指标清晰")
        # Written with the transition, not sent before its commit.
        assert Notification.objects.filter(state="queued").count() == 2
        assert mail.outbox == []

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {chen.email, anna.email}
    assert by_recipient[chen.email].subject == "您的技术需求“电池热管理”已发布"
    assert by_recipient[anna.email].subject == "Your technical need “电池热管理” is published"
    link = f"https://kjj.example.cn/needs/{need.pk}/"
    assert link in by_recipient[chen.email].body
    assert "指标清晰" in by_recipient[anna.email].body
    assert set(Notification.objects.values_list("state", "attempts")) == {("sent", 1)}


def test_rollback_writes_and_sends_nothing(
    proposer: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _member(proposer, "chen")
    need = _need_in_review(proposer)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            needs.need_return(need=need, actor=reviewer, comment="请补充指标")
            raise RuntimeError("the view failed after the transition")

    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []
    assert TechnicalNeed.objects.get(pk=need.pk).state == "in_review"


def _returned(need: TechnicalNeed, reviewer: Any) -> None:
    needs.need_return(need=need, actor=reviewer, comment="请补充测试方法")


def _rejected(need: TechnicalNeed, reviewer: Any) -> None:
    needs.need_reject(need=need, actor=reviewer, reason="duplicate")


def _matched(need: TechnicalNeed, reviewer: Any) -> None:
    needs.need_publish(need=need, actor=reviewer)
    application = factories.NeedApplicationFactory(need=need, state="shortlisted")
    applications.application_select(application=application, actor=reviewer)


@pytest.mark.parametrize(
    ("transition", "language", "subject"),
    [
        (_returned, "zh-hans", "您的技术需求“电池热管理”已被退回修改"),
        (_rejected, "fr", "Votre besoin technologique « 电池热管理 » n’a pas été retenu"),
        (_matched, "en", "Your technical need “电池热管理” has been matched"),
    ],
)
def test_need_outcomes_are_mailed(
    proposer: Any,
    reviewer: Any,
    django_capture_on_commit_callbacks: Any,
    transition: Any,
    language: str,
    subject: str,
) -> None:
    _member(proposer, "chen", language=language)
    need = _need_in_review(proposer)

    with django_capture_on_commit_callbacks(execute=True):
        transition(need, reviewer)

    assert [message.subject for message in mail.outbox][-1] == subject


def test_rejection_mail_gives_the_reason_in_the_recipients_language(
    proposer: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _member(proposer, "anna", language="en")
    need = _need_in_review(proposer)

    with django_capture_on_commit_callbacks(execute=True):
        needs.need_reject(need=need, actor=reviewer, reason="out_of_scope")

    assert "Reason: outside the bureau's scope." in mail.outbox[0].body


@pytest.mark.parametrize(
    ("act", "state", "subject"),
    [
        (
            lambda c, r: contracts.contract_register(
                contract=c, actor=r, registration_number="2026500106000042"
            ),
            "submitted",
            "合同“感知算法开发”已登记，登记号 2026500106000042",
        ),
        (
            lambda c, r: contracts.contract_request_supplements(
                contract=c, actor=r, comment="请补充技术性收入核定表"
            ),
            "submitted",
            "合同“感知算法开发”需要补正材料",
        ),
        (
            lambda c, r: contracts.contract_refuse(contract=c, actor=r, reason="不属于技术合同"),
            "submitted",
            "合同“感知算法开发”未予登记",
        ),
    ],
    ids=["registered", "supplements", "refused"],
)
def test_contract_outcomes_are_mailed_to_the_sellers_members(
    reviewer: Any, django_capture_on_commit_callbacks: Any, act: Any, state: str, subject: str
) -> None:
    seller = factories.OrganizationFactory()
    member = _member(seller, "seller.member")
    _member(factories.OrganizationFactory(), "buyer.member")
    contract = factories.TransferContractFactory(seller=seller, title="感知算法开发", state=state)

    with django_capture_on_commit_callbacks(execute=True):
        act(contract, reviewer)

    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == subject
    assert f"/contracts/{contract.pk}/" in message.body


def test_smtp_failure_is_retried_and_recorded(
    proposer: Any,
    reviewer: Any,
    django_capture_on_commit_callbacks: Any,
    flaky_smtp: type[FlakyBackend],
) -> None:
    _member(proposer, "chen")
    flaky_smtp.failures = 1

    with django_capture_on_commit_callbacks(execute=True):
        needs.need_publish(need=_need_in_review(proposer), actor=reviewer)

    notification = Notification.objects.get()
    assert notification.state == "sent"
    assert notification.attempts == 2
    assert "SMTPServerDisconnected" in notification.last_error
    assert len(mail.outbox) == 1


def test_smtp_failure_for_good_marks_the_notification_failed(
    proposer: Any,
    reviewer: Any,
    django_capture_on_commit_callbacks: Any,
    flaky_smtp: type[FlakyBackend],
) -> None:
    _member(proposer, "chen")
    flaky_smtp.failures = 100

    with django_capture_on_commit_callbacks(execute=True):
        needs.need_publish(need=_need_in_review(proposer), actor=reviewer)

    notification = Notification.objects.get()
    assert notification.state == "failed"
    assert notification.attempts == notifications.MAX_ATTEMPTS
    assert "Connection unexpectedly closed" in notification.last_error
    assert mail.outbox == []
    # The transition itself stands.
    assert TechnicalNeed.objects.get().state == "published"


def _queued(**fields: Any) -> Notification:
    need = factories.TechnicalNeedFactory()
    member = factories.MembershipFactory(organization=need.proposer)
    with transaction.atomic():
        [notification] = notifications.queue_for_members(
            template="need_published", record=need, organization_id=need.proposer_id
        )
    assert member.user == notification.recipient
    Notification.objects.filter(pk=notification.pk).update(**fields)
    return Notification.objects.get(pk=notification.pk)


def test_a_claimed_notification_cannot_be_claimed_again() -> None:
    notification = _queued()

    assert notification_claim(notification_id=notification.pk) is not None
    assert notification_claim(notification_id=notification.pk) is None


def test_a_sent_notification_is_not_sent_again() -> None:
    notification = _queued()

    assert notification_send(notification_id=notification.pk) is Delivery.SENT
    assert notification_send(notification_id=notification.pk) is Delivery.SKIPPED
    assert len(mail.outbox) == 1


def test_a_stale_claim_is_taken_over() -> None:
    notification = _queued(claimed_at=timezone.now() - CLAIM_LEASE - datetime.timedelta(seconds=1))

    assert notification_send(notification_id=notification.pk) is Delivery.SENT


def test_the_sweep_sends_what_the_broker_did_not_take(
    proposer: Any,
    reviewer: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _member(proposer, "chen")

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    from projects import tasks

    monkeypatch.setattr(tasks.notification_send_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        needs.need_publish(need=_need_in_review(proposer), actor=reviewer)

    assert TechnicalNeed.objects.get().state == "published"
    assert Notification.objects.get().state == "queued"
    assert mail.outbox == []

    # Too fresh for the sweep: its own task may still be on the way.
    assert notification_sweep() == 0
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert notification_sweep() == 1
    assert Notification.objects.get().state == "sent"
    assert len(mail.outbox) == 1


def test_the_sweep_stops_at_a_delivery_error_and_keeps_the_rows(
    flaky_smtp: type[FlakyBackend],
) -> None:
    old = timezone.now() - datetime.timedelta(minutes=5)
    first, second = _queued(created_at=old), _queued(created_at=old)
    flaky_smtp.failures = 1

    assert notification_sweep() == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.attempts, first.claimed_at) == ("queued", 1, None)
    assert (second.state, second.attempts) == ("queued", 0)
    assert notification_sweep() == 2


def test_an_inactive_recipient_is_not_mailed() -> None:
    notification = _queued()
    notification.recipient.is_active = False
    notification.recipient.save()

    assert notification_send(notification_id=notification.pk) is Delivery.FAILED
    assert Notification.objects.get().state == "failed"
    assert mail.outbox == []
