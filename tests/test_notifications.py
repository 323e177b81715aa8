"""E-mail through the outbox: written in the transition's transaction, sent after commit in the
recipient's language, never on rollback, tried again by the sweep after any error up to a limit,
never sent twice; one bad row never holds up the others."""

from __future__ import annotations

import ast
import datetime
import shutil
import smtplib
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from innovation.celery import app as celery_app
from projects import notifications
from projects.models import Notification, TechnicalNeed
from projects.notifications import queue
from projects.notifications.delivery import (
    MAX_ATTEMPTS,
    Delivery,
    notification_send,
    notification_sweep,
)
from projects.notifications.outbox import CLAIM_LEASE, notification_claim
from projects.notifications.tasks import notification_send_task
from projects.workflows import applications, contracts, needs
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager", "indicator_refreshes")]


class FlakyBackend(EmailBackend):
    """The locmem backend, failing the next ``failures`` sends with ``error`` (by default an
    SMTP server hanging up), and refusing the addresses in ``refused``."""

    failures = 0
    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    refused: frozenset[str] = frozenset()

    def send_messages(self, messages: Any) -> int:
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise FlakyBackend.error
        for message in messages:
            if refused := FlakyBackend.refused & set(message.to):
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(refused, (550, b"5.1.1 mailbox unavailable"))
                )
        return super().send_messages(messages)


@pytest.fixture
def flaky_smtp(settings: Any) -> Any:
    settings.EMAIL_BACKEND = "tests.test_notifications.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures = 0
    FlakyBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    FlakyBackend.refused = frozenset()


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


def _age_the_queue() -> None:
    """Past the sweep's grace period: the task queued at commit had its chance."""
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))


def test_an_smtp_failure_at_commit_is_recorded_and_the_sweep_sends_it_later(
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
    assert (notification.state, notification.attempts, notification.claimed_at) == (
        "queued",
        1,
        None,
    )
    assert notification.last_error == ("SMTPServerDisconnected: Connection unexpectedly closed")
    assert mail.outbox == []

    _age_the_queue()
    assert notification_sweep() == 1
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == ("sent", 2)
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
    _age_the_queue()
    for _ in range(MAX_ATTEMPTS - 1):
        notification_sweep()

    notification = Notification.objects.get()
    assert notification.state == "failed"
    assert notification.attempts == MAX_ATTEMPTS
    assert "Connection unexpectedly closed" in notification.last_error
    assert mail.outbox == []
    # The transition itself stands.
    assert TechnicalNeed.objects.get().state == "published"
    # Failed is final: later sweeps leave it alone.
    assert notification_sweep() == 0
    assert Notification.objects.get().attempts == MAX_ATTEMPTS


def test_a_send_error_that_is_not_an_oserror_releases_the_row_with_its_error(
    flaky_smtp: type[FlakyBackend],
) -> None:
    notification = _queued()
    flaky_smtp.failures = 1
    flaky_smtp.error = UnicodeEncodeError("ascii", "陈", 0, 1, "ordinal not in range(128)")

    assert notification_send(notification_id=notification.pk) is Delivery.RETRY

    notification.refresh_from_db()
    assert (notification.state, notification.attempts, notification.claimed_at) == (
        "queued",
        1,
        None,
    )
    assert notification.last_error.startswith("UnicodeEncodeError: ")
    assert notification_send(notification_id=notification.pk) is Delivery.SENT


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


def test_one_transition_sends_one_task_message_for_all_its_emails(
    proposer: Any,
    reviewer: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("chen", "anna", "zhou"):
        _member(proposer, name)
    messages: list[dict[str, Any]] = []
    monkeypatch.setattr(
        queue.notification_send_task, "apply_async", lambda **message: messages.append(message)
    )

    with django_capture_on_commit_callbacks(execute=True):
        needs.need_publish(need=_need_in_review(proposer), actor=reviewer)

    [message] = messages
    assert sorted(message["args"]) == sorted(Notification.objects.values_list("pk", flat=True))
    assert len(message["args"]) == 3
    # One try at the broker, no waiting: the sweep is the retry.
    assert message["retry_policy"] == {"max_retries": 0}


def test_the_sweep_sends_what_the_broker_did_not_take(
    proposer: Any,
    reviewer: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _member(proposer, "chen")

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(queue.notification_send_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        needs.need_publish(need=_need_in_review(proposer), actor=reviewer)

    assert TechnicalNeed.objects.get().state == "published"
    assert Notification.objects.get().state == "queued"
    assert mail.outbox == []

    # Too fresh for the sweep: its own task may still be on the way.
    assert notification_sweep() == 0
    _age_the_queue()
    assert notification_sweep() == 1
    assert Notification.objects.get().state == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
        smtplib.SMTPConnectError(421, b"Service not available"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    ],
    ids=["refused", "timeout", "connect-error", "disconnected"],
)
def test_an_unreachable_mail_server_stops_the_sweep_after_one_attempt(
    flaky_smtp: type[FlakyBackend], error: Exception
) -> None:
    old = timezone.now() - datetime.timedelta(minutes=5)
    first, second, third = (_queued(created_at=old) for _ in range(3))
    flaky_smtp.failures = 3
    flaky_smtp.error = error

    assert notification_sweep() == 0

    first.refresh_from_db()
    assert (first.state, first.attempts, first.claimed_at) == ("queued", 1, None)
    assert first.last_error == f"{type(error).__name__}: {error}"
    assert set(
        Notification.objects.filter(pk__in=[second.pk, third.pk]).values_list(
            "state", "attempts", "last_error"
        )
    ) == {("queued", 0, "")}
    flaky_smtp.failures = 0
    assert notification_sweep() == 3


def test_a_refused_recipient_does_not_stop_the_sweep(flaky_smtp: type[FlakyBackend]) -> None:
    old = timezone.now() - datetime.timedelta(minutes=5)
    first, refused, last = (_queued(created_at=old) for _ in range(3))
    flaky_smtp.refused = frozenset({refused.email})

    assert notification_sweep() == 2

    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.email, last.email])
    refused.refresh_from_db()
    assert (refused.state, refused.attempts) == ("queued", 1)
    assert refused.last_error.startswith("SMTPRecipientsRefused: ")
    assert "mailbox unavailable" in refused.last_error


def _without_template(settings: Any, tmp_path: Path, template: str) -> Path:
    """Serve the notification templates from a copy that lacks ``template``'s files."""
    copy = tmp_path / "templates"
    shutil.copytree(Path(settings.BASE_DIR) / "templates", copy)
    for part in ("subject", "body"):
        (copy / "notifications" / f"{template}_{part}.txt").unlink()
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [copy]}]
    return copy


