"""Technical needs: the proposer's and the reviewers' path, and the rules on the way."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation

from projects.models import MIN_NEED_INDICATORS, NeedApplication, TechnicalNeed
from projects.workflows import needs
from projects.workflows.errors import InvalidTransition, RuleViolation, TransitionNotPermitted
from tests import factories
from tests.workflows.helpers import timeline

pytestmark = pytest.mark.django_db


def _draft(proposer: Any, *, indicators: int = MIN_NEED_INDICATORS, **fields: Any) -> TechnicalNeed:
    fields.setdefault("open_until", timezone.localdate() + datetime.timedelta(days=90))
    need = factories.TechnicalNeedFactory(proposer=proposer, **fields)
    factories.NeedIndicatorFactory.create_batch(indicators, need=need)
    return need


def test_a_need_goes_from_draft_to_published_with_a_return_on_the_way(
    enterprise: Any, enterprise_user: Any, reviewer: Any
) -> None:
    need = _draft(enterprise)

    needs.need_submit(need=need, actor=enterprise_user)
    needs.need_start_review(need=need, actor=reviewer)
    needs.need_return(need=need, actor=reviewer, comment="请补充测试方法")
    needs.need_resubmit(need=need, actor=enterprise_user)
    needs.need_start_review(need=need, actor=reviewer)
    needs.need_publish(need=need, actor=reviewer)

    assert need.state == "published"
    assert need.published_at is not None
    assert need.submitted_at is not None
    assert timeline(need) == [
        ("submit", "draft", "submitted", "chen.enterprise"),
        ("start_review", "submitted", "in_review", "wang.reviewer"),
        ("return", "in_review", "returned", "wang.reviewer"),
        ("resubmit", "returned", "submitted", "chen.enterprise"),
        ("start_review", "submitted", "in_review", "wang.reviewer"),
        ("publish", "in_review", "published", "wang.reviewer"),
    ]


def test_a_need_is_published_only_with_enough_indicators(enterprise: Any, reviewer: Any) -> None:
    need = _draft(enterprise, indicators=MIN_NEED_INDICATORS - 1, state="in_review")

    with pytest.raises(RuleViolation, match="至少需要 5 项技术指标"):
        needs.need_publish(need=need, actor=reviewer)

    assert TechnicalNeed.objects.get(pk=need.pk).state == "in_review"
    assert timeline(need) == []


def test_a_need_past_its_end_date_is_not_published(enterprise: Any, reviewer: Any) -> None:
    need = _draft(
        enterprise, state="in_review", open_until=timezone.localdate() - datetime.timedelta(1)
    )

    with pytest.raises(RuleViolation):
        needs.need_publish(need=need, actor=reviewer)


def test_a_rejection_carries_a_known_reason(enterprise: Any, reviewer: Any) -> None:
    need = _draft(enterprise, state="in_review")

    with pytest.raises(RuleViolation):
        needs.need_reject(need=need, actor=reviewer, reason="not-a-code")
    needs.need_reject(need=need, actor=reviewer, reason=TechnicalNeed.RejectionReason.DUPLICATE)

    assert TechnicalNeed.objects.get(pk=need.pk).rejection_reason == "duplicate"


def test_the_proposer_withdraws_but_cannot_after_publication(
    enterprise: Any, enterprise_user: Any
) -> None:
    published = _draft(enterprise, state="published")
    draft = _draft(enterprise)

    needs.need_withdraw(need=draft, actor=enterprise_user)
    with pytest.raises(InvalidTransition, match="已发布"):
        needs.need_withdraw(need=published, actor=enterprise_user)

    assert draft.state == "withdrawn"


def test_a_need_returned_then_emptied_of_a_part_is_not_resubmitted(
    enterprise: Any, enterprise_user: Any, reviewer: Any
) -> None:
    need = _draft(enterprise)
    needs.need_submit(need=need, actor=enterprise_user)
    needs.need_start_review(need=need, actor=reviewer)
    needs.need_return(need=need, actor=reviewer, comment="请补充")
    needs.need_edit(need=need, actor=enterprise_user, goals="")

    with translation.override("en"), pytest.raises(RuleViolation) as raised:
        needs.need_resubmit(need=need, actor=enterprise_user)

    assert raised.value.message == "Finish this part first: Problem, key technology and goals."

    need.refresh_from_db()
    assert need.state == "returned"


def test_an_outsider_cannot_submit_anothers_need(enterprise: Any, outsider_user: Any) -> None:
    need = _draft(enterprise)

    with pytest.raises(TransitionNotPermitted):
        needs.need_submit(need=need, actor=outsider_user)


def test_an_inactive_member_cannot_act(enterprise: Any, enterprise_user: Any) -> None:
    enterprise_user.is_active = False
    enterprise_user.save()

    with pytest.raises(TransitionNotPermitted):
        needs.need_submit(need=_draft(enterprise), actor=enterprise_user)


def test_only_the_daily_job_acts_without_a_user(enterprise: Any) -> None:
    need = _draft(enterprise)

    with pytest.raises(TransitionNotPermitted):
        needs.need_submit(need=need, actor=None)


def test_matching_declines_the_open_applications(enterprise: Any, reviewer: Any) -> None:
    need = _draft(enterprise, state="published")
    waiting = factories.NeedApplicationFactory(need=need)
    shortlisted = factories.NeedApplicationFactory(need=need, state="shortlisted")
    withdrawn = factories.NeedApplicationFactory(need=need, state="withdrawn")

    needs.need_match(need=need, actor=reviewer, comment="线下对接成功")

    states = dict(NeedApplication.objects.values_list("pk", "state"))
    assert states == {waiting.pk: "declined", shortlisted.pk: "declined", withdrawn.pk: "withdrawn"}
    assert timeline(waiting) == [("decline", "submitted", "declined", "wang.reviewer")]


def test_overdue_published_needs_expire_daily(enterprise: Any) -> None:
    today = datetime.date(2026, 7, 1)
    overdue = _draft(enterprise, state="published", open_until=datetime.date(2026, 6, 30))
    last_day = _draft(enterprise, state="published", open_until=today)
    matched = _draft(enterprise, state="matched", open_until=datetime.date(2026, 6, 30))
    application = factories.NeedApplicationFactory(need=overdue)

    assert needs.need_expire_overdue(today=today) == 1

    states = dict(TechnicalNeed.objects.values_list("pk", "state"))
    assert states == {overdue.pk: "expired", last_day.pk: "published", matched.pk: "matched"}
    assert timeline(overdue) == [("expire", "published", "expired", None)]
    assert NeedApplication.objects.get(pk=application.pk).state == "declined"


def test_a_need_still_open_does_not_expire(enterprise: Any, reviewer: Any) -> None:
    need = _draft(enterprise, state="published")

    with pytest.raises(RuleViolation):
        needs.need_expire(need=need, actor=reviewer)


def test_the_beat_task_expires_overdue_needs(enterprise: Any) -> None:
    from projects.tasks import need_expire_overdue_task

    _draft(enterprise, state="published", open_until=timezone.localdate() - datetime.timedelta(1))

    assert need_expire_overdue_task.apply().get() == 1


def test_the_error_message_reads_in_the_users_language(enterprise: Any, reviewer: Any) -> None:
    need = _draft(enterprise, state="published", title="电池热管理")
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as raised:
        needs.need_publish(need=need, actor=reviewer)
    assert str(raised.value) == "无法对技术需求“电池热管理”执行“发布”：当前状态为“已发布”。"

    with translation.override("en"), pytest.raises(InvalidTransition) as raised:
        needs.need_publish(need=need, actor=reviewer)
    assert str(raised.value) == ("Cannot publish the technical need “电池热管理”: it is published.")
