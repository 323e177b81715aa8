"""Research projects and the bottlenecks they attack."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from projects.models import Bottleneck, ResearchProject
from projects.workflows import bottlenecks, research
from projects.workflows.errors import RuleViolation, TransitionNotPermitted
from tests import factories
from tests.workflows.helpers import timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(enterprise: Any) -> ResearchProject:
    return factories.ResearchProjectFactory(lead=enterprise, code="CSTB2024-001")


def test_a_project_runs_its_course_and_resolves_its_bottlenecks(
    project: ResearchProject, reviewer: Any, enterprise_user: Any
) -> None:
    chip, alloy, dropped = factories.BottleneckFactory.create_batch(3)
    bottlenecks.bottleneck_drop(bottleneck=dropped, actor=reviewer)
    project.bottlenecks.add(chip, alloy, dropped)

    research.project_approve(project=project, actor=reviewer, approved_on=datetime.date(2024, 1, 5))
    research.project_start(project=project, actor=reviewer)
    research.project_request_acceptance(project=project, actor=enterprise_user)
    research.project_rectify(project=project, actor=reviewer, comment="测试报告不全")
    research.project_request_acceptance(project=project, actor=enterprise_user)
    research.project_complete(
        project=project,
        actor=reviewer,
        resolved_bottlenecks=[chip],
        completed_on=datetime.date(2026, 6, 30),
    )

    chip.refresh_from_db()
    alloy.refresh_from_db()
    assert project.state == "completed"
    assert project.completed_on == datetime.date(2026, 6, 30)
    assert (chip.state, chip.resolved_on, chip.resolved_by) == (
        "resolved",
        datetime.date(2026, 6, 30),
        project,
    )
    assert alloy.state == "targeted"
    assert Bottleneck.objects.get(pk=dropped.pk).state == "dropped"
    assert [row[0] for row in timeline(project)] == [
        "approve",
        "start",
        "request_acceptance",
        "rectify",
        "request_acceptance",
        "complete",
    ]
    assert timeline(chip) == [
        ("target", "identified", "targeted", "wang.reviewer"),
        ("resolve", "targeted", "resolved", "wang.reviewer"),
    ]


def _in_review(lead: Any, **fields: Any) -> ResearchProject:
    # Built as loaded from history, like the demo seed does.
    return factories.ResearchProjectFactory(
        lead=lead, state="acceptance_review", approved_on=datetime.date(2024, 1, 5), **fields
    )


def test_rectification_happens_once(enterprise: Any, reviewer: Any) -> None:
    project = _in_review(enterprise, rectification_used=True)

    with pytest.raises(RuleViolation, match="整改过一次"):
        research.project_rectify(project=project, actor=reviewer)

    assert ResearchProject.objects.get(pk=project.pk).state == "acceptance_review"


def test_a_wrong_list_of_resolved_bottlenecks_changes_nothing(
    enterprise: Any, reviewer: Any
) -> None:
    project = _in_review(enterprise)
    addressed = factories.BottleneckFactory(state="targeted")
    elsewhere = factories.BottleneckFactory(state="targeted")
    project.bottlenecks.add(addressed)

    with pytest.raises(RuleViolation):
        research.project_complete(
            project=project, actor=reviewer, resolved_bottlenecks=[addressed, elsewhere]
        )

    assert ResearchProject.objects.get(pk=project.pk).state == "acceptance_review"
    assert set(Bottleneck.objects.values_list("state", flat=True)) == {"targeted"}
    assert timeline(project) == []


def test_only_reviewers_decide_on_acceptance(enterprise: Any, enterprise_user: Any) -> None:
    project = _in_review(enterprise)

    with pytest.raises(TransitionNotPermitted):
        research.project_complete(project=project, actor=enterprise_user, resolved_bottlenecks=[])


def test_a_bottleneck_linked_after_approval_is_targeted_by_hand(
    project: ResearchProject, reviewer: Any
) -> None:
    research.project_approve(project=project, actor=reviewer)
    late = factories.BottleneckFactory()
    unrelated = factories.BottleneckFactory()
    project.bottlenecks.add(late)

    bottlenecks.bottleneck_target(bottleneck=late, actor=reviewer, project=project)
    with pytest.raises(RuleViolation):
        bottlenecks.bottleneck_target(bottleneck=unrelated, actor=reviewer, project=project)

    assert late.state == "targeted"
    assert Bottleneck.objects.get(pk=unrelated.pk).state == "identified"
