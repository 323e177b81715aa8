"""The public catalogue: published needs anybody may search, through their public summary only.

A search finds each word of the query inside the title or the public summary, Chinese words
included (Chinese writes no spaces, so "传感器" must match inside "高精度传感器芯片研发"): a word
matches where ``icontains`` finds it, i.e. ``UPPER(column) LIKE UPPER('%word%')``.

On PostgreSQL a GIN index of each published need's characters and pairs of characters
(migration ``0012_catalogue_search``, which says why not trigrams) first narrows the rows to
those holding every pair of the word, so a word of one, two or more characters is looked up
rather than searched for row by row; ``icontains`` then checks the rows left for a word of
three characters or more (for one or two, the index holds the word itself).
``benchmarks/catalogue.py`` measures it at 100,000 published needs.

Every filter reads a public column (title, summary, pole, chain, budget, open until): a filter
cannot be used to probe a confidential field.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BooleanField, Func, Q, TextField, Value

from projects.models import NeedApplication, TechnicalNeed

from ._core import get_or_not_found
from .applications import application_list_for
from .memberships import organization_ids_for
from .needs import PUBLIC_STATES, NeedSummaries, NeedSummary, _summary_rows

if TYPE_CHECKING:
    from .memberships import Viewer

__all__ = [
    "MAX_WORDS",
    "NeedSummary",
    "catalogue_search",
    "need_to_apply_to",
    "own_application_to",
    "search_words",
]

# More words than this are ignored: each one is another condition on every row.
MAX_WORDS = 6
# The longest word the index holds whole (a pair of characters): longer ones are checked.
EXACT_GRAM_LENGTH = 2


class _Grams(Func):
    """The characters and pairs of characters of a column (an SQL function of migration 0007:
    the expression its indexes hold)."""

    function = "catalogue_grams"
    output_field = TextField()  # a text[], only ever compared by _Holds


class _WordGrams(Func):
    """What a searched word asks of ``_Grams``: its pairs of characters, or its character."""

    function = "catalogue_word_grams"
    output_field = TextField()


class _Holds(Func):
    """Array containment, ``a @> b``: the index's condition."""

    arg_joiner = " @> "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _word_condition(word: str) -> Q:
    if word.upper() == word.lower():
        # No letter of the word has a case (Chinese, digits): upper-casing every row to
        # compare would change nothing, and costs half the search.
        exact = Q(title__contains=word) | Q(summary__contains=word)
    else:
        exact = Q(title__icontains=word) | Q(summary__icontains=word)
    if connection.vendor != "postgresql":
        return exact
    grams = _WordGrams(Value(word))
    indexed = Q(_Holds(_Grams("title"), grams)) | Q(_Holds(_Grams("summary"), grams))
    if len(word) <= EXACT_GRAM_LENGTH:
        # The index holds the word itself: nothing left to check (the check would cost
        # more than the lookup, a few microseconds for each of thousands of rows).
        return indexed
    return indexed & exact


def search_words(text: str) -> list[str]:
    """The words of a query, as typed, separated by spaces (ideographic ones too), each once."""
    words: list[str] = []
    for word in text.replace("\u3000", " ").split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def catalogue_search(
    *,
    user: Viewer = None,
    text: str = "",
    pole: str | None = None,
    industrial_chain: str | None = None,
    budget_min: Decimal | None = None,
    budget_max: Decimal | None = None,
    open_on: datetime.date | None = None,
) -> NeedSummaries:
    """The published needs (those taking applications now) matching every word of ``text``
    and every filter given, newest publication first.

    ``budget_min`` ≤ budget < ``budget_max`` (a need without a budget matches no budget
    filter); ``open_on``: still open on that day (no end date counts as open). ``user`` is
    accepted for symmetry with the other selectors: everybody sees the same catalogue.
    """
    rows = _summary_rows().filter(state=TechnicalNeed.State.PUBLISHED)
    for word in search_words(text):
        rows = rows.filter(_word_condition(word))
    if pole:
        rows = rows.filter(pole=pole)
    if industrial_chain:
        rows = rows.filter(industrial_chain=industrial_chain)
    if budget_min is not None:
        rows = rows.filter(budget__gte=budget_min)
    if budget_max is not None:
        rows = rows.filter(budget__lt=budget_max)
    if open_on is not None:
        rows = rows.filter(Q(open_until__isnull=True) | Q(open_until__gte=open_on))
    return NeedSummaries(rows.order_by("-published_at", "-pk"))


def need_to_apply_to(*, user: Viewer, pk: Any) -> TechnicalNeed:
    """The need an application is made to, as ``application_submit`` takes it: one whose
    summary anybody may read (published or later), else ``RecordNotFound``.

    A model instance holds the confidential fields: it goes to the workflow, never to a
    template (pages show ``need_summary_get``).
    """
    return get_or_not_found(TechnicalNeed.objects.filter(state__in=PUBLIC_STATES), pk=pk)


def own_application_to(*, user: Viewer, need_pk: Any) -> NeedApplication | None:
    """The application the user's organisations sent to the need, if any (a need's page
    links it instead of offering to apply again)."""
    applications = application_list_for(user=user, own=True).filter(
        need_id=need_pk, applicant_id__in=organization_ids_for(user=user)
    )
    return applications.first()
