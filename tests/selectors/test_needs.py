"""Who sees a technical need, and how much of it (DESIGN §7)."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import translation

from projects.models import NeedApplication, Pole, TechnicalNeed
from projects.selectors.errors import RecordNotFound
from projects.selectors.needs import (
    NeedSummary,
    NeedVisibility,
    need_get_for,
    need_list_for,
    need_summary_get,
    need_summary_list,
    need_visibility_for,
)
from tests import factories

from .helpers import HIDDEN_STATES, PUBLIC_STATES, PUBLISHED_AT, found, fresh, need_in

pytestmark = pytest.mark.django_db

ALL_STATES = HIDDEN_STATES + PUBLIC_STATES


def sees_in_full(user, need: TechnicalNeed) -> bool:
    """Both the list and the detail selector agree, or the test fails."""
    listed = need_list_for(user=user).filter(pk=need.pk).exists()
    return found(user, need.pk, listed=listed, get=need_get_for)


def sees_summary(user, need: TechnicalNeed) -> bool:
    listed = need.pk in [summary.pk for summary in need_summary_list(user=user)]
    return found(user, need.pk, listed=listed, get=need_summary_get)


def test_the_state_groups_cover_every_state() -> None:
    assert sorted(ALL_STATES) == sorted(TechnicalNeed.State.values)


# Own organisation ---------------------------------------------------------------------------


@pytest.mark.parametrize("state", ALL_STATES)
def test_member_sees_own_need_in_full_in_every_state(enterprise, enterprise_user, state) -> None:
    need = need_in(state, proposer=enterprise)
    assert sees_in_full(enterprise_user, need)
    assert need_visibility_for(user=enterprise_user, need=need) is NeedVisibility.FULL


def test_member_opens_own_need_with_its_indicators_and_attachments(
    enterprise, enterprise_user
) -> None:
    need = need_in("draft", proposer=enterprise)
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    factories.NeedAttachmentFactory(need=need)
    opened = need_get_for(user=enterprise_user, pk=need.pk)
    assert opened.problem == need.problem
    assert len(opened.indicators.all()) == 5
    assert len(opened.attachments.all()) == 1


def test_deactivated_member_no_longer_sees_the_organisations_draft(
    enterprise, inactive_member
) -> None:
    need = need_in("draft", proposer=enterprise)
    assert not sees_in_full(inactive_member, need)
    assert need_visibility_for(user=inactive_member, need=need) is NeedVisibility.NONE


# Another organisation -----------------------------------------------------------------------


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_outsider_cannot_see_unpublished_need_at_all(enterprise, outsider_user, state) -> None:
    need = need_in(state, proposer=enterprise)
    assert not sees_in_full(outsider_user, need)
    assert not sees_summary(outsider_user, need)
    assert need_visibility_for(user=outsider_user, need=need) is NeedVisibility.NONE


@pytest.mark.parametrize("state", PUBLIC_STATES)
def test_outsider_sees_published_need_through_its_summary_only(
    enterprise, outsider_user, state
) -> None:
    need = need_in(state, proposer=enterprise)
    assert not sees_in_full(outsider_user, need)
    assert sees_summary(outsider_user, need)
    assert need_visibility_for(user=outsider_user, need=need) is NeedVisibility.SUMMARY


def test_selected_applicant_sees_the_need_in_full(enterprise, outsider_user) -> None:
    need = need_in("matched", proposer=enterprise)
    solver = outsider_user.memberships.get().organization
    factories.NeedApplicationFactory(
        need=need, applicant=solver, state=NeedApplication.State.SELECTED
    )
    assert sees_in_full(outsider_user, need)
    assert need_visibility_for(user=outsider_user, need=need) is NeedVisibility.FULL


@pytest.mark.parametrize("state", ["submitted", "shortlisted", "declined", "withdrawn"])
def test_applicant_not_selected_sees_the_summary_only(enterprise, outsider_user, state) -> None:
    need = need_in("published", proposer=enterprise)
    applicant = outsider_user.memberships.get().organization
    factories.NeedApplicationFactory(need=need, applicant=applicant, state=state)
    assert not sees_in_full(outsider_user, need)
    assert need_visibility_for(user=outsider_user, need=need) is NeedVisibility.SUMMARY


def test_another_organisations_selection_opens_nothing_to_the_outsider(
    enterprise, outsider_user
) -> None:
    need = need_in("matched", proposer=enterprise)
    factories.NeedApplicationFactory(need=need, state=NeedApplication.State.SELECTED)
    assert not sees_in_full(outsider_user, need)


# Anonymous visitors -------------------------------------------------------------------------


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_anonymous_visitor_cannot_see_unpublished_need(anonymous, state) -> None:
    need = need_in(state)
    assert not sees_in_full(anonymous, need)
    assert not sees_summary(anonymous, need)
    assert need_visibility_for(user=anonymous, need=need) is NeedVisibility.NONE


@pytest.mark.parametrize("state", PUBLIC_STATES)
def test_anonymous_visitor_sees_published_need_through_its_summary_only(anonymous, state) -> None:
    need = need_in(state)
    assert not sees_in_full(anonymous, need)
    assert sees_summary(anonymous, need)
    assert sees_summary(None, need)
    assert need_visibility_for(user=anonymous, need=need) is NeedVisibility.SUMMARY


# Staff --------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ALL_STATES)
def test_reviewer_sees_every_need_in_full(reviewer, state) -> None:
    need = need_in(state)
    assert sees_in_full(reviewer, need)
    assert need_visibility_for(user=reviewer, need=need) is NeedVisibility.FULL


@pytest.mark.parametrize("state", ["submitted", "published"])
def test_staff_without_the_view_permission_see_no_need_in_full(
    staff_without_permission, state
) -> None:
    need = need_in(state)
    assert not sees_in_full(staff_without_permission, need)
    assert sees_summary(staff_without_permission, need) is (state == "published")


def test_enterprise_account_with_a_stray_permission_still_sees_only_its_own(
    outsider_user,
) -> None:
    # Permissions open a record type to staff only; the portal's users act through their
    # memberships whatever an administrator ticked by mistake.
    outsider_user.user_permissions.add(Permission.objects.get(codename="view_technicalneed"))
    outsider = type(outsider_user).objects.get(pk=outsider_user.pk)
    assert not sees_in_full(outsider, need_in("submitted"))


def test_own_needs_of_a_reviewer_who_also_acts_for_an_organisation(enterprise, reviewer):
    # The portal's home lists a member's own work even when the member's staff permission
    # would open every need.
    factories.MembershipFactory(user=reviewer, organization=enterprise)
    ours = need_in("draft", proposer=enterprise)
    theirs = need_in("draft")
    assert [n.pk for n in need_list_for(user=reviewer, own=True)] == [ours.pk]
    assert {n.pk for n in need_list_for(user=reviewer)} == {ours.pk, theirs.pk}


def test_superuser_sees_every_need(db) -> None:
    boss = factories.UserFactory(username="qian.admin", is_staff=True, is_superuser=True)
    assert sees_in_full(boss, need_in("draft"))


# The public summary -------------------------------------------------------------------------


def test_summary_carries_the_public_facts_and_cannot_reach_confidential_ones(enterprise) -> None:
    need = need_in("published", proposer=enterprise)
    summary = need_summary_get(pk=need.pk)
    assert isinstance(summary, NeedSummary)
    assert {field.name for field in dataclasses.fields(summary)} == {
        "pk",
        "title",
        "summary",
        "pole",
        "industrial_chain",
        "budget",
        "open_until",
        "published_at",
        "state",
        "proposer_name",
    }
    assert (summary.title, summary.proposer_name, summary.budget) == (
        need.title,
        enterprise.name,
        need.budget,
    )
    for confidential in ("problem", "key_technology", "goals", "indicators", "attachments"):
        with pytest.raises(AttributeError):
            getattr(summary, confidential)
    for contact in ("contact_name", "contact_phone", "contact_email", "rejection_reason"):
        with pytest.raises(AttributeError):
            getattr(summary, contact)
    with pytest.raises(AttributeError):
        summary.proposer  # noqa: B018  (no way back to the organisation's record)
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.title = "changed"  # type: ignore[misc]


def test_summary_labels_follow_the_readers_language() -> None:
    summary = need_summary_get(pk=need_in("published", pole=Pole.LOW_CARBON).pk)
    with translation.override("en"):
        assert summary.pole_label == "green and low-carbon"
        assert summary.state_label == "published"
        assert summary.industrial_chain_label == "intelligent connected new-energy vehicles"
    with translation.override("zh-hans"):
        assert summary.state_label != "published"


def test_summaries_page_newest_publication_first(enterprise) -> None:
    needs = [
        need_in("published", published_at=PUBLISHED_AT + datetime.timedelta(days=day))
        for day in range(5)
    ]
    need_in("draft")
    paginator = Paginator(need_summary_list(), 2)
    assert paginator.count == 5
    assert paginator.num_pages == 3
    assert [s.pk for s in paginator.page(1)] == [needs[4].pk, needs[3].pk]
    assert [s.pk for s in paginator.page(3)] == [needs[0].pk]


def test_summaries_filter_by_pole_and_chain() -> None:
    digital = need_in("published", pole=Pole.DIGITAL)
    need_in("published", pole=Pole.HEALTH)
    assert [s.pk for s in need_summary_list(pole=Pole.DIGITAL)] == [digital.pk]
    assert list(need_summary_list(industrial_chain="biomedicine")) == []


# Refusals -----------------------------------------------------------------------------------


def test_a_refused_need_is_a_404_that_names_nothing(enterprise, outsider_user) -> None:
    need = need_in("draft", proposer=enterprise, title="秘密电池项目")
    with pytest.raises(Http404) as refused, translation.override("en"):
        need_get_for(user=outsider_user, pk=need.pk)
    assert str(refused.value) == "There is no such technical need."
    assert "秘密电池项目" not in str(refused.value)


def test_a_missing_need_and_a_hidden_need_are_refused_alike(enterprise, outsider_user) -> None:
    hidden = need_in("draft", proposer=enterprise)
    messages = set()
    for pk in (hidden.pk, hidden.pk + 1000, "not-a-number", None):
        with pytest.raises(RecordNotFound) as refused:
            need_get_for(user=outsider_user, pk=pk)
        messages.add(str(refused.value))
        with pytest.raises(RecordNotFound):
            need_summary_get(pk=pk)
    assert len(messages) == 1


# Queries per page ---------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 5])
def test_member_needs_page_costs_one_query(
    enterprise, enterprise_user, rows, django_assert_num_queries
) -> None:
    for _ in range(rows):
        need_in("draft", proposer=enterprise, bottleneck=factories.BottleneckFactory())
    user = fresh(enterprise_user)
    with django_assert_num_queries(1):
        page = [(n.title, n.proposer.name, n.bottleneck.title) for n in need_list_for(user=user)]
    assert len(page) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_reviewer_needs_page_costs_one_query(reviewer, rows, django_assert_num_queries) -> None:
    for _ in range(rows):
        need_in("submitted")
    user = fresh(reviewer)
    with django_assert_num_queries(1):
        page = [(n.title, n.proposer.name) for n in need_list_for(user=user)]
    assert len(page) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_need_detail_costs_three_queries(reviewer, rows, django_assert_num_queries) -> None:
    need = need_in("submitted")
    factories.NeedIndicatorFactory.create_batch(rows, need=need)
    factories.NeedAttachmentFactory.create_batch(rows, need=need)
    user = fresh(reviewer)
    with django_assert_num_queries(3):
        opened = need_get_for(user=user, pk=need.pk)
        shown = [i.metric for i in opened.indicators.all()]
        shown += [a.description for a in opened.attachments.all()]
        shown.append(opened.proposer.name)
    assert len(shown) == 2 * rows + 1


@pytest.mark.parametrize("rows", [1, 5])
def test_public_needs_page_costs_two_queries(anonymous, rows, django_assert_num_queries) -> None:
    for _ in range(rows):
        need_in("published")
    with django_assert_num_queries(2):
        page = Paginator(need_summary_list(user=anonymous), 20).page(1)
        shown = [(s.title, s.proposer_name, s.pole_label) for s in page]
    assert len(shown) == rows


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "没有这项技术需求。"),
        ("fr", "Ce besoin technologique n’existe pas."),
        ("en", "There is no such technical need."),
    ],
)
def test_the_refusal_speaks_the_readers_language(outsider_user, language, message) -> None:
    need = need_in("draft")
    with translation.override(language), pytest.raises(RecordNotFound) as refused:
        need_get_for(user=outsider_user, pk=need.pk)
    assert str(refused.value) == message
