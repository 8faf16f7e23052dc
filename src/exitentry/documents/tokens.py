"""Signed tokens for the QR code on a printed document, so anyone can check the paper against the office.

The token is Django's ``Signer`` over a compact ``{"k": kind, "n": number}``: URL-safe base64, a ``:``
and an HMAC keyed by ``SECRET_KEY`` with a salt of its own, so no other signed value in the project
passes for a document token. It carries no timestamp: a receipt stays checkable after it lapses.
"""

from __future__ import annotations

import re

from django.core import signing

SALT = "exitentry.documents.v1"
KINDS: dict[str, re.Pattern[str]] = {}
"""The kinds of document a token names, each with the pattern of the number printed on it (told apart from
a code, to say what to type instead). The apps that print them register them when Django readies them
(``register``): a case's receipt, notice and decision (``cases.numbers``), a unit report's and a holder's
change report's receipt (``compliance``); so this module, below them, imports neither."""


def register(*kinds: tuple[str, re.Pattern[str]]) -> None:
    """Add ``(kind, printed number)`` pairs to ``KINDS``; a kind another pattern holds already is refused."""
    for kind, printed in kinds:
        if KINDS.setdefault(kind, printed) is not printed:
            raise ValueError(f"document kind {kind!r} is registered already")


class BadToken(ValueError):
    """The token was not issued by this office for a document, or was altered or cut short."""


def make_token(kind: str, number: str) -> str:
    """The token printed on document ``number`` of ``kind`` (one of ``KINDS``)."""
    if kind not in KINDS:
        raise ValueError(f"document kind must be one of {sorted(KINDS)}, got {kind!r}")
    if not number:
        raise ValueError("a document token needs the document's number")
    return signing.Signer(salt=SALT).sign_object({"k": kind, "n": number})


def is_printed_number(typed: str) -> bool:
    """Whether ``typed`` is a document's number as printed on it (case and spaces aside). Such a number is
    sequential and guessable, so it never stands in for the signed code: a check by number alone would
    let anyone walk through every applicant's documents."""
    number = "".join(typed.split()).upper()
    return any(pattern.fullmatch(number) for pattern in KINDS.values())


def read_token(token: str) -> tuple[str, str]:
    """The (kind, number) a token names; ``BadToken`` unless this office signed it for a document."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, TypeError, ValueError):
        payload = None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("k"), str)
        or payload["k"] not in KINDS
        or not isinstance(payload.get("n"), str)
        or not payload["n"]
    ):
        raise BadToken(
            "This verification code is not one this office issued: it may have been mistyped, cut short "
            "or altered. Scan the QR code on the document again, or type the full address printed under it."
        ) from None
    return payload["k"], payload["n"]


def verification_url(base_url: str, token: str) -> str:
    """The address printed in the QR code: ``{base_url}/verify/{token}``, whatever ``base_url`` ends with."""
    if not base_url.startswith(("https://", "http://")):
        raise ValueError(f"base_url must be an absolute http(s) address, got {base_url!r}")
    return f"{base_url.rstrip('/')}/verify/{token}"
