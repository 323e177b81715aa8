"""Who sees an organisation and who acts for it: its own members, and reviewers."""

from __future__ import annotations

import pytest

from projects.models import Organization
from projects.selectors.errors import RecordNotFound
from projects.selectors.organizations import (
    organization_get_for,
    organization_list_for,
    organization_members_for,
)
from tests import factories

from .helpers import found, fresh

pytestmark = pytest.mark.django_db


def sees(user, organization: Organization) -> bool:
    listed = organization_list_for(user=user).filter(pk=organization.pk).exists()
    return found(user, organization.pk, listed=listed, get=organization_get_for)


def sees_members(user, organization: Organization) -> bool:
    try:
        members = organization_members_for(user=user, organization=organization)
    except RecordNotFound:
        return False
    return bool(list(members))


def test_member_sees_its_organisation_and_who_acts_for_it(enterprise, enterprise_user) -> None:
    colleague = factories.MembershipFactory(organization=enterprise, user__username="a.colleague")
    assert sees(enterprise_user, enterprise)
    members = organization_members_for(user=enterprise_user, organization=enterprise)
    assert [m.user.username for m in members] == ["a.colleague", "chen.enterprise"]
    assert colleague in members


def test_member_lists_only_its_own_organisations(enterprise, enterprise_user, outsider_user):
    assert list(organization_list_for(user=enterprise_user)) == [enterprise]


def test_outsider_cannot_see_another_organisation_nor_its_members(
    enterprise, enterprise_user, outsider_user
) -> None:
    assert not sees(outsider_user, enterprise)
    assert not sees_members(outsider_user, enterprise)


def test_anonymous_visitor_cannot_see_an_organisation(enterprise, enterprise_user, anonymous):
    assert not sees(anonymous, enterprise)
    assert not sees_members(anonymous, enterprise)


def test_deactivated_member_no_longer_sees_its_organisation(enterprise, inactive_member):
    assert not sees(inactive_member, enterprise)
    assert not sees_members(inactive_member, enterprise)


def test_reviewer_sees_every_organisation_and_its_members(
    enterprise, enterprise_user, reviewer
) -> None:
    assert sees(reviewer, enterprise)
    assert sees_members(reviewer, enterprise)


def test_staff_without_the_view_permission_see_no_organisation(
    enterprise, enterprise_user, staff_without_permission
) -> None:
    assert not sees(staff_without_permission, enterprise)
    assert not sees_members(staff_without_permission, enterprise)


def test_a_refused_organisation_is_a_404_that_names_nothing(enterprise, outsider_user) -> None:
    with pytest.raises(RecordNotFound) as refused:
        organization_get_for(user=outsider_user, pk=enterprise.pk)
    assert enterprise.name not in str(refused.value)


@pytest.mark.parametrize("rows", [1, 5])
def test_organisations_page_costs_one_query(reviewer, rows, django_assert_num_queries) -> None:
    factories.OrganizationFactory.create_batch(rows)
    user = fresh(reviewer)
    with django_assert_num_queries(1):
        page = [(o.name, o.get_state_display()) for o in organization_list_for(user=user)]
    assert len(page) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_members_page_costs_two_queries(
    enterprise, enterprise_user, rows, django_assert_num_queries
) -> None:
    factories.MembershipFactory.create_batch(rows - 1, organization=enterprise)
    user = fresh(enterprise_user)
    with django_assert_num_queries(2):  # the membership check, then the page
        members = organization_members_for(user=user, organization=enterprise)
        page = [(m.user.username, m.get_role_display()) for m in members]
    assert len(page) == rows
