"""Status checks by institutions (Regulations Art. 27): the one service the desk's pages and the API call.

- With a share code: the holder's code and date of birth give the holder's minimal status
  (``status.status_of``), while the code runs, is not revoked or locked, and was made for the purpose of
  the institution's kind (``sharecodes.PURPOSE_OF_KIND``), for the kinds of unit Art. 27 lets ask
  (``law.rules.verification``).
- By a verification request: a travel document number and the holder's name give match or no match and,
  on a match, the same minimal status.

A failure says the same whatever was wrong (``NO_STATUS``), so a guesser learns nothing of which part was;
but the right code with the right date of birth, made for another purpose, is no guess: the institution is
told so (``OTHER_PURPOSE``), the holder's log names it, and no wrong try is counted. Wrong tries count per code (``models.MAX_WRONG_TRIES`` lock it) and per institution (``WRONG_TRIES`` in
``WINDOW`` seconds block its desk, in the cache); the pages and the API also rate-limit each institution
(``InstitutionThrottle``). Every check is stored (``StatusCheck``) with one audit entry, in one
transaction: a code lookup, the person's permits, the check and the audit entry.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from exitentry import clock
from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import Unit
from exitentry.bilingual import in_both
from exitentry.compiled import STR_MARKER, KeyedQuery, insert
from exitentry.law.rules import verification
from exitentry.law.text import Text
from exitentry.registry.models import Person
from exitentry.registry.travel_documents import numbered
from exitentry.throttling import WindowThrottle
from exitentry.verification.models import Purpose, ShareCode, StatusCheck
from exitentry.verification.sharecodes import PURPOSE_OF_KIND, digest, normalise
from exitentry.verification.status import Status, status_of

WRONG_TRIES = 20  # an institution's unsuccessful checks in WINDOW before its desk is refused
WINDOW = 3600

NO_STATUS = Text(
    "No status can be given for what was entered. Check the details with the holder and try again.",
    "无法根据所输入的信息提供身份状态。请与持证人核对信息后重试。",
)
OTHER_PURPOSE = Text(
    "The share code and the date of birth are right, but the holder gave this code for another purpose. "
    "Ask the holder for a code for your institution's purpose: {purpose}.",
    "分享码和出生日期均正确，但持证人是为其他用途生成的该分享码。请持证人按贵机构的用途（{purpose}）另行生成分享码。",
)
BLOCKED = Text(
    "Too many unsuccessful checks from this institution. Try again in an hour.",
    "本机构核查失败次数过多，请一小时后再试。",
)


class CheckRefused(Exception):
    """The check was not made: who may not check (403), or an institution blocked for now (429)."""

    def __init__(self, status: int, text: Text):
        self.status, self.text = status, text
        super().__init__(text.en)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a check answered: the status on a match, None otherwise; and the record of it."""

    status: Status | None
    check: StatusCheck

    @property
    def match(self) -> bool:
        return self.status is not None

    @property
    def other_purpose(self) -> bool:
        return self.check.result == StatusCheck.Result.OTHER_PURPOSE

    @property
    def refusal(self) -> Text:
        """What a check without a status is told: the purpose its code is not for, named, or no status."""
        if not self.other_purpose:
            return NO_STATUS
        purpose = in_both(Purpose(self.check.purpose).label)
        return Text(OTHER_PURPOSE.en.format(purpose=purpose.en), OTHER_PURPOSE.zh.format(purpose=purpose.zh))


class InstitutionThrottle(WindowThrottle):
    """``EXITENTRY_STATUS_CHECK_RATE`` checks per institution, shared by its accounts (pages and API) and keys."""

    scope = "status-check"

    def rate(self) -> str:
        return settings.EXITENTRY_STATUS_CHECK_RATE

    def ident(self, request) -> object | None:
        return getattr(request.user, "unit_id", None)


def purpose_of(user) -> str | None:
    """The purpose ``user``'s institution checks for; None if the user is not the desk of a unit that may
    ask for verification (``law.rules.verification``, Art. 27)."""
    if not policy.is_institution(user) or user.unit_id is None:
        return None
    if not verification.may_request_verification(user.unit.kind):
        return None
    return PURPOSE_OF_KIND.get(user.unit.kind)


