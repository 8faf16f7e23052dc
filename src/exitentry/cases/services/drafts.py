"""The applicant's side: start a draft, change its facts, upload materials, submit, withdraw.

Whom a draft may be for: an applicant applies for themself; a proxy, agency or unit for a registry person
it holds a mandate for (``access.people_rule``: a case for them not closed or closed lately, or for a unit
a place on its roster), or for a person it has just entered as new (``entered``). A person the registry
already holds is never free to use because no case names them yet, so a guessed person id starts nothing.
Once the mandate has ended the filer cannot re-enter the person either (their passport is in the registry:
``services.passports``): it is refused, saying why in both languages, and nothing is stored;
the person applies themself (a unit files again once they are on its roster). Recorded choice: refusing
keeps one registry record per passport and gives the filer no way back into someone's current permits
through details it kept from an old errand.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import Role
from exitentry.cases import access, claims, expiry, first_application, numbers, registry_facts, uploads
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, Material
from exitentry.cases.services.one_per_permit import PermitBusy, open_on, refuse_second
from exitentry.cases.services.reading import (
    Refused,
    advice_for,
    hall_choices,
    hall_label,
    procedure_of,
    refuse_expired_passport,
)
from exitentry.cases.services.steps import edit, lock_case, transition
from exitentry.law.advice import COMPLETE, Unfit
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.intake import (
    AGENCY,
    PROXY,
    SELF,
    TRUSTEE_ID,
    UNIT,
    answers_to_change,
    failed_by,
    still_asked,
    unmet,
)
from exitentry.law.model import Procedure
from exitentry.law.rules import holding
from exitentry.law.text import Text
from exitentry.registry import roster
from exitentry.registry.models import Permit, Person
from exitentry.upload_limit import too_large

_DRAFT_EXISTS = Text(
    "This person already has a draft for this application (case {case_id}): continue it, or withdraw it "
    "before starting another.",
    "此人已有此项申请的草稿（申请{case_id}）：请继续填写该草稿，或撤回后再发起新的申请。",
)


class DraftExists(Refused):
    """A second draft for the same person and procedure, where the filer may open the first (``draft``):
    it is continued, not doubled (the page shows it, the API answers 409 with its id)."""

    def __init__(self, draft: Case):
        self.draft = draft
        super().__init__("procedure", _DRAFT_EXISTS.format(case_id=draft.pk))


def open_draft(user, person: Person, procedure_id: str) -> Case | None:
    """The newest draft for ``person`` and ``procedure_id`` that ``user`` may open, or None: one
    application is continued rather than a second identical one started (a proxy's for another person is
    no second one; a permit's second application is refused by ``one_per_permit``). The one rule the
    start page and ``POST /cases`` both ask (through ``start_case``)."""
    drafts = access.cases_for(user).filter(person=person, procedure_id=procedure_id, state=State.DRAFT)
    return drafts.order_by("-created_at", "-pk").first()


_STILL_ASKED = Text("Answer what the rules still need:", "申请仍需回答：")
_MISLABELLED = Text(
    "The file says it is {said} but its content is {content}. Upload the file as it is.",
    "文件标明为{said}，但实际内容为{content}。请按原格式上传文件。",
)


def start_case(
    actor: Actor,
    *,
    procedure_id: str,
    person: Person,
    facts: dict,
    acting_as: str | None = None,
    permit: Permit | None = None,
    on: date | None = None,
    entered: bool = False,
) -> Case:
    """A draft application. The facts are checked now, so a bad value is refused before anything is stored.
    ``entered``: the caller has just stored ``person`` as a new registry record, in its transaction."""
    on = on or beijing_today()
    user = actor.user
    if not policy.may_start_case(user):
        raise access.Denied(
            Text(
                "Only applicants, proxies and unit handlers start applications.",
                "只有申请人、代办人和单位经办人可以发起申请。",
            )
        )
    if user.role == Role.APPLICANT and person.pk != user.person_id:
        raise access.Denied(
            Text(
                "An applicant applies for themself; a proxy or unit applies for others.",
                "申请人只能为本人申请；代办人或单位为他人申请。",
            )
        )
    if user.role != Role.APPLICANT and not _may_use_person(user, person, entered, on):
        raise access.Denied(no_mandate())
    default = {Role.APPLICANT: SELF, Role.UNIT: UNIT, Role.PROXY: AGENCY if user.unit_id else PROXY}[
        user.role
    ]
    # Regulations Art. 19 names who may apply for someone else: the inviting entity or individual, the
    # applicant's relatives, specialised service agencies. An account acts as what it is: an agency's staff
    # (a proxy account of an agency unit) as the agency, a person acting alone as an individual, never the other.
    acting_as = acting_as or default
    if acting_as != default:
        raise Refused(
            "acting_as",
            Text(
                f"This account ({user.role}) applies as {default}, not as {acting_as}.",
                f"此账户（{user.role}）只能以“{default}”身份申请，不能以“{acting_as}”身份申请。",
            ),
        )
    procedure = procedure_of(procedure_id, on)
    if permit is not None and permit.person_id != person.pk:
        raise Refused("permit", Text("The permit belongs to someone else.", "该证件属于他人。"))
    if procedure.casework.action != "issue" and permit is None:
        raise Refused(
            "permit",
            Text(
                f"Name the permit this {procedure.casework.action} acts on.",
                "请选择此项申请所针对的现有证件。",
            ),
        )
    if procedure.casework.by_new_employer and roster.employs(user.unit_id, person.pk, on):
        raise Refused("procedure", holding.NEW_EMPLOYER_APPLIES_TEXT, holding.NEW_EMPLOYER_APPLIES)
    if (held := first_application.already_held(person, procedure, on, user.unit_id)) is not None:
        raise Refused("procedure", held.text)
    if not entered and (draft := open_draft(user, person, procedure.id)) is not None:
        raise DraftExists(draft)
    refuse_second(permit, user)
    # after the refusals that say what is held or open, which tell the applicant more
    if acting_as == SELF and holding.filed_by_employer(procedure):
        raise Refused("procedure", holding.EMPLOYER_FILES_TEXT, holding.EMPLOYER_FILES)
    case = Case(
        procedure_id=procedure.id,
        person=person,
        submitted_by=user,
        acting_as=acting_as,
        unit=user.unit if acting_as in (UNIT, AGENCY) else None,
        permit=permit,
    )
    registry_facts.apply(case, procedure, facts, on, entered=entered)
    advice_for(case, on)  # refuses facts that do not parse
    try:
        with transaction.atomic():
            # the person's row first: a claim's removal at this moment (``claims.drop_left``) sees this draft
            # or is done before it
            list(Person.objects.select_for_update(no_key=True).filter(pk=person.pk).values_list("pk"))
            case.save()
            record(
                actor, "case.start", "case", case.pk, new={"procedure": procedure.id, "acting_as": acting_as}
            )
    except IntegrityError:  # another open application on the permit was saved meanwhile
        if permit is None or (other := open_on(permit)) is None:
            raise
        raise PermitBusy(other, user) from None
    return case


def _may_use_person(user, person: Person, entered: bool, on: date) -> bool:
    """A proxy or unit applies for a person it holds a mandate for on ``on``, or one it has just entered
    (a new record, which no case names yet)."""
    if entered:
        return not person.cases.exists()
    return access.reads_person(user, person.pk, on)


def no_mandate() -> Text:
    """Why a proxy or unit may not use a registry person, and what the person can do instead."""
    days = access.MANDATE_GRACE.days
    return Text(
        "This person's registry record is not yours to use: you have no application for this person open "
        f"or closed in the last {days} days (nor, for a unit, are they on its roster). "
        "The person can apply themself with their own account.",
        f"您无权使用此人的登记信息：您没有为此人代办的未结申请或{days}日内结束的申请"
        "（单位：此人也不在本单位名册上）。此人可以使用本人账户自行申请。",
    )


def update_facts(actor: Actor, case: Case, facts: dict, on: date | None = None) -> Case:
    on = on or beijing_today()

    def change(c: Case, procedure: Procedure) -> None:
        registry_facts.apply(c, procedure, facts, on)
        failed = failed_by(advice_for(c, on), facts)
        if failed is not None:  # the answer alone fails a requirement: refused, so the draft stays usable
            fact, requirement = failed
            raise Refused(f"facts.{fact}", requirement.failure or requirement.text, requirement.cite)

    return edit(actor, case, "edit", change)


def carry_answers(actor: Actor, case: Case, answers: dict, on: date | None = None) -> dict[str, object]:
    """Answers given on a second start of ``case``'s application (``DraftExists``), so none is lost: those
    the draft has no answer to are saved on it (``update_facts``, every check as at an edit); the answers it
    holds otherwise are not changed and are returned, by fact, for the filer to see (all of them where
    the rules refuse the new ones)."""
    on = on or beijing_today()
    facts = catalog().facts
    differ = {
        n: v for n, v in answers.items() if n in case.facts and not _same(facts.get(n), v, case.facts[n])
    }
    blank = {n: v for n, v in answers.items() if n not in case.facts}
    if blank:
        try:
            update_facts(actor, case, blank, on)
        except Refused:
            return {**differ, **blank}
    return differ


def _same(fact, given: object, stored: object) -> bool:
    """Whether an answer as posted means the stored one (``"true"`` and True; a fact's own spelling)."""
    if fact is None:
        return given == stored
    try:
        return fact.parse(given) == (fact.parse(stored) if isinstance(stored, str) else stored)
    except Exception:  # an answer that does not fit its fact differs from any stored one
        return False


def unfit_answers(case: Case, on: date) -> dict[str, Unfit]:
    """A case's stored answers that no longer fit their fact (kept from before the check existed) which the
    filer gives again, by fact, each with why and the rule that reads it (``Advice.unfit``): the advice
    counts them as unanswered. Not the registry's (read again from the record at every change; only the
    hall corrects them); never one the procedure does not ask (``answers_not_asked``); none where the facts
    cannot be read. The page and the API both ask these."""
    try:
        unfit = advice_for(case, on).unfit
    except Refused:
        return {}
    held = set(case.facts_from_registry or ())
    return {u.fact: u for u in unfit if u.fact not in held}


def answers_not_asked(case: Case, on: date) -> tuple[str, ...]:
    """A case's stored answers to facts its procedure does not ask (``Advice.not_asked``: gone from its
    rules, or derived from other answers): not read, never asked again, and a new answer to one refused;
    the page and the API say they are no longer needed. None where the facts cannot be read."""
    try:
        return advice_for(case, on).not_asked
    except Refused:
        return ()


def answers_not_met(case: Case, on: date) -> tuple[tuple[str, ...], tuple]:
    """A draft's stored answers a requirement does not meet (kept from before ``update_facts`` refused
    them): the facts to ask again (not the registry's, which only the hall corrects) and the requirements
    not met; nothing where they are met or the facts cannot be read."""
    try:
        advice = advice_for(case, on)
    except Refused:
        return (), ()
    held = set(case.facts_from_registry or ())
    return tuple(sorted(answers_to_change(advice) - held)), unmet(advice)


def submit(actor: Actor, case: Case, hall_id: str, on: date | None = None) -> Case:
    """Send the application: facts complete, eligible, the person's travel document not expired, a
    submitter the rules allow, a hall that takes it."""
    on = on or beijing_today()

    def change(c: Case, procedure: Procedure) -> None:
        advice = advice_for(c, on)
        if advice.status != COMPLETE:
            if advice.missing:
                raise Refused(f"facts.{advice.missing[0].id}", still_asked(advice, _STILL_ASKED))
            failed = next(a for a in advice.eligibility if a.met is False)
            raise Refused("facts", failed.failure or failed.text, failed.cite)
        refuse_expired_passport(c, on, advice)
        halls = hall_choices(procedure, c.facts)
        if hall_id not in halls:
            raise Refused(
                "hall_id",
                Text(
                    f"{procedure.title.en} cannot be submitted to {hall_label(hall_id).en}; choose one of: "
                    f"{'; '.join(hall_label(h).en for h in halls)}.",
                    f"{hall_label(hall_id).zh}不受理“{procedure.title.zh}”，请从以下大厅中选择："
                    f"{'；'.join(hall_label(h).zh for h in halls)}。",
                ),
            )
        c.hall_id, c.submitted_on = hall_id, on
        if c.reference is None:
            c.reference = numbers.reference(on, c.pk)

    return transition(actor, case, "submit", change, on=on, key=True)  # it numbers the case


def upload_material(
    actor: Actor,
    case: Case,
    material_id: str,
    upload: UploadedFile,
    *,
    translated: bool = False,
    on: date | None = None,
) -> Material:
    """Store one file for one required item; size, type (by content, not by name) and duplicates checked."""
    on = on or beijing_today()
    side = "review_materials" if policy.is_hall_side(actor.user) else "upload"
    with transaction.atomic():
        locked, _ = lock_case(actor, case, side)
        advice = advice_for(locked, on)
        known = sorted({a.id for a in advice.materials} | {TRUSTEE_ID})
        if not material_id.strip():  # asked for, never quoted empty
            raise Refused(
                "material_id", Text("Choose the item the file is for.", "请选择该文件对应的材料项目。")
            )
        if material_id not in known:
            raise Refused(
                "material_id",
                Text(
                    f"{material_id!r} is not a material of {locked.procedure_id}; choose one of the materials "
                    f"listed ({', '.join(known)}).",
                    f"“{material_id}”不是此项申请的材料，请从所列材料中选择（{'、'.join(known)}）。",
                ),
            )
        if upload.size > settings.EXITENTRY_UPLOAD_MAX_BYTES:
            raise Refused("file", too_large(upload.size))
        kind = uploads.sniffed(upload)
        if kind is None:
            raise Refused("file", uploads.not_a_document(upload))
        if upload.content_type and upload.content_type != kind:
            raise Refused("file", _MISLABELLED.format(said=upload.content_type, content=kind))
        if (why := uploads.unreadable(upload, kind)) is not None:
            raise Refused("file", why)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        sha = digest.hexdigest()
        if locked.materials.filter(sha256=sha).exists():
            raise Refused(
                "file",
                Text("This file was already received for this application.", "此文件已为本申请收到过。"),
            )
        material = Material(
            case=locked,
            material_id=material_id,
            original_name=_shortened(upload.name, Material._meta.get_field("original_name").max_length),
            content_type=kind,
            size=upload.size,
            sha256=sha,
            translated=translated,
            uploaded_by=actor.user,
        )
        material.file.save(sha, upload, save=False)
        material.save()
        expiry.touch(locked)
        record(
            actor,
            "material.upload",
            "case",
            locked.pk,
            new={"material_id": material_id, "sha256": sha, "size": upload.size},
        )
    return material


def _shortened(name: str, length: int) -> str:
    """``name`` cut to ``length`` characters, keeping a short extension (``.pdf``) at its end."""
    if len(name) <= length:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension) > 10:
        stem, extension = name, ""
    return stem[: length - len(extension)] + extension


def withdraw(actor: Actor, case: Case, on: date | None = None) -> Case:
    """Withdraw ``case``; its person's passports given as claims that no live case refers to any more go
    with it (``cases.claims``)."""
    on = on or beijing_today()

    def change(c: Case, _: Procedure) -> None:
        claims.lock_people([c.person_id])  # before the step's audit entry (the lock order: ``steps``)
        c.pauses.filter(end__isnull=True).update(end=on)

    with transaction.atomic():
        withdrawn = transition(actor, case, "withdraw", change, on=on)
        claims.drop_left(actor, [withdrawn], "withdraw")
    return withdrawn
