"""Transitions over the API: each one an action from the transition table, calling its
workflow function, refused with the workflow's own message; B's attempts on A's records by id
answer 404 on every path (read, write, transition, download)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import clock
from projects.models import NeedAttachment, TechnicalNeed, TransferContract, TransitionLog
from projects.workflows.registry import MACHINES
from tests import factories
from tests.api.records import records_of
from tests.selectors.helpers import need_in

PDF = b"%PDF-1.4 specification"
CHAIN = TechnicalNeed._meta.get_field("industrial_chain").choices[0][0]


def test_every_transition_of_every_table_is_an_action(client_for, reviewer) -> None:
    """The table is the API: each transition on a record has its POST endpoint."""
    schema = client_for(reviewer).get("/api/schema/?format=json").json()
    collections = {
        "organization": "organisations",
        "need": "needs",
        "application": "applications",
        "project": "projects",
        "bottleneck": "bottlenecks",
        "contract": "contracts",
    }
    for name, machine in MACHINES.items():
        creation = schema["paths"][f"/api/v1/{collections[name]}/"]["post"]
        assert creation["operationId"] == f"{name}_{machine.creation.name}"
        for transition in machine.on_records:
            path = f"/api/v1/{collections[name]}/{{id}}/{transition.replace('_', '-')}/"
            assert "post" in schema["paths"][path], path


def test_a_need_goes_from_draft_to_published_through_the_api(
    member_a, reviewer, org_a, client_for
) -> None:
    chen, wang = client_for(member_a), client_for(reviewer)
    created = chen.post(
        "/api/v1/needs/",
        {
            "title": "低温快充热管理",
            "summary": "寻求-20℃快充方案。",
            "pole": "low_carbon",
            "industrial_chain": CHAIN,
            "problem": "低温环境下充电效率不足60%。",
            "key_technology": "电池包液冷板设计与热泵集成。",
            "goals": "-20℃下30分钟充至80%。",
            "budget": "3000000.00",
            "open_until": (clock.today() + datetime.timedelta(days=365)).isoformat(),
            "contact_name": "张工",
            "contact_phone": "023-68881234",
            "contact_email": "zhang@example.cn",
        },
    )
    assert created.status_code == 201, created.json()
    need = created.json()
    assert need["proposer"]["id"] == org_a.pk
    assert need["state"] == "draft"
    url = f"/api/v1/needs/{need['id']}/"
    indicators = [{"metric": f"指标{i}", "target_value": "≥ 95%"} for i in range(5)]
    assert chen.put(url + "indicators/", {"indicators": indicators}).status_code == 200
    assert chen.post(url + "submit/", {"comment": "请审核"}).json()["state"] == "submitted"
    assert wang.post(url + "start-review/").json()["state"] == "in_review"
    published = wang.post(url + "publish/", {"comment": "指标齐全"})
    assert published.status_code == 200
    assert published.json()["state"] == "published"
    log = TransitionLog.objects.filter(object_id=need["id"]).order_by("id")
    assert [(e.transition, e.actor.username) for e in log] == [
        ("create", "chen.enterprise"),
        ("submit", "chen.enterprise"),
        ("start_review", "wang.reviewer"),
        ("publish", "wang.reviewer"),
    ]


def test_an_unfinished_draft_is_not_submitted_and_the_refusal_names_what_is_missing(
    member_a, org_a, client_for
) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a, contact_phone="")
    factories.NeedIndicatorFactory.create_batch(2, need=need)

    refused = client_for(member_a).post(
        f"/api/v1/needs/{need.pk}/submit/", {"comment": "请审核"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert refused.status_code == 409
    assert refused.json() == {
        "status": 409,
        "code": "rule_violation",
        "message": (
            "Finish this part first: Technical indicators. Finish this part first: Contact."
        ),
        "fields": {},
    }
    need.refresh_from_db()
    assert need.state == TechnicalNeed.State.DRAFT
    assert need.submitted_at is None
    assert not TransitionLog.objects.filter(object_id=need.pk, transition="submit").exists()


def test_a_refused_transition_says_why_in_the_workflows_words(
    member_a, reviewer, org_a, client_for
) -> None:
    need = need_in(TechnicalNeed.State.IN_REVIEW, proposer=org_a)
    url = f"/api/v1/needs/{need.pk}/"
    refused = client_for(member_a).post(url + "publish/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert refused.json() == {
        "status": 403,
        "code": "permission_denied",
        "message": "You are not allowed to publish this technical need.",
        "fields": {},
    }
    too_few = client_for(reviewer).post(url + "publish/", HTTP_ACCEPT_LANGUAGE="en")
    assert too_few.status_code == 409
    assert too_few.json()["code"] == "rule_violation"
    assert "at least 5 technical indicators" in too_few.json()["message"]
    wrong_state = client_for(reviewer).post(url + "submit/", HTTP_ACCEPT_LANGUAGE="en")
    assert wrong_state.status_code == 403  # the proposer's transition, not the bureau's
    twice = client_for(member_a).post(url + "withdraw/")
    assert twice.status_code == 200
    again = client_for(member_a).post(url + "withdraw/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert "it is withdrawn" in again.json()["message"]
    need.refresh_from_db()
    assert need.state == TechnicalNeed.State.WITHDRAWN


def test_a_transitions_typed_inputs_are_checked_before_the_workflow(
    reviewer, org_a, client_for
) -> None:
    need = need_in(TechnicalNeed.State.IN_REVIEW, proposer=org_a)
    url = f"/api/v1/needs/{need.pk}/reject/"
    missing = client_for(reviewer).post(url, {})
    assert missing.status_code == 400
    assert list(missing.json()["fields"]) == ["reason"]
    wrong = client_for(reviewer).post(url, {"reason": "because"})
    assert wrong.status_code == 400
    rejected = client_for(reviewer).post(url, {"reason": "duplicate", "comment": "重复"})
    assert rejected.status_code == 200, rejected.json()
    assert rejected.json()["rejection_reason"] == "duplicate"


def test_b_cannot_reach_as_records_by_id_on_any_path(member_a, member_b, org_a, client_for) -> None:
    records = records_of(org_a)
    attachment = factories.NeedAttachmentFactory(need=records.need)
    li = client_for(member_b)
    need_url = records.url("need")
    attempts = [
        ("get", need_url, None),
        ("post", need_url + "submit/", {}),
        ("post", need_url + "edit/", {"title": "改掉"}),
        ("post", need_url + "withdraw/", {}),
        ("put", need_url + "indicators/", {"indicators": []}),
        ("get", need_url + f"attachments/{attachment.pk}/download/", None),
        ("delete", need_url + f"attachments/{attachment.pk}/", None),
        ("get", need_url + "timeline/", None),
        ("post", records.url("contract") + "amend/", {"title": "改掉"}),
        ("post", records.url("project") + "request-acceptance/", {}),
        ("post", records.url("application") + "shortlist/", {}),
        ("post", records.url("organization") + "edit/", {"name": "改掉"}),
        ("post", records.url("organization") + "add-member/", {"user": member_b.pk}),
    ]
    for method, url, body in attempts:
        answer = getattr(li, method)(url, body) if body is not None else getattr(li, method)(url)
        assert answer.status_code == 404, (method, url, answer.content)
        assert answer.json()["code"] == "not_found"
    upload = SimpleUploadedFile("spec.pdf", PDF, content_type="application/pdf")
    answer = li.post(need_url + "attachments/", {"file": upload}, format="multipart")
    assert answer.status_code == 404
    records.need.refresh_from_db()
    assert records.need.state == TechnicalNeed.State.DRAFT
    assert records.need.title == "A的草稿需求"
    assert NeedAttachment.objects.filter(need=records.need).count() == 1


def test_attachments_are_added_downloaded_and_removed_by_those_who_see_the_need(
    member_a, reviewer, org_a, client_for
) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a)
    chen = client_for(member_a)
    url = f"/api/v1/needs/{need.pk}/attachments/"
    upload = SimpleUploadedFile("规格书.pdf", PDF, content_type="application/pdf")
    added = chen.post(url, {"file": upload, "description": "技术规格书"}, format="multipart")
    assert added.status_code == 201, added.json()
    assert added.json()["name"] == "规格书.pdf"
    listed = chen.get(f"/api/v1/needs/{need.pk}/").json()["attachments"]
    assert [one["name"] for one in listed] == ["规格书.pdf"]
    download = client_for(reviewer).get(added.json()["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    # Named as the enterprise named it, not as it is stored; kept out of shared caches.
    assert "%E8%A7%84%E6%A0%BC%E4%B9%A6.pdf" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    refused = chen.post(url, {"file": fake}, format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "does not contain what its name says" in refused.json()["fields"]["file"][0]
    removed = chen.delete(f"{url}{added.json()['id']}/")
    assert removed.status_code == 204
    assert not NeedAttachment.objects.filter(need=need).exists()


def test_an_attachment_is_not_found_under_another_need(member_a, org_a, client_for) -> None:
    need, other = factories.TechnicalNeedFactory.create_batch(2, proposer=org_a)
    attachment = factories.NeedAttachmentFactory(need=need)
    chen = client_for(member_a)
    for address in (f"/api/v1/needs/{other.pk}/", "/api/v1/needs/x/"):
        download = chen.get(f"{address}attachments/{attachment.pk}/download/")
        assert download.status_code == 404
        assert download.json()["code"] == "not_found"
        assert chen.delete(f"{address}attachments/{attachment.pk}/").status_code == 404
    assert NeedAttachment.objects.filter(pk=attachment.pk).exists()
    assert (
        chen.get(f"/api/v1/needs/{need.pk}/attachments/{attachment.pk}/download/").status_code
        == 200
    )


def test_the_proposer_is_the_users_own_organisation_never_one_named_in_the_body(
    member_a, org_a, org_b, client_for
) -> None:
    body = {
        "title": "冒名需求",
        "summary": "以B的名义提交。",
        "pole": "digital",
        "industrial_chain": CHAIN,
    }
    as_b = client_for(member_a).post("/api/v1/needs/", {**body, "proposer": org_b.pk})
    assert as_b.status_code == 400
    assert list(as_b.json()["fields"]) == ["proposer"]
    assert not TechnicalNeed.objects.filter(proposer=org_b).exists()
    as_a = client_for(member_a).post("/api/v1/needs/", {**body, "proposer": org_a.pk})
    assert as_a.status_code == 201


def test_a_user_of_no_organisation_is_told_to_join_one(db, client_for) -> None:
    loner = factories.UserFactory(username="zhou.loner")
    answer = client_for(loner).post(
        "/api/v1/needs/",
        {"title": "t", "summary": "s", "pole": "digital", "industrial_chain": CHAIN},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400, answer.json()
    assert answer.json()["fields"]["proposer"] == [
        "You act for no organisation: ask its administrator to add you."
    ]


def test_b_applies_to_as_published_need_as_itself(
    member_a, member_b, org_a, org_b, client_for
) -> None:
    need = need_in(TechnicalNeed.State.PUBLISHED, proposer=org_a)
    li = client_for(member_b)
    impostor = li.post(
        "/api/v1/applications/", {"need": need.pk, "applicant": org_a.pk, "proposal": "方案"}
    )
    assert impostor.status_code == 400
    applied = li.post("/api/v1/applications/", {"need": need.pk, "proposal": "相变材料方案。"})
    assert applied.status_code == 201, applied.json()
    assert applied.json()["applicant"]["id"] == org_b.pk
    # The proposer sees the application and shortlists it.
    url = f"/api/v1/applications/{applied.json()['id']}/"
    assert client_for(member_a).post(url + "shortlist/").json()["state"] == "shortlisted"
    # A draft of A's is no need B may apply to: it is not even a valid id for B.
    draft = factories.TechnicalNeedFactory(proposer=org_a)
    hidden = li.post("/api/v1/applications/", {"need": draft.pk, "proposal": "方案"})
    assert hidden.status_code == 400
    assert list(hidden.json()["fields"]) == ["need"]


def test_the_registrar_registers_a_contract_its_seller_cannot(
    member_a, registrar, manager, org_a, client_for
) -> None:
    contract = factories.TransferContractFactory(seller=org_a)
    url = f"/api/v1/contracts/{contract.pk}/register/"
    assert client_for(member_a).post(url).status_code == 403
    assert client_for(manager).post(url).status_code == 403
    registered = client_for(registrar).post(url, {"registration_number": "2024500106000001"})
    assert registered.status_code == 200, registered.json()
    assert registered.json()["state"] == "registered"
    assert registered.json()["registration_number"] == "2024500106000001"
    future = client_for(registrar).post(
        f"/api/v1/contracts/{contract.pk}/cancel/", {"comment": "合同解除"}
    )
    assert future.json()["state"] == "cancelled"


def test_a_seller_submits_a_contract_for_its_own_organisation(
    member_a, org_a, org_b, client_for
) -> None:
    body = {
        "buyer": org_b.pk,
        "kind": "development",
        "title": "感知算法开发合同",
        "contract_amount": "2000000.00",
        "technology_transaction_amount": "1800000.00",
        "signed_on": "2024-03-01",
        "submitted_on": "2024-03-05",
    }
    submitted = client_for(member_a).post("/api/v1/contracts/", body)
    assert submitted.status_code == 201, submitted.json()
    assert submitted.json()["seller"]["id"] == org_a.pk
    assert submitted.json()["registration_due_on"] is not None
    negative = client_for(member_a).post("/api/v1/contracts/", {**body, "contract_amount": "-1"})
    assert negative.status_code == 400
    assert TransferContract.objects.count() == 1


def test_the_reviewer_runs_a_projects_lifecycle(reviewer, manager, org_a, client_for) -> None:
    project = factories.ResearchProjectFactory(lead=org_a)
    url = f"/api/v1/projects/{project.pk}/"
    assert client_for(manager).post(url + "approve/").status_code == 403
    wang = client_for(reviewer)
    future = (clock.today() + datetime.timedelta(days=30)).isoformat()
    early = wang.post(url + "approve/", {"approved_on": future}, HTTP_ACCEPT_LANGUAGE="en")
    assert early.status_code == 409
    assert "cannot be in the future" in early.json()["message"]
    approved = wang.post(url + "approve/", {"approved_on": "2024-01-10"})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["approved_on"] == "2024-01-10"
    assert wang.post(url + "start/").json()["state"] == "in_progress"
    assert wang.post(url + "terminate/", {"comment": "经费撤回"}).json()["state"] == "terminated"


def test_a_bottleneck_is_targeted_only_by_a_project_under_way(reviewer, org_a, client_for) -> None:
    bottleneck = factories.BottleneckFactory()
    proposed = factories.ResearchProjectFactory(lead=org_a)
    approved = factories.ResearchProjectFactory(lead=org_a, state="approved")
    for project in (proposed, approved):
        project.bottlenecks.add(bottleneck)
    url = f"/api/v1/bottlenecks/{bottleneck.pk}/target/"
    refused = client_for(reviewer).post(url, {"project": proposed.pk})
    assert refused.status_code == 400
    targeted = client_for(reviewer).post(url, {"project": approved.pk})
    assert targeted.status_code == 200, targeted.json()
    assert targeted.json()["state"] == "targeted"


def test_an_organisation_is_verified_by_the_bureau_only(reviewer, member_a, client_for) -> None:
    pending = factories.OrganizationFactory(state="pending")
    factories.MembershipFactory(user=member_a, organization=pending)
    url = f"/api/v1/organisations/{pending.pk}/verify/"
    assert client_for(member_a).post(url).status_code == 403
    assert client_for(reviewer).post(url).json()["state"] == "verified"


@pytest.mark.parametrize("body", [[1, 2], "text", {"comment": ["a"]}])
def test_a_body_of_the_wrong_shape_is_a_400(member_a, org_a, client_for, body) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a)
    answer = client_for(member_a).post(f"/api/v1/needs/{need.pk}/edit/", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
