"""Who reads what through the API: the same answers as the selectors give the portal.

A refused read of a record is a 404 that names nothing; an unauthenticated request is a 401.
"""

from __future__ import annotations

import pytest

from tests.api.records import records_of

# persona → the records of organisation A it may open (the others: 404, or 401 anonymous).
SEES = {
    "member_a": {
        "need",
        "published_need",
        "application",
        "project",
        "contract",
        "certification",
        "bottleneck",
        "platform",
        "organization",
    },
    "member_b": {"bottleneck", "platform"},
    "reviewer": {
        "need",
        "published_need",
        "application",
        "project",
        "contract",
        "certification",
        "bottleneck",
        "platform",
        "organization",
    },
    # The Registrar role: contracts, every signed-in user's lists, and the organisations,
    # needs and projects a contract names (read, never changed: ``projects.roles``); not the
    # applications to needs nor the certifications, which are the reviewers'.
    "registrar": {
        "need",
        "published_need",
        "project",
        "contract",
        "bottleneck",
        "platform",
        "organization",
    },
    "manager": {
        "need",
        "published_need",
        "application",
        "project",
        "contract",
        "certification",
        "bottleneck",
        "platform",
        "organization",
    },
}
RECORDS = sorted(SEES["member_a"])
COLLECTION = {
    "need": "needs",
    "published_need": "needs",
    "application": "applications",
    "project": "projects",
    "contract": "contracts",
    "certification": "certifications",
    "bottleneck": "bottlenecks",
    "platform": "platforms",
    "organization": "organisations",
}


@pytest.mark.parametrize("persona", sorted(SEES))
@pytest.mark.parametrize("record", RECORDS)
def test_each_persona_opens_exactly_the_records_it_may_see(
    personas, org_a, client_for, persona, record
) -> None:
    records = records_of(org_a)
    client = client_for(personas[persona])
    answer = client.get(records.url(record))
    listed = client.get(f"/api/v1/{COLLECTION[record]}/?page_size=200")
    ids = {row["id"] for row in listed.json()["results"]}
    pk = getattr(records, record).pk
    if record in SEES[persona]:
        assert answer.status_code == 200, answer.json()
        assert answer.json()["id"] == pk
        assert pk in ids
    else:
        assert answer.status_code == 404
        assert answer.json()["code"] == "not_found"
        # The message names no record: the same for a missing id.
        missing = client.get(records.url(record).replace(f"/{pk}/", "/987654/"))
        assert answer.json() == missing.json()
        assert pk not in ids


@pytest.mark.parametrize("record", RECORDS)
def test_anonymous_clients_are_asked_to_authenticate(db, org_a, client_for, record) -> None:
    records = records_of(org_a)
    answer = client_for(None).get(records.url(record))
    assert answer.status_code == 401
    assert answer.json()["code"] == "not_authenticated"
    assert "Bearer" in answer["WWW-Authenticate"]


def test_others_published_needs_are_read_through_their_public_summary_only(
    personas, org_a, client_for
) -> None:
    records = records_of(org_a)
    for persona in ("anonymous", "member_b"):
        client = client_for(personas[persona])
        listed = client.get("/api/v1/published-needs/").json()["results"]
        assert [row["id"] for row in listed] == [records.published_need.pk]
        summary = client.get(f"/api/v1/published-needs/{records.published_need.pk}/").json()
        assert summary["title"] == "A的已发布需求"
        assert summary["proposer_name"] == org_a.name
        for confidential in ("problem", "key_technology", "contact_phone", "indicators"):
            assert confidential not in summary
        # A draft has no public summary.
        assert client.get(f"/api/v1/published-needs/{records.need.pk}/").status_code == 404


def test_the_need_in_full_carries_its_indicators_and_attachments(
    member_a, org_a, client_for
) -> None:
    records = records_of(org_a)
    need = client_for(member_a).get(records.url("need")).json()
    assert len(need["indicators"]) == 5
    assert need["attachments"] == []
    assert need["contact_phone"] == "023-68881234"
    assert set(need["transitions"]) == {"edit", "submit", "withdraw"}


