"""The staff roles of the bureau, as Django groups with exact permissions.

Enterprise users need no group: they act through their ``Membership``. Four roles work in the
back office, each on its own record types:

- **Reviewer**: organisations (verification, memberships, certifications), technical needs and
  their applications;
- **Registrar**: technology contracts (registration);
- **Project officer**: research projects, bottlenecks, funding, platforms and the yearly
  statistics;
- **Manager**: reads everything, starts indicator runs and publishes a year's figures.

A role reads the organisations, needs and projects its records name (a contract's parties,
a project's lead) but changes none of them. Deletion stays with superusers.

The groups are created by a data migration (``0007_staff_roles``); each later change of this
table comes with a migration of its own (the latest is ``ROLES_MIGRATION``), which keeps a
frozen copy of it; ``tests/test_roles.py`` holds the two to the same answer. When a role
changes, change ``ROLE_PERMISSIONS`` and add a migration that calls ``role_groups_refresh``
(``manage.py refresh_roles`` does the same by hand).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps

REVIEWER = "Reviewer"
REGISTRAR = "Registrar"
PROJECT_OFFICER = "Project officer"
MANAGER = "Manager"
ROLES = (REVIEWER, REGISTRAR, PROJECT_OFFICER, MANAGER)
# The migration that last set the groups to this table.
ROLES_MIGRATION = "0015_roles_new_records"
# The roles that take decisions (the manager only reads and publishes figures).
DECIDING_ROLES = (REVIEWER, REGISTRAR, PROJECT_OFFICER)

# Names of the two groups before the roles were split; kept for code written against them.
REVIEWERS = REVIEWER
MANAGERS = MANAGER

_EDIT = ("view", "add", "change")


def _each(actions: tuple[str, ...], *models: str) -> set[str]:
    return {f"{action}_{model}" for model in models for action in actions}


# Every staff role reads the timelines and the delivery log of the e-mails its decisions
# send, and may send a failed one again (the change permission of a notification).
_STAFF = _each(("view",), "transitionlog") | _each(("view", "change"), "notification")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    REVIEWER: frozenset(
        _each(_EDIT, "organization", "certification", "technicalneed", "needapplication")
        # Memberships change only through their functions, which ask for change_membership.
        | _each(("view", "change"), "membership")
        | _each(("view",), "needindicator", "needattachment", "applicationattachment")
        # Requests to join an organisation are decided through change_membership.
        | _each(("view",), "membershiprequest")
        | {"verify_organization", "review_technicalneed", "review_needapplication"}
        | _STAFF
    ),
    REGISTRAR: frozenset(
        _each(_EDIT, "transfercontract")
        | _each(("view",), "organization", "technicalneed", "researchproject")
        | {"register_transfercontract"}
        | _STAFF
    ),
    PROJECT_OFFICER: frozenset(
        _each(
            _EDIT,
            "researchproject",
            "projectparticipant",
            "fundingallocation",
            "bottleneck",
            "innovationplatform",
            "yearlystatistic",
        )
        | _each(("view",), "organization", "technicalneed")
        | {"supervise_researchproject", "assess_bottleneck"}
        | _STAFF
    ),
    MANAGER: frozenset(
        _each(
            ("view",),
            "organization",
            "membership",
            "membershiprequest",
            "certification",
            "innovationplatform",
            "bottleneck",
            "technicalneed",
            "needindicator",
            "needattachment",
            "needapplication",
            "applicationattachment",
            "researchproject",
            "projectparticipant",
            "fundingallocation",
            "transfercontract",
            "yearlystatistic",
            "transitionlog",
            "notification",
            "indicatorrun",
            "indicatorvalue",
            "publishedfigure",
            "indicatorrevision",
        )
        | {"add_indicatorrun", "publish_indicators"}
    ),
}


def role_groups_refresh(
    *, apps: Any = global_apps, roles: dict[str, frozenset[str]] | None = None
) -> None:
    """Create the role groups, or set their permissions to exactly those of ``roles``.

    ``apps`` is the app registry to read the models from: a migration passes its own.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codenames in (roles or ROLE_PERMISSIONS).items():
        group, _created = group_model.objects.get_or_create(name=name)
        permissions = list(
            permission_model.objects.filter(
                content_type__app_label="projects", codename__in=codenames
            )
        )
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise LookupError(f"permissions not found for {name}: {sorted(missing)}")
        # set, not add: a permission taken off a role leaves its group too.
        group.permissions.set(permissions)


def role_group(name: str) -> Any:
    """The group of role ``name``, created with its permissions if it is missing (a test
    database emptied between tests, an administrator who deleted it)."""
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=name).first()
    if group is None:
        role_groups_refresh(roles={name: ROLE_PERMISSIONS[name]})
        group = Group.objects.get(name=name)
    return group
