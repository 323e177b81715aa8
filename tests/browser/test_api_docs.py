"""The API's documentation (Swagger UI) in a real browser: served from the product's own
static files, with the schema of the same server; no request leaves 127.0.0.1 (``visit``
fails the test on any)."""

import pytest

from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_load_from_local_files_and_list_every_endpoint(visit):
    visit.go("/api/docs/")
    operations = visit.page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() > 80
    assert (
        visit.page.locator(".info .title")
        .inner_text()
        .startswith("Chongqing technology transfer API")
    )
    assert (
        visit.page.locator(".opblock-summary-path", has_text="/api/v1/needs/{id}/publish/").count()
        == 1
    )
    visit.page.locator(".opblock-summary-path", has_text="/api/v1/needs/{id}/reject/").first.click()
    visit.page.locator(".opblock-body").first.wait_for()
    assert "reason" in visit.page.locator(".opblock-body").first.inner_text()
    assert visit.overflow() == 0
    visit.shot("api-docs")
    # The top of the page as a reader first sees it, and the transition opened above.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(
        path=str(SCREENSHOTS / f"api-docs-reject-{visit.language}-{visit.width}.png")
    )
