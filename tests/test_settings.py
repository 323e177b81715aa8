from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(overrides)
    return subprocess.run(  # noqa: S603
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "entry_point",
    [
        ("-c", "import innovation.wsgi"),
        ("-c", "import innovation.asgi"),
        ("-m", "celery", "-A", "innovation", "worker", "--pool=solo", "--without-heartbeat"),
    ],
    ids=["wsgi", "asgi", "celery-worker"],
)
def test_refuses_to_start_without_secret_key_when_debug_is_off(entry_point) -> None:
    result = run(*entry_point, DEBUG="0", REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_starts_with_a_secret_key() -> None:
    result = run("-c", "import innovation.wsgi", DEBUG="0", SECRET_KEY="a-real-secret")
    assert result.returncode == 0, result.stderr


def test_operator_commands_that_need_no_secret_run_without_one() -> None:
    result = run("manage.py", "makemigrations", "--check", "--dry-run", DEBUG="0")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_system_checks_find_nothing_on_the_configured_database() -> None:
    # The checks migrate and runserver print, including those of the database (indexes).
    result = run("manage.py", "check", "--database", "default", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_sqlite_file_database_uses_write_ahead_logging(tmp_path: Path) -> None:
    database = tmp_path / "wal.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SECRET_KEY="x", DATABASE_URL=f"sqlite:///{database}")
    code = (
        "from django.db import connection\n"
        "cursor = connection.cursor()\n"
        "cursor.execute('PRAGMA journal_mode')\n"
        "print(cursor.fetchone()[0])\n"
        "cursor.execute('PRAGMA busy_timeout')\n"
        "print(cursor.fetchone()[0])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    mode, busy_timeout_ms = result.stdout.split()[-2:]
    assert mode == "wal"
    assert int(busy_timeout_ms) >= 5000


def test_eager_celery_exactly_when_no_broker_is_configured() -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.REDIS_URL)
