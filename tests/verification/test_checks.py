"""The status-check service: share codes and Art. 27 requests, against the registry as it stands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from exitentry.accounts.models import AuditEntry, Unit
from exitentry.law.calendar import beijing_today
from exitentry.law.rules import verification
from exitentry.registry.models import Permit
from exitentry.verification import checks, sharecodes
from exitentry.verification.models import MAX_WRONG_TRIES, Purpose, ShareCode, StatusCheck
from factories import actor
from verification.helpers import BIRTH, code_for, desk, holder

pytestmark = pytest.mark.django_db
TODAY = beijing_today()


def test_a_code_and_the_birth_date_give_the_minimal_status():
    user = holder()
    _, code = code_for(user)
    bank = desk()
    outcome = checks.check_code(actor(bank), code.lower().replace("-", " "), BIRTH, TODAY)
    status = outcome.status
    assert outcome.match and status.valid and status.state == "valid"
    assert status.document.en == "Residence permit" and status.permit_type.en == "Work"
    assert status.nationality.en == "Germany" and status.nationality.zh == "德国"
    assert status.initials.startswith("S") and status.initials.endswith("A.")
    assert status.photo is None
    shown = str(status.as_dict())
    assert user.person.travel_documents.get().number not in shown
    assert user.person.permits.get().number not in shown
    check = outcome.check
    assert (check.institution, check.user, check.method, check.purpose, check.result) == (
        bank.unit,
        bank,
        "code",
        "bank",
        "match",
    )
    entry = AuditEntry.objects.get(action="status.check")
    assert entry.actor == bank and entry.new["result"] == "match" and entry.new["person"] == user.person_id


@pytest.mark.parametrize(
    "change",
    ["wrong-birth", "expired", "revoked", "other-purpose-wrong-birth", "no-such-code", "not-a-code"],
)
def test_every_failure_reads_the_same_and_is_recorded(change):
    user = holder()
    share, code = code_for(user)
    birth = BIRTH
    if change == "wrong-birth":
        birth = BIRTH + timedelta(days=1)
    elif change == "expired":
        ShareCode.objects.filter(pk=share.pk).update(
            created_at=timezone.now() - timedelta(days=2), expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif change == "revoked":
        sharecodes.revoke(actor(user), share.pk)
    elif change == "other-purpose-wrong-birth":
        ShareCode.objects.filter(pk=share.pk).update(purpose="hospital")
        birth = BIRTH + timedelta(days=1)
    elif change == "no-such-code":
        code = sharecodes.new_code()
    else:
        code = "not a code"
    outcome = checks.check_code(actor(desk()), code, birth, TODAY)
    assert not outcome.match and outcome.status is None
    assert outcome.check.result == "no-match"
    assert AuditEntry.objects.filter(action="status.check", new__result="no-match").count() == 1


def test_five_wrong_tries_lock_the_code_even_for_the_right_birth_date():
    user = holder()
    share, code = code_for(user)
    bank = desk()
    for _ in range(MAX_WRONG_TRIES):
        assert not checks.check_code(actor(bank), code, date(2000, 1, 1), TODAY).match
    share.refresh_from_db()
    assert share.locked and share.state_at(timezone.now()) == "locked"
    outcome = checks.check_code(actor(bank), code, BIRTH, TODAY)
    assert not outcome.match and outcome.check.result == "refused"
    assert StatusCheck.objects.filter(code=share).count() == MAX_WRONG_TRIES + 1


def test_an_institution_is_blocked_after_its_wrong_tries_across_codes():
    bank = desk()
    for _ in range(checks.WRONG_TRIES):
        checks.check_code(actor(bank), sharecodes.new_code(), BIRTH, TODAY)
    with pytest.raises(checks.CheckRefused) as refused:
        checks.check_code(actor(bank), sharecodes.new_code(), BIRTH, TODAY)
    assert refused.value.status == 429
    # another institution is not
    assert checks.check_code(actor(desk()), sharecodes.new_code(), BIRTH, TODAY).check.result == "no-match"


@pytest.mark.parametrize("ending", ["void", "cancelled"])
def test_void_or_cancelled_shows_not_valid_at_once(ending):
    user = holder()
    _, code = code_for(user)
    Permit.objects.filter(person=user.person).update(status=ending)
    status = checks.check_code(actor(desk()), code, BIRTH, TODAY).status
    assert not status.valid and status.state == ending
    assert outcome_label(status) in (
        "Declared void (Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 34)",
        "Cancelled or confiscated (Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 35)",
    )


def outcome_label(status) -> str:
    return status.label.en


def test_expired_after_its_last_day_and_valid_on_it():
    user = holder(valid_until=TODAY)
    _, code = code_for(user, duration="7d")
    bank = desk()
    assert checks.check_code(actor(bank), code, BIRTH, TODAY).status.valid
    status = checks.check_code(actor(bank), code, BIRTH, TODAY + timedelta(days=1)).status
    assert not status.valid and status.state == "expired" and status.valid_until == TODAY


def test_the_pr_card_counts_before_a_residence_permit():
    from factories import PermitFactory

    user = holder()
    PermitFactory(person=user.person, kind="pr-card", permit_type="", valid_until=date(2030, 1, 1))
    _, code = code_for(user)
    status = checks.check_code(actor(desk()), code, BIRTH, TODAY).status
    assert status.document.en == "Permanent resident ID card" and status.permit_type is None


@pytest.mark.parametrize(
    ("kind", "purpose", "match"),
    [
        (Unit.Kind.BANK, "bank", True),
        (Unit.Kind.HOSPITAL, "hospital", True),
        (Unit.Kind.SCHOOL, "school", True),
        (Unit.Kind.TELECOM, "telecom", True),
        (Unit.Kind.EMPLOYER, "work", True),
        (Unit.Kind.HOSPITAL, "bank", False),
        (Unit.Kind.EMPLOYER, "school", False),
    ],
)
def test_a_code_opens_only_for_its_purposes_institutions(kind, purpose, match):
    user = holder()
    _, code = code_for(user, purpose=purpose)
    outcome = checks.check_code(actor(desk(kind)), code, BIRTH, TODAY)
    assert outcome.match is match
    assert outcome.check.purpose == sharecodes.PURPOSE_OF_KIND[kind]


def test_an_agency_or_inviting_unit_is_no_desk():
    for kind in (Unit.Kind.AGENCY, Unit.Kind.INVITING):
        with pytest.raises(checks.CheckRefused) as refused:
            checks.check_code(actor(desk(kind)), sharecodes.new_code(), BIRTH, TODAY)
        assert refused.value.status == 403
        assert refused.value.text == verification.NOT_A_VERIFIER  # the law core's words, citing Art. 27
    assert not StatusCheck.objects.exists()


def test_the_desks_that_check_are_the_units_art_27_lets_ask_for_verification():
    verifiers = {kind for kind in Unit.Kind.values if verification.may_request_verification(kind)}
    assert set(sharecodes.PURPOSE_OF_KIND) == verifiers
    for kind in Unit.Kind.values:
        assert (checks.purpose_of(desk(kind)) is not None) is (kind in verifiers)


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("{surname} Alex", True),
        ("alex {surname}", True),
        ("{surname},  ALEX", True),
        ("{surname} Alexa", False),
        ("", False),
    ],
)
def test_a_verification_request_matches_number_and_name(name, match):
    user = holder()
    person = user.person
    number = person.travel_documents.get().number
    outcome = checks.check_document(actor(desk()), number.lower(), name.format(surname=person.surname), TODAY)
    assert outcome.match is match
    assert outcome.check.method == "document"
    if match:
        assert outcome.status.valid and outcome.check.person == person


def test_a_verification_request_with_an_unknown_number_is_no_match():
    outcome = checks.check_document(actor(desk()), "NOSUCH123", "Anyone", TODAY)
    assert not outcome.match and outcome.check.person is None


def test_a_check_is_a_few_queries(django_assert_max_num_queries):
    """The path the benchmark measures: the institution, the code with its holder, the holder's permits,
    the check and one audit entry (the audit head and the entry); inside the test's transaction the
    check's own transaction is a savepoint and its release."""
    user = holder()
    _, code = code_for(user)
    bank = desk()
    assert bank.unit.kind == "bank"  # read once, as a signed-in session reads it
    with django_assert_max_num_queries(7):
        assert checks.check_code(actor(bank), code, BIRTH, TODAY).match


