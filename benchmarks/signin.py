"""A signed-in session for the benchmarks, stored as the sign-in page would leave it (after ``django.setup()``).

A hall-side user's session has also given the second factor, as after the sign-in page, through a
django-otp static device made for the benchmark; a checkout from before the second factor needs none.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from exitentry.accounts import policy


def session_key(user) -> str:
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    needs_second_factor = getattr(policy, "needs_second_factor", None)
    if needs_second_factor is not None and needs_second_factor(user):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_static.models import StaticDevice

        device, _ = StaticDevice.objects.get_or_create(user=user, name="benchmark")
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key