def _unrenderable(notification: Notification, how: str, settings: Any, tmp_path: Path) -> None:
    if how == "missing template":
        # Queued by a version that had the template; a deploy removed its files.
        Notification.objects.filter(pk=notification.pk).update(template="need_matched")
        _without_template(settings, tmp_path, "need_matched")
    else:
        # A rejection code the product no longer knows: rendering its label raises.
        context = {**notification.context, "reason_code": "no_longer_a_reason"}
        Notification.objects.filter(pk=notification.pk).update(context=context)


@pytest.mark.parametrize(
    ("how", "error"),
    [
        ("missing template", "TemplateDoesNotExist: notifications/need_matched_subject.txt"),
        ("bad context", "ValueError: 'no_longer_a_reason' is not a valid "),
    ],
)
def test_a_notification_whose_template_raises_ends_failed_and_the_sweeps_send_the_others(
    how: str, error: str, settings: Any, tmp_path: Path
) -> None:
    old = timezone.now() - datetime.timedelta(minutes=5)
    first, broken, last = (_queued(created_at=old) for _ in range(3))
    _unrenderable(broken, how, settings, tmp_path)

    sent = [notification_sweep() for _ in range(MAX_ATTEMPTS)]

    assert sent == [2, 0, 0, 0, 0]
    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.email, last.email])
    broken.refresh_from_db()
    assert (broken.state, broken.attempts) == ("failed", MAX_ATTEMPTS)
    assert broken.last_error.startswith(error)


def test_a_template_fixed_before_the_limit_goes_out(settings: Any, tmp_path: Path) -> None:
    notification = _queued(created_at=timezone.now() - datetime.timedelta(minutes=5))
    _unrenderable(notification, "missing template", settings, tmp_path)
    assert notification_sweep() == 0

    # The next deploy brings the template back.
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [Path(settings.BASE_DIR) / "templates"]}
    ]
    assert notification_sweep() == 1

    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


def test_an_inactive_recipient_is_not_mailed() -> None:
    notification = _queued()
    notification.recipient.is_active = False
    notification.recipient.save()

    assert notification_send(notification_id=notification.pk) is Delivery.FAILED
    assert Notification.objects.get().state == "failed"
    assert mail.outbox == []


def test_beat_and_messages_already_queued_find_the_tasks_under_their_names() -> None:
    celery_app.loader.import_default_modules()  # what a worker and beat do at start
    scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert scheduled <= set(celery_app.tasks)
    assert notification_send_task.name == "projects.tasks.notification_send_task"
    assert "projects.tasks.notification_sweep_task" in scheduled

    # A message of the earlier version carries one id.
    notification = _queued()
    notification_send_task.apply(args=[notification.pk])
    assert Notification.objects.get().state == "sent"


_PACKAGE = Path(notifications.__file__).parent


def _imported_modules(module: str) -> set[str]:
    imported: set[str] = set()
    for node in ast.walk(ast.parse((_PACKAGE / f"{module}.py").read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    return imported


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("outbox", {"queue", "tasks", "delivery"}),
        ("delivery", {"queue", "tasks"}),
        ("tasks", {"queue"}),
    ],
)
def test_the_notification_modules_import_one_way(module: str, forbidden: set[str]) -> None:
    imported = _imported_modules(module)
    assert not imported & {f"projects.notifications.{name}" for name in forbidden}
    # Not the package either: its __init__ imports queue.
    assert "projects.notifications" not in imported
