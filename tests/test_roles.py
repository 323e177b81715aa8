"""The staff roles: groups with exact permissions, made by a data migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

from projects.roles import (
    DECIDING_ROLES,
    MANAGER,
    PROJECT_OFFICER,
    REGISTRAR,
    REVIEWER,
    ROLE_PERMISSIONS,
    ROLES_MIGRATION,
    role_group,
    role_groups_refresh,
)
from tests import factories

pytestmark = pytest.mark.django_db

migration = importlib.import_module(f"projects.migrations.{ROLES_MIGRATION}")
split = importlib.import_module("projects.migrations.0007_staff_roles")


def _codenames(name: str) -> set[str]:
    return set(role_group(name).permissions.values_list("codename", flat=True))


def test_the_migration_made_the_groups_of_the_roles_table() -> None:
    # The migration keeps its own copy: changing the table needs a migration too.
    assert {name: frozenset(c) for name, c in migration.ROLES.items()} == ROLE_PERMISSIONS
    for name in ROLE_PERMISSIONS:
        assert _codenames(name) == ROLE_PERMISSIONS[name]


def test_each_role_holds_the_workflow_permission_of_its_records() -> None:
    assert {"verify_organization", "review_technicalneed", "review_needapplication"} <= (
        _codenames(REVIEWER)
    )
    assert "register_transfercontract" in _codenames(REGISTRAR)
    assert {"supervise_researchproject", "assess_bottleneck"} <= _codenames(PROJECT_OFFICER)
    workflow = {
        "verify_organization",
        "review_technicalneed",
        "review_needapplication",
        "register_transfercontract",
        "supervise_researchproject",
        "assess_bottleneck",
    }
    for name in ROLE_PERMISSIONS:
        others = workflow - _codenames(name)
        assert len(others) >= 3, name
    assert not workflow & _codenames(MANAGER)


def test_the_registrar_cannot_review_needs_and_the_reviewer_cannot_register() -> None:
    registrar = factories.registrar_user()
    reviewer = factories.reviewer_only_user()
    assert registrar.has_perm("projects.register_transfercontract")
    assert not registrar.has_perm("projects.review_technicalneed")
    assert not registrar.has_perm("projects.change_organization")
    assert reviewer.has_perm("projects.review_technicalneed")
    assert not reviewer.has_perm("projects.register_transfercontract")
    assert not reviewer.has_perm("projects.view_transfercontract")


def test_manager_reads_records_starts_runs_and_publishes(manager) -> None:
    assert manager.has_perm("projects.view_transfercontract")
    assert manager.has_perm("projects.view_indicatorvalue")
    assert manager.has_perm("projects.add_indicatorrun")
    assert manager.has_perm("projects.publish_indicators")
    assert not manager.has_perm("projects.change_transfercontract")
    assert not manager.has_perm("projects.register_transfercontract")
    assert not manager.has_perm("projects.change_yearlystatistic")


def test_no_role_deletes(reviewer, manager) -> None:
    for name in ROLE_PERMISSIONS:
        assert not any(c.startswith("delete_") for c in _codenames(name)), name


def test_enterprise_user_has_no_back_office_permission(enterprise_user) -> None:
    assert not enterprise_user.is_staff
    assert not enterprise_user.get_all_permissions()


def test_refreshing_takes_back_a_permission_a_role_no_longer_has() -> None:
    reviewers = role_group(REVIEWER)
    stray = Permission.objects.get(codename="delete_transfercontract")
    reviewers.permissions.add(stray)

    role_groups_refresh()

    assert not reviewers.permissions.filter(pk=stray.pk).exists()
    assert reviewers.permissions.filter(codename="review_technicalneed").exists()


def test_the_migration_keeps_the_former_reviewers_deciding(monkeypatch) -> None:
    Group.objects.filter(name__in=ROLE_PERMISSIONS).delete()
    former = factories.UserFactory(username="kjj.former", is_staff=True)
    former.groups.add(Group.objects.create(name="reviewers"))
    Group.objects.create(name="managers").user_set.add(factories.UserFactory(username="kjj.boss"))
    monkeypatch.setattr(split, "_permissions_exist", lambda apps: None)

    split.forwards(global_apps, None)

    assert set(former.groups.values_list("name", flat=True)) == set(DECIDING_ROLES)
    assert not Group.objects.filter(name__in=["reviewers", "managers"]).exists()
    assert Group.objects.get(name=MANAGER).user_set.get().username == "kjj.boss"
    assert _codenames(MANAGER) == set(split.ROLES[MANAGER])
