"""Settings from the environment and the ``exitentry`` command line."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from exitentry import cli

PROBE = (
    "import json, exitentry.settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'db': s.DATABASES['default'], 'hosts': s.ALLOWED_HOSTS, "
    "'https': getattr(s, 'SESSION_COOKIE_SECURE', False), 'key_len': len(s.SECRET_KEY), "
    "'csrf_secure': getattr(s, 'CSRF_COOKIE_SECURE', False), 'hsts': getattr(s, 'SECURE_HSTS_SECONDS', 0), "
    "'ssl_redirect': getattr(s, 'SECURE_SSL_REDIRECT', False), "
    "'sessions': s.SESSION_ENGINE, 'cache': s.CACHES['default']['BACKEND'], "
    "'cache_at': s.CACHES['default'].get('LOCATION'), "
    "'proxies': s.NINJA_NUM_PROXIES}, default=str))"
)


def load_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EXITENTRY_", "PYTEST_"))}
    clean.update(EXITENTRY_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, cwd=tmp_path, capture_output=True, text=True
    )


def test_production_without_secret_key_fails_clearly(tmp_path):
    proc = load_settings(tmp_path)
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr
    assert "EXITENTRY_SECRET_KEY is not set" in proc.stderr
    assert not (tmp_path / "data" / "secret_key").exists()


def test_debug_generates_and_keeps_a_private_secret_key(tmp_path):
    first = load_settings(tmp_path, EXITENTRY_DEBUG="1")
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 50
    second = load_settings(tmp_path, EXITENTRY_DEBUG="1")
    assert second.returncode == 0, second.stderr
    assert key_file.read_text().strip() == key
    out = json.loads(first.stdout)
    assert out["debug"] is True
    assert out["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert out["db"]["NAME"] == str(tmp_path / "data" / "exitentry.sqlite3")
    assert out["hosts"] == ["127.0.0.1", "localhost", "testserver"]


@pytest.mark.parametrize(("given", "waits"), [(None, 20), ("120", 120), ("2.5", 2.5)])
def test_sqlite_writers_wait_for_the_write_lock_as_long_as_configured(tmp_path, given, waits):
    """``EXITENTRY_SQLITE_TIMEOUT``: how long a write transaction waits for SQLite's write lock (default 20 s)."""
    env = {"EXITENTRY_DEBUG": "1"} | ({"EXITENTRY_SQLITE_TIMEOUT": given} if given else {})
    proc = load_settings(tmp_path, **env)
    assert proc.returncode == 0, proc.stderr
    options = json.loads(proc.stdout)["db"]["OPTIONS"]
    assert (options["timeout"], options["transaction_mode"]) == (waits, "IMMEDIATE")


def test_a_sqlite_timeout_that_is_not_a_positive_number_is_refused(tmp_path):
    proc = load_settings(tmp_path, EXITENTRY_DEBUG="1", EXITENTRY_SQLITE_TIMEOUT="0")
    assert proc.returncode != 0 and "EXITENTRY_SQLITE_TIMEOUT" in proc.stderr


