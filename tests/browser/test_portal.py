"""The enterprise portal in a real browser, in Chinese and in English: sign up and get
verified; fill in a need with five indicators and an attachment and submit it; read the
reviewer's comment when it comes back, fix it and resubmit; see it published. Every page is
checked by axe-core and, in Chinese, for English left on its labels; a screenshot of each is
saved to var/screenshots/."""

from __future__ import annotations

import datetime
import http.client
import urllib.parse
from typing import Any

import pytest
from django.utils import translation
from django.utils.text import capfirst

from projects import clock
from projects.models import Organization, TechnicalNeed
from projects.workflows.needs import (
    RESUBMIT,
    SUBMIT,
    need_publish,
    need_return,
    need_start_review,
)
from projects.workflows.organizations import organization_verify
from tests import factories

from .conftest import PASSWORD, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_CODE = factories.make_credit_code("500112", 4242)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _in(language: str, text: Any) -> str:
    """``text`` (a msgid, or a lazy translation) in ``language``."""
    with translation.override(language):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _check(visit: Visit, name: str) -> None:
    """The page as a person meets it: no serious accessibility fault, nothing left in
    English in Chinese, nothing wider than the window; then its screenshot."""
    assert visit.accessibility() == [], name
    assert visit.untranslated() == [], name
    assert visit.overflow() == 0, name
    lefts = visit.page.eval_on_selector_all(
        ".site-nav a", "links => links.map(a => a.getBoundingClientRect().left)"
    )
    assert lefts and min(lefts) >= 0, f"{name}: the navigation is off the page"
    visit.shot(name)


def _submit(visit: Visit, label: Any) -> None:
    visit.page.get_by_role("button", name=_in(visit.language, label), exact=True).click()
    visit.page.wait_for_load_state()


def _log_in(visit: Visit, username: str, password: str = PASSWORD) -> None:
    visit.go("/accounts/login/")
    visit.page.fill("#id_username", username)
    visit.page.fill("#id_password", password)
    visit.page.locator("main button[type=submit]").click()
    visit.page.wait_for_load_state()


@pytest.fixture
def reviewer() -> Any:
    return factories.reviewer_user(username="wang.reviewer")


