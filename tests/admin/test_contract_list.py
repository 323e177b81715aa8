"""The registration clock in the contract list: due date, provisional or not, overdue and due
soon said in words, and filters for them; a list of any size costs a bounded count."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from projects.admin.paging import CappedCountPaginator
from projects.models import TransferContract
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("admin:projects_transfercontract_changelist")
TODAY = datetime.date(2025, 6, 10)


def _submitted(title: str, due: datetime.date, provisional: bool = False) -> TransferContract:
    contract = factories.TransferContractFactory(
        title=title, signed_on=datetime.date(2025, 4, 1), submitted_on=datetime.date(2025, 4, 2)
    )
    TransferContract.objects.filter(pk=contract.pk).update(
        registration_due_on=due, registration_due_provisional=provisional
    )
    return contract


@time_machine.travel(datetime.datetime(2025, 6, 10, 10, tzinfo=datetime.UTC))
def test_the_list_says_which_contracts_are_overdue_or_due_soon(client: Any) -> None:
    _submitted("逾期合同", TODAY - datetime.timedelta(days=2))
    _submitted("临期合同", TODAY + datetime.timedelta(days=1))
    _submitted("宽裕合同", TODAY + datetime.timedelta(days=40), provisional=True)
    client.force_login(factories.registrar_user())

    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'registration-clock overdue">June 8, 2025 · overdue' in page
    assert 'registration-clock due-soon">June 11, 2025 · due soon' in page
    assert 'July 20, 2025 <span class="provisional">(provisional)</span>' in page

    def titles(**query: str) -> set[str]:
        listed = client.get(URL, query).context["cl"].result_list
        return {c.title for c in listed}

    assert titles(clock="overdue") == {"逾期合同"}
    assert titles(clock="due_soon") == {"临期合同"}
    assert titles(clock="provisional") == {"宽裕合同"}
    assert titles(clock="running") == {"逾期合同", "临期合同", "宽裕合同"}


def test_the_count_stops_at_the_cap(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    factories.TransferContractFactory.create_batch(5)
    client.force_login(factories.registrar_user())

    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert page.context["cl"].paginator.count == 4
    assert "More than 3 transfer contracts" in page.content.decode()
    assert page.context["cl"].full_result_count is None


def test_the_list_reads_a_fixed_number_of_queries(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    factories.TransferContractFactory.create_batch(30)
    client.force_login(factories.registrar_user())
    client.get(URL)
    with django_assert_max_num_queries(12):
        assert client.get(URL, {"q": "智能网联"}).status_code == 200


def test_the_search_finds_a_number_a_title_or_a_party(client: Any) -> None:
    seller = factories.OrganizationFactory(name="重庆大学", kind="university")
    registered = factories.TransferContractFactory(seller=seller, state="registered")
    titled = factories.TransferContractFactory(title="车规级毫米波雷达信号处理")
    factories.TransferContractFactory(title="工业软件许可")
    client.force_login(factories.registrar_user())

    def found(term: str) -> set[int]:
        return {c.pk for c in client.get(URL, {"q": term}).context["cl"].result_list}

    assert found(str(registered.registration_number)) == {registered.pk}
    assert found("毫米波") == {titled.pk}
    assert found("重庆大学") == {registered.pk}
