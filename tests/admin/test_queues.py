"""The admin index shows each role what waits for it, each count a link to the filtered list."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from projects.workdays import add_working_days
from tests import factories

pytestmark = pytest.mark.django_db

# A Tuesday in an officially known year: three working days on are Friday.
TODAY = datetime.date(2025, 6, 10)


def _queues(client: Any) -> dict[str, tuple[int, str]]:
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    found = re.findall(
        r'<a href="([^"]+)"><span class="queue-count">([\d,]+)</span> ([^<]+)</a>', page
    )
    return {
        label.strip(): (int(n.replace(",", "")), url.replace("&amp;", "&"))
        for url, n, label in found
    }


@time_machine.travel(datetime.datetime(2025, 6, 10, 10, tzinfo=datetime.UTC))
def test_a_registrar_sees_contracts_waiting_due_soon_and_overdue(client: Any) -> None:
    def contract(due: datetime.date) -> Any:
        row = factories.TransferContractFactory(
            signed_on=datetime.date(2025, 4, 1), submitted_on=datetime.date(2025, 4, 2)
        )
        row.registration_due_on = due
        row.save()
        return row

    contract(TODAY - datetime.timedelta(days=1))
    contract(TODAY)
    contract(add_working_days(TODAY, 3)[0])
    contract(TODAY + datetime.timedelta(days=30))
    factories.TransferContractFactory(state="registered")
    factories.TechnicalNeedFactory(state="submitted")
    client.force_login(factories.registrar_user())

    queues = _queues(client)

    assert queues["Contracts overdue for registration"][0] == 1
    assert queues["Contracts due within 3 working days"][0] == 2
    assert queues["Contracts submitted, to register"][0] == 4
    assert not any("Technical needs" in label for label in queues)
    overdue_url = queues["Contracts overdue for registration"][1]
    listed = client.get(overdue_url, HTTP_ACCEPT_LANGUAGE="en")
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 1
    due_soon = client.get(queues["Contracts due within 3 working days"][1])
    assert due_soon.context["cl"].result_count == 2


def test_a_reviewer_sees_needs_organisations_and_applications(client: Any) -> None:
    factories.TechnicalNeedFactory.create_batch(2, state="submitted")
    factories.TechnicalNeedFactory(state="in_review")
    factories.TechnicalNeedFactory(state="draft")
    factories.OrganizationFactory(state="pending")
    client.force_login(factories.reviewer_only_user())

    queues = _queues(client)

    assert queues["Technical needs submitted, to review"][0] == 2
    assert queues["Technical needs in review"][0] == 1
    assert queues["Organisations to verify"][0] == 1
    assert queues["Applications submitted"][0] == 0
    assert not any("Contracts" in label for label in queues)
    listed = client.get(queues["Technical needs submitted, to review"][1])
    assert listed.context["cl"].result_count == 2


def test_a_project_officer_sees_projects_awaiting_acceptance(client: Any) -> None:
    factories.ResearchProjectFactory(state="acceptance_review")
    client.force_login(factories.project_officer_user())

    queues = _queues(client)

    assert queues["Projects awaiting acceptance"][0] == 1
    assert set(queues) == {"Projects proposed, to approve", "Projects awaiting acceptance"}


def test_a_manager_has_no_queue(client: Any) -> None:
    client.force_login(factories.manager_user())
    assert _queues(client) == {}
