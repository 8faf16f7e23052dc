"""Signed document tokens (documents.tokens): what the QR code carries and the verification page reads."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import override_settings

from exitentry.documents.tokens import SALT, BadToken, make_token, read_token, verification_url


@pytest.mark.parametrize("kind", ["receipt", "deficiency", "decision"])
def test_a_token_reads_back_as_the_kind_and_number_it_was_made_for(kind: str) -> None:
    assert read_token(make_token(kind, "BJ-2025-000123")) == (kind, "BJ-2025-000123")


def test_a_token_is_short_and_safe_in_a_url_path_segment() -> None:
    token = make_token("deficiency", "BJ-N-2025-000123")
    assert re.fullmatch(r"[A-Za-z0-9_:-]+", token)
    assert len(token) <= 100


def test_tokens_for_different_documents_differ() -> None:
    assert make_token("receipt", "R-1") != make_token("decision", "R-1") != make_token("receipt", "R-2")


@pytest.mark.parametrize("position", [0, 10, -25, -1], ids=["payload start", "payload", "signature", "last"])
def test_a_token_with_one_character_changed_is_refused(position: int) -> None:
    token = make_token("receipt", "R-2025-000123")
    at = position % len(token)
    tampered = token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1 :]
    with pytest.raises(BadToken):
        read_token(tampered)


@pytest.mark.parametrize("keep", [1, 20, -1], ids=["one character", "part of the payload", "all but one"])
def test_a_truncated_token_is_refused(keep: int) -> None:
    with pytest.raises(BadToken):
        read_token(make_token("receipt", "R-2025-000123")[:keep])


def test_a_token_signed_with_another_salt_is_refused() -> None:
    foreign = signing.Signer(salt="exitentry.something-else").sign_object({"k": "receipt", "n": "R-1"})
    with pytest.raises(BadToken):
        read_token(foreign)


def test_a_value_from_djangos_default_signing_is_refused() -> None:
    with pytest.raises(BadToken):
        read_token(signing.dumps({"k": "receipt", "n": "R-1"}))


@pytest.mark.parametrize("garbage", ["", "garbage", "a:b", ":", "::::", "éé:éé", "🙂", "x" * 5000])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(BadToken):
        read_token(garbage)


@pytest.mark.parametrize(
    "payload",
    [
        {"k": "passport", "n": "R-1"},
        {"k": ["receipt"], "n": "R-1"},
        {"k": "receipt", "n": ""},
        {"k": "receipt", "n": 7},
        ["receipt", "R-1"],
    ],
    ids=["unknown kind", "kind not text", "empty number", "number not text", "not an object"],
)
def test_a_correctly_signed_token_that_names_no_document_is_refused(payload: object) -> None:
    with pytest.raises(BadToken):
        read_token(signing.Signer(salt=SALT).sign_object(payload))


def test_a_token_made_under_another_secret_key_is_refused() -> None:
    with override_settings(SECRET_KEY="another-office-entirely-" + "x" * 40):
        token = make_token("receipt", "R-2025-000123")
        assert read_token(token) == ("receipt", "R-2025-000123")
    with pytest.raises(BadToken):
        read_token(token)


def test_a_refused_token_says_what_to_do_and_hides_the_signing_error() -> None:
    with pytest.raises(BadToken) as refused:
        read_token(make_token("receipt", "R-1")[:-3])
    assert isinstance(refused.value, ValueError)
    assert "Scan the QR code" in str(refused.value)
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


@pytest.mark.parametrize(("kind", "number"), [("visa", "R-1"), ("receipt", "")])
def test_a_token_is_only_made_for_a_known_kind_and_a_number(kind: str, number: str) -> None:
    with pytest.raises(ValueError):
        make_token(kind, number)


@pytest.mark.parametrize(
    "base_url", ["https://bj.example.cn", "https://bj.example.cn/", "https://bj.example.cn//"]
)
def test_the_verification_url_has_one_slash_before_verify_whatever_the_base_ends_with(base_url: str) -> None:
    assert verification_url(base_url, "abc:def") == "https://bj.example.cn/verify/abc:def"


def test_the_verification_url_keeps_a_path_prefix() -> None:
    assert (
        verification_url("https://gov.example.cn/exitentry/", "t")
        == "https://gov.example.cn/exitentry/verify/t"
    )


@pytest.mark.parametrize("base_url", ["", "/verify", "bj.example.cn"])
def test_a_relative_base_url_is_refused_because_a_qr_code_needs_a_full_address(base_url: str) -> None:
    with pytest.raises(ValueError):
        verification_url(base_url, "t")


def test_every_number_a_case_prints_is_told_from_a_code_by_the_patterns_that_make_it() -> None:
    """``cases.numbers`` makes the numbers and holds the patterns the check reads: one place for both."""
    from datetime import date

    from exitentry.cases import numbers
    from exitentry.documents.tokens import is_printed_number

    ref = numbers.reference(date(2026, 12, 6), 42)
    assert ref == "BJ202600000042"
    for printed in (numbers.receipt(ref), numbers.notice(ref, 2), numbers.decision(ref)):
        assert is_printed_number(printed) and is_printed_number(printed.lower())
    assert not is_printed_number(ref) and not is_printed_number(make_token("receipt", numbers.receipt(ref)))


def test_the_apps_that_print_documents_register_their_kinds_when_ready() -> None:
    """``documents`` is below the apps and imports none: cases and compliance register the kinds they print
    and their numbers' patterns (``tokens.register``), and a unit's or a holder's report receipt number is
    told from a code as a case's is."""
    from datetime import date

    from exitentry.compliance import change_reports, numbers, unit_reports
    from exitentry.documents.tokens import KINDS, is_printed_number

    assert set(KINDS) == {"receipt", "deficiency", "decision", "unit-report", "change-report"}
    for kind, prefix in (
        ("unit-report", unit_reports.NUMBER_PREFIX),
        ("change-report", change_reports.NUMBER_PREFIX),
    ):
        printed = numbers.receipt(prefix, date(2026, 12, 6), 12)
        assert is_printed_number(printed) and is_printed_number(f" {printed.lower()} ")
        assert read_token(make_token(kind, printed)) == (kind, printed)


def test_a_kind_registered_with_another_pattern_is_refused() -> None:
    from exitentry.documents.tokens import KINDS, register

    before = dict(KINDS)
    register(("receipt", KINDS["receipt"]))  # an app readied again registers the same
    with pytest.raises(ValueError, match="registered already"):
        register(("receipt", re.compile(r"R-\d+")))
    assert before == KINDS
