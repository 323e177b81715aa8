"""The back office as a reviewer uses it, in a real browser: the decisions a record offers
now, the form of one, its outcome or its refusal, and a contract added through its workflow."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from django.utils.text import capfirst

from projects.models import Organization, TechnicalNeed, TransferContract
from projects.workflows.needs import PUBLISH
from projects.workflows.registry import available_transitions
from tests import factories

from .conftest import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in(language: str, text: Any) -> str:
    with translation.override(language):
        return str(text)


@pytest.fixture
def reviewer() -> Any:
    return factories.reviewer_user(username="wang.reviewer")


def _need_in_review(indicators: int) -> TechnicalNeed:
    proposer = factories.OrganizationFactory(name="重庆芯感微电子有限公司")
    need = factories.TechnicalNeedFactory(
        proposer=proposer, state="in_review", title="高精度传感器芯片研发"
    )
    factories.NeedIndicatorFactory.create_batch(indicators, need=need)
    return need


def test_a_reviewer_publishes_a_need_from_its_page(visit: Visit, reviewer: Any) -> None:
    need = _need_in_review(indicators=5)
    visit.log_in("wang.reviewer")
    visit.go(f"/admin/projects/technicalneed/{need.pk}/change/")

    buttons = visit.page.locator("a.transition-button")
    offered = available_transitions(user=reviewer, record=need)
    assert [text.strip() for text in buttons.all_text_contents()] == [
        capfirst(_in(visit.language, t.button_label)) for t in offered
    ]
    assert visit.untranslated() == []
    visit.shot("need-in-review")
    assert visit.overflow() == 0 or visit.width == "phone"

    buttons.filter(has_text=capfirst(_in(visit.language, PUBLISH.button_label))).click()
    visit.page.fill("textarea[name=comment]", "指标齐全，同意发布。")
    visit.shot("need-publish-form")
    visit.page.click("input[type=submit]")

    visit.page.wait_for_selector(".messagelist .success")
    published = _in(visit.language, TechnicalNeed.State.PUBLISHED.label)
    assert visit.page.inner_text(".workflow-state strong") == published
    visit.shot("need-published")
    assert TechnicalNeed.objects.get(pk=need.pk).state == "published"


def test_a_refused_decision_says_why_beside_the_form(visit: Visit, reviewer: Any) -> None:
    need = _need_in_review(indicators=3)
    visit.log_in("wang.reviewer")
    visit.go(f"/admin/projects/technicalneed/{need.pk}/transition/publish/")
    visit.page.click("input[type=submit]")

    error = visit.page.inner_text(".errornote")
    assert "5" in error and "3" in error
    visit.shot("need-publish-refused")
    assert TechnicalNeed.objects.get(pk=need.pk).state == "in_review"


def _choose(visit: Visit, field: str, search: str) -> None:
    """Pick a record in the admin's search-as-you-type box."""
    visit.page.click(f".field-{field} .select2-selection")
    visit.page.fill(".select2-container--open .select2-search__field", search)
    visit.page.click(f".select2-results__option:has-text('{search}')")


def test_a_contract_added_by_a_reviewer_is_submitted_with_its_due_date(
    visit: Visit, reviewer: Any
) -> None:
    factories.OrganizationFactory(name="重庆大学", kind=Organization.Kind.UNIVERSITY)
    factories.OrganizationFactory(name="重庆长安汽车股份有限公司")
    visit.log_in("wang.reviewer")
    visit.go("/admin/projects/transfercontract/add/")

    _choose(visit, "seller", "重庆大学")
    _choose(visit, "buyer", "长安汽车")
    visit.page.select_option("select[name=kind]", "development")
    visit.page.fill("input[name=title]", "车规级毫米波雷达信号处理技术开发")
    visit.page.fill("input[name=contract_amount]", "6800000")
    visit.page.fill("input[name=technology_transaction_amount]", "6100000")
    visit.page.locator(".field-signed_on .datetimeshortcuts a").first.click()
    visit.shot("contract-add")
    visit.page.click("input[type=submit]")

    visit.page.wait_for_selector(".messagelist .success")
    contract = TransferContract.objects.get()
    assert contract.contract_amount == Decimal("6800000.00")
    assert contract.registration_due_on is not None
    assert visit.page.inner_text(".field-registration_due_on .readonly") != "-"
    assert visit.untranslated() == []
    visit.shot("contract-submitted")
