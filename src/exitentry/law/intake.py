"""Intake at the hall: who may hand in the application, and the one-time list of what is missing.

Both are computed from ``advise()``, never restated: the items required are the advice's materials for
the applicant's facts (the health certificate among them, its dates in the health section), plus the trustee's ID copy when someone else submits
(the proxy line of the procedure says so). The notice is "at one time" (the procedure's note
``one-time-notice``: Regulations Art. 18 para. 2 for a residence permit, Art. 13 para. 2 for a visa or a
stay permit, and for the procedures no source reaches, Art. 18 para. 2 applied by analogy as a recorded
choice, shared_rules.yaml): it is refused while a fact the rules need is unknown, because a list made
then could be incomplete, and it lists every item not received or received defective in one go.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from exitentry.law.advice import COMPLETE, HEALTH_ISSUE_DATE, Advice, Answer
from exitentry.law.catalog import catalog
from exitentry.law.model import EVERY_MATERIAL, SUBMITTERS, Procedure
from exitentry.law.sources import Citation, cite, cited
from exitentry.law.text import Text, continued, day_text

SELF, PROXY, UNIT, AGENCY = "self", "proxy", "unit", "agency"
ACTING_AS = (SELF, PROXY, UNIT, AGENCY)
TRUSTEE_ID = "trustee-id-copy"
# The items the passport handed in answers: the hall receives the application with the passport in hand,
# checks it against the record and names it on the receipt (Regulations Art. 17 lists it among the
# materials; Art. 22's endorsement asks for the passport bearing the study-type residence permit), so a
# received case has them received, their original seen, with no file uploaded for them.
PASSPORT_ITEMS = frozenset({"passport", "passport-with-permit"})
ONE_TIME_NOTICE = "one-time-notice"  # the note saying what is missing is told at one time

_EXPIRED = Text(
    "The health certificate was valid until {due}; bring one issued within the last {months} months.",
    "体检证明有效期至{due}，请提交{months}个月内出具的体检证明。",
)
_TOO_OLD = Text(
    "The health certificate must be issued on or after {start} (within {months} months before acceptance).",
    "体检证明须于{start}或之后出具（受理前{months}个月内）。",
)
_UNKNOWN_FACTS = Text(
    "The one-time list cannot be made while the rules still need answers:",
    "规则所需的信息尚未齐全，暂不能开列一次性告知清单。仍需回答：",
)
_INELIGIBLE = Text(
    "The one-time list cannot be made: the applicant does not meet the conditions of this application.",
    "申请人不符合本事项的申请条件，不能开列一次性告知清单。",
)
_IN_PERSON = Text(
    "The applicant must apply in person: no proxy rule of this procedure applies to these facts.",
    "申请人须本人申请：本事项关于代为申请的规定不适用于此情形。",
)
# Regulations Art. 16: the applicant "shall go in person" to the exit-entry administration.
_SELF_IN_PERSON = ("regulations", "Art. 16")
IDENTITY_CHECKED_IN_PERSON = cite(*_SELF_IN_PERSON)
"""Why the hall checks an applicant and their passport in person: they submit the passport and go in person."""
_COME_IN_PERSON = Text(
    "The applicant must come to the hall in person: this application may not be handed in for them, and the "
    "hall refuses it from anyone acting for them. Book a time the applicant can attend and tell them to bring "
    "the originals; you may still file and follow the application online.",
    "申请人须本人到大厅办理：本申请不能由他人代为递交，大厅不受理代办人递交。请预约申请人本人能够到场的时间，"
    "并提醒其携带原件；您仍可在网上提交并跟进本申请。",
)
_SUBMITTER_NAMES = {
    # Regulations Art. 19: "the inviting entity or individual, the applicant's relatives, or relevant specialized
    # service agencies"; seed 000 Points for Attention 1: "the host organization, a family member of the
    # applicant, or a specialized service agency". A person acting alone is one of the first two, no one else.
    PROXY: Text("the inviting individual or a relative of the applicant", "邀请个人或申请人的亲属"),
    UNIT: Text("the inviting unit", "邀请单位"),
    AGENCY: Text("a specialised service agency", "专门服务机构"),
}
_PROXY_ONLY_WHEN = Text("Someone else may apply for them only where:", "仅在以下情形可由他人代为申请：")


_ORIGINALS_UNSEEN = Text(
    "Acceptance waits for the originals: the sources require the hall to see the original of each of these "
    "at intake, and no officer has marked it seen: {items}.",
    "受理前须核验原件：以下材料须在受理时核验原件，尚未标记已核验原件：{items}。",
)


class FactsIncomplete(ValueError):
    """The rules still need facts, so the list of materials is not yet complete; ``text`` asks for them."""

    def __init__(self, advice: Advice):
        self.missing = tuple(f.id for f in advice.missing)
        self.text = still_asked(advice, _UNKNOWN_FACTS) if advice.missing else not_met(advice, _INELIGIBLE)
        super().__init__(
            "the one-time list cannot be made while facts are unknown: "
            + ", ".join(self.missing or ("eligibility",))
        )


class SubmissionRefused(ValueError):
    """Someone other than the applicant may not submit this application; the message and ``text`` say why."""

    def __init__(self, message: str, text: Text, cite: tuple[Citation, ...]):
        self.text, self.cite = text, cite
        super().__init__(message)


def still_asked(advice: Advice, lead: Text) -> Text:
    """``lead`` followed by the questions for the facts the rules still need, in both languages."""
    return Text(
        " ".join((lead.en, *(f.question.en for f in advice.missing))),
        "".join((lead.zh, *(f.question.zh for f in advice.missing))),
    )


def unmet(advice: Advice) -> tuple[Answer, ...]:
    """The eligibility requirements the facts do not meet, each with what it asks (``failure``)."""
    return tuple(a for a in advice.eligibility if a.met is False)


def not_met(advice: Advice, lead: Text) -> Text:
    """``lead`` followed by what each requirement not met asks, in both languages."""
    said = [a.failure or a.text for a in unmet(advice)]
    return Text(" ".join((lead.en, *(t.en for t in said))), "".join((lead.zh, *(t.zh for t in said))))


def failed_by(advice: Advice, given: Collection[str]) -> tuple[str, Answer] | None:
    """The first requirement not met that reads only answers in ``given`` (the answers just given: a
    validity outside the range of Exit and Entry Administration Law Art. 30), with the first of them the
    procedure asks for; None where every requirement such answers alone decide is met. A requirement reads
    facts as asked (``Condition.facts``: the birth date for an age)."""
    rules = {r.id: r for r in advice.procedure.rules.get("eligibility", ())}
    for answer in unmet(advice):
        read = rules[answer.id].require.facts
        if read and read <= set(given):
            return min(read, key=advice.procedure.ask_order), answer
    return None


def answers_to_change(advice: Advice) -> frozenset[str]:
    """The facts (as asked: a birth date for an age, ``Condition.facts``) a requirement not met reads: a
    different answer to one of them may meet it."""
    failed = {a.id for a in unmet(advice)}
    rules = advice.procedure.rules.get("eligibility", ())
    return frozenset(name for r in rules if r.id in failed for name in r.require.facts)


def one_time_notice(procedure: Procedure) -> tuple[Citation, ...]:
    """On what basis what is missing is told at one time (the procedure's ``one-time-notice`` note):
    Regulations Art. 18 para. 2 for a residence permit, Art. 13 para. 2 for a visa or a stay permit, and
    where no source requires it, Art. 18 para. 2 applied by analogy, cited as the recorded choice it is."""
    return tuple(
        c for note in procedure.rules.get("notes", ()) if note.id == ONE_TIME_NOTICE for c in note.cite
    )


_RECHECK = Text(
    "The one-time notice {notice} was issued and the missing materials resubmitted: what is missing is told at "
    "one time, so no second notice is issued. Check what was brought against the checklist below: clear each "
    "defect it no longer has and mark the originals seen, then accept the application.",
    "一次性告知书{notice}已出具，材料已补正：缺少的材料应一次性告知，不再出具第二份告知书。请对照下方核对清单"
    "核对补正的材料：清除已不存在的问题，勾选已核验的原件，然后受理申请。",
)


def recheck_after_notice(notice: str) -> Text:
    """What the hall is told once the materials the one-time notice ``notice`` listed are resubmitted: it
    re-checks them and accepts; it issues no second notice, the notice being given at one time (cited with
    ``one_time_notice``: Regulations Art. 18 para. 2, Art. 13 para. 2, or the recorded analogy)."""
    return _RECHECK.format(notice=notice)


_STILL_OUTSTANDING = Text(
    "{count} item(s) the one-time notice {notice} listed are still missing or defective after the "
    "resubmission: what is missing is told at one time, so no second notice is issued, and the application "
    "is accepted once they are brought (uploaded, or handed in on paper at the counter).",
    "一次性告知书{notice}所列材料补正后仍有{count}项缺少或不符合要求：缺少的材料应一次性告知，"
    "不再出具第二份告知书；材料补齐（上传或在窗口递交纸质材料）后方可受理。",
)


def still_outstanding_after_notice(notice: str, count: int) -> Text:
    """Why a case resubmitted after the one-time notice ``notice`` is not accepted while ``count`` items
    are still missing or defective: a receipt only once the application meets the acceptance requirements
    (Regulations Art. 18 para. 1), and no second notice (para. 2; cited with ``one_time_notice``). The case
    stays received, with the hall, until they are brought; the applicant may withdraw it."""
    return _STILL_OUTSTANDING.format(notice=notice, count=count)


@dataclass(frozen=True, slots=True)
class Required:
    """One item the hall must receive, with why and its source."""

    id: str
    text: Text
    why: Text | None
    cite: tuple[Citation, ...]
    original: tuple[Citation, ...] = ()  # where the sources say the hall sees its original; () where silent


@dataclass(frozen=True, slots=True)
class Deficiency:
    """An item missing, or received but defective (with what is wrong)."""

    item: Required
    kind: str  # "missing" or "defective"
    reason: Text | None = None


def check_submitter(advice: Advice, acting_as: str, *, applicant_present: bool = True) -> None:
    """Refuse a proxy, unit or agency submission the procedure does not allow for these facts, and an
    application the applicant filed for themself handed in without them (``applicant_present`` False):
    they come in person (Regulations Art. 16)."""
    if acting_as not in ACTING_AS:
        raise ValueError(f"acting_as must be one of {ACTING_AS}, not {acting_as!r}")
    if acting_as == SELF:
        if not applicant_present:
            said = Text(
                "The applicant applies for themself and must come in person", "申请人本人申请，须本人到场"
            )
            raise SubmissionRefused(
                "the applicant filed for themself and hands it in in person",
                _sentence(cited(said, *_SELF_IN_PERSON)),
                (cite(*_SELF_IN_PERSON),),
            )
        return
    if advice.proxy_allowed is None:
        raise FactsIncomplete(advice)
    if not advice.proxy_allowed:
        in_person = tuple(c for a in advice.submission if a.mode == "in-person" for c in a.cite)
        raise SubmissionRefused(
            "the applicant must apply in person: no proxy rule of this procedure applies to these facts",
            _IN_PERSON,
            in_person or advice.procedure.cite,
        )
    proxies = [a for a in advice.submission if a.mode == "proxy"]
    if not any(acting_as in (a.by or SUBMITTERS) for a in proxies):
        names = [_SUBMITTER_NAMES[b] for b in SUBMITTERS if any(b in a.by for a in proxies)]
        text = Text(
            f"Only {' or '.join(n.en for n in names)} may apply for the applicant here, not "
            f"{_SUBMITTER_NAMES[acting_as].en}.",
            f"本事项仅可由{'或'.join(n.zh for n in names)}代为申请，{_SUBMITTER_NAMES[acting_as].zh}不能代为申请。",
        )
        raise SubmissionRefused(f"{acting_as} may not apply for the applicant here", text, proxies[0].cite)


@dataclass(frozen=True, slots=True)
class InPerson:
    """Why the applicant must come in person although someone else files for them, and the sources."""

    must_come: ClassVar[bool] = True
    text: Text
    cite: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class WhoMayHandIn:
    """Who may hand the application in without the applicant, where the filer is not one of them (a
    relative, where only the inviting unit or an agency may), and the sources. No duty to come: the unit or
    the agency may hand it in; else the applicant does."""

    must_come: ClassVar[bool] = False
    text: Text
    cite: tuple[Citation, ...]


_OR_THE_APPLICANT = Text("Otherwise the applicant hands it in in person.", "否则由申请人本人递交。")


def comes_in_person(advice: Advice, acting_as: str) -> InPerson | WhoMayHandIn | None:
    """What a proxy, unit or agency filing for the applicant is told before intake, where the hall would
    refuse it from them (``check_submitter``), with the sources (the in-person line and the proxy rules,
    e.g. Regulations Art. 19): ``WhoMayHandIn`` where the proxy rules let someone else hand it in for these
    facts but not the filer (they name who may); ``InPerson`` where no proxy rule covers these facts, so
    the applicant must come (and when someone else may apply instead). None when they apply themself, they
    may hand it in, or the facts the rules need are not known yet."""
    try:
        check_submitter(advice, acting_as)
    except SubmissionRefused as refused:
        if advice.proxy_allowed:  # someone may apply instead, but the rule names other submitters
            text = Text(
                f"{refused.text.en} {_OR_THE_APPLICANT.en}", f"{refused.text.zh}{_OR_THE_APPLICANT.zh}"
            )
            return WhoMayHandIn(text, refused.cite)
        procedure = advice.procedure.on(catalog().parameters, advice.on)
        proxy = [r for r in procedure.rules.get("submission", ()) if r.mode == "proxy"]
        text = _COME_IN_PERSON
        if (only_where := proxy_only_where(procedure)) is not None:
            text = Text(f"{text.en} {only_where.en}", f"{text.zh}{only_where.zh}")
        return InPerson(text, tuple(dict.fromkeys((*refused.cite, *(c for r in proxy for c in r.cite)))))
    except FactsIncomplete:
        return None
    return None


def proxy_only_where(procedure: Procedure) -> Text | None:
    """When someone else may apply for the applicant under ``procedure`` (as it reads on a day:
    ``Procedure.on``): "Someone else may apply for them only where: <condition>; or <condition>.", each
    condition a proxy line's reason (``why``, which the catalog requires of a line with a condition: the
    line's ``text`` says who may apply, a permission, not a condition), continuing the sentence in lower
    case (``text.continued``) without its full stop. None where no proxy line applies, or where one has
    no condition (someone else may always apply: there is no "only where")."""
    proxy = [r for r in procedure.rules.get("submission", ()) if r.mode == "proxy"]
    if not proxy or any(r.when.always or r.why is None for r in proxy):
        return None
    reasons = [r.why for r in proxy if r.why is not None]
    return Text(
        f"{_PROXY_ONLY_WHEN.en} " + "; or ".join(continued(r.en.strip().rstrip(".")) for r in reasons) + ".",
        _PROXY_ONLY_WHEN.zh + "；或".join(r.zh.strip().rstrip("。") for r in reasons) + "。",
    )


PRE_EXAMINATION = "pre-examination"  # the time limit (and the case's clock) of the online pre-examination

# The submission lines after which this site books no time (``Rule.mode``): none is needed (walk-in), or it
# is booked in another system (booked-elsewhere), and the line that no other appointment is needed.
WALK_IN, BOOKED_ELSEWHERE = "walk-in", "booked-elsewhere"
NO_OTHER_APPOINTMENT = "no-exit-entry-appointment"
_NONE_NEEDED = Text("No appointment is needed.", "无需预约。")
APPOINTMENT_LETTER = Text(
    "The appointment letter from the Service System for Foreigners Working in China",
    "外国人来华工作管理服务系统出具的预约函",
)


@dataclass(frozen=True, slots=True)
class NotBookedHere:
    """Why this site books no time for a case, and what the applicant does instead: ``text`` says where to
    book, or that no appointment is needed; ``bring``, what shows the counter the appointment made
    elsewhere (the appointment letter), None where none is made; the sources."""

    text: Text
    cite: tuple[Citation, ...]
    bring: Text | None = None


def not_booked_here(advice: Advice) -> NotBookedHere | None:
    """Where the advice books no time here, from its submission lines (the one-stop service, seed 002 "4.
    How to apply" b): category A needs no appointment and comes to a one-stop counter in its hours; B and C
    book in the Service System for Foreigners Working in China once the pre-examination is passed and bring
    its appointment letter, with no other appointment with the Exit-Entry Administration. None where the
    case books here."""
    line = next((a for a in advice.submission if a.mode in (WALK_IN, BOOKED_ELSEWHERE)), None)
    if line is None:
        return None
    said = _sentence(line.text)
    if line.mode == WALK_IN:
        return NotBookedHere(Text(f"{_NONE_NEEDED.en} {said.en}", f"{_NONE_NEEDED.zh}{said.zh}"), line.cite)
    also = [_sentence(a.text) for a in advice.submission if a.id == NO_OTHER_APPOINTMENT]
    text = Text(" ".join([said.en, *(t.en for t in also)]), "".join([said.zh, *(t.zh for t in also)]))
    cites = tuple(
        dict.fromkeys(
            (*line.cite, *(c for a in advice.submission if a.id == NO_OTHER_APPOINTMENT for c in a.cite))
        )
    )
    return NotBookedHere(text, cites, APPOINTMENT_LETTER)


def _sentence(text: Text) -> Text:
    """A catalog line (written without a full stop) as a sentence."""
    return Text(text.en.rstrip(".") + ".", text.zh.rstrip("。") + "。")


def required_items(advice: Advice, acting_as: str = SELF) -> tuple[Required, ...]:
    """What the hall must receive: materials, health certificate, and the trustee's ID for a proxy."""
    if advice.status != COMPLETE:
        raise FactsIncomplete(advice)
    check_submitter(advice, acting_as)
    originals = originals_cited(advice)
    items = [Required(a.id, a.text, a.why, a.cite, originals.get(a.id, ())) for a in advice.materials]
    if acting_as != SELF:
        proxy = next(a for a in advice.submission if a.mode == "proxy")
        items.append(Required(TRUSTEE_ID, proxy.text, proxy.why, proxy.cite))
    return tuple(items)


def listed_so_far(advice: Advice) -> tuple[tuple[Required, ...], tuple[Required, ...]]:
    """What the applicant can gather while the rules still need answers: the items the facts given already
    require, and those whose condition waits for an answer (``Advice.pending``; each ``why`` says when it
    is needed). Not the one-time list: ``required_items`` refuses that until the facts are complete."""
    originals = originals_cited(advice)

    def item(a: Answer) -> Required:
        return Required(a.id, a.text, a.why, a.cite, originals.get(a.id, ()))

    return tuple(map(item, advice.materials)), tuple(map(item, advice.pending))


def originals_cited(advice: Advice) -> dict[str, tuple[Citation, ...]]:
    """The materials whose originals the hall sees at intake, each with the source that says so: the
    procedure's notes that apply to these facts and name them (or every material). A trustee's ID is
    asked for as a copy (the proxy line), so no note reaches it; where the sources are silent, nothing."""
    applying = {a.id for a in advice.notes}
    cited: dict[str, tuple[Citation, ...]] = {}
    for note in advice.procedure.rules["notes"]:
        if note.id not in applying or not note.originals:
            continue
        every = EVERY_MATERIAL in note.originals
        for a in advice.materials:
            if every or a.id in note.originals:
                cited[a.id] = cited.get(a.id, ()) + note.cite
    return cited


def originals_unseen(advice: Advice, seen: Collection[str], acting_as: str = SELF) -> tuple[Required, ...]:
    """The required items whose original the sources say the hall sees at intake, not in ``seen`` (the
    ids of the items an officer marked original seen), in the order of the list."""
    return tuple(i for i in required_items(advice, acting_as) if i.original and i.id not in seen)


def originals_wait(unseen: tuple[Required, ...]) -> tuple[Text, tuple[Citation, ...]]:
    """Why acceptance waits while ``unseen`` is not empty: the items by name, and the sources."""
    cites = tuple(dict.fromkeys(c for i in unseen for c in i.original))
    return (
        _ORIGINALS_UNSEEN.format(
            items=Text("; ".join(i.text.en for i in unseen), "；".join(i.text.zh for i in unseen))
        ),
        cites,
    )


def deficiencies(
    advice: Advice, received: Mapping[str, Text | None], acting_as: str = SELF
) -> tuple[Deficiency, ...]:
    """Every required item not received, or received with a defect (``received[id]`` is the defect or None).

    A health certificate whose validity (or issue window) does not cover the day of the advice is
    defective even when the officer marked it received: the rule decides, not the form.
    """
    found = []
    for item in required_items(advice, acting_as):
        if item.id not in received:
            found.append(Deficiency(item, "missing"))
            continue
        defect = received[item.id] or _health_defect(advice, item.id)
        if defect is not None:
            found.append(Deficiency(item, "defective", defect))
    return tuple(found)


def _health_defect(advice: Advice, item_id: str) -> Text | None:
    line = next((a for a in advice.health if a.id == item_id), None)
    if line is None:
        return None
    if line.due is not None and line.due < advice.on:
        return _EXPIRED.format(due=day_text(line.due), months=line.months)
    issued = advice.facts.get(HEALTH_ISSUE_DATE)
    if line.window_from is not None and isinstance(issued, date) and issued < line.window_from:
        return _TOO_OLD.format(start=day_text(line.window_from), months=line.months)
    return None
