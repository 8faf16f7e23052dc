"""Log records and stored messages without the secrets an address may carry: a handler's invitation link
(``/unit/join/<token>/``, ``accounts.invitations``) makes whoever holds it a handler of the unit, an
applicant's sign-up link (``/sign-up/confirm/<token>/``, ``accounts.registration``) activates an account, and Django
logs the path of every 4xx answer (``django.request``: a weak password, a used link) and the development
server every request (``django.server``). ``settings.LOGGING`` puts ``HideSecrets`` on both loggers; the
outbox stores an invitation with its link so hidden (``hidden``), the token put in only as it is sent."""

from __future__ import annotations

import logging
import re

SECRET_IN_PATH = re.compile(
    r"(/unit/join/|/sign-up/confirm/)([^/\s\"'?#\[]+)"
)  # a token has no "[": hidden once is hidden
TOKEN_HIDDEN = "[token hidden]"


def hidden(text: str) -> str:
    """``text`` with the secret of each path in it hidden (``TOKEN_HIDDEN`` in its place)."""
    return SECRET_IN_PATH.sub(rf"\g<1>{TOKEN_HIDDEN}", text)


def secrets_in(text: str) -> list[str]:
    """The secrets of the paths in ``text`` that are not hidden."""
    return [match.group(2) for match in SECRET_IN_PATH.finditer(text)]


class HideSecrets(logging.Filter):
    """Rewrite a record whose message holds a secret of a path, the secret hidden; let every record pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        without = hidden(message)
        if without != message:
            record.msg, record.args = without, ()
        return True
