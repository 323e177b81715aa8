from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_enterprise_user_logs_in_and_sees_own_needs_only(client, enterprise_user, enterprise):
    factories.TechnicalNeedFactory(proposer=enterprise, title="我方的需求")
    factories.TechnicalNeedFactory(title="别家的草稿需求")
    response = client.post(
        reverse("login"),
        {"username": "chen.enterprise", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert enterprise.name in page
    assert "我方的需求" in page
    assert "别家的草稿需求" not in page


def test_wrong_password_is_refused_with_a_message(client, enterprise_user) -> None:
    response = client.post(reverse("login"), {"username": "chen.enterprise", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session
