"""Django's database session engine, reading a request's session by SQL compiled once (``exitentry.compiled``).

``SESSION_ENGINE = "exitentry.accounts.sessions"``. The sessions are Django's own ``django_session`` rows,
so signing out, expiry and ``clearsessions`` work as they always do; only the read every request makes is
cheaper.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from exitentry.compiled import STR_MARKER, KeyedQuery

_BY_KEY = KeyedQuery(lambda key: Session.objects.filter(session_key=key), STR_MARKER)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        """The unexpired session of this key, or None (and the key is forgotten), as Django's engine does."""
        found = _BY_KEY(self.session_key) if self.session_key else []
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
