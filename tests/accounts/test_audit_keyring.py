"""The audit keys come from the environment or a key file, never from the database, and never by default
outside development and the tests."""

from __future__ import annotations

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from exitentry.accounts.keyring import TEST_KEY, from_environment

K1, K2, K3 = ("k1:" + "a" * 32), ("k2:" + "b" * 40), ("old.2025:" + "c" * 43)


def keyring(env: dict[str, str], *, testing: bool = False, dev_file=None):
    return from_environment(env, testing=testing, dev_file=dev_file)


def test_the_current_key_seals_and_retired_keys_still_verify() -> None:
    ring = keyring({"EXITENTRY_AUDIT_KEY": K2, "EXITENTRY_AUDIT_KEYS_RETIRED": f"{K1}, {K3}"})
    assert ring.current == "k2" and set(ring.keys) == {"k1", "k2", "old.2025"}
    assert ring.seal("k1", b"x") != ring.seal("k2", b"x") and len(ring.seal("k2", b"x")) == 64
    assert "b" * 40 not in repr(ring)  # a debug page or a log line never shows a secret


def test_a_key_file_holds_the_current_key_first_and_the_retired_after(tmp_path) -> None:
    path = tmp_path / "audit_keys"
    path.write_text(f"# rotated 2026-11-24\n{K2}\n\n{K1}\n")
    ring = keyring({"EXITENTRY_AUDIT_KEY_FILE": str(path), "EXITENTRY_AUDIT_KEYS_RETIRED": K3})
    assert ring.current == "k2" and set(ring.keys) == {"k1", "k2", "old.2025"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "EXITENTRY_AUDIT_KEY is not set"),
        ({"EXITENTRY_AUDIT_KEY": "k1:short"}, "a key is ID:SECRET"),
        ({"EXITENTRY_AUDIT_KEY": "a" * 40}, "a key is ID:SECRET"),
        ({"EXITENTRY_AUDIT_KEY": K1, "EXITENTRY_AUDIT_KEYS_RETIRED": "k1:" + "z" * 32}, "given twice"),
        ({"EXITENTRY_AUDIT_KEY": K1, "EXITENTRY_AUDIT_KEY_FILE": "/etc/keys"}, "not both"),
        ({"EXITENTRY_AUDIT_KEY_FILE": "/nonexistent/audit_keys"}, "Cannot read the audit keys"),
    ],
)
def test_production_refuses_a_missing_or_bad_key_at_start_up(env, message) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        keyring(env)


def test_development_generates_a_private_key_file_once_and_tests_use_a_fixed_key(tmp_path) -> None:
    path = tmp_path / "audit_keys"
    first = keyring({}, dev_file=path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and first.current == "dev1"
    assert keyring({}, dev_file=path).keys == first.keys
    assert keyring({}, testing=True).keys == keyring({"EXITENTRY_AUDIT_KEY": TEST_KEY}).keys
    assert keyring({"EXITENTRY_AUDIT_KEY": K1}, testing=True).current == "k1"  # the environment wins
