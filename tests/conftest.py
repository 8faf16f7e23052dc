"""Shared fixtures.

- ``browser``: a headless Chromium driven by Playwright's sync API (session-wide). It launches the
  system Chromium (``EXITENTRY_CHROMIUM``, default ``/usr/bin/chromium``) and never downloads one.
  When it is missing the test is skipped, or fails if ``EXITENTRY_REQUIRE_BROWSER=1``.
- ``page``: a fresh browser context and page per test, in ``browser_timezone`` (a test module may
  override it). Every browser test also checks the Content-Security-Policy: a
  ``securitypolicyviolation`` event on any page it opened, or a console message of Chromium's refusing
  something under the policy (or the Permissions-Policy), fails it.
- ``live_url``: the base URL of pytest-django's ``live_server`` (no trailing slash).
- tests marked ``postgres_only`` are skipped unless the database is PostgreSQL.
- property tests (hypothesis) have no time limit per example or per generation (speed is measured in
  benchmarks).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; Django would then refuse ORM calls
# from that thread ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Speed is the benchmarks' business: no generated example, nor its generation, fails for taking long
# on a loaded machine.
hypothesis_settings.register_profile("exitentry", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("exitentry")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_required() -> bool:
    return os.environ.get("EXITENTRY_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    if _browser_required():
        pytest.fail(f"{reason} (EXITENTRY_REQUIRE_BROWSER=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL; the database is {connection.vendor}")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = os.environ.get("EXITENTRY_CHROMIUM") or "/usr/bin/chromium"
    if not Path(executable).exists():
        _unavailable(f"Chromium not found at {executable} (set EXITENTRY_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        _unavailable(f"playwright is not installed: {exc}")
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:
            _unavailable(f"Chromium at {executable} did not start: {exc}")
        try:
            yield chromium
        finally:
            chromium.close()


# Each document reports its policy violations to the test (a binding outlives the page's navigations).
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => window.__exitentryViolation({
  page: document.location.href, directive: e.violatedDirective, blocked: e.blockedURI,
  sample: e.sample, source: e.sourceFile + ":" + e.lineNumber,
}));
"""
_POLICY_WORDS = (
    "Content Security Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
    "Permissions policy",
)


@pytest.fixture
def policy_violations() -> list:
    """What the pages of this test were refused under their policies (the ``page`` fixture fills it)."""
    return []


@pytest.fixture
def browser_timezone() -> str | None:
    """The browser's time zone (None: the machine's); a test module overrides it to run elsewhere."""
    return None


@pytest.fixture
def page(browser, policy_violations, browser_timezone) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", timezone_id=browser_timezone)
    context.set_default_timeout(10_000)
    context.expose_binding("__exitentryViolation", lambda _source, v: policy_violations.append(v))
    context.add_init_script(_REPORT_VIOLATIONS)
    try:
        new = context.new_page()
        new.on(
            "console",
            lambda m: (
                policy_violations.append({"console": m.type, "text": m.text})
                if any(w in m.text for w in _POLICY_WORDS)
                else None
            ),
        )
        yield new
        new.wait_for_timeout(100)  # a last report in flight
    finally:
        context.close()
    assert policy_violations == [], "refused under the pages' policies"


@pytest.fixture
def live_url(live_server) -> str:
    return live_server.url.rstrip("/")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Argon2 is slow on purpose; the tests that make many accounts use MD5 (production keeps Argon2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Throttling counters start from zero in every test."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path) -> None:
    """Uploaded materials go to a fresh folder per test, never into the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def audit_heads_unknown(monkeypatch) -> None:
    """Each test starts like a new process: it has appended nothing, so it knows no chain's head yet.
    (A previous test's heads were rolled back; the trail would still be right, but query counts differ.)"""
    from exitentry.accounts import audit

    monkeypatch.setattr(audit, "_known_heads", {})


@pytest.fixture(autouse=True)
def audit_checkpoints_in_tmp(settings, tmp_path) -> None:
    """Audit checkpoints go to a fresh folder per test: ``verify`` holds each test's trail to its own."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(autouse=True)
def audit_trail_flushable(request) -> Iterator[None]:
    """On SQLite the audit triggers refuse the DELETE that ends a transactional test (Django's flush;
    PostgreSQL's TRUNCATE fires no row trigger): empty the trail before, as its owner can, triggers kept."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")  # so this ends before the flush does
    yield
    from importlib import import_module

    from django.db import connection

    if connection.vendor == "sqlite":
        triggers = import_module("exitentry.accounts.migrations.0006_audit_append_only_sqlite")
        with connection.cursor() as cursor:
            for statement in [*triggers.DROP, "DELETE FROM accounts_auditentry", *triggers.CREATE]:
                cursor.execute(statement)
