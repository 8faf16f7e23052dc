"""Every page that takes a POST (each htmx step included) refuses one without the CSRF token, for every
signed-in side: the URL patterns are walked, not listed by hand, so a page added later is asked too.
The API's session writes are asked in ``tests/api/test_machine_calls.py``."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern

from case_helpers import client_for
from exitentry.accounts.models import Role
from factories import UnitFactory, UserFactory, applicant, officer

pytestmark = pytest.mark.django_db
SAMPLE = {"int": "1", "slug": "x", "str": "x", "path": "x"}


def _routes(patterns, prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            here = "en/" if isinstance(p.pattern, LocalePrefixPattern) else str(p.pattern)
            yield from _routes(p.url_patterns, prefix + here)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _filled(route: str) -> str:
    for kind, value in SAMPLE.items():
        while f"<{kind}:" in route:
            start = route.index(f"<{kind}:")
            route = route[:start] + value + route[route.index(">", start) + 1 :]
    return "/" + route


def web_routes() -> list[str]:
    """Every page's path in English (the language prefix's pattern is the resolver's)."""
    out = []
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/", "static/", "media/")):
            continue
        out.append(_filled(route))
    return sorted(set(out))


USERS = {
    "applicant": applicant,
    "unit": lambda: UserFactory(role=Role.UNIT, unit=UnitFactory(), is_unit_admin=True),
    "officer": officer,
    "supervisor": lambda: officer(role=Role.SUPERVISOR),
    "institution": lambda: UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank")),
}


@pytest.mark.parametrize("who", sorted(USERS))
def test_no_page_takes_a_post_without_the_csrf_token(who):
    browser = client_for(USERS[who](), csrf=True)
    routes = web_routes()
    assert len(routes) > 60  # the walk found the site's pages
    taken = []
    for path in routes:
        answer = browser.post(path, {"x": "1"}, HTTP_HX_REQUEST="true")
        said = answer.content.decode()
        if answer.status_code != 403 or not ("The form has expired" in said or "表单已失效" in said):
            taken.append((path, answer.status_code))
    assert taken == []
