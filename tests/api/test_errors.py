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
