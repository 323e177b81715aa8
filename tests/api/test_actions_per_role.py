"""Every transition endpoint of every table, as every persona, on organisation A's records:
anonymous → 401; who may not see the record (B) → 404; who sees it but may not take the
transition → 403 with the workflow's message; who may take it → neither (200, or 400/409 when
the body or the record's state says no)."""

from __future__ import annotations

import pytest

from projects.workflows.registry import MACHINES
from tests.api.records import records_of

RECORD_OF_MACHINE = {
    "organization": "organization",
    "need": "need",
    "application": "application",
    "project": "project",
    "bottleneck": "bottleneck",
    "contract": "contract",
}
ACTIONS = [
    (machine_name, transition)
    for machine_name, machine in MACHINES.items()
    for transition in machine.on_records
]


@pytest.mark.parametrize(("machine_name", "transition"), ACTIONS)
def test_each_action_answers_each_persona_as_the_table_says(
    personas, org_a, client_for, machine_name, transition
) -> None:
    records = records_of(org_a)
    record_name = RECORD_OF_MACHINE[machine_name]
    record = getattr(records, record_name)
    url = records.url(record_name) + transition.replace("_", "-") + "/"
    table = MACHINES[machine_name].transitions[transition]
    for persona, user in personas.items():
        before = record.state
        answer = client_for(user).post(url, {})
        if answer.status_code in (401, 403, 404):
            record.refresh_from_db()
            assert record.state == before, (persona, url)  # a refusal changes nothing
        if user is None:
            assert answer.status_code == 401, (persona, url)
            continue
        sees = client_for(user).get(records.url(record_name)).status_code == 200
        if not sees:
            assert answer.status_code == 404, (persona, url, answer.json())
        elif not table.allows(user, record):
            assert answer.status_code == 403, (persona, url, answer.json())
            assert answer.json()["message"]
        else:
            assert answer.status_code in (200, 400, 409), (persona, url, answer.json())
        record.refresh_from_db()
