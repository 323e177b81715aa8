"""Technology contracts: submission with its due date, the registry's answers, the clock."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from projects.models import Organization, TransferContract, TransitionLog
from projects.workflows import contracts
from projects.workflows.errors import RuleViolation, TransitionNotPermitted
from tests import factories
from tests.workflows.helpers import timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def university() -> Organization:
    return factories.OrganizationFactory(name="重庆大学", kind=Organization.Kind.UNIVERSITY)


@pytest.fixture
def seller_user(university: Organization) -> Any:
    user = factories.UserFactory(username="liu.professor")
    factories.MembershipFactory(user=user, organization=university)
    return user


def _submit(university: Organization, buyer: Organization, actor: Any, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "kind": TransferContract.Kind.DEVELOPMENT,
        "title": "感知算法开发",
        "contract_amount": Decimal("2000000.00"),
        "technology_transaction_amount": Decimal("1800000.00"),
        "signed_on": datetime.date(2025, 9, 20),
        "submitted_on": datetime.date(2025, 9, 26),
    }
    values.update(fields)
    return contracts.contract_submit(seller=university, buyer=buyer, actor=actor, **values)


def test_a_submitted_contract_knows_when_the_registry_must_answer(
    university: Organization, enterprise: Organization, seller_user: Any
) -> None:
    contract = _submit(university, enterprise, seller_user)

    assert contract.state == "submitted"
    assert contract.registration_due_on == datetime.date(2025, 10, 23)
    assert contract.registration_due_provisional is False
    assert contract.district == university.district
    assert timeline(contract) == [("submit", "", "submitted", "liu.professor")]


def test_a_contract_moves_to_its_new_sellers_district_and_pole_when_the_seller_changes(
    university: Organization, enterprise: Organization, seller_user: Any
) -> None:
    contract = TransferContract.objects.get(pk=_submit(university, enterprise, seller_user).pk)
    other = factories.OrganizationFactory(district="500112", pole="health")
    assert (other.district, other.pole) != (contract.district, contract.pole)

    contract.seller = other
    contract.save(update_fields=["seller"])

    contract = TransferContract.objects.get(pk=contract.pk)
    assert (contract.district, contract.pole) == ("500112", "health")
    # When the seller moves, its contracts follow; a save of a copy read before the move
    # keeps the contract with its seller.
    other.district = "500103"
    other.save()
    contract.title = "技术开发合同（补充）"
    contract.save()
    contract.refresh_from_db()
    assert (contract.district, contract.title) == ("500103", "技术开发合同（补充）")


def test_a_large_contract_gives_the_registry_thirty_working_days(
    university: Organization, enterprise: Organization, seller_user: Any
) -> None:
    contract = _submit(
        university,
        enterprise,
        seller_user,
        contract_amount=Decimal("5000000.00"),
        technology_transaction_amount=Decimal("5000000.00"),
    )

    assert contract.registration_due_on == datetime.date(2025, 11, 13)


def test_the_technology_amount_never_exceeds_the_contract_amount(
    university: Organization, enterprise: Organization, seller_user: Any
) -> None:
    with pytest.raises(RuleViolation, match="技术交易额"):
        _submit(
            university,
            enterprise,
            seller_user,
            technology_transaction_amount=Decimal("2000000.01"),
        )

    assert TransferContract.objects.count() == 0


def test_only_the_sellers_members_or_the_registry_submit(
    university: Organization, enterprise: Organization, enterprise_user: Any, reviewer: Any
) -> None:
    with pytest.raises(TransitionNotPermitted):
        _submit(university, enterprise, enterprise_user)  # the buyer's member

    assert _submit(university, enterprise, reviewer).state == "submitted"


def test_a_supplement_request_restarts_the_clock_from_the_resubmission(
    university: Organization, enterprise: Organization, seller_user: Any, reviewer: Any
) -> None:
    contract = _submit(university, enterprise, seller_user)

    contracts.contract_request_supplements(contract=contract, actor=reviewer, comment="补充发票")
    assert (contract.registration_due_on, contract.is_registration_overdue) == (None, False)
    # The request was made back in February, when the contract was with the registry.
    TransitionLog.objects.filter(transition="request_supplements").update(
        at=datetime.datetime(2026, 2, 10, 9, 30, tzinfo=datetime.UTC)
    )

    contracts.contract_resubmit(
        contract=contract, actor=seller_user, resubmitted_on=datetime.date(2026, 2, 13)
    )
    assert contract.state == "submitted"
    assert contract.submitted_on == datetime.date(2025, 9, 26)
    assert contract.registration_due_on == datetime.date(2026, 3, 12)


def test_a_contract_is_overdue_once_its_due_date_has_passed_unanswered(
    university: Organization, enterprise: Organization, seller_user: Any, reviewer: Any
) -> None:
    today = timezone.localdate()
    late = _submit(university, enterprise, seller_user)
    TransferContract.objects.filter(pk=late.pk).update(
        registration_due_on=today - datetime.timedelta(days=1)
    )
    late.refresh_from_db()
    on_time = factories.TransferContractFactory(registration_due_on=today)

    assert late.is_registration_overdue
    assert not on_time.is_registration_overdue
    contracts.contract_register(contract=late, actor=reviewer)
    assert not late.is_registration_overdue


def test_registration_numbers_the_contract(
    university: Organization, enterprise: Organization, seller_user: Any, reviewer: Any
) -> None:
    first = _submit(university, enterprise, seller_user)
    second = _submit(university, enterprise, seller_user, title="第二份合同")

    contracts.contract_register(
        contract=first, actor=reviewer, registered_on=datetime.date(2025, 10, 10)
    )
    assert first.registration_number == f"2025{university.district}{first.pk:08d}"
    assert first.registered_on == datetime.date(2025, 10, 10)
    with pytest.raises(RuleViolation):
        contracts.contract_register(
            contract=second, actor=reviewer, registration_number=first.registration_number
        )


def test_a_refusal_keeps_its_reason(
    university: Organization, enterprise: Organization, seller_user: Any, reviewer: Any
) -> None:
    contract = _submit(university, enterprise, seller_user)

    with pytest.raises(RuleViolation):
        contracts.contract_refuse(contract=contract, actor=reviewer, reason="  ")
    contracts.contract_refuse(contract=contract, actor=reviewer, reason="属于设备买卖")

    assert TransferContract.objects.get(pk=contract.pk).refusal_reason == "属于设备买卖"
