"""Accounts of the portal: a person signs up with an e-mail address, a password and their
organisation's unified social credit code.

A code nobody registered yet registers the organisation (``pending`` until a reviewer
verifies it) with the person as its first administrator; a code already registered asks its
administrators (or a reviewer) to let the person in. Either way the account is created in
the same transaction, so a refusal leaves no account behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import Membership, MembershipRequest, Organization

from .errors import RuleViolation
from .organizations import membership_request, organization_sign_up


@dataclass(frozen=True)
class SignUp:
    user: AbstractBaseUser
    organization: Organization | None  # registered by this sign-up
    request: MembershipRequest | None  # or asked to join


def email_taken(email: str) -> bool:
    return get_user_model()._default_manager.filter(email__iexact=email.strip()).exists()


@transaction.atomic
def account_sign_up(
    *,
    email: str,
    password: str,
    credit_code: str,
    language: str = Membership.Language.ZH_HANS,
    organization: dict[str, Any] | None = None,
) -> SignUp:
    """Create the account (its user name is the e-mail address) and register or join the
    organisation of ``credit_code``; ``organization`` holds the name, kind, district, pole and
    industry of an organisation not registered yet."""
    email = email.strip()
    if email_taken(email):
        raise RuleViolation(
            _("An account with this e-mail address exists already: log in, or reset its password.")
        )
    users = get_user_model()._default_manager
    user = users.create_user(username=email.lower(), email=email, password=password)
    code = credit_code.strip().upper()
    if Organization.objects.filter(credit_code=code).exists():
        request = membership_request(user=user, credit_code=code, language=language)
        return SignUp(user=user, organization=None, request=request)
    if not organization:
        raise RuleViolation(
            _(
                "No organisation is registered under the credit code %(code)s yet: give its name,"
                " kind and district to register it."
            )
            % {"code": code}
        )
    registered = organization_sign_up(
        user=user, credit_code=code, language=language, **organization
    )
    return SignUp(user=user, organization=registered, request=None)
