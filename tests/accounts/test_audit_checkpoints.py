"""Checkpoints of the chains' heads: written outside the database, by the command line or the task
backend, and held against the trail by ``exitentry audit verify``."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from exitentry.accounts import checkpoints
from exitentry.accounts.audit import Actor, record, verify
from exitentry.accounts.models import AuditHead
from exitentry.accounts.tasks import write_audit_checkpoint
from exitentry.cli import main
from factories import UserFactory

pytestmark = pytest.mark.django_db


def _entries(n: int) -> None:
    who = Actor(UserFactory(), "10.1.2.3")
    for i in range(n):
        record(who, "person.read", "person", i)


def test_a_checkpoint_is_one_signed_line_naming_every_head(settings) -> None:
    _entries(3)
    written = checkpoints.write()
    checkpoints.write()
    lines = checkpoints.path().read_text().splitlines()
    assert checkpoints.path().parent == settings.AUDIT_CHECKPOINT_DIR and len(lines) == 2
    head = AuditHead.objects.get()
    assert json.loads(lines[0])["heads"] == {str(head.pk): [3, head.last_hash]}
    assert written.entries == 3 and written.key_id == "test" and checkpoints.read()[0] == written


def test_the_command_line_writes_a_checkpoint_and_verify_holds_the_trail_to_it(settings, capsys) -> None:
    _entries(2)
    assert main(["audit", "verify"]) == 0
    assert "intact: 2 entries, no checkpoint yet" in capsys.readouterr().out
    assert main(["audit", "checkpoint"]) == 0
    assert (
        f"checkpoint written to {checkpoints.path()} (chains: 1, entries: 2, key: test)"
        in capsys.readouterr().out
    )
    assert main(["audit", "verify"]) == 0
    assert (
        "intact: 2 entries, held to the checkpoints (written: 1, the latest at 20" in capsys.readouterr().out
    )
    settings.AUDIT_CHECKPOINT_EVERY = 0
    assert main(["audit", "verify"]) == 0
    assert "are checkpoints still written?" in capsys.readouterr().out


def test_a_checkpoint_directory_that_cannot_be_written_is_one_line_and_status_2(
    settings, tmp_path, capsys
) -> None:
    (tmp_path / "a-file").write_text("")
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "a-file" / "checkpoints"
    assert main(["audit", "checkpoint"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("exitentry audit: cannot use the checkpoint file ")


def test_the_checkpoint_task_runs_on_the_projects_task_backend(monkeypatch) -> None:
    # The worker closes connections it thinks stale; here that would be the test's own transaction.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    _entries(1)
    result = write_audit_checkpoint.enqueue()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value["entries"] == 1
    assert len(checkpoints.read()) == 1 and verify().checkpoints == 1
