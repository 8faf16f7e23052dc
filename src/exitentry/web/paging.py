"""A list's page as a person means its ``?page=``: ``02`` is page 2; a page below 1, or no number, shows the
first page, one past the last the last page (Django's ``Paginator.get_page`` would show the last for 0 or
-1), and ``page.not_understood`` says so, in the page's language (``web/_pages.html`` shows it)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from exitentry.web import case_pages as pages


def page_of(request: HttpRequest, items, size: int | None = None) -> Page:
    """The page of ``items`` the request asked for (``size`` a page, ``case_pages.PAGE_SIZE`` by default)."""
    asked = request.GET.get("page", "").strip()
    try:
        number = int(asked or 1)
    except ValueError:  # not a number, or too long a one: said, as a page below the first
        number = 0
    page = Paginator(items, size or pages.PAGE_SIZE).get_page(max(number, 1))
    page.not_understood = ""
    if asked and number != page.number:
        page.not_understood = _("There is no page “%(asked)s”; shown instead: page %(n)s of %(total)s.") % {
            "asked": Truncator(asked).chars(20),
            "n": page.number,
            "total": page.paginator.num_pages,
        }
    return page
