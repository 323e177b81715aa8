"""docker-compose.yml cannot be run here; these checks keep it honest against the settings."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = (ROOT / "innovation" / "settings.py").read_text()
READ_BY_SETTINGS = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))


def app_environment(service: str) -> dict[str, str]:
    return COMPOSE["services"][service]["environment"]


def test_compose_has_the_production_services_with_health_checks() -> None:
    services = COMPOSE["services"]
    assert set(services) >= {"web", "worker", "beat", "postgres", "redis"}
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert "healthcheck" in services[name], name


def test_every_compose_variable_is_read_by_the_settings() -> None:
    for service in ("web", "worker", "beat"):
        unknown = set(app_environment(service)) - READ_BY_SETTINGS
        assert unknown == set(), f"{service} sets variables the settings ignore: {unknown}"


def test_compose_passes_every_variable_the_settings_read() -> None:
    # Compose hands a container only the variables it names: one left out is silently
    # dropped. REQUIRE_SERVICES only concerns the test run; STATIC_ROOT is fixed when the
    # image is built (collectstatic).
    for service in ("web", "worker", "beat"):
        missing = (
            READ_BY_SETTINGS - {"REQUIRE_SERVICES", "STATIC_ROOT"} - set(app_environment(service))
        )
        assert missing == set(), f"{service} drops {missing}"


def test_app_services_point_at_the_compose_database_and_broker() -> None:
    for service in ("web", "worker", "beat"):
        environment = app_environment(service)
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DEBUG"] == "0"
        assert "SECRET_KEY" in environment


def test_commands_match_the_celery_app_and_wsgi_module() -> None:
    services = COMPOSE["services"]
    assert "innovation.wsgi:application" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A innovation worker")
    assert services["beat"]["command"].startswith("celery -A innovation beat")
    assert (ROOT / "innovation" / "wsgi.py").exists()


def test_uploads_and_database_live_on_volumes() -> None:
    web_volumes = COMPOSE["services"]["web"]["volumes"]
    assert any(v.endswith(":/app/var/media") for v in web_volumes)
    assert app_environment("web")["MEDIA_ROOT"] == "/app/var/media"
    assert any("/var/lib/postgresql/data" in v for v in COMPOSE["services"]["postgres"]["volumes"])
