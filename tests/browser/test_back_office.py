"""The back office as a reviewer uses it, in a real browser: the decisions a record offers
now, the form of one, its outcome or its refusal, and a contract added through its workflow."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

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


def _click_button(visit: Visit, label: Any) -> None:
    text = capfirst(_in(visit.language, label))
    visit.page.locator("a.transition-button").filter(
        has_text=re.compile(f"^\\s*{re.escape(text)}\\s*$")
    ).click()


def _decide(visit: Visit, label: Any, comment: str = "") -> None:
    _click_button(visit, label)
    if comment:
        visit.page.fill("textarea[name=comment]", comment)
    visit.page.click("input[type=submit]")
    visit.page.wait_for_selector(".messagelist .success")


def test_a_reviewer_takes_a_need_from_the_queue_returns_it_and_later_publishes_it(
    visit: Visit,
) -> None:
    from projects.roles import REVIEWER
    from projects.workflows import needs as need_workflow
    from projects.workflows.needs import RETURN, START_REVIEW

    factories.role_user(REVIEWER, username="he.reviewer")
    proposer = factories.OrganizationFactory(name="重庆芯感微电子有限公司")
    member = factories.UserFactory(username="chen.enterprise")
    factories.MembershipFactory(user=member, organization=proposer)
    need = factories.TechnicalNeedFactory(
        proposer=proposer, state="submitted", title="高精度传感器芯片研发"
    )
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    visit.log_in("he.reviewer")

    queue = visit.page.locator("#queues li.queue").filter(
        has_text=_in(visit.language, gettext_lazy("Technical needs submitted, to review"))
    )
    assert queue.locator(".queue-count").inner_text() == "1"
    assert visit.untranslated() == []
    visit.shot("admin-index-queues")
    if visit.width == "laptop":
        assert visit.overflow() == 0
    queue.locator("a").click()
    visit.page.click("#result_list a:has-text('高精度传感器芯片研发')")

    _decide(visit, START_REVIEW.button_label)
    visit.shot("need-review-started")
    _click_button(visit, RETURN.button_label)
    visit.page.fill("textarea[name=comment]", "请补充第3项指标的测试方法。")
    visit.shot("need-return-form")
    visit.page.click("input[type=submit]")
    visit.page.wait_for_selector(".messagelist .success")
    returned = _in(visit.language, TechnicalNeed.State.RETURNED.label)
    assert visit.page.inner_text(".workflow-state strong") == returned
    assert "请补充第3项指标的测试方法。" in visit.page.inner_text(".timeline")
    visit.shot("need-returned")

    # The proposer hands it in again; the reviewer takes it up and publishes it.
    need_workflow.need_resubmit(need=need, actor=member, comment="已补充测试方法")
    visit.page.reload()
    _decide(visit, START_REVIEW.button_label)
    _decide(visit, PUBLISH.button_label, comment="指标齐全，同意发布。")
    published = _in(visit.language, TechnicalNeed.State.PUBLISHED.label)
    assert visit.page.inner_text(".workflow-state strong") == published
    assert visit.untranslated() == []
    visit.shot("need-published-after-return")
    assert TechnicalNeed.objects.get(pk=need.pk).state == "published"

    visit.page.click(".object-tools a.historylink")
    visit.page.wait_for_selector("#timeline tbody tr")
    assert visit.page.locator("#timeline tbody tr").count() == 5
    visit.shot("need-history")


def test_a_registrar_registers_a_contract_from_the_list(visit: Visit) -> None:
    from projects.roles import REGISTRAR
    from projects.workflows.contracts import REGISTER

    factories.role_user(REGISTRAR, username="ran.registrar")
    seller = factories.OrganizationFactory(name="重庆大学", kind=Organization.Kind.UNIVERSITY)
    buyer = factories.OrganizationFactory(name="重庆长安汽车股份有限公司")
    contract = factories.TransferContractFactory(
        seller=seller, buyer=buyer, title="车规级毫米波雷达信号处理技术开发"
    )
    factories.TransferContractFactory.create_batch(3, seller=seller, buyer=buyer)
    visit.log_in("ran.registrar")
    visit.go("/admin/projects/transfercontract/")

    assert visit.page.locator("#result_list tbody tr").count() == 4
    assert visit.untranslated() == []
    visit.shot("contract-list")
    if visit.width == "laptop":
        assert visit.overflow() == 0
    visit.page.click("#result_list a:has-text('车规级毫米波雷达信号处理技术开发')")
    _click_button(visit, REGISTER.button_label)
    visit.shot("contract-register-form")
    visit.page.click("input[type=submit]")
    visit.page.wait_for_selector(".messagelist .success")

    contract.refresh_from_db()
    assert contract.state == "registered" and contract.registration_number
    registered = _in(visit.language, TransferContract.State.REGISTERED.label)
    assert visit.page.inner_text(".workflow-state strong") == registered
    visit.shot("contract-registered")