def test_database_url_and_https(tmp_path):
    proc = load_settings(
        tmp_path,
        EXITENTRY_SECRET_KEY="x" * 60,
        EXITENTRY_AUDIT_KEY="k1:" + "x" * 40,
        EXITENTRY_DATABASE_URL="postgres://postgres@127.0.0.1:5432/exitentry",
        EXITENTRY_ALLOWED_HOSTS="example.org, www.example.org",
        EXITENTRY_HTTPS="1",
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    db = out["db"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["NAME"] == "exitentry"
    assert db["CONN_MAX_AGE"] == 60
    assert db["TEST"]["NAME"] == "test_exitentry"
    assert out["hosts"] == ["example.org", "www.example.org"]  # never Django's test client's "testserver"
    assert out["https"] is True
    assert out["debug"] is False


def test_a_shared_cache_holds_the_throttling_counters_and_a_proxy_is_trusted_once(tmp_path):
    alone = json.loads(load_settings(tmp_path, EXITENTRY_DEBUG="1").stdout)
    assert (alone["cache"], alone["sessions"], alone["proxies"]) == (
        "django.core.cache.backends.locmem.LocMemCache",
        "exitentry.accounts.sessions",  # the database's, whatever the cache
        0,
    )
    shared = load_settings(
        tmp_path,
        EXITENTRY_DEBUG="1",
        EXITENTRY_CACHE_URL="redis://127.0.0.1:6379/1",
        EXITENTRY_PROXY_SSL_HEADER="1",
    )
    out = json.loads(shared.stdout)
    assert out["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert out["sessions"] == "exitentry.accounts.sessions"
    assert out["proxies"] == 1


PRODUCTION = {"EXITENTRY_SECRET_KEY": "x" * 60, "EXITENTRY_AUDIT_KEY": "k1:" + "x" * 40}


def test_production_shares_the_throttling_counters_in_the_database_unless_given_a_cache(tmp_path):
    """With DEBUG off every worker counts against one limit: the database's cache table out of the box,
    never a cache of each process's own; a Redis when EXITENTRY_CACHE_URL names one."""
    out = json.loads(load_settings(tmp_path, **PRODUCTION).stdout)
    assert (out["cache"], out["cache_at"]) == (
        "django.core.cache.backends.db.DatabaseCache",
        "exitentry_cache",
    )
    redis = json.loads(load_settings(tmp_path, **PRODUCTION, EXITENTRY_CACHE_URL="redis://r:6379/1").stdout)
    assert redis["cache"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.django_db(transaction=True)
def test_migrating_makes_the_cache_table_the_workers_share(settings):
    """``migrate`` (run by ``serve``, ``demo`` and a deployment's ``exitentry manage migrate``) creates the
    database cache's table, so a production start needs no step beside it; counters in it are seen by
    every connection, so by every worker."""
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection

    table = "exitentry_cache_probe"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    }
    try:
        call_command("migrate", verbosity=0, interactive=False)
        assert table in connection.introspection.table_names()
        caches["default"].set("throttle_probe", 3, 60)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            assert cursor.fetchone()[0] == 1
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def test_production_is_https_unless_told_otherwise(tmp_path):
    """With DEBUG off, cookies are Secure, HSTS is on and plain HTTP is redirected without anyone
    remembering EXITENTRY_HTTPS; a deployment that really serves plain HTTP says EXITENTRY_HTTPS=0."""
    secure = json.loads(load_settings(tmp_path, **PRODUCTION).stdout)
    assert (secure["https"], secure["csrf_secure"], secure["ssl_redirect"]) == (True, True, True)
    assert secure["hsts"] == 31536000
    plain = json.loads(load_settings(tmp_path, **PRODUCTION, EXITENTRY_HTTPS="0").stdout)
    assert (plain["https"], plain["hsts"], plain["ssl_redirect"]) == (False, 0, False)
    local = json.loads(load_settings(tmp_path, EXITENTRY_DEBUG="1").stdout)
    assert (local["https"], local["hsts"]) == (False, 0)


def test_bad_boolean_is_rejected(tmp_path):
    proc = load_settings(tmp_path, EXITENTRY_DEBUG="maybe")
    assert proc.returncode != 0
    assert "EXITENTRY_DEBUG='maybe' is not a boolean" in proc.stderr


def test_cli_registers_serve_and_manage():
    assert {"serve", "manage"} <= set(cli.COMMANDS)
    args = cli.build_parser().parse_args(["serve", "--port", "8123", "--no-demo"])
    assert (args.host, args.port, args.no_demo) == ("127.0.0.1", 8123, True)


def test_cli_manage_passes_through(capsys):
    assert cli.main(["manage", "check", "--fail-level", "ERROR"]) == 0
    assert "System check identified no issues" in capsys.readouterr().out


def test_cli_console_script_help():
    proc = subprocess.run(
        [sys.executable, "-m", "exitentry.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "serve" in proc.stdout and "manage" in proc.stdout


@pytest.mark.django_db
def test_migrations_are_complete():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    ("argv", "url"),
    [
        (["--port", "8123"], "http://127.0.0.1:8123"),
        (["--host", "0.0.0.0", "--port", "8116"], "http://127.0.0.1:8116"),
        (["--host", "::1", "--port", "9000"], "http://[::1]:9000"),
    ],
)
def test_serve_links_its_messages_to_the_address_it_serves_and_says_when_no_worker_sends_them(
    monkeypatch, capsys, argv, url
):
    from django.core import management

    from exitentry.cli import service_commands

    monkeypatch.setenv("EXITENTRY_SITE_URL", "unset below; restored after the test")
    monkeypatch.delenv("EXITENTRY_SITE_URL")
    monkeypatch.delenv("RUN_MAIN", raising=False)
    ran = []
    monkeypatch.setattr(service_commands, "_migrate", lambda verbosity: None)
    monkeypatch.setattr(management, "execute_from_command_line", ran.append)
    assert cli.main(["serve", *argv, "--no-demo", "--noreload", "--no-worker"]) == 0
    assert os.environ["EXITENTRY_SITE_URL"] == url and ran
    assert "no background worker" in capsys.readouterr().out
    monkeypatch.setenv("EXITENTRY_SITE_URL", "https://exitentry.example.org")  # given: kept
    cli.main(["serve", *argv, "--no-demo", "--noreload", "--no-worker"])
    assert os.environ["EXITENTRY_SITE_URL"] == "https://exitentry.example.org"


def test_messages_come_from_the_office_named_in_both_languages(settings):
    from email.header import decode_header, make_header

    from django.core.mail import EmailMessage

    sent = EmailMessage("s", "b", settings.DEFAULT_FROM_EMAIL, ["a@example.org"]).message()
    shown = str(make_header(decode_header(sent["From"])))
    assert shown == "北京出入境外国人服务 Beijing Exit-Entry Foreigner Services <exitentry@localhost>"
