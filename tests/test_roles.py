from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_reviewer_may_move_records_but_not_publish_figures(reviewer) -> None:
    assert reviewer.has_perm("projects.review_technicalneed")
    assert reviewer.has_perm("projects.register_transfercontract")
    assert reviewer.has_perm("projects.verify_organization")
    assert not reviewer.has_perm("projects.publish_indicators")
    assert not reviewer.has_perm("projects.delete_transfercontract")


def test_manager_reads_records_starts_runs_and_publishes(manager) -> None:
    assert manager.has_perm("projects.view_transfercontract")
    assert manager.has_perm("projects.add_indicatorrun")
    assert manager.has_perm("projects.publish_indicators")
    assert not manager.has_perm("projects.change_transfercontract")
    assert not manager.has_perm("projects.register_transfercontract")


def test_enterprise_user_has_no_back_office_permission(enterprise_user) -> None:
    assert not enterprise_user.is_staff
    assert not enterprise_user.get_all_permissions()


def test_migrate_takes_back_a_permission_a_role_no_longer_has() -> None:
    from django.contrib.auth.models import Group, Permission

    from projects.roles import REVIEWERS, ensure_role_groups

    reviewers = Group.objects.get(name=REVIEWERS)
    stray = Permission.objects.get(codename="delete_transfercontract")
    reviewers.permissions.add(stray)

    ensure_role_groups()

    assert not reviewers.permissions.filter(pk=stray.pk).exists()
    assert reviewers.permissions.filter(codename="review_technicalneed").exists()
