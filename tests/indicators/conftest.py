"""Fixtures of the indicator tests: the crafted data set and a manager allowed to publish."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission

from innovation.celery import app as celery_app
from projects.roles import MANAGERS
from tests import factories
from tests.indicators import dataset


@pytest.fixture
def crafted(db) -> dict[str, Any]:
    return dataset.build()


@pytest.fixture
def publishing_manager(db) -> Any:
    """A manager whose group holds the publish and start permissions.

    Granted here because projects/roles.py does not list them yet (see the report); once it
    does, this only repeats what ``migrate`` set up.
    """
    group = Group.objects.get(name=MANAGERS)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="projects",
            codename__in=["publish_indicators", "add_indicatorrun", "view_indicatorrun"],
        )
    )
    return factories.manager_user(username="qian.manager")


@pytest.fixture
def eager_celery(settings) -> Iterator[None]:
    """Tasks run in-process even when REDIS_URL points at a broker (the PostgreSQL+Redis run)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.task_always_eager = previous
