"""Schemathesis against the live schema, as each persona: requests generated from the
OpenAPI schema, sent through the WSGI application, must never end in a server error and must
answer as the schema says (status codes, content types, bodies).

Bounded: a few examples per operation and persona (``FUZZ_EXAMPLES``), derandomised so a run
is reproducible; the number of requests sent is printed. Each generated request whose path names
a record is also sent with the id of one of organisation A's records, so the transitions and
downloads run on real rows, not only on ids that do not exist.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.openapi import from_wsgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from projects.api.models import api_token_create
from tests.api.records import records_of

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
_COLLECTION = re.compile(r"^/api/v1/([a-z-]+)/\{")


@pytest.fixture
def wsgi_application() -> Iterator[Any]:
    """The WSGI application, without closing the database connection after each request
    (as Django's test client does): the test's transaction must outlive the requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_generated_requests_get_no_server_error_and_match_the_schema(
    personas, org_a, monkeypatch, capsys, wsgi_application
) -> None:
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"}
    )
    records = records_of(org_a)
    known = {
        "needs": records.need.pk,
        "published-needs": records.published_need.pk,
        "applications": records.application.pk,
        "projects": records.project.pk,
        "contracts": records.contract.pk,
        "certifications": records.certification.pk,
        "bottlenecks": records.bottleneck.pk,
        "platforms": records.platform.pk,
        "organisations": records.organization.pk,
    }
    schema = from_wsgi("/api/schema/?format=json", wsgi_application)
    operations = [result.ok() for result in schema.get_all_operations()]
    headers = {
        persona: (
            {}
            if user is None
            else {"Authorization": f"Bearer {api_token_create(user=user, name='fuzz')[1]}"}
        )
        for persona, user in personas.items()
    }
    sent: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    failures: list[str] = []

    def send(case: Any, persona: str) -> None:
        try:
            response = case.call_and_validate(headers=headers[persona], checks=CHECKS)
        except (Exception, BaseExceptionGroup) as failure:  # a failed check, with its request
            found = getattr(failure, "exceptions", [failure])
            detail = "; ".join(f"{type(f).__name__}: {f}".replace("\n", " ")[:400] for f in found)
            failures.append(f"{persona} {case.method} {case.formatted_path}: {detail}")
            return
        sent[persona] += 1
        statuses[response.status_code] += 1

    def fuzzer(operation: Any, persona: str) -> Any:
        collection = _COLLECTION.match(operation.path)

        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def fuzz(case: Any) -> None:
            send(case, persona)
            if collection and "id" in (case.path_parameters or {}):
                wanted = known.get(collection.group(1))
                if wanted is not None:
                    case.path_parameters = {**case.path_parameters, "id": wanted}
                    send(case, persona)

        return fuzz

    for operation in operations:
        for persona in personas:
            fuzzer(operation, persona)()
    with capsys.disabled():
        print(
            f"\nschemathesis: {sum(sent.values())} requests over {len(operations)} operations "
            f"as {len(personas)} personas ({dict(sorted(sent.items()))}); "
            f"statuses {dict(sorted(statuses.items()))}; {len(failures)} failures"
        )
    assert failures == [], "\n".join(failures[:20])
