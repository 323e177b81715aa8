"""A need's attachments are served only to those who see the need in full."""

from __future__ import annotations

import pytest

from projects.models import NeedApplication
from projects.selectors.errors import RecordNotFound
from projects.selectors.needs import need_attachment_get_for
from tests import factories

from .helpers import need_in

pytestmark = pytest.mark.django_db


def opens(user, attachment) -> bool:
    try:
        return need_attachment_get_for(user=user, pk=attachment.pk) == attachment
    except RecordNotFound:
        return False


@pytest.fixture
def specification(enterprise):
    """The technical specification attached to the enterprise's published need."""
    return factories.NeedAttachmentFactory(need=need_in("published", proposer=enterprise))


def test_member_downloads_own_needs_attachment(enterprise_user, specification) -> None:
    assert opens(enterprise_user, specification)


def test_outsider_cannot_download_the_attachment_of_a_published_need(
    outsider_user, specification
) -> None:
    assert not opens(outsider_user, specification)


def test_selected_applicant_downloads_the_attachment(outsider_user, specification) -> None:
    factories.NeedApplicationFactory(
        need=specification.need,
        applicant=outsider_user.memberships.get().organization,
        state=NeedApplication.State.SELECTED,
    )
    assert opens(outsider_user, specification)


def test_anonymous_visitor_cannot_download_the_attachment(anonymous, specification) -> None:
    assert not opens(anonymous, specification)


def test_reviewer_downloads_the_attachment(reviewer, specification) -> None:
    assert opens(reviewer, specification)


def test_staff_without_the_view_permission_cannot_download_it(
    staff_without_permission, specification
) -> None:
    assert not opens(staff_without_permission, specification)


def test_a_refused_attachment_is_a_404_that_names_nothing(outsider_user, specification) -> None:
    with pytest.raises(RecordNotFound) as refused:
        need_attachment_get_for(user=outsider_user, pk=specification.pk)
    assert specification.description not in str(refused.value)
    assert specification.need.title not in str(refused.value)
