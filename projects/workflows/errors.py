"""The one family of errors the workflows raise.

Views, the API, the admin and the ``transition`` command catch ``WorkflowError`` and show its
message as it is: every message is written for the person who tried the action, in their
language.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class WorkflowError(Exception):
    """A transition was refused; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidTransition(WorkflowError):
    """The record is not in a state, or not in a shape, that allows this transition."""


class RuleViolation(InvalidTransition):
    """A rule of the domain forbids the transition (too few indicators, amounts, dates…)."""


class TransitionNotPermitted(WorkflowError, PermissionDenied):
    """The acting user has no right to perform this transition on this record.

    Also a ``PermissionDenied``, so Django views and DRF answer 403 without extra mapping.
    """
