"""Personas of the API tests, each with a client of their own.

- ``anonymous``: no credentials;
- ``member_a`` (Chen) acts for organisation A (``enterprise``), which owns the records;
- ``member_b`` (Li) acts for organisation B, who must see and do nothing on A's records;
- ``reviewer`` (Wang): the back office's reviewers;
- ``registrar`` (Qian): the Registrar role (``projects.roles``): registers technology contracts
  and reads the organisations, needs and projects they name;
- ``manager`` (Zhao): reads everything, runs and publishes the indicators.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from projects.api.models import api_token_create
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """Each test starts with no request counted against the throttles."""
    caches["throttle"].clear()


@pytest.fixture
def org_a(db, enterprise) -> object:
    return enterprise


@pytest.fixture
def member_a(db, enterprise_user) -> object:
    return enterprise_user


@pytest.fixture
def member_b(db, outsider_user) -> object:
    return outsider_user


@pytest.fixture
def org_b(member_b) -> object:
    return member_b.memberships.get().organization


@pytest.fixture
def registrar(db) -> object:
    return factories.registrar_user(username="qian.registrar")


@pytest.fixture
def client_for() -> Callable[[object | None], APIClient]:
    """A client that sends ``user``'s API token (none for ``None``: anonymous)."""

    def make(user: object | None) -> APIClient:
        client = APIClient()
        if user is not None:
            _token, key = api_token_create(user=user, name="tests")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


@pytest.fixture
def personas(db, member_a, member_b, reviewer, registrar, manager) -> dict[str, object | None]:
    return {
        "anonymous": None,
        "member_a": member_a,
        "member_b": member_b,
        "reviewer": reviewer,
        "registrar": registrar,
        "manager": manager,
    }
