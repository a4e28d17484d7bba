"""A paginator that spares the COUNT query when the first page is not full.

A leader's page shows several lists, each paged on its own, and most of them fit on their first
page: Django's paginator counts the rows (one COUNT) and then reads the page (another query).
Here the first page reads one row more than it shows; when that row is not there, the count is
the number of rows read and no COUNT is run. Any other page, or a full first page, behaves as
Django's paginator does (the same pages for the same numbers, invalid numbers included).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator


class FirstPagePaginator(Paginator):  # type: ignore[type-arg]  # rows of any model
    """Django's paginator, counting the rows of a first page that is not full."""

    def get_page(self, number: Any) -> Page[Any]:
        """The page as Django's `get_page` gives it (a non-number is the first page)."""
        try:
            first = int(number) == 1
        except (TypeError, ValueError):
            first = True
        if not first or self.orphans:
            return super().get_page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.__dict__["count"] = len(rows)  # Paginator.count is a cached_property
        if not rows and not self.allow_empty_first_page:
            return super().get_page(number)
        return Page(rows[: self.per_page], 1, self)
