"""Cases migration 0010 (one open application per permit) on a database that already holds two open
applications on one permit: it stops with a message naming them and what to do, adds nothing, and
``exitentry cases open-duplicates`` lists them ahead of the upgrade."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from exitentry import cli
from factories import PermitFactory, applicant

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("cases", "0009_translated_model_names")
CONSTRAINT, AFTER = ("cases", "0010_one_open_case_per_permit"), ("cases", "0011_refusals_closed")


def applied(name: tuple[str, str]) -> bool:
    return name in MigrationRecorder(connection).applied_migrations()


def has_constraint() -> bool:
    with connection.cursor() as cursor:
        return "case_one_open_per_permit" in connection.introspection.get_constraints(cursor, "cases_case")


@pytest.fixture
def at_0009():
    """The cases app at 0009 (the other apps at their latest); brought back to the latest at the end."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    Case = executor.loader.project_state([BEFORE]).apps.get_model("cases", "Case")
    yield Case
    Case.objects.all().delete()
    latest = MigrationExecutor(connection)  # every app's last migration, not AFTER: later tests need them
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_two_open_applications_on_one_permit_stop_the_migration_with_their_references(at_0009, capsys):
    Case, user = at_0009, applicant()
    permit, other = PermitFactory(person=user.person), PermitFactory(person=user.person)

    def case(reference: str | None, state: str, permit):
        return Case.objects.create(
            reference=reference, procedure_id="rp-work", person_id=user.person.pk, submitted_by_id=user.pk,
            acting_as="self", hall_id="reception-hall", state=state, permit_id=permit.pk,
        )  # fmt: skip

    first, second = case("BJ202690000001", "received", permit), case(None, "draft", permit)
    case("BJ202690000003", "withdrawn", permit)  # a closed one does not count
    case("BJ202690000004", "submitted", other)  # nor one alone on its permit

    assert cli.main(["cases", "open-duplicates"]) == 1
    out = capsys.readouterr().out
    assert f"permit {permit.number}: BJ202690000001, draft {second.pk}" in out
    assert other.number not in out and "BJ202690000003" not in out
    assert "withdraw or decide all but one" in out

    with pytest.raises(CommandError) as refused:
        MigrationExecutor(connection).migrate([AFTER])
    message = str(refused.value)
    assert f"permit {permit.number}: BJ202690000001, draft {second.pk}" in message
    assert "withdraw or decide all but one" in message and "then migrate again" in message
    assert "BJ202690000004" not in message
    assert not applied(CONSTRAINT) and not applied(AFTER) and not has_constraint()  # nothing half-done

    Case.objects.filter(pk=first.pk).update(state="withdrawn")
    assert cli.main(["cases", "open-duplicates"]) == 0
    assert "at most one open application" in capsys.readouterr().out
    MigrationExecutor(connection).migrate([AFTER])
    assert applied(CONSTRAINT) and applied(AFTER) and has_constraint()


def test_the_upgrade_commands_give_the_message_in_lines_not_a_traceback(at_0009, capsys):
    Case, user = at_0009, applicant()
    permit = PermitFactory(person=user.person)
    for n in (1, 2):
        Case.objects.create(
            reference=f"BJ20269000001{n}", procedure_id="rp-work", person_id=user.person.pk,
            submitted_by_id=user.pk, acting_as="self", hall_id="reception-hall", state="submitted",
            permit_id=permit.pk,
        )  # fmt: skip
    assert cli.main(["demo", "--force"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("exitentry demo: 1 permit(s) have more than one open application")
    assert f"permit {permit.number}: BJ202690000011, BJ202690000012" in err and "Traceback" not in err
    assert not has_constraint()
