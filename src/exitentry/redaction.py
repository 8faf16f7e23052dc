"""Log records without the secrets an address may carry: a handler's invitation link (``/unit/join/<token>/``,
``accounts.invitations``) makes whoever holds it a handler of the unit, and Django logs the path of every
4xx answer (``django.request``: a weak password, a used link) and the development server every request
(``django.server``). ``settings.LOGGING`` puts ``HideSecrets`` on both loggers."""

from __future__ import annotations

import logging
import re

SECRET_IN_PATH = re.compile(r"(/unit/join/)[^/\s\"'?#]+")
HIDDEN = r"\1[token hidden]"


class HideSecrets(logging.Filter):
    """Rewrite a record whose message holds a secret of a path, the secret hidden; let every record pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = SECRET_IN_PATH.sub(HIDDEN, message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True
