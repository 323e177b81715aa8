"""A record's history in the back office: the timeline and the field history together, on the
change page and on the admin's History page; the transition log list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from projects.models import TransferContract
from projects.workflows import contracts, needs
from tests import factories

pytestmark = pytest.mark.django_db


def test_field_history_shows_who_changed_which_field_from_what_to_what(client: Any) -> None:
    registrar = factories.registrar_user(username="ran.registrar", first_name="欣", last_name="冉")
    contract = factories.TransferContractFactory(
        contract_amount=Decimal("2000000.00"), technology_transaction_amount=Decimal("1800000")
    )
    client.force_login(registrar)
    url = reverse("admin:projects_transfercontract_transition", args=[contract.pk, "amend"])
    client.post(
        url,
        {
            "contract_amount": "2500000.00",
            "title": "车规级芯片联合开发",
            "comment": "合同金额更正",
        },
    )
    assert TransferContract.objects.get().contract_amount == Decimal("2500000.00")

    for page_url in (
        reverse("admin:projects_transfercontract_change", args=[contract.pk]),
        reverse("admin:projects_transfercontract_history", args=[contract.pk]),
    ):
        page = client.get(page_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Field history" in page
        assert "Contract amount (yuan): 2,000,000 yuan → 2,500,000 yuan" in page, page[
            page.find("field-history") :
        ][:3000]
        assert "车规级芯片联合开发" in page
        assert "冉欣" in page or "欣 冉" in page


def test_the_history_page_of_a_record_with_a_long_timeline_shows_it(client: Any) -> None:
    reviewer = factories.reviewer_only_user(username="he.reviewer")
    need = factories.TechnicalNeedFactory(state="submitted", title="高精度传感器芯片研发")
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    needs.need_start_review(need=need, actor=reviewer)
    needs.need_return(need=need, actor=reviewer, comment="请补充测试方法")
    client.force_login(reviewer)

    page = client.get(
        reverse("admin:projects_technicalneed_history", args=[need.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert "doesn’t have a change history" not in page
    assert "Timeline" in page
    assert "Start reviewing" in page and "Return for changes" in page
    assert "In review" in page or "in review" in page
    assert "请补充测试方法" in page
    assert "he.reviewer" in page


def test_the_history_page_is_translated(client: Any) -> None:
    reviewer = factories.reviewer_only_user()
    need = factories.TechnicalNeedFactory(state="submitted")
    needs.need_start_review(need=need, actor=reviewer)
    client.force_login(reviewer)

    page = client.get(
        reverse("admin:projects_technicalneed_history", args=[need.pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()

    assert "时间线" in page and "字段变更记录" in page
    assert "审核中" in page


def test_the_transition_log_is_newest_first_filtered_by_workflow_types_and_searchable(
    client: Any,
) -> None:
    registrar = factories.registrar_user(username="ran.registrar")
    first = factories.TransferContractFactory(title="车规级毫米波雷达开发")
    second = factories.TransferContractFactory(title="工业软件许可")
    contracts.contract_request_supplements(contract=first, actor=registrar)
    contracts.contract_register(contract=second, actor=registrar)
    client.force_login(factories.manager_user())
    url = reverse("admin:projects_transitionlog_changelist")

    listed = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    rows = list(listed.context["cl"].result_list)
    assert [r.transition for r in rows] == ["register", "request_supplements"]
    page = listed.content.decode().lower()
    assert "request supplements" in page and "supplements requested" in page
    record_types = [title for _value, title in listed.context["cl"].filter_specs[0].lookup_choices]
    assert "transfer contracts" in [str(t) for t in record_types]
    assert "notifications" not in [str(t) for t in record_types]

    found = client.get(url, {"q": "毫米波"}).context["cl"].result_list
    assert [r.object_id for r in found] == [first.pk]
    by_id = client.get(url, {"q": str(second.pk)}).context["cl"].result_list
    assert second.pk in [r.object_id for r in by_id]


def test_field_history_shows_the_state_and_dates_the_workflows_set(client: Any) -> None:
    reviewer = factories.reviewer_only_user(username="he.reviewer")
    need = factories.TechnicalNeedFactory(state="submitted")
    needs.need_start_review(need=need, actor=reviewer)
    client.force_login(reviewer)

    page = client.get(
        reverse("admin:projects_technicalneed_change", args=[need.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert "State: submitted → in review" in page
