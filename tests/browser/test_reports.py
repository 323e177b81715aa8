"""The manager report in a real browser: read the 2024 contract volume, follow its drill-down,
recompute, publish, download the XLSX; other roles are refused.

The whole demo takes some 20 s to seed, and a browser test's database is emptied after each of
its four runs (two languages, two widths); so this seeds the smallest realistic set that gives
the demo's computed figure: registered contracts of real-looking Chongqing sellers adding up to
the demo's 2024 volume (97.424 bn yuan) and its 2020 volume (19.4848 bn yuan, so 5× 2020),
computed by a real run, as the demo's figures are.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from openpyxl import load_workbook

from projects.demo.figures import CONTRACT_VOLUME
from projects.indicators import runs
from projects.models import (
    District,
    IndicatorRun,
    Organization,
    Pole,
    PublishedFigure,
    TransferContract,
)
from tests import factories

from .conftest import PASSWORD, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURE = {"zh-hans": "974.24 亿元", "en": "97.42 billion yuan"}
SELLERS = (
    ("重庆大学", Organization.Kind.UNIVERSITY, District.SHAPINGBA, Pole.DIGITAL),
    ("重庆长安汽车股份有限公司", Organization.Kind.ENTERPRISE, District.JIANGBEI, Pole.DIGITAL),
    ("重庆医科大学", Organization.Kind.UNIVERSITY, District.YUZHONG, Pole.HEALTH),
    (
        "重庆材料研究院有限公司",
        Organization.Kind.RESEARCH_INSTITUTE,
        District.BEIBEI,
        Pole.MATERIALS,
    ),
)


def _contracts_adding_up_to(year: int, total: Decimal, sellers: list[Organization]) -> None:
    share = (total / len(sellers)).quantize(Decimal(1))
    amounts = [share] * (len(sellers) - 1) + [total - share * (len(sellers) - 1)]
    buyer = factories.OrganizationFactory(name="重庆两江智行汽车电子有限公司")
    for number, (seller, amount) in enumerate(zip(sellers, amounts, strict=True)):
        registered = datetime.date(year, 3 + 2 * number, 15)
        factories.TransferContractFactory(
            seller=seller,
            buyer=buyer,
            state=TransferContract.State.REGISTERED,
            registration_number=f"{year}{seller.district}{number:08d}",
            title=f"智能网联新能源汽车关键技术开发合同（{year}-{number + 1}）",
            signed_on=registered - datetime.timedelta(days=30),
            submitted_on=registered - datetime.timedelta(days=14),
            registered_on=registered,
            contract_amount=amount,
            technology_transaction_amount=(amount * Decimal("0.9")).quantize(Decimal(1)),
        )


@pytest.fixture
def report_data() -> IndicatorRun:
    sellers = [
        factories.OrganizationFactory(name=name, kind=kind, district=district, pole=pole)
        for name, kind, district, pole in SELLERS
    ]
    _contracts_adding_up_to(2024, CONTRACT_VOLUME[2024], sellers)
    _contracts_adding_up_to(2020, CONTRACT_VOLUME[2020], sellers)
    return runs.indicator_run_execute(run_id=factories.IndicatorRunFactory().pk)


@pytest.fixture
def recompute_worker(request: pytest.FixtureRequest) -> Any:
    """A real Celery worker when a broker is configured; eager tasks otherwise."""
    if settings.REDIS_URL:
        return request.getfixturevalue("worker")
    return request.getfixturevalue("celery_eager")


def _untranslated(visit: Visit) -> list[str]:
    """In Chinese, the report's headings, labels, buttons and links that read in English."""
    if visit.language != "zh-hans":
        return []
    texts = visit.page.locator(
        "main :is(h1, h2, h3, label, button, summary, caption, th, .report-nav a, "
        ".card-links a, .mark)"
    ).all_text_contents()
    return [t for t in texts if re.search("[A-Za-z]{3}", t.replace("CSV", "").replace("XLSX", ""))]


def _card(visit: Visit, code: str) -> Any:
    return visit.page.locator(f"article[aria-labelledby='card-{code}']")


