"""Accounts: sign-up under a credit code (a new organisation waits for verification; a known
one is asked to let the person in), login throttling, password reset, Argon2, and the
language remembered per user."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from projects.models import (
    Membership,
    MembershipRequest,
    Notification,
    Organization,
    TransitionLog,
)
from projects.workflows.organizations import membership_request, membership_request_approve
from tests import factories

pytestmark = pytest.mark.django_db

NEW_CODE = factories.make_credit_code("500112", 777)


def _sign_up(client: Any, **overrides: str) -> Any:
    data = {
        "email": "zhou@xinchuang.cn",
        "password1": "Chongqing-2026-needs",
        "password2": "Chongqing-2026-needs",
        "credit_code": NEW_CODE,
        "name": "重庆芯创传感科技有限公司",
        "kind": "enterprise",
        "district": "500112",
        "pole": "digital",
        **overrides,
    }
    return client.post(reverse("signup"), data, HTTP_ACCEPT_LANGUAGE="en")


def test_signing_up_with_a_new_code_registers_a_pending_organisation_it_administers(
    client,
) -> None:
    response = _sign_up(client)

    assert response.status_code == 302
    organization = Organization.objects.get(credit_code=NEW_CODE)
    assert organization.state == "pending"
    user = get_user_model().objects.get(email="zhou@xinchuang.cn")
    membership = Membership.objects.get(user=user, organization=organization)
    assert membership.role == "admin"
    assert membership.language == "en"  # the language the person signed up in
    logs = TransitionLog.objects.filter(object_id=organization.pk).order_by("pk")
    assert [(log.transition, log.actor) for log in logs] == [
        ("register", user),
        ("add_member", user),
    ]
    assert int(client.session["_auth_user_id"]) == user.pk
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The bureau verifies your organisation" in page


def test_signing_up_with_a_known_code_asks_its_administrator(client, org_a, chen) -> None:
    response = _sign_up(client, credit_code=org_a.credit_code, name="", kind="", district="")

    assert response.status_code == 302
    user = get_user_model().objects.get(email="zhou@xinchuang.cn")
    asked = MembershipRequest.objects.get(user=user)
    assert (asked.organization, asked.state) == (org_a, "pending")
    assert not Membership.objects.filter(user=user).exists()
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting for approval" in home

    client.force_login(chen)
    overview = client.get(reverse("organisation")).content.decode()
    assert "zhou@xinchuang.cn" in overview
    url = reverse(
        "transition", kwargs={"kind": "organisations", "pk": org_a.pk, "name": "approve_membership"}
    )
    page = client.get(url, {"membership_request": asked.pk})
    assert page.status_code == 200
    client.post(url, {"membership_request": asked.pk, "comment": "欢迎"})

    assert Membership.objects.filter(user=user, organization=org_a, role="member").exists()
    asked.refresh_from_db()
    assert (asked.state, asked.decided_by) == ("approved", chen)
    log = TransitionLog.objects.filter(object_id=org_a.pk, transition="approve_membership").get()
    assert (log.actor, log.comment) == (chen, "欢迎")


def test_a_plain_member_cannot_approve_a_request(client, org_a, chen) -> None:
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, organization=org_a, role="member")
    asked = MembershipRequest.objects.create(user=factories.UserFactory(), organization=org_a)
    client.force_login(member)
    url = reverse(
        "transition", kwargs={"kind": "organisations", "pk": org_a.pk, "name": "approve_membership"}
    )
    client.post(url, {"membership_request": asked.pk})
    asked.refresh_from_db()
    assert asked.state == "pending"
    assert "zhou" not in client.get(reverse("organisation")).content.decode()


def test_a_reviewer_refuses_a_request_through_the_workflow(org_a, reviewer) -> None:
    user = factories.UserFactory()
    asked = MembershipRequest.objects.create(user=user, organization=org_a)
    membership_request_approve(organization=org_a, actor=reviewer, membership_request=asked)
    assert Membership.objects.filter(user=user, organization=org_a).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"credit_code": NEW_CODE[:-1] + ("0" if NEW_CODE[-1] != "0" else "1")},
            "credit_code",
            "check character",
        ),
        ({"password2": "something-else-2026"}, "password2", "The two passwords differ"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "too common"),
        ({"name": ""}, "name", "Give your organisation's name"),
        ({"district": ""}, "district", "Choose the district"),
    ],
)
def test_a_sign_up_error_is_shown_at_its_field_and_keeps_what_was_typed(
    client, overrides: dict[str, str], field: str, message: str
) -> None:
    response = _sign_up(client, **overrides)

    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    page = response.content.decode()
    assert 'class="form-summary"' in page
    assert f'href="#id_{field}"' in page
    assert "<title>Error:" in page
    assert 'value="zhou@xinchuang.cn"' in page
    if field != "name":
        assert "重庆芯创传感科技有限公司" in page
    assert not get_user_model().objects.filter(email="zhou@xinchuang.cn").exists()


def test_an_e_mail_address_signs_up_once(client) -> None:
    factories.UserFactory(username="zhou", email="Zhou@Xinchuang.cn")
    response = _sign_up(client)
    assert "exists already" in " ".join(response.context["form"].errors["email"])


def test_passwords_are_hashed_with_argon2_first() -> None:
    # The settings module itself: the tests swap in a fast hasher for speed.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from innovation import settings as configured

    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert Argon2PasswordHasher().encode("secret", "saltsaltsalt").startswith("argon2$")


def test_repeated_wrong_passwords_lock_the_account_out_from_that_address(
    client, chen, axes_on, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        client.post(reverse("login"), {"username": chen.username, "password": "wrong"})

    response = client.post(
        reverse("login"), {"username": chen.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert (
        "Too many failed logins"
        in client.post(
            reverse("login"),
            {"username": chen.username, "password": "correct-horse-battery"},
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()
    )


def test_a_right_password_before_the_limit_logs_in(client, chen, axes_on) -> None:
    client.post(reverse("login"), {"username": chen.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": chen.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == chen.pk


def test_a_password_is_reset_through_the_link_e_mailed(client, chen) -> None:
    client.post(reverse("password_reset"), {"email": chen.email})
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Nouveau-mot-2026", "new_password2": "Nouveau-mot-2026"},
    )
    chen.refresh_from_db()
    assert chen.check_password("Nouveau-mot-2026")


def test_a_password_is_changed_by_its_owner(as_chen, chen) -> None:
    as_chen.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "Autre-mot-2026x",
            "new_password2": "Autre-mot-2026x",
        },
    )
    chen.refresh_from_db()
    assert chen.check_password("Autre-mot-2026x")


def test_the_language_chosen_is_remembered_and_applied_at_the_next_login(
    client, chen, org_a
) -> None:
    client.force_login(chen)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert Membership.objects.get(user=chen).language == "fr"

    client.logout()
    client.cookies.clear()
    response = client.post(
        reverse("login"), {"username": chen.username, "password": "correct-horse-battery"}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    home = client.get(reverse("home"))
    assert '<html lang="fr">' in home.content.decode()


@pytest.mark.usefixtures("celery_eager")
def test_a_request_to_join_is_mailed_to_the_organisations_administrators(
    client, org_a, chen, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SITE_URL = "https://kjj.example.cn"
    english_admin = factories.UserFactory(email="anna@xingan.cn")
    factories.MembershipFactory(user=english_admin, organization=org_a, role="admin", language="en")
    plain = factories.UserFactory(email="wu@xingan.cn")
    factories.MembershipFactory(user=plain, organization=org_a, role="member")

    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, credit_code=org_a.credit_code, name="", kind="", district="")

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"chen@xingan.cn", "anna@xingan.cn"}  # administrators only
    chinese, english = by_recipient["chen@xingan.cn"], by_recipient["anna@xingan.cn"]
    assert english.subject == f"zhou@xinchuang.cn asks to act for “{org_a.name}”"
    assert chinese.subject == f"zhou@xinchuang.cn 申请加入“{org_a.name}”"
    assert "https://kjj.example.cn/organisation/" in english.body
    assert "“Waiting to join”" in english.body and "“申请加入”" in chinese.body


def test_a_request_to_join_names_a_chinese_person_family_name_first(org_a, chen) -> None:
    asking = factories.UserFactory(
        username="xiaowen@xinchuang.cn",
        email="xiaowen@xinchuang.cn",
        first_name="晓雯",
        last_name="陈",
    )

    asked = membership_request(user=asking, credit_code=org_a.credit_code)

    [notification] = Notification.objects.filter(
        template="membership_requested", object_id=asked.pk
    )
    assert notification.context["person"] == "陈晓雯 (xiaowen@xinchuang.cn)"
