"""The accessibility engine (axe-core) on the pages anyone reaches first."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_login_page_breaks_no_serious_accessibility_rule(visit):
    visit.go("/accounts/login/")
    assert visit.page.locator("#id_username").is_visible()
    assert visit.accessibility() == []
    visit.shot("login")
