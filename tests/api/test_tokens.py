"""A user's API tokens: several, named, shown once, stored hashed, revocable by the user and
by staff in the admin."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient

from projects.api.models import ApiToken, digest
from tests import factories


def _logged_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_a_user_creates_named_tokens_whose_key_is_shown_once(member_a) -> None:
    client = _logged_in(member_a)
    created = client.post("/api/v1/tokens/", {"name": "ERP 同步"})
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("tt_")
    client.post("/api/v1/tokens/", {"name": "报表导出"})
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["报表导出", "ERP 同步"]
    assert all("key" not in t for t in listed)
    assert key.startswith(listed[1]["prefix"])
    # Only the digest is kept.
    token = ApiToken.objects.get(name="ERP 同步")
    assert token.key_digest == digest(key)
    assert not ApiToken.objects.filter(key_digest=key).exists()
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    me = bearer.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "chen.enterprise"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_stops_working_at_once(member_a) -> None:
    client = _logged_in(member_a)
    created = client.post("/api/v1/tokens/", {"name": "临时"}).json()
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Token {created['key']}")
    assert bearer.get("/api/v1/needs/").status_code == 200
    assert bearer.delete(f"/api/v1/tokens/{created['id']}/").status_code == 204
    refused = bearer.get("/api/v1/needs/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 401
    assert refused.json()["message"] == "This token is not valid or was revoked."
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert listed[0]["revoked_at"] is not None


def test_nobody_sees_or_revokes_anothers_tokens(member_a, member_b) -> None:
    created = _logged_in(member_a).post("/api/v1/tokens/", {"name": "陈的"}).json()
    li = _logged_in(member_b)
    assert li.get("/api/v1/tokens/").json()["results"] == []
    assert li.delete(f"/api/v1/tokens/{created['id']}/").status_code == 404
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is None


def test_a_made_up_key_or_a_deactivated_users_key_is_refused(member_a, client_for) -> None:
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION="Bearer tt_made-up")
    assert bearer.get("/api/v1/me/").status_code == 401
    client = client_for(member_a)
    member_a.is_active = False
    member_a.save()
    assert client.get("/api/v1/me/").status_code == 401


def test_staff_revoke_any_token_in_the_admin(member_a) -> None:
    created = _logged_in(member_a).post("/api/v1/tokens/", {"name": "泄露的"}).json()
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)
    page = browser.get("/admin/projects_api/apitoken/")
    assert page.status_code == 200
    assert "泄露的" in page.content.decode()
    assert created["key"] not in page.content.decode()
    done = browser.post(
        "/admin/projects_api/apitoken/",
        {"action": "revoke", "index": 0, "_selected_action": [created["id"]]},
    )
    assert done.status_code == 302
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is not None


def test_session_clients_send_the_csrf_token_for_writes(member_a) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member_a)
    refused = client.post("/api/v1/tokens/", {"name": "无CSRF"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
