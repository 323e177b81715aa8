"""Personas for the visibility rules, beside those of ``tests/conftest.py``.

- ``enterprise_user`` (Chen) acts for ``enterprise``, the organisation that owns the records;
- ``outsider_user`` (Li) acts for another organisation;
- ``anonymous`` is a visitor who has not logged in;
- ``reviewer`` (Wang) is staff with every view permission of the back office;
- ``staff_without_permission`` (Sun) is staff with no permission at all.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests import factories


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def staff_without_permission(db) -> object:
    return factories.UserFactory(username="sun.staff", is_staff=True)


@pytest.fixture
def inactive_member(enterprise) -> object:
    """Chen's former colleague Zhou, whose account was deactivated when Zhou left."""
    user = factories.UserFactory(username="zhou.former", is_active=False)
    factories.MembershipFactory(user=user, organization=enterprise)
    return user
