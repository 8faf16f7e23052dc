"""Who calls the API: a signed-in session (``SignedIn``) or a machine client's API key (``ApiKey``).

An operation takes a key with ``auth=key_only(scope)``, or a key or a session with
``auth=key_or_session(scope)``. A key is sent as ``Authorization: Bearer <key>``; one indexed read finds
it (``accounts.api_keys.find``), and nothing about it is cached, so a revoked key is refused from the next
request on. A request with a key acts as the key's account (``request.user``) and carries the key
(``request.api_key``): the audit entries it makes name the key, and ``api.middleware.KeyUseAudit`` makes
one for a request that made none. 401 for a key that is unknown, expired or revoked, 403 for one without
the operation's scope, 429 past ``EXITENTRY_KEY_RATE`` requests per key (``KeyRateThrottle``).

``bearer_token`` is the one reader of the ``Authorization`` header (the middleware's too). A request with
no credentials at all meets ``Challenge``, the last way in of every operation that needs one (``routing``):
a 401 whose ``WWW-Authenticate`` names each scheme the operation takes (RFC 7235 §4.1, RFC 6750 §3).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, SessionAuth

from exitentry import clock
from exitentry.accounts import api_keys, policy
from exitentry.api.errors import ApiError
from exitentry.law.text import Text
from exitentry.throttling import StrangerThrottle, WindowThrottle

SECOND_FACTOR_PENDING = Text(
    "Signed in with the password only: officers, supervisors and administrators give the code from "
    "their authenticator app (or a backup code) at /en/second-factor/ before using the API.",
    "仅完成密码登录：民警、审批主管和系统管理员须先在 /zh-hans/second-factor/ 输入身份验证器应用生成的验证码"
    "（或备用码），方可使用本接口。",
)
_MAKE_ONE = (
    " A unit administrator or the institution's account makes keys at /en/account/api-keys/.",
    "单位管理员或机构账户可在 /zh-hans/account/api-keys/ 创建密钥。",
)
TOO_MANY_WRONG = Text(
    "Too many wrong API keys were sent from this address. Try again after the time in Retry-After.",
    "从此地址发送的错误的接口密钥过多。请在 Retry-After 所示的时间之后再试。",
)
UNKNOWN_KEY = Text(
    "The API key is not known: send the whole key, as 'Authorization: Bearer <key>'." + _MAKE_ONE[0],
    "无法识别该 API 密钥：请以 “Authorization: Bearer <密钥>” 发送完整密钥。" + _MAKE_ONE[1],
)
REFUSED_KEY = {
    "revoked": Text("This API key has been revoked." + _MAKE_ONE[0], "该 API 密钥已被撤销。" + _MAKE_ONE[1]),
    "expired": Text("This API key has expired." + _MAKE_ONE[0], "该 API 密钥已过期。" + _MAKE_ONE[1]),
    "owner": Text(
        "The account this API key belongs to can no longer use it (it was switched off, left its unit or "
        "lost the role that makes keys)." + _MAKE_ONE[0],
        "该 API 密钥所属账户已不能使用它（账户已停用、已离开所属单位或不再具有创建密钥的角色）。"
        + _MAKE_ONE[1],
    ),
}
NO_CREDENTIALS = Text("This operation needs credentials: {ways}.", "此操作需要身份凭证：{ways}。")
_SIGN_IN = Text(
    "sign in at /en/sign-in/ (the session cookie; officers, supervisors and administrators with their "
    "second factor too)",
    "在 /zh-hans/sign-in/ 登录（凭会话 Cookie；民警、审批主管和系统管理员还须完成第二重验证）",
)
_SEND_KEY = Text(
    "send an API key with the scope '{scope}' as 'Authorization: Bearer <key>'",
    "以 “Authorization: Bearer <密钥>” 发送具有权限范围 “{scope}” 的 API 密钥",
)
_OR = Text(", or ", "；或")
REALM = 'realm="exitentry"'
CHALLENGE = {"WWW-Authenticate": f'Bearer {REALM}, error="invalid_token"'}  # RFC 6750
MISSING_SCOPE = Text(
    "This API key does not have the scope '{scope}' this operation needs; make a key with it.",
    "该 API 密钥没有此操作所需的权限范围 “{scope}”，请创建具有该权限范围的密钥。",
)


def bearer_token(header: str) -> str | None:
    """The credentials of an ``Authorization`` header of the Bearer scheme, in any case, after one or more
    spaces (RFC 7235 §2.1: ``auth-scheme [ 1*SP token68 ]``; RFC 6750 §2.1); None for another scheme or
    none. Whatever follows the spaces is the key, to be found or refused (``ApiKey``)."""
    scheme, _, credentials = header.partition(" ")
    return credentials.lstrip(" ") if scheme.lower() == "bearer" else None


class SignedIn(SessionAuth):
    """Django's session, as ninja's ``django_auth``, but a hall-side session that has not given its second
    factor is refused with a 403 saying so (not a 401: the caller is signed in, with one step to go)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and policy.second_factor_pending(user):
            raise ApiError(403, None, SECOND_FACTOR_PENDING)
        return user

    def challenge(self) -> tuple[str, Text]:
        """This way in as a ``WWW-Authenticate`` challenge (a scheme of the project's own, naming the
        cookie) and in words."""
        return f'Session {REALM}, cookie="{self.param_name}"', _SIGN_IN


