"""Facts a workflow decided change only through a logged function: amendments and corrections
of contracts, a returned need's edits, an organisation's details and its members; event
dates are checked; only verified organisations submit."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from projects import clock
from projects.models import Organization, TransferContract, TransitionLog
from projects.workflows import contracts, needs, organizations, research
from projects.workflows.errors import InvalidTransition, RuleViolation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english() -> Any:
    with translation.override("en"):
        yield


def _submitted(seller_user: Any, **fields: Any) -> TransferContract:
    seller = seller_user.memberships.get().organization
    today = clock.today()
    return contracts.contract_submit(
        seller=seller,
        buyer=factories.OrganizationFactory(),
        kind="development",
        title="储能电池管理系统技术开发",
        contract_amount=Decimal("1000000.00"),
        technology_transaction_amount=Decimal("900000.00"),
        signed_on=today - datetime.timedelta(days=20),
        submitted_on=today - datetime.timedelta(days=10),
        actor=seller_user,
        **fields,
    )


@pytest.fixture
def seller_user() -> Any:
    user = factories.UserFactory(username="zhou.seller")
    factories.MembershipFactory(
        user=user, organization=factories.OrganizationFactory(kind=Organization.Kind.UNIVERSITY)
    )
    return user


def test_an_amendment_past_five_million_moves_the_due_date_and_logs_old_and_new(
    seller_user: Any, indicator_refreshes: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    contract = _submitted(seller_user)
    due = contract.registration_due_on

    with django_capture_on_commit_callbacks(execute=True):
        contracts.contract_amend(
            contract=contract, actor=seller_user, contract_amount=Decimal("5000000.00")
        )

    contract.refresh_from_db()
    assert contract.registration_due_on > due  # 30 working days instead of 15
    log = TransitionLog.objects.get(transition="amend")
    assert (log.from_state, log.to_state) == ("submitted", "submitted")
    assert log.changes["contract_amount"] == ["1000000.00", "5000000.00"]
    assert log.changes["registration_due_on"] == [
        due.isoformat(),
        str(contract.registration_due_on),
    ]
    assert indicator_refreshes == ["refresh"]


def test_an_amendment_that_changes_nothing_is_refused(seller_user: Any) -> None:
    contract = _submitted(seller_user)
    with pytest.raises(InvalidTransition, match="Nothing would change"):
        contracts.contract_amend(contract=contract, actor=seller_user, title=contract.title)
    assert not TransitionLog.objects.filter(transition="amend").exists()


def test_a_registered_contract_is_corrected_only_with_a_reason(
    seller_user: Any, reviewer: Any
) -> None:
    contract = _submitted(seller_user)
    contracts.contract_register(contract=contract, actor=reviewer)

    with pytest.raises(RuleViolation, match="Say why"):
        contracts.contract_correct(
            contract=contract, actor=reviewer, comment="", contract_amount=Decimal("1200000")
        )
    contracts.contract_correct(
        contract=contract,
        actor=reviewer,
        comment="发票金额有误",
        contract_amount=Decimal("1200000"),
    )

    assert TransferContract.objects.get(pk=contract.pk).contract_amount == Decimal("1200000.00")
    assert TransitionLog.objects.get(transition="correct").comment == "发票金额有误"


def test_a_registration_date_in_the_future_is_refused_and_says_why(
    seller_user: Any, reviewer: Any
) -> None:
    contract = _submitted(seller_user)
    tomorrow = clock.today() + datetime.timedelta(days=1)

    with pytest.raises(RuleViolation, match="registration date .* cannot be in the future"):
        contracts.contract_register(contract=contract, actor=reviewer, registered_on=tomorrow)
    with pytest.raises(RuleViolation, match="cannot be before the complete submission"):
        contracts.contract_register(
            contract=contract,
            actor=reviewer,
            registered_on=contract.submitted_on - datetime.timedelta(days=1),
        )
    assert TransferContract.objects.get(pk=contract.pk).state == "submitted"


def test_a_completion_before_the_approval_is_refused(reviewer: Any) -> None:
    project = factories.ResearchProjectFactory(
        state="acceptance_review", approved_on=clock.today() - datetime.timedelta(days=30)
    )
    with pytest.raises(RuleViolation, match="completion date .* before the approval date"):
        research.project_complete(
            project=project,
            actor=reviewer,
            resolved_bottlenecks=[],
            completed_on=clock.today() - datetime.timedelta(days=31),
        )


@pytest.mark.parametrize("state", ["pending", "rejected"])
def test_an_unverified_organisation_cannot_submit_a_need_and_is_told_why(
    state: str, enterprise: Any, enterprise_user: Any
) -> None:
    Organization.objects.filter(pk=enterprise.pk).update(state=state)
    enterprise.refresh_from_db()
    draft = needs.need_create(
        proposer=enterprise,
        actor=enterprise_user,
        title="车规级芯片可靠性测试",
        summary="寻求车规级芯片可靠性测试方案",
        pole="digital",
        industrial_chain="intelligent_connected_nev",
    )

    with pytest.raises(RuleViolation, match="only a verified organisation"):
        needs.need_submit(need=draft, actor=enterprise_user)
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_returned_need_is_edited_by_its_proposer_with_old_and_new_values(
    enterprise: Any, enterprise_user: Any, reviewer: Any
) -> None:
    need = factories.TechnicalNeedFactory(proposer=enterprise, state="returned", title="旧标题")

    needs.need_edit(need=need, actor=enterprise_user, title="新标题")

    assert TransitionLog.objects.get(transition="edit").changes == {"title": ["旧标题", "新标题"]}
    with pytest.raises(Exception):  # noqa: B017 - the reviewer may not rewrite it
        needs.need_edit(need=need, actor=reviewer, title="审核员改的标题")


def test_an_organisations_move_carries_its_contracts_and_asks_for_a_refresh(
    seller_user: Any,
    reviewer: Any,
    indicator_refreshes: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    contract = _submitted(seller_user)
    seller = contract.seller
    new_district = "500112" if seller.district != "500112" else "500105"

    with django_capture_on_commit_callbacks(execute=True):
        organizations.organization_edit(organization=seller, actor=reviewer, district=new_district)

    assert TransferContract.objects.get(pk=contract.pk).district == new_district
    assert TransitionLog.objects.get(transition="edit").changes["district"][1] == new_district
    assert indicator_refreshes == ["refresh"]


def test_nobody_adds_themselves_to_an_organisation(reviewer: Any) -> None:
    organization = factories.OrganizationFactory()
    with pytest.raises(RuleViolation, match="Nobody adds themselves"):
        organizations.membership_add(organization=organization, actor=reviewer, user=reviewer)
    assert not organization.memberships.exists()


def test_a_choice_outside_the_table_is_refused_with_the_choices(
    enterprise: Any, enterprise_user: Any
) -> None:
    refusal = "“space” is not a choice for the innovation pole: choose one of digital"
    with pytest.raises(RuleViolation, match=refusal):
        needs.need_create(
            proposer=enterprise,
            actor=enterprise_user,
            title="氢燃料电池膜电极",
            summary="寻求膜电极批量制备工艺",
            pole="space",
            industrial_chain="intelligent_connected_nev",
        )
    assert not TransitionLog.objects.exists()
