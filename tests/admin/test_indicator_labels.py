"""Indicator figures in the back office read as their labels, not their stored codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from projects.models import IndicatorValue
from tests import factories

pytestmark = pytest.mark.django_db


def test_indicator_values_show_the_indicator_and_scope_labels(client: Any) -> None:
    run = factories.IndicatorRunFactory()
    for scope in ("district:500109", "pole:digital", "city"):
        IndicatorValue.objects.create(
            run=run, code="contract_volume", year=2024, scope=scope, value=Decimal("1")
        )
    client.force_login(factories.manager_user())
    url = reverse("admin:projects_indicatorvalue_changelist")

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "北碚区" in page and "数智科技" in page and "技术合同成交额" in page
    assert "district:500109" not in page.replace('value="district:500109"', "").replace(
        "scope=district%3A500109", ""
    )

    english = client.get(url, {"scope": "district:500109"}, HTTP_ACCEPT_LANGUAGE="en")
    assert [v.scope for v in english.context["cl"].result_list] == ["district:500109"]
    assert "Beibei" in english.content.decode()
