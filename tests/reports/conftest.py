"""Fixtures of the report page tests: a run computed over the crafted data set, a client."""

from __future__ import annotations

import pytest
from django.test import Client

from projects.indicators import runs
from projects.models import IndicatorRun
from tests import factories


@pytest.fixture
def computed(crafted) -> IndicatorRun:
    return runs.indicator_run_execute(run_id=factories.IndicatorRunFactory().pk)


@pytest.fixture
def manager_client(manager) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(manager)
    return client
