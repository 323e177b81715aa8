from __future__ import annotations

import pytest
from django.db.utils import ConnectionHandler

from projects import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_eager_broker(client, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


def test_healthz_names_an_unreachable_broker(client, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}


def test_healthz_names_an_unreachable_database(client, settings, monkeypatch) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    unreachable = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": "1",
                "NAME": "absent",
                "USER": "nobody",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    monkeypatch.setattr(health, "connection", unreachable["default"])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "eager"}


@pytest.mark.redis
def test_healthz_reaches_the_real_broker(client, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_healthz_refuses_writes(client) -> None:
    assert client.post("/healthz").status_code == 405
