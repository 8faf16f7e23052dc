"""Rate limits counted per window: ``WindowThrottle``, a ninja throttle that the API's operations and the
pages both use (the key's rate in ``api.auth``, the institution's in ``verification.checks``, strangers'
on a public page in ``StrangerThrottle``, a signed-in account's there and on the API's public operations in
``SessionThrottle``), the failed sign-ins of one address in ``SignInFailures`` and of one username in
``SignInUsernameFailures``, the
wrong second-factor codes of one account and of one address in ``SecondFactorFailures`` and
``SecondFactorAddressFailures``, an account's new persons refused for a passport outside its mandate in
``PassportRefusals``, the taken usernames one invitation link was told of in ``JoinUsernamesTaken``, and
applicants' sign-ups from one address and to one e-mail address in ``SignUpsFromAddress`` and
``SignUpsToEmail``."""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle, SimpleRateThrottle


class WindowThrottle(BaseThrottle):
    """At most ``rate()`` requests ("1200/m") per ``ident(request)`` in each window of the rate's period: a
    counter in the cache per ident and window, two cache operations a request whatever the rate (ninja's
    own throttles keep and rewrite a list of every request's time, which grows with the rate)."""

    scope = ""

    def rate(self) -> str:
        raise NotImplementedError

    def ident(self, request) -> object | None:
        """Whom the request counts against; None: not limited here."""
        raise NotImplementedError

    def get_ident(self, request) -> str | None:
        """The caller's address as the per-address limits count it (``address_block``)."""
        return address_block(request)

    def allow_request(self, request) -> bool:
        ident = self.ident(request)
        return True if ident is None else self._add_one(ident) <= _rate(self.rate())[0]

    def _counter(self, ident: object) -> tuple[str, int]:
        """The cache key of ``ident``'s counter in this window, and the window's length in seconds."""
        period = _rate(self.rate())[1]
        return f"throttle_{self.scope}_{ident}_{int(time.time() // period)}", period

    def spent(self, ident: object) -> bool:
        """Whether ``ident`` has used up this window's count (asking counts nothing)."""
        return (cache.get(self._counter(ident)[0]) or 0) >= _rate(self.rate())[0]

    def count(self, ident: object) -> None:
        """Count one against ``ident`` (a throttle whose events are not requests: failures, refusals)."""
        self._add_one(ident)

    def _add_one(self, ident: object) -> int:
        name, period = self._counter(ident)
        cache.add(name, 0, period)
        try:
            counted = cache.incr(name)
        except ValueError:  # the window's counter expired between the two calls
            cache.add(name, 1, period)
            return 1
        cache.touch(name, period)  # the database cache's ``incr`` rewrites the row with its 300 s default
        return counted

    def wait(self) -> float:
        """Until the window ends (worked out anew: the throttle is shared by the threads of a worker)."""
        period = _rate(self.rate())[1]
        return period - time.time() % period


def client_address(request) -> str | None:
    """The caller's address, as every limit (these throttles, django-axes' lockouts) and the audit trail
    count it: ``REMOTE_ADDR``, or behind the reverse proxy (``EXITENTRY_PROXY_SSL_HEADER``, which sets
    ``NINJA_NUM_PROXIES`` to 1) the address the proxy appended to ``X-Forwarded-For``, the right-most:
    whatever comes before it the caller wrote. Behind the proxy ``REMOTE_ADDR`` is the proxy's own."""
    return BaseThrottle().get_ident(request)


def address_block(request) -> str | None:
    """The caller's address as a per-address limit counts it: an IPv6 address by its /64 (a host or a
    household is given a whole /64, so its other addresses start no new count), an IPv4 address (or one
    mapped into IPv6) whole. The audit trail and axes' pair lock keep the full address (``client_address``)."""
    return block_of(client_address(request))


def block_of(address: str | None) -> str | None:
    """``address`` as a per-address limit counts it (``address_block``)."""
    try:
        ip = ipaddress.ip_address(address)
    except (TypeError, ValueError):
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


@functools.cache
def _rate(rate: str) -> tuple[int, int]:
    """``"1200/m"`` -> (1200, 60)."""
    count, period = rate.split("/")
    return int(count), SimpleRateThrottle._PERIODS[period]


