"""Only holders of the indicator permissions use the report pages; others get 403, anonymous
visitors the login page. Permissions decide, never group names."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests import factories

PAGES = [
    "/reports/",
    "/reports/figures/contract_volume/",
    "/reports/figures/contract_volume/records/",
    "/reports/revisions/",
    "/reports/compare/",
    "/reports/export.csv",
    "/reports/export.xlsx",
]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("persona", ["enterprise_user", "reviewer"])
def test_enterprise_users_and_reviewers_get_403(db, request, persona: str, path: str) -> None:
    user = request.getfixturevalue(persona)
    assert _client(user).get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES + ["/reports/publish/"])
def test_anonymous_visitors_are_sent_to_log_in(db, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/reports/")


@pytest.mark.parametrize("path", PAGES)
def test_the_view_permission_alone_opens_the_report(db, path: str) -> None:
    user = factories.UserFactory(username="reader")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="projects", codename="view_indicatorvalue")
    )
    assert _client(user).get(path).status_code == 200


def test_reading_without_the_start_permission_offers_no_recompute_and_refuses_it(db) -> None:
    user = factories.UserFactory(username="reader")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="projects", codename="view_indicatorvalue")
    )
    client = _client(user)
    assert b"data-recompute" not in client.get("/reports/").content
    assert client.post("/reports/recompute/").status_code == 403
    assert client.get("/reports/publish/").status_code == 403


def test_a_superuser_uses_every_page(db) -> None:
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client = _client(admin)
    for path in PAGES + ["/reports/publish/"]:
        assert client.get(path).status_code == 200, path


def test_a_manager_uses_every_page(manager) -> None:
    client = _client(manager)
    for path in PAGES + ["/reports/publish/"]:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("persona", "linked"), [("manager", True), ("reviewer", False), ("enterprise_user", False)]
)
def test_the_header_links_the_report_for_those_who_may_read_it(
    db, request, persona: str, linked: bool
) -> None:
    page = _client(request.getfixturevalue(persona)).get("/catalogue/").content.decode()
    assert ('href="/reports/"' in page) is linked
