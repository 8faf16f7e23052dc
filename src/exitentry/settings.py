"""Django settings for exitentry.

Everything comes from environment variables with safe defaults; nothing secret lives in the
repository. See README.md ("Configuration") for the list.

- ``EXITENTRY_DATA_DIR``: where runtime state lives (default ``<cwd>/var``; created if missing):
  the SQLite database, the generated development secret key, collected static files.
- ``EXITENTRY_DATABASE_URL``: a database URL (``postgres://user@host:5432/name``) overriding the
  default SQLite database ``$EXITENTRY_DATA_DIR/exitentry.sqlite3``; ``EXITENTRY_SQLITE_TIMEOUT`` (seconds,
  default 20): how long a write on SQLite waits for the write lock before "database is locked".
- ``EXITENTRY_SECRET_KEY``: required unless ``EXITENTRY_DEBUG`` is on (or the test suite runs),
  in which case a random key is generated once and kept in ``$EXITENTRY_DATA_DIR/secret_key``.
- ``EXITENTRY_DEBUG`` (default off), ``EXITENTRY_ALLOWED_HOSTS`` (comma list),
  ``EXITENTRY_CSRF_TRUSTED_ORIGINS`` (comma list), ``EXITENTRY_HTTPS`` (secure cookies, HSTS,
  SSL redirect; default on when DEBUG is off), ``EXITENTRY_PROXY_SSL_HEADER`` (trust ``X-Forwarded-Proto`` from a proxy),
  ``EXITENTRY_LOG_LEVEL`` (default INFO).
- ``EXITENTRY_AUDIT_KEY`` or ``EXITENTRY_AUDIT_KEY_FILE``, ``EXITENTRY_AUDIT_KEYS_RETIRED``: the keys that
  seal the audit trail (``exitentry.accounts.keyring``); required unless ``EXITENTRY_DEBUG`` is on (then
  generated once into ``$EXITENTRY_DATA_DIR/audit_keys``) or the test suite runs (a fixed test key).
- ``EXITENTRY_AUDIT_CHECKPOINT_DIR`` (default ``$EXITENTRY_DATA_DIR/audit-checkpoints``) and
  ``EXITENTRY_AUDIT_CHECKPOINT_EVERY`` (seconds, default 300): where and how often the signed
  checkpoints of the audit chains' heads are written (``exitentry.accounts.checkpoints``).
- ``EXITENTRY_TASK_ATTEMPTS``, ``EXITENTRY_TASK_BACKOFF``, ``EXITENTRY_TASK_TIMEOUT``, ``EXITENTRY_SCHEDULER_TICK``:
  the retries, orphan timeout and scheduler of ``exitentry worker`` (``exitentry.background``);
  ``EXITENTRY_PERIODIC_TASKS`` below is its schedule.
- ``EXITENTRY_EMAIL_HOST`` (and ``_PORT``, ``_USER``, ``_PASSWORD``, ``_TLS``, ``_FROM``, ``_BACKEND``),
  ``EXITENTRY_SMS_BACKEND``, ``EXITENTRY_SITE_URL``: how messages leave (``exitentry.messaging``).
- ``EXITENTRY_DRAFT_EXPIRY_DAYS`` (default 60): a draft untouched this long is closed as expired.
- ``EXITENTRY_DRAFT_MAX_DAYS`` (default 180): a draft this long after it was started is closed as expired.
- ``EXITENTRY_PASSPORT_REFUSAL_RATE`` (default ``10/d``): new persons an account may enter with a passport
  the registry holds outside its mandate, and for applicants' accounts from one address too (an IPv6 one by
  its /64) (``cases.services.passports``).
- ``EXITENTRY_SECOND_FACTOR_FAILURE_RATE`` (default ``10/h``) and ``EXITENTRY_SECOND_FACTOR_ADDRESS_FAILURE_RATE``
  (default ``30/h``): wrong second-factor codes of one account, and from one address, before the second
  step pauses (``accounts.second_factor``).
- ``EXITENTRY_PERSON_LOOKUP_RATE`` (default ``30/d``): lookups of a person by travel document an officer or
  supervisor may make (``compliance.lookups``).
- ``EXITENTRY_SIGN_UP_ADDRESS_RATE`` (default ``10/h``) and ``EXITENTRY_SIGN_UP_EMAIL_RATE`` (default ``3/h``):
  applicants' own sign-ups from one address and to one e-mail address (``accounts.registration``).
- ``EXITENTRY_HALL_IDLE_MINUTES`` (default 15): officers', supervisors' and administrators' sessions end
  after this many minutes without a request.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from exitentry.accounts import keyring

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("EXITENTRY_DEBUG", False)

# Under a test runner: pytest (which sets PYTEST_VERSION since 8.2) or ``manage test``.
TESTING = "PYTEST_VERSION" in os.environ or "pytest" in sys.modules or sys.argv[1:2] == ["test"]

DATA_DIR = Path(os.environ.get("EXITENTRY_DATA_DIR") or Path.cwd() / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _persistent_dev_secret_key(path: Path) -> str:
    """Return the development key kept at ``path``, creating it (mode 600) on first use."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if not key:
            raise ImproperlyConfigured(f"{path} is empty; delete it to have a new key generated.") from None
        return key
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


