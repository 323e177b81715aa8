"""The API tokens page (``/api/tokens/``): a signed-in user names a token, reads its key once,
and revokes it; nobody reaches another's tokens."""

from __future__ import annotations

import re

from django.test import Client

from projects.api.models import ApiToken, api_token_create, digest

PAGE = "/api/tokens/"


def _key(page: str) -> str:
    found = re.search(r'id="token-key"[^>]* value="([^"]+)"', page)
    assert found, "the page shows no key"
    return found.group(1)


def test_a_visitor_is_sent_to_log_in(db) -> None:
    answer = Client().get(PAGE)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/?next=/api/tokens/")


def test_a_token_created_on_the_page_opens_the_api_and_its_key_is_shown_once(
    member_a, client
) -> None:
    client.force_login(member_a)
    answer = client.post(PAGE, {"name": "ERP 同步"})
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    key = _key(answer.content.decode())
    token = ApiToken.objects.get(user=member_a)
    assert (token.name, token.key_digest, token.prefix) == ("ERP 同步", digest(key), key[:9])
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    again = client.get(PAGE).content.decode()
    assert key not in again
    assert "ERP 同步" in again and token.prefix in again


def test_a_token_without_a_name_is_refused_with_the_field_named(member_a, client) -> None:
    client.force_login(member_a)
    for name in ("", "   ", "x" * 81):
        answer = client.post(PAGE, {"name": name})
        assert answer.status_code == 200
        page = answer.content.decode()
        assert 'class="form-summary"' in page and 'href="#id_name"' in page
        assert 'id="token-key"' not in page
    assert not ApiToken.objects.exists()


def test_revoking_a_token_closes_the_api_to_its_key(member_a, client) -> None:
    token, key = api_token_create(user=member_a, name="ERP")
    client.force_login(member_a)
    answer = client.post(f"{PAGE}{token.pk}/revoke/", follow=True)
    assert answer.redirect_chain == [(PAGE, 302)]
    assert "ERP" in answer.content.decode() and 'class="success"' in answer.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert client.get(f"{PAGE}{token.pk}/revoke/").status_code == 405


def test_nobody_sees_or_revokes_anothers_token(member_a, member_b, client) -> None:
    token, key = api_token_create(user=member_a, name="甲方的接口")
    client.force_login(member_b)
    assert "甲方的接口" not in client.get(PAGE).content.decode()
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
