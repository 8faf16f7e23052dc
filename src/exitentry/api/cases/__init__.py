"""``/cases``, ``/queue``, ``/people``, ``/permits``: applications and their processing, by resource, with
the same lifecycle table and access rules as the pages.

Signed-in users only (the session; the API client sends the CSRF token on writes). Every case endpoint
declares the action it takes (``guard.takes``): a case the user may not see answers 404, as if it did not
exist; one they may see but not act on answers 403. Every answer has its schema (``schemas``), and every
answer that shows personal data is recorded in the audit trail as a read.
"""

from exitentry.api.cases import (  # noqa: F401 - each module registers its routes on the one router
    cases,
    decisions,
    documents,
    intake,
    materials,
    payments,
    people,
    steps,
    tasks,
)
from exitentry.api.cases.guard import router

steps.register()

__all__ = ["router"]