def test_a_manager_reads_follows_recomputes_publishes_and_downloads(
    visit: Visit, report_data: IndicatorRun, recompute_worker: Any
) -> None:
    factories.manager_user(username="zhao.manager")
    visit.log_in("zhao.manager")
    visit.go("/reports/?year=2024")
    card = _card(visit, "contract_volume")
    value = card.locator(".card-value").inner_text().strip()
    assert value == FIGURE[visit.language]
    assert "5.00×" in card.inner_text()
    visit.shot("report-2024")
    assert _untranslated(visit) == []
    assert visit.accessibility() == []
    assert visit.overflow() == 0

    # The figure links to the records behind it; their printed sum is the figure.
    card.locator(".card-value a").click()
    visit.page.wait_for_selector(".records-total")
    total = visit.page.locator("[data-total]")
    assert Decimal(total.get_attribute("data-total")) == CONTRACT_VOLUME[2024]
    assert total.inner_text().strip() == FIGURE[visit.language]
    assert visit.page.locator("table.records tbody tr").count() == len(SELLERS)
    visit.shot("report-records")
    assert _untranslated(visit) == []
    assert visit.accessibility() == []

    # Recompute: the progress bar reaches the end without a reload.
    visit.go("/reports/?year=2024")
    visit.page.click("form[data-recompute] button")
    visit.page.wait_for_selector("[data-run-progress][data-finished]", timeout=60_000)
    assert visit.page.locator("[data-run-progress]").get_attribute("data-finished") == "succeeded"
    assert visit.page.locator("#run-bar").get_attribute("value") == "100"
    visit.shot("report-recomputed")
    latest = IndicatorRun.objects.order_by("-id").first()
    assert latest is not None and latest.status == IndicatorRun.Status.SUCCEEDED
    assert latest.pk != report_data.pk

    # Publish 2024 after reading what will be frozen.
    visit.page.click("a[href^='/reports/publish/']")
    visit.page.wait_for_selector("table.publish-list")
    visit.shot("report-publish")
    assert _untranslated(visit) == []
    assert visit.accessibility() == []
    visit.page.click("main form button[type=submit]")
    visit.page.wait_for_selector(".mark-published")
    assert PublishedFigure.objects.filter(year=2024, run=latest).exists()
    assert "mark-published" in (card.locator(".mark").first.get_attribute("class") or "")
    visit.shot("report-published")

    # The XLSX holds the figures.
    with visit.page.expect_download() as download:
        visit.page.click("a[href^='/reports/export.xlsx']")
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    header = [cell.value for cell in sheet[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    volume = rows["contract_volume"]
    assert Decimal(str(volume[header[4]])) == CONTRACT_VOLUME[2024]
    assert volume[header[6]] == FIGURE[visit.language]
    assert volume[header[17]] == latest.pk


def test_the_trend_and_breakdown_charts_have_their_tables(
    visit: Visit, report_data: IndicatorRun
) -> None:
    factories.manager_user(username="zhao.manager")
    visit.log_in("zhao.manager")
    visit.go("/reports/figures/contract_volume/?year=2024")
    visit.page.wait_for_function(
        "() => window.Chart && Chart.instances && Object.keys(Chart.instances).length === 3"
    )
    rows = visit.page.locator("table.chart-table").first.locator("tbody tr")
    assert rows.filter(has_text="2024").first.inner_text().count(FIGURE[visit.language]) == 1
    visit.shot("report-trend")
    assert _untranslated(visit) == []
    assert visit.accessibility() == []
    assert visit.overflow() == 0


def _portal_log_in(visit: Visit, username: str) -> None:
    visit.go("/accounts/login/")
    visit.page.fill("#id_username", username)
    visit.page.fill("#id_password", PASSWORD)
    visit.page.click("main button[type=submit]")
    visit.page.wait_for_load_state()


@pytest.mark.parametrize("persona", ["enterprise", "reviewer"])
def test_enterprise_users_and_reviewers_are_refused(visit: Visit, persona: str) -> None:
    if persona == "enterprise":
        user = factories.UserFactory(username="chen.enterprise")
        factories.MembershipFactory(user=user, organization=factories.OrganizationFactory())
    else:
        factories.reviewer_user(username="wang.reviewer")
    _portal_log_in(visit, "chen.enterprise" if persona == "enterprise" else "wang.reviewer")
    response = visit.page.goto(visit.base_url + "/reports/?year=2024")
    assert response is not None and response.status == 403
