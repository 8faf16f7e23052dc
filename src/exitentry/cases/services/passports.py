"""Entering a new person by passport (a proxy, agency or unit handler): refused when the registry holds
the passport already, and the project policy against sweeping the registry with such refusals.

A refusal for a passport held under a person outside the filer's mandate tells the filer that the passport
exists, so each is audited (``person.passport.refused``: who, when, from where, the passport's issuing
country, its number masked and keyed-hashed, never in full) and counted against the account
(``throttling.PassportRefusals``, ``EXITENTRY_PASSPORT_REFUSAL_RATE``). Project policy, not a rule of the
sources: past the limit the account enters no new person, with or without a passport, until the window
ends (``RefusalsSpent``: 429 with ``Retry-After`` on the API, the same words on the page), so a proxy
cannot learn which of a list of passports the registry holds. A filer errs on a few passports a day (a
typo, a person it once acted for); ten a day is far above that and far below a sweep.
"""

from __future__ import annotations

from datetime import date

from django.utils.crypto import salted_hmac

from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import Role
from exitentry.cases import access
from exitentry.cases.services.drafts import no_mandate
from exitentry.law.text import Text
from exitentry.registry.models import TravelDocument
from exitentry.throttling import PassportRefusals

_CHOOSE_THEM = Text(
    "This passport is already in the registry: choose the person it belongs to instead.",
    "该护照已在登记记录中，请改为选择护照所属的人员。",
)
_SPENT = Text(
    "Too many passports entered for new persons were already in the registry: this account cannot "
    "enter new persons for about {hours} more hours. Choose a person you act for, or try again later.",
    "本账户录入的新人员护照中已有过多护照已在登记系统中：约{hours}小时内不能再录入新人员。"
    "请选择您代办的人员，或稍后再试。",
)


_ANOTHER_RECORD = Text(
    "This passport is already in the registry under another record. If it is yours, take it to an "
    "exit-entry hall and ask there.",
    "该护照已登记在其他人员名下。如确为您本人的护照，请携带护照到出入境大厅咨询。",
)


class RefusalsSpent(access.Denied):
    """The account has used up its refused passports for this window: no new person until it ends
    (``wait``: seconds)."""

    def __init__(self, wait: float):
        self.wait = max(1, round(wait))
        super().__init__(_SPENT.format(hours=max(1, round(self.wait / 3600))))


def new_person_refused(
    actor: Actor, issuing_country: str, number: str, on: date | None = None
) -> Text | None:
    """Why ``actor``'s account may not enter a new person with this passport (none given: ``""``), or
    None; ``RefusalsSpent`` once the account is past its limit, whatever the passport."""
    return document_refused(actor, None, issuing_country, number, on)


def document_refused(
    actor: Actor, person_id: int | None, issuing_country: str, number: str, on: date | None = None
) -> Text | None:
    """Why ``actor``'s account may not record this passport for the person ``person_id`` (None: a new
    person), or None (another person's claim, ``TravelDocument.claim``, is no registry fact: no refusal) (a passport the person holds already is left to the registry's own check);
    ``RefusalsSpent`` once the account (an applicant's, or its address) is past its limit, whatever the passport: recording a passport on
    a person one reads (``POST /people/{id}/travel-documents``) is the same probe as entering a new one."""
    user, refusals = actor.user, PassportRefusals()
    counts = [user.pk]
    if user.role == Role.APPLICANT and (address := PassportRefusals.address_key(actor.ip)) is not None:
        counts.append(address)  # accounts are free to open: the address counts too
    if any(refusals.spent(ident) for ident in counts):
        raise RefusalsSpent(refusals.wait())
    if not (issuing_country and number):
        return None
    holder = TravelDocument.objects.filter(issuing_country=issuing_country, number=number, claim=False)
    holder = holder.values("person_id")
    holder_id = next(iter(holder), {}).get("person_id")
    if holder_id is None or holder_id == person_id:
        return None
    if access.reads_person(user, holder_id, on):
        return _CHOOSE_THEM
    record(actor, "person.passport.refused", "user", user.pk, new=_described(issuing_country, number))
    for ident in counts:
        refusals.count(ident)
    if user.role == Role.APPLICANT:  # entering their own record (``accounts.registration``)
        return _ANOTHER_RECORD
    mandate = no_mandate()
    return Text(
        "This passport belongs to a person in the registry you do not act for now. " + mandate.en,
        "此护照属于登记系统中您目前未代办的人员。" + mandate.zh,
    )


def _described(issuing_country: str, number: str) -> dict[str, str]:
    """The passport as the audit trail keeps it: its country, its last two characters, and an HMAC of it
    under the secret key (the same passport probed twice shows twice; a plain hash of so short a number
    would be reversed by trying them all)."""
    digest = salted_hmac("exitentry.passport-refused", f"{issuing_country}:{number}").hexdigest()
    return {
        "issuing_country": issuing_country,
        "number": "*" * (len(number) - 2) + number[-2:],
        "hmac": digest,
    }
