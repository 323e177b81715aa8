"""Real services for the tests that need them: a Celery worker thread, a private Redis.

The shared Redis (``REDIS_URL``) is used by everyone working on this machine; a test that
stops its broker starts its own ``redis-server`` on a free port instead.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connections
from django.test import override_settings

from innovation.celery import app as celery_app


def wait_for(predicate: Callable[[], Any], *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the worker")


def _forget_broker_connections(app: Celery) -> None:
    # The app keeps the connection and producer pools of the broker it first talked to; a test
    # that moves it to another broker must drop them (what Celery itself does after a fork).
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_on_broker(broker_url: str) -> Iterator[Celery]:
    """The Celery app sending to ``broker_url`` instead of running tasks eagerly."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = broker_url
    _forget_broker_connections(celery_app)
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False, REDIS_URL=broker_url):
            yield celery_app
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous
        _forget_broker_connections(celery_app)


def _close_worker_connections(**_kwargs: Any) -> None:
    # The worker thread opens its own connections (CONN_MAX_AGE keeps them); close them so
    # the test database can be flushed and dropped afterwards.
    connections.close_all()


@contextlib.contextmanager
def celery_worker(app: Celery) -> Iterator[None]:
    """A solo worker thread consuming the app's broker; its queue is emptied first."""
    app.control.purge()
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        task_postrun.disconnect(_close_worker_connections)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """A throwaway ``redis-server`` on a free port, which a test may stop and start again."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if settings.REQUIRE_SERVICES:
                pytest.fail("REQUIRE_SERVICES=1 but redis-server is not installed")
            pytest.skip("needs the redis-server binary")
        self.binary = binary
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (our own arguments)
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False