class StrangerThrottle(WindowThrottle):
    """A public page's callers with no session, per address (the one the proxy saw, as the API counts it),
    at the rate the API holds strangers to (``EXITENTRY_ANON_RATE``, ``api.StrangerRateThrottle``)."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def rate(self) -> str:
        return settings.EXITENTRY_ANON_RATE

    def ident(self, request) -> object | None:
        user = getattr(request, "user", None)
        return None if user is not None and user.is_authenticated else self.get_ident(request)


class SessionThrottle(WindowThrottle):
    """A signed-in account on what strangers may use too (the API's public operations, a public page), per
    account whatever the address, at ``EXITENTRY_USER_RATE``: a session is no stranger, but each check of
    a document there is audited, so no account may call them without limit. The API's own operations,
    signed in (ninja's ``request.auth`` set), are not held to it."""

    def __init__(self, scope: str) -> None:
        self.scope = f"{scope}-session"

    def rate(self) -> str:
        return settings.EXITENTRY_USER_RATE

    def ident(self, request) -> object | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or getattr(request, "auth", None) is not None:
            return None
        return user.pk


class SignInFailures(WindowThrottle):
    """Failed sign-ins from one address, whatever the username, at most ``EXITENTRY_SIGN_IN_FAILURE_RATE``
    in each window: django-axes locks a username and address pair, so without this one address could try a
    few passwords on every username (password spraying). Only failures count, so an office or a hall
    behind one address signs in as often as it likes."""

    scope = "sign-in-failures"

    def rate(self) -> str:
        return settings.EXITENTRY_SIGN_IN_FAILURE_RATE

    def ident(self, request) -> object | None:
        return self.get_ident(request)


class SignInUsernameFailures(WindowThrottle):
    """Failed sign-ins of one username (as typed, case folded), whatever the address, at most
    ``EXITENTRY_SIGN_IN_USERNAME_FAILURE_RATE`` in each window: django-axes locks a username and address
    pair, so without this each new address could try five more passwords on one account. Past it no
    password is checked for the username until the window ends (the owner too: the price of the cap)."""

    scope = "sign-in-username-failures"

    def rate(self) -> str:
        return settings.EXITENTRY_SIGN_IN_USERNAME_FAILURE_RATE

    def ident(self, request) -> object | None:
        username = request.POST.get("username", "").strip().casefold()
        return hashlib.sha256(username.encode()).hexdigest()[:32] if username else None


class SecondFactorFailures(WindowThrottle):
    """Wrong second-factor codes of one account (counted against its pk), whatever the address, at most
    ``EXITENTRY_SECOND_FACTOR_FAILURE_RATE`` in each window: someone who has the password cannot try codes
    on for long, from however many addresses (``accounts.second_factor``). Apart from ``SignInFailures``, so
    an officer mistyping codes does not pause password sign-ins from the hall's shared address."""

    scope = "second-factor-failures"

    def rate(self) -> str:
        return settings.EXITENTRY_SECOND_FACTOR_FAILURE_RATE

    def ident(self, request) -> object | None:
        return request.user.pk


class SecondFactorAddressFailures(WindowThrottle):
    """Wrong second-factor codes from one address, whatever the account, at most
    ``EXITENTRY_SECOND_FACTOR_ADDRESS_FAILURE_RATE`` in each window: someone holding several officers'
    passwords cannot try codes on each account's budget in turn. Wrong passwords do not count here."""

    scope = "second-factor-address-failures"

    def rate(self) -> str:
        return settings.EXITENTRY_SECOND_FACTOR_ADDRESS_FAILURE_RATE

    def ident(self, request) -> object | None:
        return self.get_ident(request)


class PassportRefusals(WindowThrottle):
    """The new persons an account entered whose passport the registry held outside its mandate, at most
    ``EXITENTRY_PASSPORT_REFUSAL_RATE`` in each window (``cases.services.passports``, a project policy),
    counted against the account's pk, and for an applicant's account (free to open: ``accounts.registration``)
    against its address too (``address_key``)."""

    scope = "passport-refusals"

    def rate(self) -> str:
        return settings.EXITENTRY_PASSPORT_REFUSAL_RATE

    @staticmethod
    def address_key(address: str | None) -> str | None:
        """The per-address count's key (an IPv6 address by its /64); None without an address."""
        block = block_of(address)
        return None if block is None else f"address:{block}"


class JoinUsernamesTaken(WindowThrottle):
    """The times one invitation link (counted against the invitation's pk) was told a username cannot be
    used, at most ``EXITENTRY_JOIN_TAKEN_RATE`` in each window: the link's holder, who may change address,
    cannot test a list of usernames through the join page (``web.unit_handler_views``)."""

    scope = "join-usernames-taken"

    def rate(self) -> str:
        return settings.EXITENTRY_JOIN_TAKEN_RATE


class SignUpsFromAddress(WindowThrottle):
    """Applicants' sign-ups sent from one address (an IPv6 one by its /64), at most
    ``EXITENTRY_SIGN_UP_ADDRESS_RATE`` in each window, whatever their answer (``web.signup_views``)."""

    scope = "sign-ups-from-address"

    def rate(self) -> str:
        return settings.EXITENTRY_SIGN_UP_ADDRESS_RATE

    def ident(self, request) -> object | None:
        return self.get_ident(request)


class SignUpsToEmail(WindowThrottle):
    """Applicants' sign-ups to one e-mail address (counted against its keyed hash, case folded), from all
    addresses together, at most ``EXITENTRY_SIGN_UP_EMAIL_RATE`` in each window: nobody floods an inbox
    with links or with "someone tried" messages."""

    scope = "sign-ups-to-email"

    def rate(self) -> str:
        return settings.EXITENTRY_SIGN_UP_EMAIL_RATE

    @staticmethod
    def of(email: str) -> str:
        return hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:32]
