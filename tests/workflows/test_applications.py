"""Applications to solve a published need (揭榜): who may apply, and what selecting one does."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.attachments import ORIGINAL_NAME_MAX
from projects.models import NeedApplication, Organization, TechnicalNeed
from projects.workflows import applications
from projects.workflows.errors import InvalidTransition, RuleViolation, TransitionNotPermitted
from tests import factories
from tests.workflows.helpers import timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(enterprise: Any) -> TechnicalNeed:
    return factories.TechnicalNeedFactory(proposer=enterprise, state="published")


@pytest.fixture
def university() -> Organization:
    return factories.OrganizationFactory(name="重庆大学", kind=Organization.Kind.UNIVERSITY)


@pytest.fixture
def professor(university: Organization) -> Any:
    user = factories.UserFactory(username="liu.professor")
    factories.MembershipFactory(user=user, organization=university)
    return user


def test_a_member_applies_for_a_verified_organisation(
    need: TechnicalNeed, university: Organization, professor: Any
) -> None:
    application = applications.application_submit(
        need=need, applicant=university, proposal="相变材料方案", actor=professor
    )

    assert application.state == "submitted"
    assert application.submitted_by == professor
    assert timeline(application) == [("submit", "", "submitted", "liu.professor")]


def test_an_attachment_with_a_very_long_name_is_kept_under_a_cut_name(
    need: TechnicalNeed, university: Organization, professor: Any, settings: Any, tmp_path: Any
) -> None:
    # PostgreSQL refuses a name longer than its column; the name keeps its extension.
    settings.MEDIA_ROOT = tmp_path
    long_name = "热管理方案" * 59 + ".pdf"  # 300 characters
    upload = SimpleUploadedFile(long_name, b"%PDF-1.4\n%%EOF\n")

    application = applications.application_submit(
        need=need, applicant=university, proposal="方案", actor=professor, attachments=[upload]
    )

    attachment = application.attachments.get()
    assert len(attachment.original_name) == ORIGINAL_NAME_MAX
    assert attachment.original_name == long_name[: ORIGINAL_NAME_MAX - 4] + ".pdf"
    assert attachment.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"need_state": "in_review"}, InvalidTransition),
        ({"applicant_state": "pending"}, RuleViolation),
        ({"own_need": True}, RuleViolation),
    ],
    ids=["need-not-published", "applicant-not-verified", "own-need"],
)
def test_applications_that_are_refused(
    enterprise: Any, university: Organization, change: dict[str, Any], error: type[Exception]
) -> None:
    need = factories.TechnicalNeedFactory(
        proposer=enterprise, state=change.get("need_state", "published")
    )
    applicant = enterprise if change.get("own_need") else university
    if "applicant_state" in change:
        applicant = factories.OrganizationFactory(state=change["applicant_state"])
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, organization=applicant)

    with pytest.raises(error):
        applications.application_submit(
            need=need, applicant=applicant, proposal="方案", actor=member
        )

    assert NeedApplication.objects.count() == 0


def test_an_organisation_applies_once(
    need: TechnicalNeed, university: Organization, professor: Any
) -> None:
    applications.application_submit(need=need, applicant=university, proposal="一", actor=professor)

    with pytest.raises(RuleViolation):
        applications.application_submit(
            need=need, applicant=university, proposal="二", actor=professor
        )


def test_nobody_applies_for_an_organisation_they_are_not_a_member_of(
    need: TechnicalNeed, university: Organization, outsider_user: Any
) -> None:
    with pytest.raises(TransitionNotPermitted):
        applications.application_submit(
            need=need, applicant=university, proposal="方案", actor=outsider_user
        )


def test_selecting_matches_the_need_and_declines_the_others(
    need: TechnicalNeed, enterprise_user: Any
) -> None:
    chosen = factories.NeedApplicationFactory(need=need, state="shortlisted")
    other = factories.NeedApplicationFactory(need=need)

    applications.application_select(application=chosen, actor=enterprise_user, comment="方案最优")

    need.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.state, need.state, other.state) == ("selected", "matched", "declined")
    assert timeline(chosen) == [("select", "shortlisted", "selected", "chen.enterprise")]
    assert timeline(need) == [("match", "published", "matched", "chen.enterprise")]
    assert timeline(other) == [("decline", "submitted", "declined", "chen.enterprise")]


def test_an_application_of_a_matched_need_cannot_be_selected(
    need: TechnicalNeed, reviewer: Any
) -> None:
    first = factories.NeedApplicationFactory(need=need, state="shortlisted")
    second = factories.NeedApplicationFactory(need=need, state="shortlisted")
    applications.application_select(application=first, actor=reviewer)

    with pytest.raises(InvalidTransition):
        applications.application_select(application=second, actor=reviewer)

    assert NeedApplication.objects.filter(state="selected").count() == 1


def test_the_applicant_withdraws_its_own_application_only(
    need: TechnicalNeed, university: Organization, professor: Any, enterprise_user: Any
) -> None:
    application = factories.NeedApplicationFactory(need=need, applicant=university)

    with pytest.raises(TransitionNotPermitted):
        applications.application_withdraw(application=application, actor=enterprise_user)
    applications.application_withdraw(application=application, actor=professor)

    assert application.state == "withdrawn"


@pytest.mark.parametrize("state", ["draft", "submitted", "in_review", "returned", "rejected"])
def test_an_outsider_applying_to_an_unpublished_need_learns_nothing_of_it(
    enterprise: Any, university: Organization, professor: Any, state: str
) -> None:
    hidden = factories.TechnicalNeedFactory(
        proposer=enterprise,
        state=state,
        title="固态电池电解质保密课题",
        rejection_reason="duplicate" if state == "rejected" else "",
    )

    with pytest.raises(InvalidTransition) as refused:
        applications.application_submit(
            need=hidden, applicant=university, proposal="我们可以解决", actor=professor
        )

    assert str(refused.value) in ("There is no such technical need.", "没有这项技术需求。")
    assert "固态电池" not in str(refused.value)
    assert not NeedApplication.objects.exists()
