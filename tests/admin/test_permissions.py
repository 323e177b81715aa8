"""The permission matrix of the staff roles, driven through the admin as each group: the
record types each role sees (index, list, change page) and the decisions it can take."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from projects.models import TechnicalNeed, TransferContract
from projects.roles import MANAGER, PROJECT_OFFICER, REGISTRAR, REVIEWER
from tests import factories
from tests.admin.test_admin_pages import RECORD_FACTORIES

pytestmark = pytest.mark.django_db

_STAFF = {"transitionlog", "notification"}
SEES = {
    REVIEWER: {
        "organization",
        "membership",
        "certification",
        "technicalneed",
        "needindicator",
        "needattachment",
        "needapplication",
        "applicationattachment",
        "membershiprequest",
    }
    | _STAFF,
    # The organisations, needs and projects a contract names, read-only.
    REGISTRAR: {"transfercontract", "organization", "technicalneed", "researchproject"} | _STAFF,
    PROJECT_OFFICER: {
        "researchproject",
        "projectparticipant",
        "fundingallocation",
        "bottleneck",
        "innovationplatform",
        "yearlystatistic",
        "organization",
        "technicalneed",
    }
    | _STAFF,
    MANAGER: {m._meta.model_name for m in admin.site._registry if m._meta.app_label == "projects"},
}
# The decisions each role takes: (record type, state, transition).
DECISIONS = [
    ("organization", "pending", "verify"),
    ("technicalneed", "submitted", "start_review"),
    ("needapplication", "submitted", "shortlist"),
    ("transfercontract", "submitted", "register"),
    ("researchproject", "proposed", "approve"),
    ("bottleneck", "identified", "drop"),
]
DECIDES = {
    REVIEWER: {"verify", "start_review", "shortlist"},
    REGISTRAR: {"register"},
    PROJECT_OFFICER: {"approve", "drop"},
    MANAGER: set(),
}


@pytest.fixture
def records(settings, tmp_path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    return {name: factory() for name, factory in RECORD_FACTORIES.items()} | {
        "transitionlog": None,
        "notification": None,
    }


@pytest.mark.parametrize("role", [REVIEWER, REGISTRAR, PROJECT_OFFICER, MANAGER])
def test_each_role_sees_exactly_its_record_types(client: Any, records: dict, role: str) -> None:
    client.force_login(factories.role_user(role))
    index = client.get(reverse("admin:index")).content.decode()
    for model in {m for m in admin.site._registry if m._meta.app_label == "projects"}:
        name = model._meta.model_name
        listed = client.get(reverse(f"admin:projects_{name}_changelist")).status_code
        expected = 200 if name in SEES[role] else 403
        assert listed == expected, (role, name)
        assert (f"/admin/projects/{name}/" in index) is (name in SEES[role]), (role, name)
        record = records.get(name)
        if record is not None:
            page = client.get(reverse(f"admin:projects_{name}_change", args=[record.pk]))
            assert page.status_code == expected, (role, name)


@pytest.mark.parametrize("role", [REVIEWER, REGISTRAR, PROJECT_OFFICER, MANAGER])
def test_each_role_takes_exactly_its_decisions(client: Any, role: str) -> None:
    client.force_login(factories.role_user(role))
    factories_by_name = {
        **RECORD_FACTORIES,
        "needapplication": factories.NeedApplicationFactory,
    }
    for name, state, transition in DECISIONS:
        record = factories_by_name[name](state=state)
        url = reverse(f"admin:projects_{name}_transition", args=[record.pk, transition])
        response = client.get(url)
        if transition in DECIDES[role]:
            assert response.status_code == 200, (role, transition)
            assert 'type="submit"' in response.content.decode()
        else:
            # Refused: a record type the role does not see at all, or one it only reads.
            assert response.status_code in (302, 403), (role, transition)
            response = client.post(url, {"comment": "越权"})
            record.refresh_from_db()
            assert record.state == state, (role, transition)


def test_a_reviewer_cannot_rewrite_an_enterprises_text_or_a_registered_amount(
    client: Any,
) -> None:
    reviewer = factories.reviewer_user()  # every deciding role
    need = factories.TechnicalNeedFactory(state="in_review", title="原标题", problem="原问题")
    contract = factories.TransferContractFactory(state="registered")
    amount = contract.contract_amount
    client.force_login(reviewer)

    need_page = client.post(
        reverse("admin:projects_technicalneed_change", args=[need.pk]),
        {"title": "审核员改写", "problem": "改写", "summary": "改写"},
    )
    contract_page = client.post(
        reverse("admin:projects_transfercontract_change", args=[contract.pk]),
        {"contract_amount": "1.00", "title": "改写"},
    )

    assert need_page.status_code == 403 and contract_page.status_code == 403
    assert TechnicalNeed.objects.values_list("title", "problem").get() == ("原标题", "原问题")
    assert TransferContract.objects.get().contract_amount == amount
    # The correction goes through its logged function, offered as a button.
    page = client.get(reverse("admin:projects_transfercontract_change", args=[contract.pk]))
    assert "/transition/correct/" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
