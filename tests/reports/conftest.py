"""Fixtures of the report page tests: the crafted indicator data set, computed once per test."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from projects.indicators import runs
from projects.models import IndicatorRun
from tests import factories
from tests.indicators import dataset


@pytest.fixture
def crafted(db) -> dict[str, Any]:
    return dataset.build()


@pytest.fixture
def computed(crafted) -> IndicatorRun:
    return runs.indicator_run_execute(run_id=factories.IndicatorRunFactory().pk)


@pytest.fixture
def manager_client(manager) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(manager)
    return client
