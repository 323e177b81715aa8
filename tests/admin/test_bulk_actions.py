"""Bulk decisions in the back office: each selected record goes through its workflow function,
which checks its state and the user's right again; a refused one is reported and unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse

from projects.models import Organization, TechnicalNeed, TransferContract
from tests import factories
from tests.workflows.helpers import timeline

pytestmark = pytest.mark.django_db

NEEDS = reverse("admin:projects_technicalneed_changelist")
CONTRACTS = reverse("admin:projects_transfercontract_changelist")


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _need(state: str, title: str, indicators: int = 5) -> TechnicalNeed:
    need = factories.TechnicalNeedFactory(state=state, title=title)
    factories.NeedIndicatorFactory.create_batch(indicators, need=need)
    return need


def test_bulk_publish_asks_for_a_comment_then_reports_each_record(client: Any) -> None:
    reviewer = factories.reviewer_only_user(username="he.reviewer")
    ready = _need("in_review", "高精度传感器芯片研发")
    also_ready = _need("in_review", "动力电池热失控预警")
    too_few = _need("in_review", "工业机器人减速器", indicators=3)
    not_yet = _need("submitted", "氢燃料电池电堆")
    selected = [ready.pk, also_ready.pk, too_few.pk, not_yet.pk]
    client.force_login(reviewer)

    page = client.post(NEEDS, {"action": "transition_publish", ACTION_CHECKBOX_NAME: selected})
    assert page.status_code == 200
    assert "textarea" in page.content.decode() and "工业机器人减速器" in page.content.decode()
    assert TechnicalNeed.objects.filter(state="published").count() == 0

    response = client.post(
        NEEDS,
        {
            "action": "transition_publish",
            "apply": "yes",
            "comment": "指标齐全，同意发布。",
            ACTION_CHECKBOX_NAME: selected,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    states = dict(TechnicalNeed.objects.values_list("title", "state"))
    assert states == {
        "高精度传感器芯片研发": "published",
        "动力电池热失控预警": "published",
        "工业机器人减速器": "in_review",
        "氢燃料电池电堆": "submitted",
    }
    assert timeline(ready) == [("publish", "in_review", "published", "he.reviewer")]
    assert timeline(too_few) == [] and timeline(not_yet) == []
    reported = _messages(response)
    [done] = [m for m in reported if "done for 2 records" in m]
    assert "高精度传感器芯片研发" in done and "动力电池热失控预警" in done
    refusals = [m for m in reported if m.startswith("Refused")]
    assert len(refusals) == 2
    assert any("工业机器人减速器" in m and "at least 5 technical indicators" in m for m in refusals)
    assert any("氢燃料电池电堆" in m and "it is submitted" in m for m in refusals)
    for refusal in refusals:  # each names its record once
        assert sum(refusal.count(title) for title in states) == 1, refusal


def test_bulk_start_review_and_return_move_needs_and_log_the_comment(client: Any) -> None:
    reviewer = factories.reviewer_only_user(username="he.reviewer")
    needs = [_need("submitted", f"需求{i}") for i in range(3)]
    ids = [n.pk for n in needs]
    client.force_login(reviewer)

    client.post(
        NEEDS, {"action": "transition_start_review", "apply": "yes", ACTION_CHECKBOX_NAME: ids}
    )
    client.post(
        NEEDS,
        {
            "action": "transition_return",
            "apply": "yes",
            "comment": "请补充测试方法",
            ACTION_CHECKBOX_NAME: ids[:2],
        },
    )

    assert list(TechnicalNeed.objects.order_by("pk").values_list("state", flat=True)) == [
        "returned",
        "returned",
        "in_review",
    ]
    assert [t[0] for t in timeline(needs[0])] == ["start_review", "return"]
    assert needs[0].pk in set(
        TechnicalNeed.objects.filter(state="returned").values_list("pk", flat=True)
    )


def test_a_bulk_rejection_needs_its_coded_reason(client: Any) -> None:
    reviewer = factories.reviewer_only_user()
    need = _need("in_review", "重复需求")
    client.force_login(reviewer)
    data = {"action": "transition_reject", "apply": "yes", ACTION_CHECKBOX_NAME: [need.pk]}

    page = client.post(NEEDS, {**data, "reason": ""})
    assert page.status_code == 200 and "errornote" in page.content.decode()
    assert TechnicalNeed.objects.get().state == "in_review"

    client.post(NEEDS, {**data, "reason": "duplicate"})
    assert TechnicalNeed.objects.get().rejection_reason == "duplicate"


def test_a_registrar_registers_contracts_in_bulk_and_a_decided_one_is_refused(
    client: Any,
) -> None:
    registrar = factories.registrar_user(username="ran.registrar")
    waiting = factories.TransferContractFactory.create_batch(2)
    decided = factories.TransferContractFactory(state="registered")
    number = decided.registration_number
    client.force_login(registrar)

    response = client.post(
        CONTRACTS,
        {
            "action": "transition_register",
            "apply": "yes",
            "registered_on": "",
            ACTION_CHECKBOX_NAME: [c.pk for c in [*waiting, decided]],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    for contract in waiting:
        contract.refresh_from_db()
        assert contract.state == "registered" and contract.registration_number
        assert timeline(contract) == [("register", "submitted", "registered", "ran.registrar")]
    decided.refresh_from_db()
    assert decided.registration_number == number and timeline(decided) == []
    assert any("Refused" in m and "it is registered" in m for m in _messages(response))


def test_bulk_actions_are_offered_by_role(client: Any) -> None:
    factories.TransferContractFactory()
    factories.OrganizationFactory(state=Organization.State.PENDING)
    reviewer = factories.reviewer_only_user()
    registrar = factories.registrar_user()
    manager = factories.manager_user()

    def actions(user: Any, url: str) -> str:
        client.force_login(user)
        return client.get(url).content.decode()

    assert "transition_verify" in actions(
        reviewer, reverse("admin:projects_organization_changelist")
    )
    assert "transition_register" in actions(registrar, CONTRACTS)
    assert "transition_request_supplements" in actions(registrar, CONTRACTS)
    assert "transition_register" not in actions(manager, CONTRACTS)


def test_a_user_without_the_right_cannot_post_a_bulk_decision(client: Any) -> None:
    manager = factories.manager_user()
    contract = factories.TransferContractFactory()
    client.force_login(manager)

    client.post(
        CONTRACTS,
        {"action": "transition_register", "apply": "yes", ACTION_CHECKBOX_NAME: [contract.pk]},
    )

    assert TransferContract.objects.get().state == "submitted"
    assert timeline(contract) == []
