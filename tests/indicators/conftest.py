"""Fixtures of the indicator tests (the crafted data set is shared, in ``tests/conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from innovation.celery import app as celery_app
from tests import factories


@pytest.fixture
def publishing_manager(db) -> Any:
    """A manager: the managers group holds the publish and start permissions (projects.roles)."""
    return factories.manager_user(username="qian.manager")


@pytest.fixture
def eager_celery(settings) -> Iterator[None]:
    """Tasks run in-process even when REDIS_URL points at a broker (the PostgreSQL+Redis run)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.task_always_eager = previous
