"""Who sees a research project: its lead's and participants' members, and reviewers."""

from __future__ import annotations

import pytest

from projects.models import ResearchProject
from projects.selectors.errors import RecordNotFound
from projects.selectors.projects import project_get_for, project_list_for
from tests import factories

from .helpers import found, fresh

pytestmark = pytest.mark.django_db


def sees(user, project: ResearchProject) -> bool:
    listed = project_list_for(user=user).filter(pk=project.pk).exists()
    return found(user, project.pk, listed=listed, get=project_get_for)


@pytest.fixture
def led_project(enterprise) -> ResearchProject:
    return factories.ResearchProjectFactory(lead=enterprise)


@pytest.fixture
def joined_project(enterprise) -> ResearchProject:
    """A project another organisation leads and the enterprise takes part in."""
    project = factories.ResearchProjectFactory()
    factories.ProjectParticipantFactory(project=project, organization=enterprise)
    return project


def test_member_sees_the_project_its_organisation_leads(enterprise_user, led_project) -> None:
    assert sees(enterprise_user, led_project)


def test_member_sees_the_project_its_organisation_takes_part_in(
    enterprise_user, joined_project
) -> None:
    assert sees(enterprise_user, joined_project)


def test_member_lists_each_project_once(enterprise, enterprise_user, led_project) -> None:
    # The lead is often also listed as a participant; the list must not double it.
    factories.ProjectParticipantFactory(project=led_project, organization=enterprise)
    assert [p.pk for p in project_list_for(user=enterprise_user)] == [led_project.pk]


def test_outsider_cannot_see_the_project(outsider_user, led_project, joined_project) -> None:
    assert not sees(outsider_user, led_project)
    assert not sees(outsider_user, joined_project)


def test_anonymous_visitor_cannot_see_the_project(anonymous, led_project) -> None:
    assert not sees(anonymous, led_project)


def test_deactivated_member_cannot_see_the_project(inactive_member, led_project) -> None:
    assert not sees(inactive_member, led_project)


def test_reviewer_sees_every_project(reviewer, led_project, joined_project) -> None:
    assert sees(reviewer, led_project)
    assert sees(reviewer, joined_project)


def test_staff_without_the_view_permission_see_no_project(
    staff_without_permission, led_project
) -> None:
    assert not sees(staff_without_permission, led_project)


def test_a_refused_project_is_a_404_that_names_nothing(outsider_user, led_project) -> None:
    with pytest.raises(RecordNotFound) as refused:
        project_get_for(user=outsider_user, pk=led_project.pk)
    assert led_project.title not in str(refused.value)
    assert led_project.code not in str(refused.value)


@pytest.mark.parametrize("rows", [1, 5])
def test_projects_page_costs_two_queries(
    enterprise, enterprise_user, rows, django_assert_num_queries
) -> None:
    for _ in range(rows):
        project = factories.ResearchProjectFactory(lead=enterprise)
        factories.ProjectParticipantFactory(project=project)
    user = fresh(enterprise_user)
    with django_assert_num_queries(2):
        page = [
            (p.code, p.lead.name, [part.organization.name for part in p.participants.all()])
            for p in project_list_for(user=user)
        ]
    assert len(page) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_project_detail_costs_four_queries(
    enterprise_user, led_project, rows, django_assert_num_queries
) -> None:
    for year in range(2024, 2024 + rows):
        participant = factories.ProjectParticipantFactory(project=led_project)
        factories.FundingAllocationFactory(
            project=led_project, organization=participant.organization, year=year
        )
        led_project.bottlenecks.add(factories.BottleneckFactory())
    user = fresh(enterprise_user)
    with django_assert_num_queries(4):
        project = project_get_for(user=user, pk=led_project.pk)
        shown = [part.organization.name for part in project.participants.all()]
        shown += [grant.organization.name for grant in project.funding.all()]
        shown += [bottleneck.title for bottleneck in project.bottlenecks.all()]
    assert len(shown) == 3 * rows