@pytest.mark.parametrize("visit", ["laptop"], indirect=True)
def test_an_enterprise_signs_up_and_takes_a_need_to_publication(
    visit: Visit, reviewer: Any
) -> None:
    page = visit.page
    lang = visit.language
    visit.go("/")
    _check(visit, "portal-welcome")

    # Sign up, first with a wrong check character: the error is at the top and at the field.
    page.get_by_role("link", name=_in(lang, "Sign up")).first.click()
    page.fill("#id_email", "zhou@xinchuang.cn")
    page.fill("#id_password1", "Chongqing-2026-needs")
    page.fill("#id_password2", "Chongqing-2026-needs")
    wrong = NEW_CODE[:-1] + ("0" if NEW_CODE[-1] != "0" else "1")
    page.fill("#id_credit_code", wrong)
    page.fill("#id_name", "重庆芯创传感科技有限公司")
    page.select_option("#id_kind", "enterprise")
    page.select_option("#id_district", "500112")
    _submit(visit, "Create the account")
    assert page.locator(".form-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "form-summary"
    assert page.input_value("#id_name") == "重庆芯创传感科技有限公司"
    assert page.title().startswith(_in(lang, "Error:"))
    _check(visit, "portal-signup-error")
    page.fill("#id_credit_code", NEW_CODE)
    page.fill("#id_password1", "Chongqing-2026-needs")
    page.fill("#id_password2", "Chongqing-2026-needs")
    _submit(visit, "Create the account")
    assert page.locator(".state-pending").first.is_visible()
    _check(visit, "portal-home-pending")

    organization = Organization.objects.get(credit_code=NEW_CODE)
    organization_verify(organization=organization, actor=reviewer, comment="营业执照核验通过")

    # The need, part by part.
    page.get_by_role("link", name=_in(lang, "Propose a technical need")).first.click()
    _check(visit, "portal-need-new")
    page.fill("#id_title", "高精度传感器芯片研发")
    page.fill("#id_summary", "寻求车规级高精度压力传感器芯片的设计与量产方案。")
    page.select_option("#id_pole", "digital")
    page.select_option("#id_industrial_chain", "electronic_information")
    _submit(visit, "Save and continue")

    page.fill("#id_problem", "现有进口芯片在低温下精度漂移，交付周期长。")
    page.fill("#id_key_technology", "MEMS压阻式传感与温度补偿算法。")
    page.fill("#id_goals", "两年内实现量产，成本降低30%。")
    _check(visit, "portal-need-problem")
    _submit(visit, "Save and continue")

    for i in range(5):
        page.fill(f"#id_indicator-{i}-metric", f"测量精度{i + 1}")
        page.fill(f"#id_indicator-{i}-target_value", "±0.1%FS")
        page.fill(f"#id_indicator-{i}-test_method", "GB/T 15478")
    _submit(visit, "Add another indicator")
    assert page.input_value("#id_indicator-4-metric") == "测量精度5"
    assert page.locator("#id_indicator-5-metric").is_visible()
    _check(visit, "portal-need-indicators")
    _submit(visit, "Save and continue")

    page.fill("#id_budget", "3000000")
    page.fill("#id_open_until", (clock.today() + datetime.timedelta(days=180)).isoformat())
    _check(visit, "portal-need-scope")
    _submit(visit, "Save and continue")

    page.fill("#id_contact_name", "周工")
    page.fill("#id_contact_phone", "023-68881234")
    page.fill("#id_contact_email", "zhou@xinchuang.cn")
    _submit(visit, "Save and continue")

    page.set_input_files(
        "#id_file", files=[{"name": "技术规格书.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.fill("#id_description", "技术规格书")
    _submit(visit, "Attach the document")
    assert page.get_by_role("link", name="技术规格书.pdf").is_visible()
    _check(visit, "portal-need-attachments")
    _submit(visit, "Done with the attachments")

    assert page.locator(".task-list .state-complete").count() >= 5
    _check(visit, "portal-need-draft")
    submit = capfirst(_in(lang, SUBMIT.button_label))
    page.get_by_role("link", name=submit, exact=True).click()
    _check(visit, "portal-need-check-answers")
    _submit(visit, submit)
    need = TechnicalNeed.objects.get()
    assert need.state == "submitted"
    assert need.indicators.count() == 5 and need.attachments.count() == 1

    # Returned with a comment, fixed and resubmitted.
    need_start_review(need=need, actor=reviewer)
    need_return(need=need, actor=reviewer, comment="请补充低温测试条件。")
    page.reload()
    assert page.locator("#reviewer-comment").inner_text().count("请补充低温测试条件。") == 1
    _check(visit, "portal-need-returned")
    page.locator(".task-list a").nth(1).click()
    assert "请补充低温测试条件。" in page.locator("#reviewer-comment").inner_text()
    page.fill("#id_problem", "现有进口芯片在-40℃下精度漂移，交付周期长。")
    _check(visit, "portal-need-returned-edit")
    _submit(visit, "Save as draft")
    resubmit = capfirst(_in(lang, RESUBMIT.button_label))
    page.get_by_role("link", name=resubmit, exact=True).click()
    page.fill("#id_comment", "已补充低温测试条件。")
    _submit(visit, resubmit)
    assert TechnicalNeed.objects.get(pk=need.pk).state == "submitted"

    # Published: its page says so.
    need.refresh_from_db()
    need_start_review(need=need, actor=reviewer)
    need_publish(need=need, actor=reviewer, comment="同意发布")
    page.reload()
    published = _in(lang, TechnicalNeed.State.PUBLISHED.label)
    assert page.inner_text("#need-state") == published
    _check(visit, "portal-need-published")

    # And in the public catalogue, found by a Chinese word inside its title.
    assert "传感器" in need.title
    visit.go("/catalogue/?q=传感器")
    assert page.locator(".catalogue-results a", has_text=need.title).count() == 1
    _check(visit, "portal-need-in-catalogue")


def _world(language: str) -> dict[str, Any]:
    organization = factories.OrganizationFactory(name="重庆芯感微电子有限公司")
    user = factories.UserFactory(username="chen@xingan.cn", email="chen@xingan.cn")
    # The language Chen chose last time: the portal greets him in it after his login.
    factories.MembershipFactory(
        user=user, organization=organization, role="admin", language=language
    )
    factories.MembershipFactory(organization=organization)
    from projects.models import MembershipRequest

    MembershipRequest.objects.create(
        user=factories.UserFactory(username="new@xingan.cn", email="new@xingan.cn"),
        organization=organization,
    )
    need = factories.TechnicalNeedFactory(proposer=organization, title="高精度传感器芯片研发")
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    factories.TechnicalNeedFactory(
        proposer=organization, state="published", title="新能源汽车电池热管理"
    )
    project = factories.ResearchProjectFactory(lead=organization, state="in_progress")
    factories.ProjectParticipantFactory(project=project)
    factories.FundingAllocationFactory(project=project, organization=organization)
    contract = factories.TransferContractFactory(buyer=organization)
    return {"need": need, "project": project, "contract": contract}


def test_the_pages_of_my_organisation(visit: Visit) -> None:
    world = _world(visit.language)
    _log_in(visit, "chen@xingan.cn")
    pages = {
        "portal-home": "/",
        "portal-organisation": "/organisation/",
        "portal-organisation-needs": "/organisation/needs/",
        "portal-organisation-applications": "/organisation/applications/",
        "portal-organisation-projects": "/organisation/projects/",
        "portal-organisation-contracts": "/organisation/contracts/",
        "portal-need": f"/needs/{world['need'].pk}/",
        "portal-project": f"/projects/{world['project'].pk}/",
        "portal-contract": f"/contracts/{world['contract'].pk}/",
        "portal-withdraw": f"/needs/{world['need'].pk}/transition/withdraw/",
        "portal-password-change": "/accounts/password/change/",
        "portal-not-found": "/needs/999999/",
    }
    for name, path in pages.items():
        visit.go(path)
        assert visit.page.locator("h1").count() == 1, name
        _check(visit, name)


def test_the_pages_anybody_reaches(visit: Visit) -> None:
    for name, path in {
        "portal-login": "/accounts/login/",
        "portal-signup": "/accounts/signup/",
        "portal-password-reset": "/accounts/password/reset/",
    }.items():
        visit.go(path)
        _check(visit, name)


def test_the_language_switcher_changes_the_page_and_is_remembered(visit: Visit) -> None:
    _world(visit.language)
    _log_in(visit, "chen@xingan.cn")
    target = "en" if visit.language == "zh-hans" else "zh-hans"
    visit.page.locator(f".language-switcher button[value='{target}']").click()
    visit.page.wait_for_load_state()
    assert visit.page.get_attribute("html", "lang") == target
    from projects.models import Membership

    assert Membership.objects.get(user__username="chen@xingan.cn").language == target
    visit.page.keyboard.press("Tab")
    assert visit.page.evaluate("document.activeElement.className") == "skip-link"


def test_an_enterprise_user_creates_uses_and_revokes_an_api_token(visit: Visit) -> None:
    _world(visit.language)
    _log_in(visit, "chen@xingan.cn")
    page = visit.page
    page.get_by_role("link", name=_in(visit.language, "Account"), exact=True).click()
    page.get_by_role("link", name=_in(visit.language, "API tokens"), exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".empty").is_visible()
    _submit(visit, "Create the token")
    assert page.locator(".form-summary").is_visible()
    _check(visit, "portal-api-tokens-error")
    page.fill("#id_name", "ERP 同步")
    _submit(visit, "Create the token")
    key = page.locator("#token-key").input_value()
    assert key.startswith("tt_")
    assert key in page.locator(".token-example").inner_text()
    _check(visit, "portal-api-token-created")

    def me() -> int:
        """The API's answer to the key alone (no browser, no session cookie)."""
        server = urllib.parse.urlsplit(visit.base_url)
        connection = http.client.HTTPConnection(server.hostname, server.port, timeout=10)
        try:
            connection.request("GET", "/api/v1/me/", headers={"Authorization": f"Bearer {key}"})
            return connection.getresponse().status
        finally:
            connection.close()

    assert me() == 200
    visit.go("/api/tokens/")  # the key is shown once: not on the next visit
    assert page.locator("#token-key").count() == 0
    row = page.locator("tbody tr", has_text="ERP 同步")
    assert _in(visit.language, "never") not in row.inner_text()  # its use is recorded
    row.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator(".messages .success").is_visible()
    assert page.locator("tbody tr .state-revoked").count() == 1
    _check(visit, "portal-api-tokens")
    assert me() == 401
