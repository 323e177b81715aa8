"""Template helpers of the portal: a timeline entry in the reader's language, and a page link
that keeps the other GET parameters.

``{% load portal %}``: ``{{ entry|transition_name }}``, ``{{ entry|from_state_name }}``,
``{{ entry|to_state_name }}``, ``{{ entry|changes_of }}``,
``{% page_query request page_number %}``, ``{{ user|person_name }}``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType

from projects import formatting
from projects.models import TransitionLog
from projects.workflows.registry import changes_shown, state_label_of, transition_label

register = template.Library()


@register.filter
def person_name(user: Any) -> str:
    """``projects.formatting.person_name``: 陈晓雯, not 晓雯 陈; the user name if none."""
    return formatting.person_name(user)


def _model(entry: TransitionLog) -> Any:
    # get_for_id is cached: no query per row.
    return ContentType.objects.get_for_id(entry.content_type_id).model_class()


@register.filter
def transition_name(entry: TransitionLog) -> str:
    return transition_label(model=_model(entry), name=entry.transition)


@register.filter
def from_state_name(entry: TransitionLog) -> str:
    if not entry.from_state:
        return ""
    return state_label_of(model=_model(entry), state=entry.from_state)


@register.filter
def to_state_name(entry: TransitionLog) -> str:
    return state_label_of(model=_model(entry), state=entry.to_state)


@register.filter
def changes_of(entry: TransitionLog) -> list[tuple[str, Any, Any]]:
    if not entry.changes:
        return []
    return changes_shown(model=_model(entry), changes=entry.changes)


@register.simple_tag
def page_query(request: Any, number: int) -> str:
    """The query string of the current page with ``page`` set to ``number``."""
    query = request.GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
