"""Taking up a published need (揭榜) from the catalogue: who may apply and what they are told,
the application's page, its attachment, its withdrawal, and the organisation's list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import ApplicationAttachment, NeedApplication, Organization, TechnicalNeed
from projects.workflows import applications
from tests import factories
from tests.selectors.helpers import need_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "技术方案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def need(enterprise) -> TechnicalNeed:
    """The enterprise's published need, which others take up."""
    return need_in("published", title="高精度传感器芯片研发", proposer=enterprise)


@pytest.fixture
def university() -> Organization:
    return factories.OrganizationFactory(name="重庆大学", kind=Organization.Kind.UNIVERSITY)


@pytest.fixture
def professor(university) -> Any:
    user = factories.UserFactory(username="liu.professor")
    factories.MembershipFactory(user=user, organization=university)
    return user


def apply_url(need: TechnicalNeed) -> str:
    return reverse("catalogue:apply", args=[need.pk])


def submitted(need, university, professor, **kwargs) -> NeedApplication:
    return applications.application_submit(
        need=need, applicant=university, proposal="相变材料方案", actor=professor, **kwargs
    )


def test_an_anonymous_visitor_is_asked_to_log_in_and_comes_back(client, need) -> None:
    response = client.get(apply_url(need))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"/accounts/login/?next={apply_url(need)}" in page
    assert "<form" not in page.split("</header>")[1]


