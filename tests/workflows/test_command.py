"""The ``transition`` command: the same functions, readable errors, a non-zero exit."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from projects.models import Bottleneck, TechnicalNeed
from tests import factories
from tests.workflows.helpers import timeline

pytestmark = pytest.mark.django_db


def _need_in_review(proposer: Any) -> TechnicalNeed:
    need = factories.TechnicalNeedFactory(proposer=proposer, state="in_review", title="电池热管理")
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    return need


def test_a_reviewer_publishes_from_the_command_line(enterprise: Any, reviewer: Any) -> None:
    need = _need_in_review(enterprise)
    out = StringIO()

    call_command(
        "transition", "need", "publish", str(need.pk), "--actor", "wang.reviewer",
        "--comment", "指标齐全", "--language", "en", stdout=out,
    )  # fmt: skip

    assert TechnicalNeed.objects.get(pk=need.pk).state == "published"
    assert timeline(need) == [("publish", "in_review", "published", "wang.reviewer")]
    assert "technical need “电池热管理”: in review → published" in out.getvalue()


def test_extra_arguments_reach_the_transition(enterprise: Any, reviewer: Any) -> None:
    need = _need_in_review(enterprise)
    project = factories.ResearchProjectFactory(state="acceptance_review", approved_on="2024-01-05")
    solved = factories.BottleneckFactory(state="targeted")
    project.bottlenecks.add(solved)

    call_command("transition", "need", "reject", str(need.pk), "--actor", "wang.reviewer",
                 "--reason", "duplicate")  # fmt: skip
    call_command("transition", "project", "complete", str(project.pk), "--actor",
                 "wang.reviewer", "--resolved-bottleneck", str(solved.pk), "--on",
                 "2026-06-30")  # fmt: skip

    assert TechnicalNeed.objects.get(pk=need.pk).rejection_reason == "duplicate"
    solved = Bottleneck.objects.get(pk=solved.pk)
    assert (solved.state, str(solved.resolved_on)) == ("resolved", "2026-06-30")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["need", "publish", "{pk}", "--actor", "wang.reviewer"], "Cannot publish"),
        (["need", "start-review", "{pk}", "--actor", "chen.enterprise"], "not allowed"),
        (["need", "fly", "{pk}", "--actor", "wang.reviewer"], "Unknown transition"),
        (["spaceship", "publish", "{pk}"], "Unknown record type"),
        (["need", "publish", "999999", "--actor", "wang.reviewer"], "no technical need"),
        (["need", "publish", "{pk}", "--actor", "nobody"], "no user"),
        (["need", "reject", "{pk}", "--actor", "wang.reviewer"], "needs --reason"),
        (["need", "publish", "{pk}"], "identified user"),
    ],
)
def test_refusals_are_readable(
    enterprise: Any, enterprise_user: Any, reviewer: Any, arguments: list[str], message: str
) -> None:
    need = factories.TechnicalNeedFactory(proposer=enterprise, state="submitted")
    arguments = [a.format(pk=need.pk) for a in arguments]

    with pytest.raises(CommandError, match=message):
        call_command("transition", *arguments, "--language", "en")

    assert TechnicalNeed.objects.get(pk=need.pk).state == "submitted"


def test_a_refusal_exits_non_zero(
    enterprise: Any, reviewer: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    need = factories.TechnicalNeedFactory(proposer=enterprise, state="draft")
    argv = ["manage.py", "transition", "need", "publish", str(need.pk), "--actor", "wang.reviewer"]

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(argv).execute()

    assert exited.value.code == 1
    assert "无法对技术需求" in capsys.readouterr().err


def test_overdue_needs_expire_from_the_command_line(enterprise: Any) -> None:
    factories.TechnicalNeedFactory(proposer=enterprise, state="published", open_until="2020-01-01")
    out = StringIO()

    call_command("expire_overdue_needs", stdout=out)

    assert TechnicalNeed.objects.get().state == "expired"
    assert out.getvalue().strip() == "1 expired"