class ApiKey(HttpBearer):
    """An API key with ``scope``, as ``Authorization: Bearer <key>``. Without that header it lets the next
    way in (a session) try; with it, the key decides."""

    openapi_bearerFormat = "ek_…"
    openapi_description = _(
        "A machine client's API key, made by a unit administrator or an institution's account at "
        "/en/account/api-keys/ and shown once. Each operation names the scope its key needs."
    )

    def __init__(self, scope: str) -> None:
        if scope not in api_keys.SCOPES:
            raise ValueError(f"unknown API key scope {scope!r}")
        self.scope = scope
        super().__init__()

    def __call__(self, request):
        token = bearer_token(request.headers.get(self.header, ""))
        return None if token is None else self.authenticate(request, token)

    def challenge(self) -> tuple[str, Text]:
        """This way in as a ``WWW-Authenticate`` challenge (RFC 6750 §3, with the scope) and in words."""
        return f'Bearer {REALM}, scope="{self.scope}"', _SEND_KEY.format(scope=self.scope)

    def authenticate(self, request, token: str):
        """The key's account; an unknown or refused key counts against the caller's address at the
        strangers' rate, and past it no key from there is looked at (429) until the window ends, signed in
        or not (a session lifts no limit on guessing keys)."""
        wrong = StrangerThrottle("api-key-failures")
        address = wrong.get_ident(request)
        if address is not None and wrong.spent(address):
            raise ApiError(429, None, TOO_MANY_WRONG, {"Retry-After": str(math.ceil(wrong.wait()))})
        row = api_keys.find(token)
        now = clock.now()
        refusal = None if row is None else api_keys.refusal(row, now)
        if row is None or refusal is not None:
            if address is not None:
                wrong.count(address)
            raise ApiError(401, None, UNKNOWN_KEY if row is None else REFUSED_KEY[refusal], CHALLENGE)
        request.user, request.api_key = row.created_by, row
        row.audited = False  # ``accounts.audit.record`` sets it; ``KeyUseAudit`` reads it
        api_keys.used(row, now)
        if self.scope not in row.scopes:
            raise ApiError(403, None, MISSING_SCOPE.format(scope=self.scope))
        return row.created_by


def key_only(scope: str) -> ApiKey:
    """The ``auth`` of an operation for machine clients only."""
    return ApiKey(scope)


def key_or_session(scope: str) -> list:
    """The ``auth`` of an operation for a machine client's key with ``scope`` or a signed-in session
    (the operation's own rules then decide what that user may do)."""
    return [ApiKey(scope), SignedIn()]


class Challenge:
    """The last way in of an operation that needs credentials, met only by a request with none: a 401 that
    names every way in, as ``WWW-Authenticate`` challenges and in words. Not a security scheme of its own
    (no ``openapi_security_schema``), so the OpenAPI document lists only the ways before it."""

    def __init__(self, ways: list) -> None:
        challenges, words = zip(*(way.challenge() for way in ways), strict=True)
        self.header = {"WWW-Authenticate": ", ".join(challenges)}
        self.text = NO_CREDENTIALS.format(
            ways=Text(_OR.en.join(w.en for w in words), _OR.zh.join(w.zh for w in words))
        )

    def __call__(self, request):
        raise ApiError(401, None, self.text, self.header)


class KeyRateThrottle(WindowThrottle):
    """At most ``EXITENTRY_KEY_RATE`` requests per API key."""

    scope = "api_key"

    def rate(self) -> str:
        return settings.EXITENTRY_KEY_RATE

    def ident(self, request) -> object | None:
        key = getattr(request, "api_key", None)
        return key.pk if key is not None else None
