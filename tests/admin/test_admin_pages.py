"""The back office: every record's list, add and change pages work, and states stay read-only."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import ApplicationAttachment, Organization, TechnicalNeed, TransitionLog
from tests import factories

pytestmark = pytest.mark.django_db

RECORD_FACTORIES = {
    "organization": factories.OrganizationFactory,
    "membership": factories.MembershipFactory,
    "certification": factories.CertificationFactory,
    "innovationplatform": factories.InnovationPlatformFactory,
    "bottleneck": factories.BottleneckFactory,
    "technicalneed": factories.TechnicalNeedFactory,
    "needindicator": factories.NeedIndicatorFactory,
    "needattachment": factories.NeedAttachmentFactory,
    "needapplication": factories.NeedApplicationFactory,
    "researchproject": factories.ResearchProjectFactory,
    "projectparticipant": factories.ProjectParticipantFactory,
    "fundingallocation": factories.FundingAllocationFactory,
    "transfercontract": factories.TransferContractFactory,
    "yearlystatistic": factories.YearlyStatisticFactory,
}


def test_every_domain_model_is_registered() -> None:
    from django.apps import apps

    unregistered = [
        m._meta.model_name
        for m in apps.get_app_config("projects").get_models()
        # Field history is read on its record's pages (projects.admin.history).
        if m not in admin.site._registry and not m.__name__.startswith("Historical")
    ]
    assert unregistered == []


# Changed only through a workflow function (memberships) or by the proposer (indicators,
# attachments): the back office reads them and adds none.
NOT_ADDED_HERE = {"membership", "needindicator", "needattachment"}


@pytest.mark.parametrize("model_name", sorted(RECORD_FACTORIES))
def test_list_add_and_change_pages_open(admin_client, settings, tmp_path, model_name: str) -> None:
    settings.MEDIA_ROOT = tmp_path
    record = RECORD_FACTORIES[model_name]()
    for url in (
        reverse(f"admin:projects_{model_name}_changelist"),
        reverse(f"admin:projects_{model_name}_change", args=[record.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    add = admin_client.get(reverse(f"admin:projects_{model_name}_add"))
    assert add.status_code == (403 if model_name in NOT_ADDED_HERE else 200)


def test_changelist_search_finds_by_credit_code(admin_client) -> None:
    wanted = factories.OrganizationFactory(name="重庆金山科技（集团）有限公司")
    factories.OrganizationFactory(name="另一家公司")
    response = admin_client.get(
        reverse("admin:projects_organization_changelist"), {"q": wanted.credit_code}
    )
    assert wanted.name in response.content.decode()
    assert "另一家公司" not in response.content.decode()


def test_neither_state_nor_the_proposers_content_changes_from_the_change_form(
    admin_client,
) -> None:
    need = factories.TechnicalNeedFactory()
    url = reverse("admin:projects_technicalneed_change", args=[need.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="state"' not in page
    data = {
        "proposer": need.proposer_id,
        "title": "改过的标题",
        "summary": need.summary,
        "pole": need.pole,
        "industrial_chain": need.industrial_chain,
        "state": TechnicalNeed.State.PUBLISHED,
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "projects-transitionlog-content_type-object_id-TOTAL_FORMS": "0",
        "projects-transitionlog-content_type-object_id-INITIAL_FORMS": "0",
    }
    title = need.title
    admin_client.post(url, data)
    need.refresh_from_db()
    assert need.title == title
    assert need.state == TechnicalNeed.State.DRAFT


def test_change_page_shows_the_timeline(admin_client, reviewer) -> None:
    organization = factories.OrganizationFactory(state=Organization.State.PENDING)
    TransitionLog.objects.create(
        record=organization,
        transition="verify",
        from_state="pending",
        to_state="verified",
        actor=reviewer,
        comment="营业执照核验无误",
    )
    page = admin_client.get(
        reverse("admin:projects_organization_change", args=[organization.pk])
    ).content.decode()
    assert "营业执照核验无误" in page
    assert "wang.reviewer" in page


def test_reviewer_can_open_the_back_office_but_not_delete(client, reviewer) -> None:
    client.force_login(reviewer)
    contract = factories.TransferContractFactory()
    assert client.get(reverse("admin:projects_transfercontract_changelist")).status_code == 200
    delete_url = reverse("admin:projects_transfercontract_delete", args=[contract.pk])
    assert client.get(delete_url).status_code == 403


def test_enterprise_user_is_kept_out_of_the_back_office(client, enterprise_user) -> None:
    client.force_login(enterprise_user)
    response = client.get(reverse("admin:projects_technicalneed_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize(
    ("model_name", "factory"),
    [
        ("transfercontract", factories.TransferContractFactory),
        ("technicalneed", factories.TechnicalNeedFactory),
        ("researchproject", factories.ResearchProjectFactory),
        ("needapplication", factories.NeedApplicationFactory),
    ],
)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model_name, factory) -> None:
    url = reverse(f"admin:projects_{model_name}_changelist")

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(url).status_code == 200
        return len(context.captured_queries)

    factory.create_batch(2)
    few = queries_for_page()
    factory.create_batch(20)
    assert queries_for_page() == few


def _change_page_queries(admin_client, model_name: str, pk: int) -> int:
    with CaptureQueriesContext(connection) as context:
        url = reverse(f"admin:projects_{model_name}_change", args=[pk])
        assert admin_client.get(url).status_code == 200
    return len(context.captured_queries)


def test_inline_rows_are_read_with_what_labels_them(admin_client) -> None:
    # Each inline row then costs one query at most: the autocomplete widget's own lookup of
    # its selected option, not also the user and organisation its label names.
    organization = factories.OrganizationFactory()
    factories.MembershipFactory.create_batch(2, organization=organization)
    few = _change_page_queries(admin_client, "organization", organization.pk)
    factories.MembershipFactory.create_batch(6, organization=organization)
    assert _change_page_queries(admin_client, "organization", organization.pk) - few <= 6

    project = factories.ResearchProjectFactory()
    factories.ProjectParticipantFactory(project=project)
    factories.FundingAllocationFactory(project=project)
    few = _change_page_queries(admin_client, "researchproject", project.pk)
    factories.ProjectParticipantFactory.create_batch(4, project=project)
    factories.FundingAllocationFactory.create_batch(4, project=project)
    assert _change_page_queries(admin_client, "researchproject", project.pk) - few <= 8


def test_a_record_page_shows_its_amounts_in_readable_units(admin_client) -> None:
    from decimal import Decimal

    contract = factories.TransferContractFactory(
        contract_amount=Decimal("2084800.00"), technology_transaction_amount=Decimal("1822500.00")
    )
    url = reverse("admin:projects_transfercontract_change", args=[contract.pk])
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "208.48 万元" in page and "182.25 万元" in page
    assert "2084800.00" not in page
    # The field keeps its label and its help text.
    assert "合同金额扣除设备" in page or "less equipment" in page
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2,084,800 yuan" in page


def test_attachments_link_to_their_download_under_the_uploaders_file_name(
    client, reviewer, settings, tmp_path
) -> None:
    # Media files are not served: the link is the portal's download, which checks the reader.
    settings.MEDIA_ROOT = tmp_path
    need_attachment = factories.NeedAttachmentFactory(original_name="电池热管理技术规格书.pdf")
    application = factories.NeedApplicationFactory(need=need_attachment.need)
    application_attachment = ApplicationAttachment.objects.create(
        application=application,
        file=SimpleUploadedFile("x.pdf", b"%PDF-1.4 proposal"),
        original_name="热管理技术方案.pdf",
    )
    client.force_login(reviewer)
    need_download = reverse("need_attachment", args=[need_attachment.need_id, need_attachment.pk])
    application_download = reverse(
        "catalogue:application_attachment", args=[application_attachment.pk]
    )
    pages = [
        (
            reverse("admin:projects_technicalneed_change", args=[need_attachment.need_id]),
            need_download,
            "电池热管理技术规格书.pdf",
        ),
        (
            reverse("admin:projects_needattachment_changelist"),
            need_download,
            "电池热管理技术规格书.pdf",
        ),
        (
            reverse("admin:projects_needapplication_change", args=[application.pk]),
            application_download,
            "热管理技术方案.pdf",
        ),
        (
            reverse(
                "admin:projects_applicationattachment_change", args=[application_attachment.pk]
            ),
            application_download,
            "热管理技术方案.pdf",
        ),
    ]
    for page_url, download_url, name in pages:
        page = client.get(page_url).content.decode()
        assert f'<a href="{download_url}">{name}</a>' in page, page_url
        assert "/media/" not in page, page_url
        download = client.get(download_url)
        assert download.status_code == 200, download_url
        assert quote(name) in download["Content-Disposition"]
        b"".join(download.streaming_content)
