"""Django's model backend, reading the signed-in user of each request by SQL compiled once."""

from __future__ import annotations

from django.contrib.auth import backends

from exitentry.accounts.models import User
from exitentry.compiled import KeyedQuery

_BY_PK = KeyedQuery(lambda pk: User.objects.filter(pk=pk))


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id) -> User | None:
        """The active user of this id, or None, as ``ModelBackend.get_user`` answers."""
        found = _BY_PK(user_id)
        return found[0] if found and self.user_can_authenticate(found[0]) else None
