"""Lists of a million rows: the changelist counts at most ``CAP`` + 1 matching rows (a
``COUNT`` over a ``LIMIT``ed subquery, which stops early), so neither the unfiltered page nor
a broad filter scans the whole table to print its total; past the cap the page says "more
than 10,000". Used with ``show_full_result_count = False``, which drops the second, unfiltered
count."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator

CAP = 10_000


class CappedCountPaginator(Paginator):
    cap = CAP

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list  # the changelist's queryset
        return int(rows.order_by()[: self.cap + 1].count())

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class LargeTableAdmin(admin.ModelAdmin):
    """A mixin for the admins of tables that grow to millions of rows."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    # Counts beside every filter choice would each be a COUNT over the table.
    show_facets = admin.ShowFacets.NEVER
