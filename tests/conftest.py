"""Shared fixtures: personas, service checks and the count of service tests run.

Tests marked ``postgres``, ``redis`` or ``worker`` need real services. Without them they are
skipped on a laptop; with ``REQUIRE_SERVICES=1`` (CI) a missing service fails the session
instead, so a green CI always means those tests ran.

No test may depend on the real date. ``TEST_TRAVEL_TO=2027-07-15`` (an ISO date, or a
timestamp with its offset) runs the whole session with the clock moved there, ticking from
10:00 Beijing time, to find tests that would break on that day:

    TEST_TRAVEL_TO=2031-03-01 env -u DATABASE_URL -u REDIS_URL make test

A test about a given day freezes the clock itself (``time_machine.travel``); the others derive
their dates from ``projects.clock.today()``.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from tests import factories, services
from tests.indicators import dataset

SERVICE_MARKERS = ("postgres", "redis", "worker", "browser")
# Debian's Chromium; Playwright drives it and never downloads a browser of its own.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
_service_outcomes: dict[str, int] = {"passed": 0, "failed": 0, "skipped": 0}


def _postgres_available() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True


def _browser_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    available = {
        "postgres": _postgres_available(),
        "redis": _redis_available(),
        "browser": _browser_available(),
    }
    available["worker"] = available["redis"]
    missing = sorted(name for name, ok in available.items() if not ok)
    needs = {m for item in items for m in SERVICE_MARKERS if item.get_closest_marker(m)}
    if settings.REQUIRE_SERVICES and needs & set(missing):
        raise pytest.UsageError(
            "REQUIRE_SERVICES=1 but these services are not available: "
            + ", ".join(sorted(needs & set(missing)))
            + ". Set DATABASE_URL=postgres://... and REDIS_URL=redis://... and start them;"
            + " install Debian's chromium for the browser tests."
        )
    for item in items:
        for marker in SERVICE_MARKERS:
            if item.get_closest_marker(marker) and not available[marker]:
                item.add_marker(pytest.mark.skip(reason=f"needs {marker} (not configured)"))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not any(m in report.keywords for m in SERVICE_MARKERS):
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _service_outcomes[report.outcome] += 1


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    terminalreporter.write_line(
        "service tests (postgres/redis/worker/browser): "
        f"{_service_outcomes['passed']} passed, {_service_outcomes['failed']} failed, "
        f"{_service_outcomes['skipped']} skipped"
    )
    if settings.REQUIRE_SERVICES and _service_outcomes["skipped"]:
        terminalreporter.write_line("REQUIRE_SERVICES=1 and service tests were skipped: failing.")
        terminalreporter._session.exitstatus = 1  # noqa: SLF001


def _travel_destination() -> datetime.datetime | None:
    value = os.environ.get("TEST_TRAVEL_TO", "").strip()
    if not value:
        return None
    if len(value) == len("2027-07-15"):
        value += "T10:00:00+08:00"
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise pytest.UsageError("TEST_TRAVEL_TO needs a date or a timestamp with its offset")
    return moment


@pytest.fixture(scope="session", autouse=True)
def _travelled_clock() -> Iterator[None]:
    """The whole session on the day TEST_TRAVEL_TO names (see the module docstring)."""
    destination = _travel_destination()
    if destination is None:
        yield
        return
    with time_machine.travel(destination, tick=True):
        yield


@pytest.fixture(autouse=True)
def _plain_static_storage(settings) -> None:
    """Tests do not run collectstatic, so the hashed-name manifest does not exist."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Every test starts in the site's language: a request's ``Accept-Language`` activates
    its language in the thread, and would otherwise leak into the next test."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_login_throttling(settings) -> None:
    """Login throttling (django-axes) is off unless a test turns it on (``axes_on``): a
    test that types a wrong password on purpose must not lock the next one out, and
    ``Client.login`` passes no request for axes to count by."""
    settings.AXES_ENABLED = False


@pytest.fixture
def axes_on(settings) -> None:
    settings.AXES_ENABLED = True


@pytest.fixture
def enterprise() -> object:
    return factories.OrganizationFactory(name="重庆长安智能科技有限公司")


@pytest.fixture
def enterprise_user(enterprise) -> object:
    user = factories.UserFactory(username="chen.enterprise")
    factories.MembershipFactory(user=user, organization=enterprise)
    return user


@pytest.fixture
def outsider_user() -> object:
    """A member of another organisation, who must see and do nothing on others' records."""
    other = factories.OrganizationFactory(name="重庆另一家科技有限公司")
    user = factories.UserFactory(username="li.outsider")
    factories.MembershipFactory(user=user, organization=other)
    return user


@pytest.fixture
def reviewer(db) -> object:
    return factories.reviewer_user(username="wang.reviewer")


@pytest.fixture
def manager(db) -> object:
    return factories.manager_user(username="zhao.manager")


@pytest.fixture
def crafted(db) -> dict[str, Any]:
    """The crafted indicator data set (``tests.indicators.dataset``), built for the test."""
    return dataset.build()


@pytest.fixture
def celery_eager() -> object:
    """Run Celery tasks in-process even when REDIS_URL points at a broker, so tests that
    follow a task's effects (mail.outbox) behave the same on both CI passes."""
    from innovation.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def indicator_refreshes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the indicator refreshes the workflows request after commit, instead of asking
    the indicator engine (whose own tests cover what a request does)."""
    from projects.workflows import _effects

    calls: list[str] = []
    monkeypatch.setattr(_effects, "request_indicator_refresh", lambda: calls.append("refresh"))
    return calls


@pytest.fixture
def worker() -> Iterator[object]:
    """A real Celery worker thread on the Redis of ``REDIS_URL``, with eager mode off; the
    Celery app is yielded. Tests using it are marked ``redis`` and ``worker``."""
    with services.celery_on_broker(settings.REDIS_URL) as app, services.celery_worker(app):
        yield app


@pytest.fixture
def private_redis() -> Iterator[services.RedisServer]:
    """A Redis of the test's own, started; the test may stop it (the shared one it may not)."""
    server = services.RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
