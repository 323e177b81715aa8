"""What every portal page shares: the stylesheet, the language switcher, the skip link; the
error pages in the product's style."""

from __future__ import annotations

import pytest
from django.template.loader import get_template
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "signed_in"),
    [
        ("home", False),
        ("login", False),
        ("signup", False),
        ("password_reset", False),
        ("home", True),
        ("need_new", True),
        ("organisation", True),
        ("password_change", True),
    ],
)
def test_every_page_has_the_stylesheet_the_switcher_and_the_skip_link(
    client, chen, name, signed_in
) -> None:
    if signed_in:
        client.force_login(chen)
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert "portal/portal.css" in page
    assert "<style" not in page  # one stylesheet, no inline CSS
    assert f'action="{reverse("set_language")}"' in page
    for code in ("zh-hans", "en", "fr"):
        assert f'value="{code}"' in page
    assert 'href="#content"' in page and 'id="content"' in page


def test_the_switcher_changes_the_language_of_the_next_page(client) -> None:
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"}, follow=True)
    assert '<html lang="fr">' in response.content.decode()
    assert "Portail du transfert de technologie" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_missing_page_is_a_404_in_the_products_style(client) -> None:
    response = client.get("/needs/123456/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "portal/portal.css" in page


def test_the_500_page_renders_without_a_request() -> None:
    # Django renders it with an empty context: no user, no request, no database.
    page = get_template("500.html").render({})
    assert "portal/portal.css" in page
    assert "set_language" not in page


def test_a_403_page_is_in_the_products_style() -> None:
    page = get_template("403.html").render({})
    assert "portal/portal.css" in page


def test_amounts_and_dates_follow_the_language(as_chen, org_a) -> None:
    from tests import factories

    need = factories.TechnicalNeedFactory(proposer=org_a, budget=3_000_000)
    url = reverse("need_detail", args=[need.pk])
    assert "300 万元" in as_chen.get(url).content.decode()
    assert "3,000,000 yuan" in as_chen.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "3\u202f000\u202f000 yuans" in as_chen.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )
