"""Who sees a technology contract: its seller's and buyer's members, and reviewers."""

from __future__ import annotations

import pytest

from projects.models import TransferContract
from projects.selectors.contracts import contract_get_for, contract_list_for
from projects.selectors.errors import RecordNotFound
from tests import factories

from .helpers import found, fresh

pytestmark = pytest.mark.django_db


def sees(user, contract: TransferContract) -> bool:
    listed = contract_list_for(user=user).filter(pk=contract.pk).exists()
    return found(user, contract.pk, listed=listed, get=contract_get_for)


@pytest.fixture
def sold(enterprise) -> TransferContract:
    return factories.TransferContractFactory(seller=enterprise)


@pytest.fixture
def bought(enterprise) -> TransferContract:
    return factories.TransferContractFactory(buyer=enterprise)


def test_member_sees_the_contract_its_organisation_sold(enterprise_user, sold) -> None:
    assert sees(enterprise_user, sold)


def test_member_sees_the_contract_its_organisation_bought(enterprise_user, bought) -> None:
    assert sees(enterprise_user, bought)


def test_outsider_cannot_see_the_contract(outsider_user, sold, bought) -> None:
    assert not sees(outsider_user, sold)
    assert not sees(outsider_user, bought)


def test_anonymous_visitor_cannot_see_the_contract(anonymous, sold) -> None:
    assert not sees(anonymous, sold)


def test_deactivated_member_cannot_see_the_contract(inactive_member, sold) -> None:
    assert not sees(inactive_member, sold)


def test_reviewer_sees_every_contract(reviewer, sold, bought) -> None:
    assert sees(reviewer, sold)
    assert sees(reviewer, bought)


def test_staff_without_the_view_permission_see_no_contract(staff_without_permission, sold):
    assert not sees(staff_without_permission, sold)


def test_own_contracts_leave_out_what_the_reviewer_sees_by_permission(
    enterprise, reviewer, sold
) -> None:
    factories.TransferContractFactory()
    assert list(contract_list_for(user=reviewer, own=True)) == []
    factories.MembershipFactory(user=reviewer, organization=enterprise)
    assert list(contract_list_for(user=reviewer, own=True)) == [sold]


def test_a_refused_contract_is_a_404_that_names_nothing(outsider_user, sold) -> None:
    with pytest.raises(RecordNotFound) as refused:
        contract_get_for(user=outsider_user, pk=sold.pk)
    assert sold.title not in str(refused.value)


@pytest.mark.parametrize("rows", [1, 5])
def test_contracts_page_costs_one_query(
    enterprise, enterprise_user, rows, django_assert_num_queries
) -> None:
    for _ in range(rows):
        factories.TransferContractFactory(seller=enterprise)
    user = fresh(enterprise_user)
    with django_assert_num_queries(1):
        page = [(c.title, c.seller.name, c.buyer.name) for c in contract_list_for(user=user)]
    assert len(page) == rows
