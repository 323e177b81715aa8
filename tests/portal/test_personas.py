"""An enterprise user of organisation B guessing the URLs of organisation A's records reads,
changes, downloads and acts on nothing: every answer is 404, whether the record exists or
not, and A's records are unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from projects.models import MembershipRequest, NeedAttachment, TechnicalNeed, TransitionLog
from tests import factories

from .conftest import complete_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_records(org_a) -> dict[str, Any]:
    draft = complete_need(org_a, title="A的机密草稿")
    attachment = factories.NeedAttachmentFactory(need=draft)
    returned = complete_need(org_a, state="returned")
    project = factories.ResearchProjectFactory(lead=org_a)
    contract = factories.TransferContractFactory(buyer=org_a)
    asked = MembershipRequest.objects.create(user=factories.UserFactory(), organization=org_a)
    return {
        "draft": draft,
        "attachment": attachment,
        "returned": returned,
        "project": project,
        "contract": contract,
        "organization": org_a,
        "request": asked,
    }


def _urls(r: dict[str, Any]) -> list[tuple[str, str]]:
    draft, att = r["draft"], r["attachment"]

    def act(kind: str, pk: int, name: str) -> str:
        return reverse("transition", kwargs={"kind": kind, "pk": pk, "name": name})

    return [
        ("get", reverse("need_detail", args=[draft.pk])),
        ("get", reverse("need_detail", args=[r["returned"].pk])),
        ("get", reverse("need_part", args=[draft.pk, "overview"])),
        ("post", reverse("need_part", args=[draft.pk, "overview"])),
        ("get", reverse("need_indicators", args=[draft.pk])),
        ("post", reverse("need_indicators", args=[draft.pk])),
        ("get", reverse("need_attachments", args=[draft.pk])),
        ("post", reverse("need_attachments", args=[draft.pk])),
        ("get", reverse("need_attachment", args=[draft.pk, att.pk])),
        ("post", reverse("need_attachment_remove", args=[draft.pk, att.pk])),
        ("get", act("needs", draft.pk, "submit")),
        ("post", act("needs", draft.pk, "submit")),
        ("post", act("needs", draft.pk, "withdraw")),
        ("post", act("needs", r["returned"].pk, "resubmit")),
        ("get", reverse("project_detail", args=[r["project"].pk])),
        ("post", act("projects", r["project"].pk, "request_acceptance")),
        ("get", reverse("contract_detail", args=[r["contract"].pk])),
        ("post", act("contracts", r["contract"].pk, "amend")),
        ("get", act("organisations", r["organization"].pk, "approve_membership")),
        ("post", act("organisations", r["organization"].pk, "approve_membership")),
    ]


def test_an_outsider_gets_404_on_every_url_of_another_organisations_records(
    as_li, a_records
) -> None:
    logs_before = TransitionLog.objects.count()
    for method, url in _urls(a_records):
        data = {"title": "被改", "membership_request": a_records["request"].pk, "then": "list"}
        response = getattr(as_li, method)(url, data) if method == "post" else as_li.get(url)
        assert response.status_code == 404, (method, url)
        assert "A的机密草稿" not in response.content.decode()

    assert TransitionLog.objects.count() == logs_before
    assert TechnicalNeed.objects.get(pk=a_records["draft"].pk).title == "A的机密草稿"
    assert NeedAttachment.objects.filter(pk=a_records["attachment"].pk).exists()
    assert MembershipRequest.objects.get(pk=a_records["request"].pk).state == "pending"


def test_an_anonymous_visitor_gets_404_on_a_draft_and_its_attachment(client, a_records) -> None:
    draft, att = a_records["draft"], a_records["attachment"]
    assert client.get(reverse("need_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("need_attachment", args=[draft.pk, att.pk])).status_code == 404


def test_an_attachment_is_not_reached_through_another_need(as_li, org_b, a_records) -> None:
    own = complete_need(org_b)
    url = reverse("need_attachment", args=[own.pk, a_records["attachment"].pk])
    assert as_li.get(url).status_code == 404


def test_a_published_need_shows_others_its_public_summary_only(as_li, org_a) -> None:
    need = complete_need(
        org_a, state="published", problem="机密：良率只有40%", contact_phone="023-99998888"
    )
    attachment = factories.NeedAttachmentFactory(need=need)
    page = as_li.get(reverse("need_detail", args=[need.pk])).content.decode()
    assert need.title in page and need.summary in page
    assert "良率只有40%" not in page
    assert "023-99998888" not in page
    assert need.indicators.first().metric not in page
    download = reverse("need_attachment", args=[need.pk, attachment.pk])
    assert download not in page
    assert as_li.get(download).status_code == 404


def test_uploaded_files_are_not_served_as_media(client, a_records) -> None:
    stored = a_records["attachment"].file.name
    assert client.get(f"/media/{stored}").status_code == 404


def test_a_page_for_organisations_needs_an_organisation(client) -> None:
    client.force_login(factories.UserFactory())
    assert client.get(reverse("organisation")).status_code == 404
