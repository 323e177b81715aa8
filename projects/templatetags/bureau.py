"""Template filters for the bureau's figures, in the page's language: ``{% load bureau %}``.

``{{ contract.contract_amount|yuan }}``, ``{{ value|yuan_compact }}``, ``{{ share|percent }}``,
``{{ count|count }}``.
"""

from __future__ import annotations

from typing import Any

from django import template

from projects import formatting

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    return formatting.amount(value)


@register.filter
def yuan_compact(value: Any) -> str:
    return formatting.amount_compact(value)


@register.filter
def percent(value: Any) -> str:
    return formatting.percent(value)


@register.filter
def count(value: Any) -> str:
    return formatting.number(value)
