"""How every list of the API is paged, defined once: by page number (``PageQuery``, a fixed ``PAGE_SIZE``)
or by a window (``WindowQuery``, ``limit`` and ``offset``). A page below 1, a size below 1 or past
``MAX_LIMIT``, or a place past what every database's integers hold (``MAX_OFFSET``) is a 422 naming the
parameter; a page or an offset past the last row answers no rows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from exitentry.api.language import filled

PAGE_SIZE = 50
MAX_LIMIT = 200
MAX_OFFSET = 2**31 - 1  # past any list the service will hold, and within every database's integers


class PageQuery(Schema):
    page: int = Field(
        1,
        ge=1,
        le=MAX_OFFSET // PAGE_SIZE,
        description=filled(_("the page of %(page_size)s rows, from 1"), page_size=PAGE_SIZE),
    )

    @property
    def start(self) -> int:
        """The first row of the page, from 0."""
        return (self.page - 1) * PAGE_SIZE


class WindowQuery(Schema):
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_LIMIT, description=_("how many rows at most"))
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=_("how many rows to skip"))
