"""A project and a contract of one's organisation: read-only pages with their facts in the
reader's language and their timeline; the lists of my organisation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import formats, translation

from projects.workflows.contracts import contract_request_supplements
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_contract_of_the_buyer_shows_its_amounts_due_date_and_timeline(
    as_chen, org_a, reviewer
) -> None:
    contract = factories.TransferContractFactory(buyer=org_a, contract_amount=6_800_000)
    due = contract.registration_due_on
    page = as_chen.get(reverse("contract_detail", args=[contract.pk])).content.decode()
    assert "680 万元" in page
    with translation.override("zh-hans"):
        assert formats.date_format(due, "DATE_FORMAT") in page

    contract_request_supplements(contract=contract, actor=reviewer, comment="请补充技术附件。")
    page = as_chen.get(
        reverse("contract_detail", args=[contract.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "请补充技术附件。" in page
    assert "supplements requested" in page.lower()


def test_my_organisations_contracts_list_each_due_date(as_chen, org_a) -> None:
    contract = factories.TransferContractFactory(seller=org_a, title="毫米波雷达技术开发")
    page = as_chen.get(reverse("organisation_section", args=["contracts"])).content.decode()
    assert "毫米波雷达技术开发" in page
    assert reverse("contract_detail", args=[contract.pk]) in page
    with translation.override("zh-hans"):
        assert formats.date_format(contract.registration_due_on, "DATE_FORMAT") in page


def test_a_project_page_names_its_participants_and_funding(as_chen, org_a) -> None:
    project = factories.ResearchProjectFactory(lead=org_a, title="轻合金压铸关键技术")
    partner = factories.ProjectParticipantFactory(project=project)
    factories.FundingAllocationFactory(project=project, organization=org_a, amount=2_500_000)
    page = as_chen.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "轻合金压铸关键技术" in page
    assert partner.organization.name in page
    assert "250 万元" in page


def test_my_organisations_needs_are_filtered_by_state(as_chen, org_a) -> None:
    factories.TechnicalNeedFactory(proposer=org_a, title="草稿需求甲")
    factories.TechnicalNeedFactory(proposer=org_a, state="published", title="已发布需求乙")
    url = reverse("organisation_section", args=["needs"])
    page = as_chen.get(url, {"state": "published"}).content.decode()
    assert "已发布需求乙" in page and "草稿需求甲" not in page
    page = as_chen.get(url).content.decode()
    assert "已发布需求乙" in page and "草稿需求甲" in page


def test_my_organisations_needs_are_paginated_keeping_the_filter(as_chen, org_a) -> None:
    factories.TechnicalNeedFactory.create_batch(25, proposer=org_a)
    page = as_chen.get(
        reverse("organisation_section", args=["needs"]), {"state": "draft"}
    ).content.decode()
    assert "?state=draft&amp;page=2" in page
