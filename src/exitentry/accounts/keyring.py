"""The audit trail's keys: the current one seals new entries and signs checkpoints; retired ones still verify.

A key is written ``ID:SECRET``: an id of up to 16 letters, digits, ``.``, ``_`` or ``-``, which every entry
and checkpoint records, and a secret of at least 32 characters. The keys come from the environment, never
from the database (``settings.AUDIT_KEYRING``, read once at start-up):

- ``EXITENTRY_AUDIT_KEY``: the current key; or ``EXITENTRY_AUDIT_KEY_FILE``: a file of keys, one a line
  (``#`` comments and blank lines ignored), the first the current one and the others retired;
- ``EXITENTRY_AUDIT_KEYS_RETIRED``: a comma list of retired keys (added to the file's, if any).

Without either, the test suite uses a fixed key and development (``EXITENTRY_DEBUG``) a key file generated
once in the data directory; anything else is refused at start-up.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_KEY = re.compile(r"([A-Za-z0-9._-]{1,16}):(\S{32,})")
TEST_KEY = "test:exitentry-test-audit-key-known-to-everyone"


@dataclass(frozen=True)
class Keyring:
    """Key id -> secret; ``current`` names the one new entries and checkpoints are sealed with."""

    current: str
    keys: Mapping[str, bytes] = field(repr=False)

    def seal(self, key_id: str, body: bytes) -> str:
        """HMAC-SHA256 of ``body`` under the key ``key_id`` (hex); ``KeyError`` for a key not held."""
        return hmac.digest(self.keys[key_id], body, "sha256").hex()


def from_environment(environ: Mapping[str, str], *, testing: bool, dev_file: Path | None) -> Keyring:
    """The keyring the environment describes; ``dev_file`` (development only) is made if missing."""
    current = environ.get("EXITENTRY_AUDIT_KEY", "").strip()
    path = environ.get("EXITENTRY_AUDIT_KEY_FILE", "").strip()
    if current and path:
        raise ImproperlyConfigured("Set EXITENTRY_AUDIT_KEY or EXITENTRY_AUDIT_KEY_FILE, not both.")
    if path:
        lines, origin = _read(Path(path)), f"EXITENTRY_AUDIT_KEY_FILE ({path})"
    elif current:
        lines, origin = [current], "EXITENTRY_AUDIT_KEY"
    elif testing:
        lines, origin = [TEST_KEY], "the test key"
    elif dev_file is not None:
        lines, origin = _dev_keys(dev_file), str(dev_file)
    else:
        raise ImproperlyConfigured(
            "EXITENTRY_AUDIT_KEY is not set: the audit trail is sealed with a key kept outside the database. "
            "Set it to ID:SECRET (e.g. python3 -c 'import secrets; print(\"k1:\" + secrets.token_urlsafe(32))'), "
            "or EXITENTRY_AUDIT_KEY_FILE to a file holding it, or EXITENTRY_DEBUG=1 for local development."
        )
    retired = [k.strip() for k in environ.get("EXITENTRY_AUDIT_KEYS_RETIRED", "").split(",") if k.strip()]
    keys: dict[str, bytes] = {}
    for n, text in enumerate([*lines, *retired]):
        where = origin if n < len(lines) else "EXITENTRY_AUDIT_KEYS_RETIRED"
        match = _KEY.fullmatch(text)
        if match is None:
            raise ImproperlyConfigured(
                f"{where}: a key is ID:SECRET, the id up to 16 letters, digits, '.', '_' or '-', "
                "the secret at least 32 characters without spaces."
            )
        if keys.setdefault(match[1], match[2].encode()) != match[2].encode():
            raise ImproperlyConfigured(
                f"{where}: the audit key id {match[1]!r} is given twice, with two secrets."
            )
    return Keyring(next(iter(keys)), keys)


def _read(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"Cannot read the audit keys in {path}: {exc.strerror}.") from None
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise ImproperlyConfigured(f"{path} holds no audit key.")
    return lines


def _dev_keys(path: Path) -> list[str]:
    """The development key file's keys, the file made (mode 600, one new key) on first use."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    key = f"dev1:{secrets.token_urlsafe(32)}"
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(
            f"# development audit keys: the first seals new entries, the others verify old ones\n{key}\n"
        )
    return [key]