def test_a_verified_organisation_applies_with_a_proposal_and_a_pdf(
    client, need, university, professor, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(professor)

    response = client.post(
        apply_url(need),
        {"applicant": university.pk, "proposal": "基于MEMS工艺的方案。", "attachment": pdf()},
    )

    application = NeedApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:application", args=[application.pk])
    assert (application.need, application.applicant, application.state) == (
        need,
        university,
        "submitted",
    )
    assert application.proposal == "基于MEMS工艺的方案。"
    [attachment] = application.attachments.all()
    assert attachment.original_name == "技术方案.pdf"
    # Stored under a random name, neither the application's nor the file's.
    assert re.fullmatch(r"applications/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert (tmp_path / attachment.file.name).read_bytes() == PDF


def test_a_file_that_is_not_what_its_name_says_is_refused_and_the_proposal_kept(
    client, need, university, professor
) -> None:
    client.force_login(professor)
    fake = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(
        apply_url(need), {"applicant": university.pk, "proposal": "我的方案", "attachment": fake}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert NeedApplication.objects.count() == 0
    assert "方案.pdf" in str(response.context["form"].errors["attachment"])
    assert 'class="form-summary"' in page
    assert "我的方案</textarea>" in page


def test_an_empty_proposal_is_refused_at_its_field(client, need, university, professor) -> None:
    client.force_login(professor)

    response = client.post(apply_url(need), {"applicant": university.pk, "proposal": "   "})

    assert response.context["form"].errors["proposal"]
    assert NeedApplication.objects.count() == 0


def test_applying_twice_says_so_and_links_the_first_application(
    client, need, university, professor
) -> None:
    first = submitted(need, university, professor)
    client.force_login(professor)

    page = client.get(apply_url(need)).content.decode()
    response = client.post(apply_url(need), {"applicant": university.pk, "proposal": "再来一次"})

    refusal = applications.application_submit_refusal(
        need=need, applicant=university, actor=professor
    )
    assert refusal and refusal in page
    assert reverse("catalogue:application", args=[first.pk]) in page
    assert response.status_code == 200
    assert NeedApplication.objects.count() == 1


def test_a_proposer_cannot_apply_to_its_own_need(client, need, enterprise_user) -> None:
    client.force_login(enterprise_user)

    page = client.get(apply_url(need)).content.decode()

    refusal = applications.application_submit_refusal(
        need=need, applicant=need.proposer, actor=enterprise_user
    )
    assert refusal and refusal in page
    assert 'name="proposal"' not in page


def test_an_unverified_organisation_is_told_it_must_be_verified(client, need) -> None:
    pending = factories.OrganizationFactory(state=Organization.State.PENDING, name="待审核公司")
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organization=pending)
    client.force_login(user)

    response = client.post(apply_url(need), {"applicant": pending.pk, "proposal": "方案"})

    page = response.content.decode()
    assert "待审核公司" in page
    assert 'name="proposal"' not in page
    assert NeedApplication.objects.count() == 0


def test_a_user_without_an_organisation_is_told_why_they_cannot_apply(client, need) -> None:
    client.force_login(factories.UserFactory())

    response = client.get(apply_url(need))

    assert response.status_code == 200
    assert response.context["organizations"] == []
    assert 'name="proposal"' not in response.content.decode()


def test_a_need_closed_meanwhile_refuses_the_application_and_keeps_the_proposal(
    client, need, university, professor
) -> None:
    client.force_login(professor)
    client.get(apply_url(need))
    TechnicalNeed.objects.filter(pk=need.pk).update(state="matched")

    response = client.post(apply_url(need), {"applicant": university.pk, "proposal": "方案甲"})

    assert response.status_code == 200
    assert NeedApplication.objects.count() == 0
    assert 'name="proposal"' not in response.content.decode()
    assert response.context["refusals"]


def test_a_workflow_refusal_after_the_form_is_valid_is_shown_in_the_summary(
    client, need, university, professor, monkeypatch
) -> None:
    """Another member of the organisation applied while this one was typing: the workflow
    refuses, the page says so above the form and keeps what was typed."""
    client.force_login(professor)

    def race(**kwargs):
        raise applications.RuleViolation("“重庆大学”已揭榜该技术需求。")

    from projects.portal import catalogue

    monkeypatch.setattr(catalogue, "application_submit", race)
    response = client.post(apply_url(need), {"applicant": university.pk, "proposal": "方案乙"})

    page = response.content.decode()
    assert "“重庆大学”已揭榜该技术需求。" in page
    assert "方案乙</textarea>" in page


def test_the_applicant_follows_its_application_and_withdraws_it(
    client, need, university, professor
) -> None:
    application = submitted(need, university, professor)
    client.force_login(professor)
    url = reverse("catalogue:application", args=[application.pk])

    page = client.get(url).content.decode()
    assert "相变材料方案" in page
    assert reverse("transition", args=["applications", application.pk, "withdraw"]) in page
    assert "shortlist" not in page

    response = client.post(
        reverse("transition", args=["applications", application.pk, "withdraw"]),
        {"comment": "方向调整"},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "withdrawn"
    page = client.get(url).content.decode()
    assert "方向调整" in page
    assert reverse("transition", args=["applications", application.pk, "withdraw"]) not in (page)


def test_an_action_not_offered_is_refused_and_changes_nothing(
    client, need, university, professor
) -> None:
    application = submitted(need, university, professor)
    client.force_login(professor)

    client.post(reverse("transition", args=["applications", application.pk, "select"]))

    application.refresh_from_db()
    assert application.state == "submitted"


def test_the_proposer_sees_the_applications_to_its_needs(
    client, need, university, professor, enterprise_user
) -> None:
    application = submitted(need, university, professor)
    client.force_login(enterprise_user)

    received = client.get(reverse("catalogue:my_applications"), {"show": "received"})
    sent = client.get(reverse("catalogue:my_applications"))
    page = client.get(reverse("catalogue:application", args=[application.pk])).content.decode()

    assert list(received.context["applications"]) == [application]
    assert list(sent.context["applications"]) == []
    assert "相变材料方案" in page
    assert reverse("transition", args=["applications", application.pk, "shortlist"]) in page


def test_the_applicant_lists_what_its_organisation_sent(
    client, need, university, professor
) -> None:
    application = submitted(need, university, professor)
    client.force_login(professor)

    response = client.get(reverse("catalogue:my_applications"))

    assert list(response.context["applications"]) == [application]
    assert "高精度传感器芯片研发" in response.content.decode()


def test_the_attachment_downloads_for_the_applicant_and_the_proposer(
    client, need, university, professor, enterprise_user, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    application = submitted(need, university, professor, attachments=[pdf()])
    attachment = application.attachments.get()
    url = reverse("catalogue:application_attachment", args=[attachment.pk])

    for user in (professor, enterprise_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert "attachment;" in response["Content-Disposition"]


# Personas: another organisation guessing URLs --------------------------------------------


@pytest.fixture
def application_with_attachment(need, university, professor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return submitted(need, university, professor, attachments=[pdf()])


def test_another_organisation_cannot_read_an_application_or_its_attachment(
    client, outsider_user, application_with_attachment
) -> None:
    application = application_with_attachment
    attachment = application.attachments.get()
    client.force_login(outsider_user)

    urls = [
        reverse("catalogue:application", args=[application.pk]),
        reverse("catalogue:application_attachment", args=[attachment.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [404, 404]
    withdraw = reverse("transition", args=["applications", application.pk, "withdraw"])
    assert client.post(withdraw).status_code == 404
    application.refresh_from_db()
    assert application.state == "submitted"
    listed = client.get(reverse("catalogue:my_applications"), {"show": "received"})
    assert list(listed.context["applications"]) == []


def test_an_anonymous_visitor_is_sent_to_log_in_for_any_application_page(
    client, application_with_attachment
) -> None:
    attachment = application_with_attachment.attachments.get()
    urls = [
        reverse("catalogue:application", args=[application_with_attachment.pk]),
        reverse("catalogue:application_attachment", args=[attachment.pk]),
        reverse("catalogue:my_applications"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_an_attachment_id_of_nothing_is_not_found(client, professor) -> None:
    client.force_login(professor)

    assert client.get(reverse("catalogue:application_attachment", args=[999])).status_code == 404
    assert ApplicationAttachment.objects.count() == 0


# Fixed query counts -------------------------------------------------------------------------

# Session, user, the application, its attachments, its timeline; then what the user may do
# now: the user's permissions (two), the need (whose proposer may shortlist), and one
# membership check for each action open in the application's state (three when submitted);
# and whether the user belongs to an organisation (the header's "my organisation" link).
QUERIES_APPLICATION_PAGE = 12


def _applications_from(need, count: int) -> list[NeedApplication]:
    made = []
    for _ in range(count):
        organisation = factories.OrganizationFactory()
        member = factories.UserFactory()
        factories.MembershipFactory(user=member, organization=organisation)
        made.append(
            applications.application_submit(
                need=need, applicant=organisation, proposal="方案", actor=member
            )
        )
    return made


@pytest.mark.parametrize("rows", [1, 12])
def test_the_received_list_issues_the_same_queries_for_one_row_or_many(
    client, django_assert_num_queries, need, enterprise_user, rows
) -> None:
    _applications_from(need, rows)
    client.force_login(enterprise_user)
    # Session, user, organisations, count, page; the header's membership check.
    with django_assert_num_queries(6):
        response = client.get(reverse("catalogue:my_applications"), {"show": "received"})
    assert len(response.context["applications"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_the_application_page_issues_the_same_queries_for_one_row_or_many(
    client, django_assert_num_queries, need, university, professor, enterprise_user, rows
) -> None:
    application = submitted(need, university, professor)
    for n in range(rows):
        ApplicationAttachment.objects.create(
            application=application, file=f"applications/{n}.pdf", original_name=f"附件{n}.pdf"
        )
    if rows > 1:  # a longer timeline too
        applications.application_shortlist(application=application, actor=enterprise_user)
    client.force_login(professor)
    with django_assert_num_queries(QUERIES_APPLICATION_PAGE):
        response = client.get(reverse("catalogue:application", args=[application.pk]))
    assert len(response.context["attachments"]) == rows


def test_the_workflow_refuses_a_file_that_is_not_a_document_and_keeps_nothing(
    need, university, professor, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00")

    with pytest.raises(applications.RuleViolation, match="方案.pdf"):
        submitted(need, university, professor, attachments=[fake])

    assert NeedApplication.objects.count() == 0
    assert list(tmp_path.iterdir()) == []


def test_the_proposer_is_not_told_another_organisation_applied_as_if_it_were_its_own(
    client, need, university, professor, enterprise_user
) -> None:
    submitted(need, university, professor)
    client.force_login(enterprise_user)

    response = client.get(reverse("catalogue:detail", args=[need.pk]))

    assert response.context["application"] is None


def test_the_proposer_shortlists_an_application_from_its_page(
    client, need, university, professor, enterprise_user
) -> None:
    application = submitted(need, university, professor)
    client.force_login(enterprise_user)

    client.post(
        reverse("transition", args=["applications", application.pk, "shortlist"]),
        {"comment": "方案可行"},
    )

    application.refresh_from_db()
    assert application.state == "shortlisted"


def test_the_date_filter_keeps_its_value_in_the_form_in_every_language(client) -> None:
    for language in ("zh-hans", "en", "fr"):
        page = client.get(
            reverse("catalogue:list"), {"open_on": "2027-03-01"}, HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert 'value="2027-03-01"' in page


def test_an_applications_page_has_one_timeline_heading(client, need, university, professor) -> None:
    application = submitted(need, university, professor)
    client.force_login(professor)
    page = client.get(reverse("catalogue:application", args=[application.pk])).content.decode()
    assert page.count('id="timeline-title"') == 1