def test_a_project_shows_its_participants_and_funding(member_a, org_a, client_for) -> None:
    records = records_of(org_a)
    project = client_for(member_a).get(records.url("project")).json()
    assert project["lead"] == {"id": org_a.pk, "name": org_a.name}
    assert [f["amount"] for f in project["funding"]] == ["1000000.00"]
    # A member reads its project, and may take no transition of the bureau's.
    assert project["transitions"] == []


def test_members_of_an_organisation_are_listed_for_its_members_only(
    personas, org_a, client_for
) -> None:
    url = f"/api/v1/organisations/{org_a.pk}/members/"
    mine = client_for(personas["member_a"]).get(url)
    assert [m["username"] for m in mine.json()] == ["chen.enterprise"]
    assert client_for(personas["member_b"]).get(url).status_code == 404


def test_timeline_lists_the_records_transitions_for_those_who_see_it(
    personas, org_a, client_for
) -> None:
    records = records_of(org_a)
    client_for(personas["member_a"]).post(records.url("need") + "submit/", {"comment": "请审核"})
    timeline = client_for(personas["reviewer"]).get(records.url("need") + "timeline/").json()
    assert [(e["transition"], e["actor"], e["comment"]) for e in timeline["results"]] == [
        ("submit", "chen.enterprise", "请审核")
    ]
    assert (
        client_for(personas["member_b"]).get(records.url("need") + "timeline/").status_code == 404
    )


def test_lists_filter_by_state_year_pole_and_organisation(
    reviewer, org_a, org_b, client_for
) -> None:
    records = records_of(org_a)
    from tests import factories

    other = factories.TransferContractFactory(seller=org_b, state="registered")
    client = client_for(reviewer)

    def ids(query: str) -> set[int]:
        return {row["id"] for row in client.get(f"/api/v1/contracts/?{query}").json()["results"]}

    assert ids(f"organization={org_a.pk}") == {records.contract.pk}
    assert ids("state=registered") == {other.pk}
    assert ids(f"year={other.registered_on.year}") == {other.pk}
    assert ids(f"registered_after={other.registered_on}") == {other.pk}
    assert ids("search=" + records.contract.title) == {records.contract.pk}
    needs = client.get("/api/v1/needs/?state=published").json()["results"]
    assert [n["id"] for n in needs] == [records.published_need.pk]
    bad = client.get("/api/v1/contracts/?year=abc")
    assert bad.status_code == 400
    assert "year" in bad.json()["fields"]


def test_the_contract_year_counts_its_first_and_last_days(reviewer, org_a, client_for) -> None:
    import datetime

    from tests import factories

    days = [datetime.date(2023, 12, 31), datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)]
    made = [
        factories.TransferContractFactory(
            seller=org_a,
            state="registered",
            signed_on=datetime.date(2023, 11, 1),
            submitted_on=datetime.date(2023, 11, 5),
            registered_on=day,
        )
        for day in [*days, datetime.date(2025, 1, 1)]
    ]
    listed = client_for(reviewer).get("/api/v1/contracts/?year=2024").json()["results"]
    assert {row["id"] for row in listed} == {made[1].pk, made[2].pk}


def test_a_filter_beside_a_page_size_or_a_cursor_still_filters(reviewer, org_a, client_for) -> None:
    from tests import factories

    registered = factories.TransferContractFactory.create_batch(3, seller=org_a, state="registered")
    factories.TransferContractFactory.create_batch(3, seller=org_a, state="submitted")
    client = client_for(reviewer)
    first = client.get("/api/v1/contracts/?state=registered&page_size=2").json()
    assert [row["state"] for row in first["results"]] == ["registered", "registered"]
    rest = client.get(first["next"]).json()
    assert [row["id"] for row in first["results"] + rest["results"]] == sorted(
        (c.pk for c in registered), reverse=True
    )
    bad = client.get(first["next"] + "&year=abc")
    assert bad.status_code == 400
    assert "year" in bad.json()["fields"]