SECRET_KEY = os.environ.get("EXITENTRY_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = _persistent_dev_secret_key(DATA_DIR / "secret_key")
    else:
        raise ImproperlyConfigured(
            "EXITENTRY_SECRET_KEY is not set. Set it to a long random string "
            "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set EXITENTRY_DEBUG=1 for local development, where a key is generated and kept in "
            f"{DATA_DIR / 'secret_key'}."
        )

# The audit trail's keys (never in the database) and its signed checkpoints (outside the database).
AUDIT_KEYRING = keyring.from_environment(
    os.environ, testing=TESTING, dev_file=DATA_DIR / "audit_keys" if DEBUG else None
)
AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("EXITENTRY_AUDIT_CHECKPOINT_DIR") or DATA_DIR / "audit-checkpoints"
)
AUDIT_CHECKPOINT_EVERY = int(os.environ.get("EXITENTRY_AUDIT_CHECKPOINT_EVERY", "300"))

ALLOWED_HOSTS = env_list("EXITENTRY_ALLOWED_HOSTS", "127.0.0.1,localhost")
if (DEBUG or TESTING) and "testserver" not in ALLOWED_HOSTS:  # Django's test client; never in production,
    ALLOWED_HOSTS.append("testserver")  # where links, QR codes and PDFs would name whatever host was sent
CSRF_TRUSTED_ORIGINS = env_list("EXITENTRY_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, on django-otp's site: only a session verified with the second factor may use it.
    "exitentry.accounts.admin_site.SecondFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "exitentry.library_apps.TaskQueueConfig",  # django-tasks-db, named in both languages
    # So the OpenAPI docs page uses ninja's bundled Swagger UI (static files) instead of a CDN.
    "ninja",
    "exitentry.accounts.axes_app.SignInThrottlingConfig",  # django-axes, named in both languages
    # The second factor of the hall side (officers, supervisors, administrators): TOTP, backup codes.
    "django_otp",
    "exitentry.library_apps.AuthenticatorsConfig",  # django-otp's plugins, named in both languages
    "exitentry.library_apps.BackupCodesConfig",
    "csp",
    "exitentry.accounts",
    "exitentry.registry",
    "exitentry.cases",
    "exitentry.appointments",
    "exitentry.verification",
    "exitentry.background",
    "exitentry.messaging",
    "exitentry.compliance",
    "exitentry.web",
]

AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Cache-Control: no-store on what may carry personal data, and the Permissions-Policy (web.headers).
    "exitentry.web.headers.ResponseHeaders",
    "exitentry.api.middleware.ApiErrorShape",  # a 404 or 405 under /api/ answers in the API's shape
    "exitentry.api.middleware.KeyUseAudit",  # every request with an API key is in the audit trail
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A machine client's API call (Authorization: Bearer under /api/) goes from here straight to the view,
    # past what only a browser's session needs, down to MachineCallsEnd (api.middleware).
    "exitentry.api.middleware.MachineCalls",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A page's upload past the cap: its form again with the largest size allowed (before the CSRF check
    # reads the body, which would answer a bare 400).
    "exitentry.web.too_large.TooLargeAnswers",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's OTPMiddleware, its device read by SQL compiled once: request.user.is_verified()
    "exitentry.accounts.otp_devices.SecondFactorDevice",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Hall-side sessions: signed out after EXITENTRY_HALL_IDLE_MINUTES idle; no page before the second factor.
    "exitentry.accounts.middleware.HallSessions",
    # Last of the session's, as django-axes asks: it refuses a sign-in after too many failures.
    "axes.middleware.AxesMiddleware",
    "exitentry.api.middleware.MachineCallsEnd",
    # A page whose transaction the database aborted for another's (a deadlock): 409, "send it again".
    "exitentry.web.busy.Busy",
    # A page's step reached by a reload or Back (405, no body): a page in both languages leading back.
    "exitentry.web.not_allowed.NotAllowedPage",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "exitentry.accounts.backends.ModelBackend",  # Django's, reading the user by SQL compiled once
]