def test_a_demo_loaded_before_status_checks_gets_its_bank():
    from exitentry.accounts.models import Role
    from exitentry.cases.management.commands.load_demo import UNITS, demo_bank
    from factories import UserFactory

    desk_user = UserFactory(username="bank.verifier", role=Role.INSTITUTION)
    demo_bank()
    demo_bank()  # once only
    desk_user.refresh_from_db()
    assert desk_user.unit.credit_code == UNITS["bank"][3] and desk_user.unit.kind == "bank"
    assert Unit.objects.filter(credit_code=UNITS["bank"][3]).count() == 1
    assert checks.purpose_of(desk_user) == "bank"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_wrong_tries_sent_at_once_are_counted_one_by_one_and_only_five_are_weighed():
    """Guesses of the date of birth sent together: the code's row is locked for each, so exactly
    ``MAX_WRONG_TRIES`` are weighed (no match) and every later one is refused, the right one too."""
    import threading

    from django.db import connection

    user = holder()
    share, code = code_for(user)
    bank = desk()
    guesses = [BIRTH + timedelta(days=n) for n in range(1, 12)] + [BIRTH]
    barrier = threading.Barrier(len(guesses))
    results: list[str] = []

    def guess(birth) -> None:
        try:
            barrier.wait()
            results.append(checks.check_code(actor(bank), code, birth, TODAY).check.result)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(birth,)) for birth in guesses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    share.refresh_from_db()
    assert len(results) == len(guesses) and results.count("no-match") == MAX_WRONG_TRIES
    assert results.count("refused") == len(guesses) - MAX_WRONG_TRIES - results.count("match")
    assert share.wrong_tries == MAX_WRONG_TRIES
    assert AuditEntry.objects.filter(action="status.check").count() == len(guesses)


def test_the_right_code_and_birth_date_for_another_purpose_say_so_and_count_no_wrong_try():
    """Code and date of birth both right show no guessing: the institution is told the code is for
    another purpose, the holder's log says so, and neither the code's nor the institution's tries count."""
    user = holder()
    share, code = code_for(user, purpose="work")
    bank = desk()
    for _ in range(MAX_WRONG_TRIES + 1):
        outcome = checks.check_code(actor(bank), code, BIRTH, TODAY)
        assert not outcome.match and outcome.other_purpose and outcome.check.result == "purpose"
    share.refresh_from_db()
    assert share.wrong_tries == 0 and not share.locked
    assert checks.check_code(actor(desk(Unit.Kind.EMPLOYER)), code, BIRTH, TODAY).match
    wrong = checks.check_code(actor(bank), code, BIRTH + timedelta(days=1), TODAY)
    assert not wrong.other_purpose and wrong.check.result == "no-match"


def test_every_verifying_kind_checks_for_one_purpose_and_every_purpose_has_its_kind() -> None:
    assert tuple(sharecodes.PURPOSE_OF_KIND) == verification.VERIFYING_KINDS
    assert sorted(sharecodes.PURPOSE_OF_KIND.values()) == sorted(Purpose)
