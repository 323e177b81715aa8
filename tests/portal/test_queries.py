"""Each portal page reads with a fixed number of queries whatever the number of rows: the
same count with one row as with many (the numbers are pinned, so a new query per row, or a
new query at all, is noticed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from projects.workflows.needs import need_start_review
from tests import factories

pytestmark = pytest.mark.django_db

# Queries per page: the session, the user, the page's own reads, the transitions' rights.
NEED_DETAIL = 11
INDICATORS = 11
ORG_NEEDS = 6
ORG_PROJECTS = 7
ORG_CONTRACTS = 6
ORG_APPLICATIONS = 6
ORG_OVERVIEW = 8
HOME = 6
PROJECT = 11
CONTRACT = 9


def _warm(client: Any) -> None:
    # The record types' ids are cached by the process after their first read: each page
    # starts without them, whatever ran before.
    client.get(reverse("home"))
    ContentType.objects.clear_cache()


def _need_with(org: Any, rows: int, reviewer: Any) -> Any:
    need = factories.TechnicalNeedFactory(proposer=org, state="submitted")
    factories.NeedIndicatorFactory.create_batch(rows, need=need)
    factories.NeedAttachmentFactory.create_batch(rows, need=need)
    need_start_review(need=need, actor=reviewer, comment="开始")
    return need


@pytest.mark.parametrize("rows", [1, 12])
def test_the_need_page(as_chen, org_a, reviewer, rows, django_assert_num_queries) -> None:
    need = _need_with(org_a, rows, reviewer)
    _warm(as_chen)
    with django_assert_num_queries(NEED_DETAIL):
        assert as_chen.get(reverse("need_detail", args=[need.pk])).status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_the_indicators_form(as_chen, org_a, rows, django_assert_num_queries) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a)
    factories.NeedIndicatorFactory.create_batch(rows, need=need)
    _warm(as_chen)
    with django_assert_num_queries(INDICATORS):
        assert as_chen.get(reverse("need_indicators", args=[need.pk])).status_code == 200


@pytest.mark.parametrize("rows", [1, 25])
def test_my_organisations_needs(as_chen, org_a, rows, django_assert_num_queries) -> None:
    factories.TechnicalNeedFactory.create_batch(rows, proposer=org_a)
    _warm(as_chen)
    with django_assert_num_queries(ORG_NEEDS):
        page = as_chen.get(reverse("organisation_section", args=["needs"]), {"state": "draft"})
        assert page.status_code == 200


@pytest.mark.parametrize("rows", [1, 15])
def test_my_organisations_projects(as_chen, org_a, rows, django_assert_num_queries) -> None:
    for project in factories.ResearchProjectFactory.create_batch(rows, lead=org_a):
        factories.ProjectParticipantFactory.create_batch(2, project=project)
    _warm(as_chen)
    with django_assert_num_queries(ORG_PROJECTS):
        assert as_chen.get(reverse("organisation_section", args=["projects"])).status_code == 200


@pytest.mark.parametrize("rows", [1, 15])
def test_my_organisations_contracts(as_chen, org_a, rows, django_assert_num_queries) -> None:
    factories.TransferContractFactory.create_batch(rows, buyer=org_a)
    _warm(as_chen)
    with django_assert_num_queries(ORG_CONTRACTS):
        assert as_chen.get(reverse("organisation_section", args=["contracts"])).status_code == 200


@pytest.mark.parametrize("rows", [1, 15])
def test_my_organisations_applications(as_chen, org_a, rows, django_assert_num_queries) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a, state="published")
    factories.NeedApplicationFactory.create_batch(rows, need=need)
    _warm(as_chen)
    with django_assert_num_queries(ORG_APPLICATIONS):
        page = as_chen.get(reverse("organisation_section", args=["applications"]))
        assert page.status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_my_organisation_and_its_members(as_chen, org_a, rows, django_assert_num_queries) -> None:
    from projects.models import MembershipRequest

    factories.MembershipFactory.create_batch(rows, organization=org_a)
    for _ in range(rows):
        MembershipRequest.objects.create(user=factories.UserFactory(), organization=org_a)
    _warm(as_chen)
    with django_assert_num_queries(ORG_OVERVIEW):
        assert as_chen.get(reverse("organisation")).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_the_home_page(as_chen, org_a, rows, django_assert_num_queries) -> None:
    factories.TechnicalNeedFactory.create_batch(rows, proposer=org_a)
    _warm(as_chen)
    with django_assert_num_queries(HOME):
        assert as_chen.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_a_project_page(as_chen, org_a, rows, reviewer, django_assert_num_queries) -> None:
    project = factories.ResearchProjectFactory(lead=org_a)
    factories.ProjectParticipantFactory.create_batch(rows, project=project)
    factories.FundingAllocationFactory.create_batch(rows, project=project)
    _warm(as_chen)
    with django_assert_num_queries(PROJECT):
        assert as_chen.get(reverse("project_detail", args=[project.pk])).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_a_contract_page(as_chen, org_a, rows, reviewer, django_assert_num_queries) -> None:
    from projects.workflows.contracts import contract_request_supplements, contract_resubmit

    contract = factories.TransferContractFactory(buyer=org_a)
    for _ in range(rows):
        contract_request_supplements(contract=contract, actor=reviewer, comment="补充")
        contract_resubmit(contract=contract, actor=reviewer)
    _warm(as_chen)
    with django_assert_num_queries(CONTRACT):
        assert as_chen.get(reverse("contract_detail", args=[contract.pk])).status_code == 200