ROOT_URLCONF = "exitentry.urls"
WSGI_APPLICATION = "exitentry.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # the admin's header with the site's language switch: Django's admin app is listed first, so its
        # own ``admin/base_site.html`` would win over one in an app's templates
        "DIRS": [PACKAGE_DIR / "accounts" / "admin_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------

DATABASE_URL = os.environ.get("EXITENTRY_DATABASE_URL", "").strip()
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # pytest-django / manage test create and drop this one; the URL's database is only used
        # to connect for that.
        _db.setdefault("TEST", {})["NAME"] = os.environ.get("EXITENTRY_TEST_DATABASE_NAME", "test_exitentry")
    elif _db["ENGINE"] == "django.db.backends.sqlite3":
        _db["CONN_MAX_AGE"] = 0
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "exitentry.sqlite3"),
    }
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers write one file: each write transaction takes the write lock when it begins
    # (IMMEDIATE, so a read never has to be upgraded and fail as "database is locked"), waits up to
    # EXITENTRY_SQLITE_TIMEOUT seconds for it (SQLite's busy handler polls, it does not queue: in a burst
    # of writers on a loaded machine one may wait for most of the others), and the write-ahead log lets
    # readers go on meanwhile.
    _wait = os.environ.get("EXITENTRY_SQLITE_TIMEOUT", "20").strip()
    try:
        _timeout = float(_wait)
    except ValueError:
        _timeout = 0
    if not 0 < _timeout < float("inf"):
        raise ImproperlyConfigured(f"EXITENTRY_SQLITE_TIMEOUT={_wait!r} is not a positive number of seconds.")
    _db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(_timeout) if _timeout.is_integer() else _timeout,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        }
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks (django-tasks backport + django-tasks-db's database backend) ----------------

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# ``exitentry worker`` (exitentry.background): a failed task is tried again after a backoff that doubles,
# up to this many attempts in all; a task RUNNING longer than the timeout is taken for orphaned by a dead
# worker and queued again; the scheduler looks for due periodic tasks (and orphans) this often.
EXITENTRY_TASK_ATTEMPTS = int(os.environ.get("EXITENTRY_TASK_ATTEMPTS", "5"))
EXITENTRY_TASK_BACKOFF = float(os.environ.get("EXITENTRY_TASK_BACKOFF", "30"))
EXITENTRY_TASK_TIMEOUT = int(os.environ.get("EXITENTRY_TASK_TIMEOUT", "900"))
EXITENTRY_SCHEDULER_TICK = float(os.environ.get("EXITENTRY_SCHEDULER_TICK", "30"))

# The periodic tasks the worker's scheduler enqueues, once per due time however many workers run:
# name -> (dotted path of a django-tasks task, every N seconds or "HH:MM" daily in Beijing time).
EXITENTRY_PERIODIC_TASKS = {
    "audit-checkpoint": ("exitentry.accounts.tasks.write_audit_checkpoint", AUDIT_CHECKPOINT_EVERY),
    "slots-ahead": ("exitentry.appointments.periodic.generate_slots_ahead", "01:00"),
    "booking-reminders": ("exitentry.appointments.periodic.send_reminders", "09:00"),
    "idempotency-purge": ("exitentry.appointments.periodic.purge_idempotent_answers", 3600),
    # Marks only the halls whose day has ended (and any day passed): every half hour, soon after each closes.
    "no-shows": ("exitentry.appointments.tasks.mark_no_shows", 1800),
    "compliance-scan": ("exitentry.compliance.tasks.daily_scan", "02:00"),  # the day's alerts, Beijing
    "compliance-reminders": ("exitentry.compliance.tasks.daily_reminders", "02:30"),  # after the scan
    "draft-expiry": ("exitentry.cases.tasks.expire_drafts", "03:00"),  # drafts untouched: cases.expiry
    "shown-once-purge": ("exitentry.web.tasks.purge_shown_once", 60),  # new codes never shown: web.shown_once
    # Sign-ups whose link expired unconfirmed give up their usernames: accounts.registration.
    "sign-up-release": ("exitentry.accounts.tasks.release_sign_ups", 3600),
}
# A draft untouched this many days is closed as expired (a project policy: exitentry.cases.expiry).
EXITENTRY_DRAFT_EXPIRY_DAYS = int(os.environ.get("EXITENTRY_DRAFT_EXPIRY_DAYS", "60"))
# However often it is changed, a draft expires this many days after it was started (cases.expiry), so
# changes every few weeks cannot keep its filer's mandate over the person for good.
EXITENTRY_DRAFT_MAX_DAYS = int(os.environ.get("EXITENTRY_DRAFT_MAX_DAYS", "180"))

# --- Messages: e-mail through Django's backend, SMS through EXITENTRY_SMS_BACKEND (exitentry.messaging) ---

EMAIL_BACKEND = os.environ.get("EXITENTRY_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EXITENTRY_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EXITENTRY_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EXITENTRY_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EXITENTRY_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EXITENTRY_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EXITENTRY_EMAIL_TLS", True)
EMAIL_TIMEOUT = 30
# The sender as people's mail programs show it: the office's name in both languages, then the address.
DEFAULT_FROM_EMAIL = os.environ.get(
    "EXITENTRY_EMAIL_FROM", "北京出入境外国人服务 Beijing Exit-Entry Foreigner Services <exitentry@localhost>"
)
EXITENTRY_SMS_BACKEND = os.environ.get("EXITENTRY_SMS_BACKEND", "exitentry.messaging.channels.LoggingSms")
# The address people reach the site at: the links in messages start with it (``exitentry serve`` sets it
# to the address it serves, unless given).
EXITENTRY_SITE_URL = os.environ.get("EXITENTRY_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Cache: throttling counters, shared by every worker: a Redis when EXITENTRY_CACHE_URL names one, else
# with DEBUG off the database's cache table (made by every ``migrate``, ``accounts.apps``), so the limits hold
# across gunicorn's workers out of the box; one process's memory only for development and tests.

CACHE_URL = os.environ.get("EXITENTRY_CACHE_URL", "").strip()
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif DEBUG or TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:  # a window's counters must not be culled at Django's default of 300 entries; the table is counted
    # at every write, so it stays small: under load give the counters a Redis (EXITENTRY_CACHE_URL)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "exitentry_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

# Anonymous API callers (the public law endpoints): requests per client address. A client is its
# REMOTE_ADDR, or behind the reverse proxy the address that proxy saw (never a header the caller wrote).
EXITENTRY_ANON_RATE = os.environ.get("EXITENTRY_ANON_RATE", "120/m")
# A signed-in account on the same public operations and pages (throttling.SessionThrottle): per account.
EXITENTRY_USER_RATE = os.environ.get("EXITENTRY_USER_RATE", "600/m")
# Failed sign-ins from one address across all usernames (throttling.SignInFailures; axes locks one pair).
EXITENTRY_SIGN_IN_FAILURE_RATE = os.environ.get("EXITENTRY_SIGN_IN_FAILURE_RATE", "30/h")
# Failed sign-ins of one username from all addresses (throttling.SignInUsernameFailures): axes' pair lock
# alone gave each new address five more tries.
EXITENTRY_SIGN_IN_USERNAME_FAILURE_RATE = os.environ.get("EXITENTRY_SIGN_IN_USERNAME_FAILURE_RATE", "20/h")
# Wrong second-factor codes of one account, and from one address across accounts (throttling.SecondFactor*):
# their own budgets, so mistyped codes never pause password sign-ins from a hall's shared address.
EXITENTRY_SECOND_FACTOR_FAILURE_RATE = os.environ.get("EXITENTRY_SECOND_FACTOR_FAILURE_RATE", "10/h")
EXITENTRY_SECOND_FACTOR_ADDRESS_FAILURE_RATE = os.environ.get(
    "EXITENTRY_SECOND_FACTOR_ADDRESS_FAILURE_RATE", "30/h"
)
# Taken usernames one invitation link is told of (throttling.JoinUsernamesTaken): a few, not a list's worth.
EXITENTRY_JOIN_TAKEN_RATE = os.environ.get("EXITENTRY_JOIN_TAKEN_RATE", "5/h")
# Applicants' own sign-ups (``accounts.registration``): per address (IPv6 by its /64) and per e-mail address,
# whatever the answer, so no one floods an inbox nor makes accounts in bulk (throttling.SignUps*).
EXITENTRY_SIGN_UP_ADDRESS_RATE = os.environ.get("EXITENTRY_SIGN_UP_ADDRESS_RATE", "10/h")
EXITENTRY_SIGN_UP_EMAIL_RATE = os.environ.get("EXITENTRY_SIGN_UP_EMAIL_RATE", "3/h")
# Machine clients (``api.auth``): requests per API key, in fixed windows of the period (s, m, h or d).
EXITENTRY_KEY_RATE = os.environ.get("EXITENTRY_KEY_RATE", "1200/m")
# Status checks an institution makes (its accounts together), on the desk's pages and the API.
EXITENTRY_STATUS_CHECK_RATE = os.environ.get("EXITENTRY_STATUS_CHECK_RATE", "120/m")
# New persons a proxy or unit account entered with a passport the registry holds outside its mandate; past
# it the account enters no new person until the window ends (a project policy: cases.services.passports).
EXITENTRY_PASSPORT_REFUSAL_RATE = os.environ.get("EXITENTRY_PASSPORT_REFUSAL_RATE", "10/d")
# Lookups of a person by travel document one officer or supervisor makes (a project policy: compliance.lookups).
EXITENTRY_PERSON_LOOKUP_RATE = os.environ.get("EXITENTRY_PERSON_LOOKUP_RATE", "30/d")

# --- Passwords and security -----------------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# htmx sends the token in the X-CSRFToken header (CSRF_HEADER_NAME's default), taken from the
# hx-headers attribute that web/base.html renders; the cookie itself need not be read by scripts,
# but leaving it readable keeps plain fetch() callers simple.
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_HEADER_NAME = "HTTP_X_CSRFTOKEN"
CSRF_FAILURE_VIEW = "exitentry.web.account_views.csrf_failure"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Production (DEBUG off, outside the test runner) is HTTPS unless told otherwise: Secure cookies, HSTS and
# the redirect need no one to remember a flag; a deployment that really serves plain HTTP sets it to 0.
HTTPS = env_bool("EXITENTRY_HTTPS", not DEBUG and not TESTING)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("EXITENTRY_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("EXITENTRY_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = False
    # /healthz must answer plain HTTP probes from a load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
NINJA_NUM_PROXIES = 0
if env_bool("EXITENTRY_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    NINJA_NUM_PROXIES = 1

# Login throttling (django-axes): after 5 failures for one username from one address, that pair is
# locked out for 15 minutes; a success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("EXITENTRY_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "exitentry.web.account_views.locked_out"  # a readable page, with Retry-After
# The address axes locks: the caller's, as the other limits count it (behind the proxy, not the proxy's own
# REMOTE_ADDR, which would let anyone lock a username out for everyone; django-ipware is not installed).
AXES_CLIENT_IP_CALLABLE = "exitentry.throttling.client_address"

SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day; officers sign in again each day
SESSION_ENGINE = "exitentry.accounts.sessions"  # Django's database sessions, read by SQL compiled once
# Officers, supervisors and administrators are signed out after this many minutes without a request
# (accounts.middleware.HallSessions); applicants, units and institutions keep SESSION_COOKIE_AGE.
_idle = os.environ.get("EXITENTRY_HALL_IDLE_MINUTES", "15").strip()
EXITENTRY_HALL_IDLE_MINUTES = int(_idle) if _idle.isdecimal() else 0
if EXITENTRY_HALL_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("EXITENTRY_HALL_IDLE_MINUTES must be a whole number of minutes, at least 1.")

# The second factor (django-otp): the issuer an authenticator app shows beside the account, and the
# admin never shows a device's secret once it is made.
OTP_TOTP_ISSUER = "Beijing Exit-Entry"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Content-Security-Policy (django-csp) and the other response headers -------------------------
# Scripts, styles, images and fonts come from this site's static files only: no inline script or
# style, no eval, nothing from elsewhere, and no page may be framed. htmx is told not to add its own
# <style> (the meta tag htmx-config in web/base.html: includeIndicatorStyles false).

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Uploaded materials ---------------------------------------------------------------------------

MEDIA_ROOT = Path(os.environ.get("EXITENTRY_MEDIA_DIR") or DATA_DIR / "media")
MEDIA_URL = "/media/"  # never served directly: materials are read through the policy
EXITENTRY_UPLOAD_MAX_BYTES = int(os.environ.get("EXITENTRY_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [  # a body past any upload is refused as it arrives (exitentry.upload_limit)
    "exitentry.upload_limit.BodyCap",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Internationalisation -------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
USE_I18N = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# --- Logging --------------------------------------------------------------------------------------

LOG_LEVEL = os.environ.get("EXITENTRY_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    # The paths Django logs (4xx answers; the development server's every request) may hold a secret.
    "filters": {"secrets": {"()": "exitentry.redaction.HideSecrets"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"filters": ["secrets"]},
        "django.server": {
            "handlers": ["server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["secrets"],
        },
        "exitentry": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
