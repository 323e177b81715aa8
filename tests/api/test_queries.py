"""The contract list costs the same number of queries on its first page and deep into its
cursor pages (the benchmark measures the time at a million rows)."""

from __future__ import annotations

from rest_framework.test import APIClient

from tests import factories

# Session, user, the user's permissions (staff see all with the view permission: one lookup of
# their own and their groups' together), then one query for the page: no COUNT, no OFFSET,
# the seller's and buyer's names read inside it.
PAGE_QUERIES = 4


def test_the_first_and_a_deep_cursor_page_cost_the_same_queries(
    reviewer, django_assert_num_queries
) -> None:
    seller, buyer = factories.OrganizationFactory(), factories.OrganizationFactory()
    factories.TransferContractFactory.create_batch(60, seller=seller, buyer=buyer)
    client = APIClient()
    client.force_login(reviewer)
    with django_assert_num_queries(PAGE_QUERIES):
        page = client.get("/api/v1/contracts/?page_size=5").json()
    seen = [row["id"] for row in page["results"]]
    for _ in range(8):
        page = client.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
    with django_assert_num_queries(PAGE_QUERIES):
        deep = client.get(page["next"]).json()
    seen += [row["id"] for row in deep["results"]]
    assert len(seen) == len(set(seen)) == 50
    assert seen == sorted(seen, reverse=True)
    assert deep["results"][0]["seller"]["name"] == seller.name


def test_a_members_contract_list_costs_the_same_queries(
    member_a, org_a, django_assert_num_queries
) -> None:
    factories.TransferContractFactory.create_batch(12, seller=org_a)
    client = APIClient()
    client.force_login(member_a)
    # Session, user, then the page: the membership rule is a subquery, and no permission is
    # looked up for a user who is not staff.
    with django_assert_num_queries(PAGE_QUERIES - 1):
        page = client.get("/api/v1/contracts/?page_size=5").json()
    with django_assert_num_queries(PAGE_QUERIES - 1):
        client.get(page["next"])


def test_the_contract_list_writes_each_contract_as_its_serializer_does(
    reviewer, org_a, client_for
) -> None:
    from projects.api.serializers import ContractSerializer
    from projects.models import TransferContract

    factories.TransferContractFactory(seller=org_a, state="registered")
    factories.TransferContractFactory(buyer=org_a, state="supplement_requested")
    listed = client_for(reviewer).get("/api/v1/contracts/").json()["results"]
    contracts = TransferContract.objects.order_by("-id")
    assert listed == [dict(ContractSerializer(c).data) for c in contracts]


def test_an_attachment_downloads_in_one_query_after_the_session(
    member_a, org_a, django_assert_num_queries
) -> None:
    attachment = factories.NeedAttachmentFactory(
        need=factories.TechnicalNeedFactory(proposer=org_a)
    )
    client = APIClient()
    client.force_login(member_a)
    # Session, user, then the attachment: its need's visibility is a subquery of the same query.
    with django_assert_num_queries(PAGE_QUERIES - 1):
        download = client.get(
            f"/api/v1/needs/{attachment.need_id}/attachments/{attachment.pk}/download/"
        )
    assert download.status_code == 200
