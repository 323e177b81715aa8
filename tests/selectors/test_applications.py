"""Who sees an application to a need: the applicant, the need's proposer, reviewers."""

from __future__ import annotations

import pytest

from projects.models import NeedApplication
from projects.selectors.applications import application_get_for, application_list_for
from projects.selectors.errors import RecordNotFound
from tests import factories

from .helpers import found, fresh, need_in

pytestmark = pytest.mark.django_db


def sees(user, application: NeedApplication) -> bool:
    listed = application_list_for(user=user).filter(pk=application.pk).exists()
    return found(user, application.pk, listed=listed, get=application_get_for)


@pytest.fixture
def proposer_user(db):
    """He, who acts for the organisation that published the need."""
    user = factories.UserFactory(username="he.proposer")
    factories.MembershipFactory(user=user, organization__name="重庆需求方制造有限公司")
    return user


@pytest.fixture
def application(enterprise, proposer_user) -> NeedApplication:
    """The enterprise's application to He's published need."""
    need = need_in("published", proposer=proposer_user.memberships.get().organization)
    return factories.NeedApplicationFactory(need=need, applicant=enterprise)


@pytest.mark.parametrize("state", NeedApplication.State.values)
def test_applicant_sees_its_application_in_every_state(enterprise_user, application, state):
    NeedApplication.objects.filter(pk=application.pk).update(state=state)
    assert sees(enterprise_user, application)


@pytest.mark.parametrize("state", NeedApplication.State.values)
def test_needs_proposer_sees_every_application_to_its_need(proposer_user, application, state):
    NeedApplication.objects.filter(pk=application.pk).update(state=state)
    assert sees(proposer_user, application)


def test_outsider_cannot_see_the_application(outsider_user, application) -> None:
    assert not sees(outsider_user, application)


def test_other_applicant_cannot_see_a_rivals_application(outsider_user, application) -> None:
    factories.NeedApplicationFactory(
        need=application.need, applicant=outsider_user.memberships.get().organization
    )
    assert [a.pk for a in application_list_for(user=outsider_user)] != [application.pk]
    assert not sees(outsider_user, application)


def test_anonymous_visitor_cannot_see_the_application(anonymous, application) -> None:
    assert not sees(anonymous, application)


def test_deactivated_member_cannot_see_the_application(inactive_member, application) -> None:
    assert not sees(inactive_member, application)


def test_reviewer_sees_every_application(reviewer, application) -> None:
    assert sees(reviewer, application)


def test_staff_without_the_view_permission_see_no_application(
    staff_without_permission, application
) -> None:
    assert not sees(staff_without_permission, application)


def test_application_carries_what_the_applicant_may_know_of_the_need(
    enterprise_user, application
) -> None:
    shown = application_get_for(user=enterprise_user, pk=application.pk)
    need = application.need
    assert (shown.need_title, shown.need_state, shown.need_proposer_name) == (
        need.title,
        "published",
        need.proposer.name,
    )


def test_a_refused_application_is_a_404_that_names_nothing(outsider_user, application) -> None:
    with pytest.raises(RecordNotFound) as refused:
        application_get_for(user=outsider_user, pk=application.pk)
    assert application.need.title not in str(refused.value)
    assert application.applicant.name not in str(refused.value)


@pytest.mark.parametrize("rows", [1, 5])
def test_applications_page_costs_one_query(
    enterprise, enterprise_user, rows, django_assert_num_queries
) -> None:
    for _ in range(rows):
        factories.NeedApplicationFactory(need=need_in("published"), applicant=enterprise)
    user = fresh(enterprise_user)
    with django_assert_num_queries(1):
        page = [
            (a.applicant.name, a.need_title, a.need_proposer_name, a.get_state_display())
            for a in application_list_for(user=user)
        ]
    assert len(page) == rows
