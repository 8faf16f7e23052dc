"""django-otp's middleware, reading the session's device by SQL the ORM compiles once (``exitentry.compiled``).

``OTPMiddleware`` reads the device a hall-side session gave its second factor with on every request, by
a queryset compiled afresh each time (``Device.from_persistent_id``). ``SecondFactorDevice`` reads it as
the session and the user are read (``accounts.sessions``, ``accounts.backends``); whether the device is
the user's and confirmed is still django-otp's own check (``_finalize_device``).
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from exitentry.compiled import KeyedQuery


@cache
def by_id(model: type[Device]) -> KeyedQuery:
    return KeyedQuery(lambda pk: model.objects.filter(id=pk))


class SecondFactorDevice(OTPMiddleware):
    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        """The device ``Device.from_persistent_id`` finds ("app_label.model_name/id"), or None."""
        label, _, pk = self._normalize_persistent_id(persistent_id).rpartition("/")
        try:
            model = apps.get_model(label)
            found = by_id(model)(int(pk)) if issubclass(model, Device) else []
        except (ValueError, LookupError):
            return None
        return found[0] if found else None
