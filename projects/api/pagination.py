"""Page numbers where a total is cheap and useful; cursors for the large tables, whose pages
cost the same at the millionth row as at the first (no COUNT, no OFFSET)."""

from __future__ import annotations

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """Newest first by id unless the client orders otherwise (``?ordering=``)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
