from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import MembershipRequest
from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_sees_how_to_sign_up_and_the_catalogue(client) -> None:
    page = client.get(reverse("home")).content.decode()
    assert reverse("signup") in page
    assert reverse("login") in page
    assert "/catalogue/" in page


def test_enterprise_user_logs_in_and_sees_own_needs_only(client, enterprise_user, enterprise):
    mine = factories.TechnicalNeedFactory(proposer=enterprise, title="我方的需求")
    factories.TechnicalNeedFactory(title="别家的草稿需求")
    response = client.post(
        reverse("login"),
        {"username": "chen.enterprise", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert enterprise.name in page
    assert "我方的需求" in page
    assert reverse("need_detail", args=[mine.pk]) in page
    assert "别家的草稿需求" not in page


def test_wrong_password_is_refused_with_a_message(client, enterprise_user) -> None:
    response = client.post(reverse("login"), {"username": "chen.enterprise", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    page = response.content.decode()
    assert 'class="form-summary"' in page
    assert "_auth_user_id" not in client.session


def test_a_pending_organisation_is_told_it_waits_for_verification(client) -> None:
    organization = factories.OrganizationFactory(state="pending")
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organization=organization)
    client.force_login(user)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "The bureau verifies your organisation" in response.content.decode()


def test_a_request_waiting_behind_decided_ones_is_still_shown(client) -> None:
    user = factories.UserFactory()
    waiting = factories.OrganizationFactory(name="仍在等待的单位")
    MembershipRequest.objects.create(user=user, organization=waiting)
    for _ in range(5):
        MembershipRequest.objects.create(
            user=user, organization=factories.OrganizationFactory(), state="refused"
        )
    client.force_login(user)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting for approval" in page
    assert "仍在等待的单位" in page