def _institution(actor: Actor) -> tuple[Unit, str]:
    purpose = purpose_of(actor.user) if actor.user is not None else None
    if purpose is None:
        raise CheckRefused(403, verification.NOT_A_VERIFIER)
    institution = actor.user.unit
    if (cache.get(_wrong_key(institution)) or 0) >= WRONG_TRIES:
        raise CheckRefused(429, BLOCKED)
    return institution, purpose


def _wrong_key(institution: Unit) -> str:
    return f"status-check-wrong:{institution.pk}"


def _count_wrong(institution: Unit) -> None:
    key = _wrong_key(institution)
    cache.add(key, 0, WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)


# What every check by code reads, compiled once (``exitentry.compiled``): a share code by its digest,
# locked for its wrong tries, with its holder.
_CODE = KeyedQuery(
    lambda code: (
        ShareCode.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(digest=code)
        .order_by("pk")[:1]
    ),
    marker=STR_MARKER,
)


def check_code(actor: Actor, typed: str, birth_date: date, today: date) -> Outcome:
    """The minimal status behind a share code, given the holder's date of birth."""
    institution, purpose = _institution(actor)
    code_text = normalise(typed)
    with transaction.atomic():
        found = _CODE(digest(code_text)) if code_text is not None else []
        code = found[0] if found else None
        now = clock.now()
        usable = code is not None and code.state_at(now) == "active"
        if usable and code.person.birth_date == birth_date:
            if code.purpose == purpose:
                return _recorded(
                    actor, institution, StatusCheck.Method.CODE, purpose, code.person, today, code
                )
            other = StatusCheck.Result.OTHER_PURPOSE
            return _recorded(actor, institution, StatusCheck.Method.CODE, purpose, None, today, code, other)
        if usable:
            ShareCode.objects.filter(pk=code.pk).update(wrong_tries=F("wrong_tries") + 1)
        _count_wrong(institution)
        locked = code is not None and code.locked  # locked before this try
        failed = StatusCheck.Result.REFUSED if locked else StatusCheck.Result.NO_MATCH
        return _recorded(actor, institution, StatusCheck.Method.CODE, purpose, None, today, code, failed)


def check_document(actor: Actor, number: str, name: str, today: date) -> Outcome:
    """An Art. 27 verification request: match or no match of a travel document number and a name."""
    institution, purpose = _institution(actor)
    wanted = _name_key(name)
    with transaction.atomic():
        documents = numbered(number)
        person = next((d.person for d in documents if wanted and wanted in _names(d.person)), None)
        if person is None:
            _count_wrong(institution)
        return _recorded(actor, institution, StatusCheck.Method.DOCUMENT, purpose, person, today)


def _name_key(name: str) -> str:
    """A name as compared: accents, case, commas and spacing left aside (``Müller, Jörg`` = ``MULLER JORG``)."""
    plain = unicodedata.normalize("NFKD", name.replace(",", " "))
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).casefold().split())


def _names(person: Person) -> set[str]:
    """The ways a name may be given: surname first or last, or the Chinese name."""
    forms = {f"{person.surname} {person.given_names}", f"{person.given_names} {person.surname}"}
    if person.chinese_name:
        forms.add(person.chinese_name)
    return {_name_key(form) for form in forms}


def _recorded(
    actor: Actor,
    institution: Unit,
    method: str,
    purpose: str,
    person: Person | None,
    today: date,
    code: ShareCode | None = None,
    failed: str = StatusCheck.Result.NO_MATCH,
) -> Outcome:
    """Store and audit a check; ``failed`` is its result when no status is given."""
    status = status_of(person, today) if person is not None else None
    result = StatusCheck.Result.MATCH if status is not None else failed
    check = StatusCheck(
        institution=institution,
        user=actor.user,
        at=clock.now(),
        method=method,
        purpose=purpose,
        result=result,
        code=code,
        person=person if person is not None else (code.person if code is not None else None),
        in_force=status.valid if status is not None else None,
    )
    insert(check)
    record(
        actor,
        "status.check",
        "status-check",
        check.pk,
        new={
            "institution": institution.pk,
            "method": method,
            "purpose": purpose,
            "result": result,
            "person": check.person_id,
            "code": code.pk if code is not None else None,
            "valid": check.in_force,
        },
    )
    return Outcome(status, check)
