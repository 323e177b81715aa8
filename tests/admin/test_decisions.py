"""Decisions in the back office: the transition table's buttons, their forms, the add page
that is a creation transition, and staff edits that ask for a figures refresh."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import get_commands, load_command_class
from django.urls import NoReverseMatch, reverse

from projects import clock
from projects.models import (
    Organization,
    TechnicalNeed,
    TransferContract,
    TransitionLog,
    YearlyStatistic,
)
from projects.workflows.registry import MACHINES, available_transitions
from tests import factories
from tests.workflows.helpers import timeline

pytestmark = pytest.mark.django_db

RECORDS = {
    "organization": factories.OrganizationFactory,
    "need": factories.TechnicalNeedFactory,
    "application": factories.NeedApplicationFactory,
    "project": factories.ResearchProjectFactory,
    "bottleneck": factories.BottleneckFactory,
    "contract": factories.TransferContractFactory,
}


def _buttons(client: Any, record: Any) -> list[str]:
    opts = record._meta
    page = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    ).content.decode()
    return re.findall(r"/transition/([a-z_]+)/\" class=\"transition-button\"", page)


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_the_admin_the_command_and_the_registry_offer_the_tables_transitions(
    name: str, reviewer: Any, client: Any
) -> None:
    machine = MACHINES[name]
    table = {t for t in machine.transitions.values() if not t.creates}
    from projects.management.commands.transition import offered

    assert set(machine.on_records.values()) == table
    assert set(offered(machine).values()) == table
    assert "transition" in get_commands()
    load_command_class("projects", "transition")
    opts = machine.model._meta
    record = RECORDS[name]()
    for transition in table:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_transition",
            args=[record.pk, transition.name],
        )
        assert url.endswith(f"/transition/{transition.name}/")
    client.force_login(reviewer)
    bogus = f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/transition/fly/"
    assert client.get(bogus).status_code == 404


@pytest.mark.parametrize("state", TechnicalNeed.State.values)
def test_the_change_page_shows_the_transitions_the_reviewer_may_take_now(
    state: str, reviewer: Any, client: Any
) -> None:
    need = factories.TechnicalNeedFactory(
        state=state, rejection_reason="duplicate" if state == "rejected" else ""
    )
    client.force_login(reviewer)
    expected = [
        t.name
        for t in MACHINES["need"].on_records.values()
        if state in t.sources and t.permission and reviewer.has_perm(t.permission)
    ]
    assert _buttons(client, need) == expected
    assert expected == [t.name for t in available_transitions(user=reviewer, record=need)]


def test_a_reviewer_publishes_a_need_with_a_comment(reviewer: Any, client: Any) -> None:
    need = factories.TechnicalNeedFactory(state="in_review", title="电池热管理")
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    client.force_login(reviewer)
    url = reverse("admin:projects_technicalneed_transition", args=[need.pk, "publish"])

    assert client.get(url).status_code == 200
    response = client.post(url, {"comment": "指标齐全"}, follow=True)

    assert TechnicalNeed.objects.get(pk=need.pk).state == "published"
    assert timeline(need) == [("publish", "in_review", "published", "wang.reviewer")]
    assert "电池热管理" in response.content.decode()


def test_a_refused_decision_is_shown_and_changes_nothing(reviewer: Any, client: Any) -> None:
    need = factories.TechnicalNeedFactory(state="in_review")
    factories.NeedIndicatorFactory.create_batch(3, need=need)
    client.force_login(reviewer)
    url = reverse("admin:projects_technicalneed_transition", args=[need.pk, "publish"])

    response = client.post(url, {"comment": ""}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "at least 5 technical indicators" in response.content.decode()
    assert TechnicalNeed.objects.get(pk=need.pk).state == "in_review"
    assert timeline(need) == []


def test_a_rejection_asks_for_its_coded_reason(reviewer: Any, client: Any) -> None:
    need = factories.TechnicalNeedFactory(state="in_review")
    client.force_login(reviewer)
    url = reverse("admin:projects_technicalneed_transition", args=[need.pk, "reject"])

    assert client.post(url, {"reason": ""}).status_code == 200
    assert TechnicalNeed.objects.get(pk=need.pk).state == "in_review"
    client.post(url, {"reason": "duplicate", "comment": "与第12号需求重复"})
    assert TechnicalNeed.objects.get(pk=need.pk).rejection_reason == "duplicate"


def _contract_form(seller: Organization, buyer: Organization, **fields: Any) -> dict[str, Any]:
    today = clock.today()
    return {
        "seller": seller.pk,
        "buyer": buyer.pk,
        "kind": "development",
        "title": "智能网联汽车域控制器联合开发",
        "contract_amount": "6000000.00",
        "technology_transaction_amount": "5200000.00",
        "signed_on": (today - datetime.timedelta(days=10)).isoformat(),
        "submitted_on": (today - datetime.timedelta(days=3)).isoformat(),
        "comment": "",
        **fields,
    }


def test_a_contract_added_in_the_admin_is_submitted_with_its_due_date(
    reviewer: Any, client: Any
) -> None:
    seller = factories.OrganizationFactory(kind=Organization.Kind.UNIVERSITY)
    buyer = factories.OrganizationFactory()
    client.force_login(reviewer)

    response = client.post(
        reverse("admin:projects_transfercontract_add"), _contract_form(seller, buyer)
    )

    contract = TransferContract.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/transfercontract/{contract.pk}/change/")
    assert contract.state == "submitted"
    assert contract.registration_due_on is not None
    assert contract.clock_started_on == contract.submitted_on
    assert timeline(contract) == [("submit", "", "submitted", "wang.reviewer")]


def test_a_contract_of_an_unverified_seller_is_refused_in_the_admin(
    reviewer: Any, client: Any
) -> None:
    seller = factories.OrganizationFactory(state=Organization.State.PENDING)
    client.force_login(reviewer)

    response = client.post(
        reverse("admin:projects_transfercontract_add"),
        _contract_form(seller, factories.OrganizationFactory()),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "only a verified organisation" in response.content.decode()
    assert not TransferContract.objects.exists()


def test_an_amendment_in_the_admin_recomputes_the_due_date_and_logs_the_change(
    reviewer: Any, client: Any
) -> None:
    contract = factories.TransferContractFactory(
        contract_amount=Decimal("2000000.00"), technology_transaction_amount=Decimal("1800000")
    )
    contract.clock_started_on = contract.submitted_on
    contract.save()
    client.force_login(reviewer)
    url = reverse("admin:projects_transfercontract_transition", args=[contract.pk, "amend"])

    assert client.get(url).status_code == 200
    data = {
        "seller": contract.seller_id,
        "buyer": contract.buyer_id,
        "kind": contract.kind,
        "title": contract.title,
        "contract_amount": "6000000.00",
        "technology_transaction_amount": "1800000.00",
        "signed_on": contract.signed_on.isoformat(),
        "submitted_on": contract.submitted_on.isoformat(),
        "comment": "合同金额更正",
    }
    client.post(url, data)

    contract.refresh_from_db()
    assert contract.contract_amount == Decimal("6000000.00")
    assert contract.registration_due_on is not None
    [log] = TransitionLog.objects.filter(object_id=contract.pk, transition="amend")
    assert log.changes["contract_amount"] == ["2000000.00", "6000000.00"]
    assert "registration_due_on" in log.changes


def test_a_contract_cannot_be_rewritten_from_its_change_form(reviewer: Any, client: Any) -> None:
    contract = factories.TransferContractFactory()
    client.force_login(reviewer)
    url = reverse("admin:projects_transfercontract_change", args=[contract.pk])

    client.post(url, {"contract_amount": "1.00", "title": "改写"})

    contract.refresh_from_db()
    assert contract.contract_amount == Decimal("2000000.00")


def test_editing_a_yearly_statistic_asks_for_a_refresh(
    reviewer: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from projects.admin import figures

    requests: list[str] = []
    monkeypatch.setattr(figures, "request_indicator_refresh", lambda: requests.append("refresh"))
    statistic = factories.YearlyStatisticFactory()
    client.force_login(reviewer)
    url = reverse("admin:projects_yearlystatistic_change", args=[statistic.pk])
    data = {
        "year": statistic.year,
        "gdp": "3219314000000.00",
        "rd_expenditure": "90000000000.00",
        "population": statistic.population,
        "invention_patents": statistic.invention_patents,
        "source": statistic.source,
    }

    assert client.post(url, data).status_code == 302
    assert YearlyStatistic.objects.get().rd_expenditure == Decimal("90000000000.00")
    assert requests == ["refresh"]


def test_members_are_added_by_the_button_not_by_staff_adding_themselves(
    reviewer: Any, client: Any
) -> None:
    organization = factories.OrganizationFactory()
    client.force_login(reviewer)
    url = reverse("admin:projects_organization_transition", args=[organization.pk, "add_member"])

    client.post(url, {"user": reviewer.pk, "role": "admin"}, HTTP_ACCEPT_LANGUAGE="en")
    assert not organization.memberships.exists()

    newcomer = factories.UserFactory(username="liu.newcomer")
    client.post(url, {"user": newcomer.pk, "role": "member", "comment": "新员工"})
    assert list(organization.memberships.values_list("user__username", flat=True)) == [
        "liu.newcomer"
    ]
    with pytest.raises(NoReverseMatch):
        reverse("admin:projects_membership_add_member")
    assert client.get(reverse("admin:projects_membership_add")).status_code == 403


def test_a_transition_the_record_is_not_ready_for_is_refused_before_its_form(
    reviewer: Any, client: Any
) -> None:
    need = factories.TechnicalNeedFactory(state="draft", title="电池热管理")
    client.force_login(reviewer)
    url = reverse("admin:projects_technicalneed_transition", args=[need.pk, "publish"])

    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en", follow=True)

    assert response.redirect_chain[-1][0].endswith(f"/technicalneed/{need.pk}/change/")
    assert "Cannot publish the technical need “电池热管理”: it is draft." in (
        response.content.decode()
    )
