"""Personas of the portal: Chen acts for organisation A (its administrator), Li for
organisation B, Wang reviews for the bureau."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories


@pytest.fixture
def org_a(db) -> Any:
    return factories.OrganizationFactory(name="重庆芯感微电子有限公司")


@pytest.fixture
def org_b(db) -> Any:
    return factories.OrganizationFactory(name="重庆另一家科技有限公司")


@pytest.fixture
def chen(org_a) -> Any:
    user = factories.UserFactory(username="chen@xingan.cn", email="chen@xingan.cn")
    factories.MembershipFactory(user=user, organization=org_a, role="admin")
    return user


@pytest.fixture
def li(org_b) -> Any:
    user = factories.UserFactory(username="li@other.cn", email="li@other.cn")
    factories.MembershipFactory(user=user, organization=org_b)
    return user


@pytest.fixture
def as_chen(client, chen) -> Any:
    client.force_login(chen)
    return client


@pytest.fixture
def as_li(client, li) -> Any:
    client.force_login(li)
    return client


def complete_need(proposer: Any, **kwargs: Any) -> Any:
    """A draft with every part filled in and five indicators."""
    need = factories.TechnicalNeedFactory(proposer=proposer, **kwargs)
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    return need
