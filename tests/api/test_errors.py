"""One error format for every failure: validation, domain error, permission, not found,
throttled."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.selectors.helpers import need_in

KEYS = {"status", "code", "message", "fields"}


@pytest.fixture
def rates(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Set the throttles' rates (DRF reads them once, into the class)."""

    def set_rates(*, anon: str, user: str) -> None:
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": anon, "user": user})

    return set_rates


def test_throttled_clients_are_told_when_to_come_back(db, rates, client_for) -> None:
    rates(anon="2/minute", user="100/minute")
    anonymous = client_for(None)
    answers = [anonymous.get("/api/v1/published-needs/") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    body = answers[-1].json()
    assert set(body) == KEYS | {"retry_after"}
    assert body["code"] == "throttled"
    assert int(answers[-1]["Retry-After"]) == body["retry_after"] > 0


def test_the_user_throttle_counts_per_user(member_a, member_b, rates, client_for) -> None:
    rates(anon="100/minute", user="2/minute")
    chen, li = client_for(member_a), client_for(member_b)
    assert [chen.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
    assert li.get("/api/v1/me/").status_code == 200


def test_every_kind_of_failure_has_the_same_shape(member_a, enterprise, reviewer, client_for):
    need = need_in("in_review", proposer=enterprise)
    chen, wang = client_for(member_a), client_for(reviewer)
    failures = {
        400: wang.post(f"/api/v1/needs/{need.pk}/reject/", {"reason": "nope"}),
        401: client_for(None).get("/api/v1/needs/"),
        403: chen.post(f"/api/v1/needs/{need.pk}/publish/"),
        404: chen.get("/api/v1/contracts/123456/"),
        405: chen.delete(f"/api/v1/needs/{need.pk}/"),
        409: wang.post(f"/api/v1/needs/{need.pk}/publish/"),
    }
    for status, answer in failures.items():
        assert answer.status_code == status
        body = answer.json()
        assert set(body) == KEYS, body
        assert body["status"] == status
        assert body["message"]
    assert failures[400].json()["fields"]["reason"]
    assert failures[409].json()["code"] == "rule_violation"


def test_messages_follow_the_requests_language(member_a, enterprise, client_for) -> None:
    chen = client_for(member_a)
    english = chen.get("/api/v1/needs/99999/", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    chinese = chen.get("/api/v1/needs/99999/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["message"]
    assert english == "There is no such technical need."
    assert chinese == "没有这项技术需求。"


def test_an_unknown_api_address_answers_in_the_error_format(db, client_for) -> None:
    answer = client_for(None).get("/api/v1/no-such-records/")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert set(body) == KEYS and body["code"] == "not_found"
    assert "/api/docs/" in body["message"]
    portal = client_for(None).get("/no-such-page/")
    assert portal.status_code == 404 and portal["Content-Type"].startswith("text/html")


def test_a_server_error_in_the_api_answers_in_the_error_format(
    member_a, client_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    from projects.api import views

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a defect")

    monkeypatch.setattr(views, "organizations_for", broken)
    client = client_for(member_a)
    client.raise_request_exception = False
    answer = client.get("/api/v1/me/")
    assert answer.status_code == 500
    body = answer.json()
    assert set(body) == KEYS and body["code"] == "server_error"
    assert "a defect" not in body["message"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_api_asks_to_retry_when_the_database_cannot_be_reached(member_a, client_for) -> None:
    import socket

    from django.db import connection

    client = client_for(member_a)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    saved = connection.settings_dict["HOST"], connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", closed_port
    try:
        answer = client.get("/api/v1/me/")
    finally:
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = saved
    assert answer.status_code == 503
    body = answer.json()
    assert set(body) == KEYS | {"retry_after"} and body["code"] == "unavailable"
    assert int(answer["Retry-After"]) == body["retry_after"] > 0
    assert client.get("/api/v1/me/").status_code == 200  # back once the database is
