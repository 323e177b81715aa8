"""The public catalogue in a real browser: an anonymous visitor finds a need by a Chinese
word; another verified enterprise logs in, finds it, applies with a proposal and a PDF,
follows its application and withdraws it. Every page passes axe-core and is photographed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from projects.models import NeedApplication, Organization, TechnicalNeed
from projects.workflows.applications import WITHDRAW
from tests import factories
from tests.selectors.helpers import need_in

from .conftest import PASSWORD, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _in(language: str, text: Any) -> str:
    with translation.override(language):
        return str(text)


@pytest.fixture
def published() -> TechnicalNeed:
    proposer = factories.OrganizationFactory(name="重庆芯感微电子有限公司")
    for n in range(3):
        need_in("published", title=f"动力电池热管理技术需求{n}", proposer=proposer)
    return need_in(
        "published",
        title="高精度传感器芯片研发",
        summary="面向智能网联汽车的高精度MEMS压力传感器芯片，要求温漂小于0.02%FS/℃。",
        proposer=proposer,
        problem="机密：现有供应商良率不足",
        contact_name="机密联系人",
    )


def _checked(visit: Visit, name: str) -> None:
    """The page breaks no serious accessibility rule, fits a phone, and is photographed."""
    visit.shot(name)
    assert visit.accessibility() == []
    assert visit.overflow() == 0


def _log_in(visit: Visit, username: str, next_path: str) -> None:
    """The portal's own login page (not the back office's), back to ``next_path``."""
    visit.go(f"/accounts/login/?next={next_path}")
    visit.page.fill("#id_username", username)
    visit.page.fill("#id_password", PASSWORD)
    visit.page.locator("main button[type=submit]").click()
    visit.page.wait_for_url(f"**{next_path}")


def test_an_anonymous_visitor_finds_a_need_by_a_chinese_word(
    visit: Visit, published: TechnicalNeed
) -> None:
    visit.go("/catalogue/")
    _checked(visit, "catalogue")

    visit.page.fill("#id_q", "传感器")
    visit.page.locator(".catalogue-filters button[type=submit]").click()
    visit.page.wait_for_url("**q=*")
    results = visit.page.locator(".catalogue-results h2")
    assert results.all_text_contents() == ["高精度传感器芯片研发"]
    _checked(visit, "catalogue-search")

    results.first.locator("a").click()
    visit.page.wait_for_selector("h1:has-text('高精度传感器芯片研发')")
    page = visit.page.content()
    assert "机密" not in page
    _checked(visit, "catalogue-need")

    visit.page.locator("a.button").click()
    login = visit.page.locator("main a.button")
    assert f"next=/catalogue/{published.pk}/apply/" in (login.get_attribute("href") or "")
    _checked(visit, "catalogue-apply-anonymous")


def test_another_enterprise_applies_follows_and_withdraws(
    visit: Visit, published: TechnicalNeed, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    solver = factories.OrganizationFactory(
        name="重庆两江智能传感研究院有限公司", state=Organization.State.VERIFIED
    )
    # He last chose the language of this run: the portal speaks it after his login.
    factories.MembershipFactory(
        user=factories.UserFactory(username="he.solver"),
        organization=solver,
        language=visit.language,
    )
    proposal_pdf = tmp_path / "技术方案.pdf"
    proposal_pdf.write_bytes(PDF)

    _log_in(visit, "he.solver", "/catalogue/")
    visit.page.fill("#id_q", "芯片")
    visit.page.locator(".catalogue-filters button[type=submit]").click()
    visit.page.wait_for_url("**q=*")
    visit.page.locator(".catalogue-results a", has_text="高精度传感器芯片研发").click()
    visit.page.locator("a.button").click()
    visit.page.wait_for_selector("textarea[name=proposal]")
    _checked(visit, "catalogue-apply")

    # Sent without a proposal: the error is said at the top and beside the field.
    visit.page.locator(".application-form button[type=submit]").click()
    visit.page.wait_for_selector(".form-summary")
    assert visit.page.title().startswith(_in(visit.language, gettext_lazy("Error:")))
    _checked(visit, "catalogue-apply-error")

    visit.page.fill("textarea[name=proposal]", "采用MEMS工艺与温度补偿算法，12个月完成样片。")
    visit.page.set_input_files("input[name=attachment]", str(proposal_pdf))
    visit.page.locator(".application-form button[type=submit]").click()
    visit.page.wait_for_selector(".timeline")

    application = NeedApplication.objects.get(need=published, applicant=solver)
    submitted = capfirst(_in(visit.language, NeedApplication.State.SUBMITTED.label))
    assert visit.page.inner_text("main .state") == submitted
    assert visit.page.locator("main a", has_text="技术方案.pdf").count() == 1
    _checked(visit, "catalogue-application")

    withdraw = capfirst(_in(visit.language, WITHDRAW.button_label))
    visit.page.locator("a.button", has_text=withdraw).click()
    visit.page.fill("textarea[name=comment]", "研发方向调整")
    visit.page.locator("main button[type=submit]", has_text=withdraw).click()
    withdrawn = capfirst(_in(visit.language, NeedApplication.State.WITHDRAWN.label))
    visit.page.wait_for_selector(f"main .state:has-text('{withdrawn}')")
    assert visit.page.locator(".timeline", has_text="研发方向调整").count() == 1
    _checked(visit, "catalogue-application-withdrawn")
    application.refresh_from_db()
    assert application.state == "withdrawn"

    visit.go("/catalogue/my-applications/")
    assert visit.page.locator("tbody tr").count() == 1
    _checked(visit, "catalogue-my-applications")
