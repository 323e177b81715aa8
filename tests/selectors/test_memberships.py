"""The membership rule the selectors and the workflows share."""

from __future__ import annotations

import pytest

from projects.models import Membership
from projects.selectors.memberships import is_member, organization_ids_for, organizations_for
from tests import factories

pytestmark = pytest.mark.django_db


def test_member_acts_for_each_of_its_organisations(enterprise, enterprise_user) -> None:
    second = factories.OrganizationFactory(name="Changan Research Institute")
    factories.MembershipFactory(user=enterprise_user, organization=second)
    assert set(organization_ids_for(user=enterprise_user)) == {enterprise.pk, second.pk}
    assert [o.pk for o in organizations_for(user=enterprise_user)] == [second.pk, enterprise.pk]
    assert is_member(user=enterprise_user, organization_id=second.pk)


def test_outsider_does_not_act_for_the_enterprise(enterprise, outsider_user) -> None:
    assert enterprise.pk not in set(organization_ids_for(user=outsider_user))
    assert not is_member(user=outsider_user, organization_id=enterprise.pk)


def test_deactivated_member_acts_for_nobody(enterprise, inactive_member) -> None:
    assert list(organization_ids_for(user=inactive_member)) == []
    assert not is_member(user=inactive_member, organization_id=enterprise.pk)


def test_anonymous_visitor_acts_for_nobody(enterprise, anonymous) -> None:
    assert list(organization_ids_for(user=anonymous)) == []
    assert list(organization_ids_for(user=None)) == []
    assert not is_member(user=anonymous, organization_id=enterprise.pk)


def test_staff_act_for_no_organisation_by_their_permissions(enterprise, reviewer) -> None:
    assert not is_member(user=reviewer, organization_id=enterprise.pk)
    assert list(organizations_for(user=reviewer)) == []


def test_nobody_is_member_of_no_organisation(enterprise_user) -> None:
    assert not is_member(user=enterprise_user, organization_id=None)


def test_only_the_organisations_administrator_acts_in_the_administrator_role(
    enterprise, enterprise_user
) -> None:
    admin = factories.UserFactory(username="liu.admin")
    factories.MembershipFactory(user=admin, organization=enterprise, role=Membership.Role.ADMIN)
    role = Membership.Role.ADMIN
    assert is_member(user=admin, organization_id=enterprise.pk, role=role)
    assert not is_member(user=enterprise_user, organization_id=enterprise.pk, role=role)
    assert list(organization_ids_for(user=admin, role=role)) == [enterprise.pk]
    assert list(organization_ids_for(user=enterprise_user, role=role)) == []
