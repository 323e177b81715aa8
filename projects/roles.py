"""The staff roles of the bureau, as Django groups with their permissions.

Enterprise users need no group: they act through their ``Membership``. Reviewers work in the
admin (the back office); managers read and publish indicator reports.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

REVIEWERS = "reviewers"
MANAGERS = "managers"

# Models the back office edits; deletion stays with superusers.
_REVIEWER_MODELS = (
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
    "researchproject",
    "projectparticipant",
    "fundingallocation",
    "transfercontract",
    "yearlystatistic",
)
_READ_ONLY_MODELS = ("transitionlog", "notification")
_INDICATOR_MODELS = ("indicatorrun", "indicatorvalue", "publishedfigure", "indicatorrevision")
# The workflow rights (Meta.permissions of each model): who may move a record between states.
_REVIEWER_WORKFLOW_PERMISSIONS = (
    ("verify", "organization"),
    ("review", "technicalneed"),
    ("review", "needapplication"),
    ("supervise", "researchproject"),
    ("assess", "bottleneck"),
    ("register", "transfercontract"),
)


def _role_permissions() -> dict[str, list[tuple[str, str]]]:
    reviewer = [
        (action, model) for model in _REVIEWER_MODELS for action in ("view", "add", "change")
    ]
    reviewer += [("view", model) for model in _READ_ONLY_MODELS]
    reviewer += list(_REVIEWER_WORKFLOW_PERMISSIONS)
    manager = [("view", model) for model in _REVIEWER_MODELS + _READ_ONLY_MODELS]
    manager += [("view", model) for model in _INDICATOR_MODELS]
    manager += [("add", "indicatorrun"), ("publish", "indicators")]
    return {REVIEWERS: reviewer, MANAGERS: manager}


def ensure_role_groups(**_kwargs: Any) -> None:
    """Create or refresh the role groups; runs after every ``migrate``."""
    for group_name, wanted in _role_permissions().items():
        group, _created = Group.objects.get_or_create(name=group_name)
        codenames = {f"{action}_{model}" for action, model in wanted}
        permissions = Permission.objects.filter(
            content_type__app_label="projects", codename__in=codenames
        )
        # set, not add: a permission taken off a role leaves its group too.
        group.permissions.set(permissions)
