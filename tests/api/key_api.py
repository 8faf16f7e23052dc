"""A test-only API with the project's auth, errors and throttles: one operation for a key only, one for a
key or a session, one for a session only, one that audits on its own (as a status check does). Mounted by
``key_urls``."""

from __future__ import annotations

from ninja import NinjaAPI

from exitentry.accounts import api_keys
from exitentry.accounts.audit import Actor, record
from exitentry.api import errors
from exitentry.api.auth import KeyRateThrottle, SignedIn, key_only, key_or_session
from exitentry.api.routing import Router

api = NinjaAPI(title="key test", version="test", urls_namespace="key-test", throttle=[KeyRateThrottle()])
errors.install(api)
router = Router()


@router.get("/whoami", response=dict, auth=key_only(api_keys.STATUS_CHECK))
def whoami(request):
    return {"user": request.user.username, "key": request.api_key.prefix}


@router.get("/people", response=dict, auth=key_or_session(api_keys.UNIT_PEOPLE_READ))
def people(request):
    return {
        "user": request.user.username,
        "key": getattr(request, "api_key", None) and request.api_key.prefix,
    }


@router.get("/mine", response=dict, auth=SignedIn())
def mine(request):
    return {"user": request.user.username}


@router.post("/checks", response=dict, auth=key_only(api_keys.STATUS_CHECK))
def check(request):
    record(Actor.of(request), "status.check", "share-code", "ABC123")
    return {"ok": True}


api.add_router("/", router)
