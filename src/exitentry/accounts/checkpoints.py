"""Signed checkpoints of every audit chain's head, kept outside the database.

A checkpoint is one JSON line appended to ``checkpoints.jsonl`` in ``settings.AUDIT_CHECKPOINT_DIR``:
when it was taken, each chain's head (how many entries, the last one's hash), the id of the key that
signed it and its signature (HMAC-SHA256 over the rest, with the audit keyring). ``audit.verify`` holds
the trail to every line, so entries a checkpoint covers cannot be cut off or sealed again unnoticed,
even by someone who can write the database. Written by ``exitentry audit checkpoint`` and by the task
``exitentry.accounts.tasks.write_audit_checkpoint``, every ``settings.AUDIT_CHECKPOINT_EVERY`` seconds.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from exitentry.accounts.models import AuditHead

FILE_NAME = "checkpoints.jsonl"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    at: datetime
    key_id: str
    heads: dict[int, tuple[int, str]]  # chain -> (count, last hash)

    @property
    def entries(self) -> int:
        return sum(count for count, _ in self.heads.values())


class CheckpointError(Exception):
    """A line of the checkpoint file that is not a checkpoint the keyring signed."""


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / FILE_NAME


def write() -> Checkpoint:
    """Append a checkpoint of every chain's head, signed with the current key, and flush it to disk."""
    ring = settings.AUDIT_KEYRING
    heads = AuditHead.objects.filter(count__gt=0).values_list("pk", "count", "last_hash")
    checkpoint = Checkpoint(timezone.now(), ring.current, {pk: (count, h) for pk, count, h in heads})
    body = _body(checkpoint)
    line = json.dumps({**body, "mac": ring.seal(checkpoint.key_id, _canonical(body))}) + "\n"
    path().parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode())  # one write to a file opened for appending: lines never interleave
        os.fsync(fd)
    finally:
        os.close(fd)
    return checkpoint


def read() -> list[Checkpoint]:
    """Every checkpoint, oldest first, each signature checked; none when the file does not exist yet."""
    try:
        lines = path().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    ring = settings.AUDIT_KEYRING
    checkpoints = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            body = {name: data[name] for name in ("at", "key", "heads")}
            key_id, mac = str(data["key"]), str(data["mac"])
        except (ValueError, KeyError, TypeError):
            raise CheckpointError(f"line {number} of {path()} is not a checkpoint") from None
        if key_id not in ring.keys:
            raise CheckpointError(
                f"line {number} of {path()} was signed with the key {key_id!r}, which the keyring does not hold"
            )
        if not hmac.compare_digest(ring.seal(key_id, _canonical(body)), mac):
            raise CheckpointError(f"line {number} of {path()}: its signature does not match")
        heads = {int(chain): (int(count), str(h)) for chain, (count, h) in body["heads"].items()}
        checkpoints.append(Checkpoint(datetime.fromisoformat(body["at"]), key_id, heads))
    return checkpoints


def _body(checkpoint: Checkpoint) -> dict:
    heads = {str(chain): [count, h] for chain, (count, h) in sorted(checkpoint.heads.items())}
    return {"at": checkpoint.at.isoformat(), "key": checkpoint.key_id, "heads": heads}


def _canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
