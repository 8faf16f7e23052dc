"""The documents a case produces (receipt, one-time notice, decision), built from its records and the law.

Texts and citations come from the catalog (the procedure's title, the hall, the note that a refusal is
final, the refusal ground); the dates and numbers from the case. ``render`` turns one into PDF bytes with the QR
code's signed token.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from exitentry.bilingual import cny
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, Decision, DeficiencyNotice
from exitentry.cases.services import Fee, FeePart, fee_of, hall_label
from exitentry.cases.services.reading import advice_as_granted, granted_validity
from exitentry.documents import data, pdf, tokens
from exitentry.law.advice import Advice, advise_stored
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.facts import Duration
from exitentry.law.fees import Summary
from exitentry.law.intake import TRUSTEE_ID, one_time_notice
from exitentry.law.model import PAID_AT, PAID_WHEN
from exitentry.law.rules import holding
from exitentry.law.rules.collection import collection
from exitentry.law.rules.grounds import decision_ground
from exitentry.law.rules.residence import receipt_validity
from exitentry.law.sources import Citation, source
from exitentry.law.text import Text, continued, day_text
from exitentry.registry import countries
from exitentry.registry.models import PermitEvent

_REGULATIONS = source("regulations").short_title or source("regulations").title
UNDER_THE_REGULATIONS = Text(
    f"This decision is made under the {_REGULATIONS.en}.", f"本决定依据《{_REGULATIONS.zh}》作出。"
)
APPROVED = Text(
    "The application meets the requirements and is approved.",
    "经审查，申请符合规定，决定予以批准。",
)
WAIVED = Text(
    "The fee is waived: nothing is charged (the law's fee is {due}).",
    "免收费用：不收取费用（依规定应缴{due}）。",
)
REDUCED = Text(
    "{paid} is charged; the rest of the law's fee of {due} is waived.",
    "收取{paid}；依规定应缴{due}，其余部分免收。",
)
PART = Text("{when}; {state}.", "{when}；{state}。")
FEE_GRANTED = Text(
    "The fee due follows the validity granted, {validity}, not the one applied for: see the decision notice "
    "of {day}.",
    "应缴费用按批准的有效期（{validity}）而非申请的有效期计算：见{day}作出的决定书。",
)


def _cites(citations: tuple[Citation, ...]) -> tuple[Text, ...]:
    return tuple(c.label for c in citations)


def party(case: Case) -> data.Party:
    """The applicant as the passport the hall received the case on shows them (a later passport changes
    no document of the case); before the hall received it, as the passport they hold today."""
    return party_of(case.person, case.travel_document)


def party_of(person, document=None) -> data.Party:
    """A person as ``document`` shows them (the passport a record was made on); without one, as the
    passport they hold today (``Person.travel_document_on``)."""
    document = document or person.travel_document_on(beijing_today())
    return data.Party(
        name=str(person),
        chinese_name=person.chinese_name or None,
        nationality=countries.text(person.nationality),
        passport_number=document.number if document else "",
        date_of_birth=person.birth_date,
        passport_claim=bool(document and document.claim),
    )


def _hall(case: Case) -> tuple[Text, Text]:
    """The hall's name and address (its id, for a hall the catalog no longer lists)."""
    hall = catalog().halls.get(case.hall_id)
    if hall is not None:
        return hall.name, hall.address
    name = hall_label(case.hall_id)
    return name, name


def _received(case: Case, advice) -> tuple[data.Line, ...]:
    """The items received in order, each in the law's words (the trustee's ID in the proxy line's)."""
    texts = {a.id: a for a in advice.materials}
    proxy = next((a for a in advice.submission if a.mode == "proxy"), None)
    if proxy is not None:
        texts[TRUSTEE_ID] = proxy
    ids = {m.material_id for m in case.materials.all() if not m.defective}
    return tuple(data.Line(texts[i].text, None, _cites(texts[i].cite)) for i in texts if i in ids)


def receipt(case: Case) -> data.Receipt:
    r = case.receipt
    advice = advise_stored(case.procedure_id, case.facts, on=r.issued_on)  # as the case reads them
    procedure = catalog().procedure(case.procedure_id)
    hall_name, hall_address = _hall(case)
    line = next((x for x in procedure.rules["time_limits"] if x.counts == "receipt-validity"), None)
    return data.Receipt(
        case_reference=case.reference,
        receipt_number=r.number,
        procedure_title=procedure.title,
        hall_name=hall_name,
        hall_address=hall_address,
        applicant=party(case),
        accepted_on=r.issued_on,
        valid_until=r.valid_until,
        decision_due=r.valid_until,
        provisional=r.provisional,
        materials_received=_received(case, advice),
        fee_cny=advice.fee_total_cny,
        cite=_cites(line.cite if line else procedure.cite),
        validity=receipt_validity(r.valid_until, procedure),
        fee_parts=_fee_parts(advice),
        fee_ended=_fee_ended(case, r.issued_on),
        fee_granted=_fee_granted(case, advice, r.issued_on),
    )


def _fee_granted(case: Case, advice: Advice, on: date) -> data.Line | None:
    """Where the approval granted a validity whose fee is not the one applied for (``advice_as_granted``:
    the fee band follows the validity granted), what a receipt reprinted since says under the fee it gave on
    the acceptance day ``on`` (``advice``): the fee due follows the validity granted, in the decision
    notice, citing the fee's sources."""
    validity = granted_validity(case)
    if not validity:
        return None
    granted = advice_as_granted(case, on)
    if granted.fee_total_cny == advice.fee_total_cny:
        return None
    said = FEE_GRANTED.format(validity=Duration.parse(validity).words, day=day_text(case.decision.decided_on))
    return data.Line(said, None, tuple(dict.fromkeys(c for a in granted.fees for c in _cites(a.cite))))


def _fee_ended(case: Case, on: date) -> data.Line | None:
    """Where the case ended without charging a part of the fee (refused, withdrawn), the case page's summary
    of the fee's parts (``services.Fee.summary``): what is due, and why, citing the sources that say when
    the parts not charged are charged (``law.fees``)."""
    said = fee_of(case, on).summary
    return _fee_said(said) if said is not None and said.why is not None else None


def _fee_said(said: Summary) -> data.Line:
    """The case page's summary of the fee's parts, printed: what is due (and why a part is not charged),
    citing its sources."""
    return data.Line(said.with_why, None, _cites(said.cite))


def _fee_parts(advice: Advice) -> tuple[tuple[int, Text], ...]:
    """The fee's amount by when it is paid, where it is paid at more than one time (none otherwise)."""
    at = {when: sum(a.amount_cny or 0 for a in advice.fees if a.paid_at == when) for when in PAID_AT}
    parts = tuple((amount, PAID_WHEN[when]) for when, amount in at.items() if amount)
    return parts if len(parts) > 1 else ()


def deficiency_notice(case: Case, notice: DeficiencyNotice) -> data.DeficiencyNotice:
    procedure = catalog().procedure(case.procedure_id)
    return data.DeficiencyNotice(
        case_reference=case.reference,
        notice_number=notice.number,
        procedure_title=procedure.title,
        hall_name=_hall(case)[0],
        applicant=party(case),
        issued_on=notice.issued_on,
        items=tuple(
            data.DeficiencyItem(
                kind=item["kind"],
                text=Text(**item["text"]),
                reason=Text(**item["reason"]) if item["reason"] else None,
                cite=_cites(tuple(Citation(c["source"], c["section"]) for c in item["cite"])),
            )
            for item in notice.items
        ),
        cite=_cites(one_time_notice(procedure)),
    )


PERMIT_ISSUED = (State.ISSUED, State.READY, State.COLLECTED)


@dataclass(frozen=True, slots=True)
class Extension:
    by: Duration
    until: date | None  # the permit's new last day, once it is issued


def extension_of(case: Case, d: Decision | None) -> Extension | None:
    """An approved extension (decision ``d``): its length, and the permit's new last day once the permit is
    issued (it runs on from the held permit's last day, which moves only then); None for any other."""
    if d is None or d.outcome != "approved" or not d.validity:
        return None
    if catalog().procedure(case.procedure_id).casework.action != "extension":
        return None
    issued = case.state in PERMIT_ISSUED and case.permit_id
    return Extension(Duration.parse(d.validity), _extended_until(case) if issued else None)


def _extended_until(case: Case) -> date | None:
    """The last day this case's extension gave the permit, as its registry event recorded it, so a later
    extension, renewal or voiding does not change it; the permit's present last day where no event says."""
    event = case.permit.events.filter(case=case, kind=PermitEvent.Kind.EXTENSION).order_by("at", "pk").last()
    if event is None:
        return case.permit.valid_until
    until = event.after.get("valid_until")
    return date.fromisoformat(until) if until else None


def decision(case: Case) -> data.DecisionNotice:
    d = case.decision
    procedure = catalog().procedure(case.procedure_id)
    refused = d.outcome == "refused"
    effect = _refusal_effect(procedure) if refused else data.Line(APPROVED, None, ())
    g = decision_ground(procedure, d.ground_id) if refused else None
    issued = case.permit if case.permit_id and not refused else None
    follows = {"fee": _refused_fee(case)} if refused else _approval(case, procedure, issued)
    extension = extension_of(case, d)
    return data.DecisionNotice(
        case_reference=case.reference,
        decision_number=d.number,
        procedure_title=procedure.title,
        applicant=party(case),
        decided_on=d.decided_on,
        outcome=d.outcome,
        permit_valid_from=issued.issued_on if issued and not extension else None,
        permit_valid_until=extension.until if extension else issued.valid_until if issued else None,
        extended_by=extension.by.words if extension else None,
        refusal_ground=data.Line(g.text, None, _cites(g.cite)) if g else None,
        effect=effect,
        cite=_cites(procedure.casework.cite),
        **follows,
    )


def _approval(case: Case, procedure, issued) -> dict[str, object]:
    """An approval's next steps: the permit granted in words (and its number once issued), the fee as
    the hall charges it (the law core's, on the day it received the materials, ``_fee``) and where to
    collect: the hall applied to, and the procedure's own lines on paying and collecting."""
    work = procedure.casework
    kind, permit_type = (issued.kind, issued.permit_type) if issued else (work.permit, work.permit_type)
    if not permit_type and case.permit_id:
        permit_type = case.permit.permit_type
    names = [t for t in (holding.kind_name(kind), holding.type_name(permit_type)) if t is not None]
    advice = case.advice_on(case.received_on or case.decision.decided_on)
    return {
        "permit": Text(" · ".join(t.en for t in names), " · ".join(t.zh for t in names)),
        "permit_number": issued.number if issued else None,
        "fee": _fee(case),
        "collect_at": _hall(case),
        "next_steps": tuple(data.Line(a.text, None, _cites(a.cite)) for a in collection(advice)),
    }


def _fee(case: Case) -> tuple[data.Line, ...]:
    """The fee as the hall charges it: the law core's lines, each with when it is paid and what of it is
    (``services.Fee.parts``, as the case page counts), or, where the hall waived the fee or the rest of it
    (``FeeExemption``), what is charged (with what of each part is paid or waived) and the hall's reason,
    citing the law's fee."""
    fee = fee_of(case, case.decision.decided_on)
    if fee.exemption is None or fee.due is None:
        return tuple(
            data.Line(
                Text(f"{cny(a.amount_cny).en}: {a.text.en}", f"{cny(a.amount_cny).zh}：{a.text.zh}"),
                None,
                _cites(a.cite),
                status=_paid(part),
            )
            for part in fee.parts
            if (a := part.line).amount_cny is not None
        )
    cites = tuple(dict.fromkeys(c for p in fee.parts for c in _cites(p.line.cite)))
    if not fee.paid:
        return (data.Line(WAIVED.format(due=cny(fee.due)), None, cites, why_as_written=fee.exemption.reason),)
    said = REDUCED.format(paid=cny(fee.paid), due=cny(fee.due))
    return (data.Line(said, None, cites, why_as_written=fee.exemption.reason, status=_each_paid(fee)),)


def _refused_fee(case: Case) -> tuple[data.Line, ...]:
    """A refusal's fee, in one statement: the case page's summary of the parts (``services.Fee.summary``:
    what is due and paid, what is waived or not charged, and why, citing the rules that say when the parts
    not charged are charged), with when each part is paid and what of it is, and the hall's reason where it
    waived the fee; none where the sources state no fee."""
    fee = fee_of(case, case.decision.decided_on)
    if fee.summary is None:
        return ()
    reason = fee.exemption.reason if fee.exemption else ""
    return (replace(_fee_said(fee.summary), why_as_written=reason, status=_each_paid(fee)),)


def _each_paid(fee: Fee) -> Text:
    """Each part's ``_paid``, one after the other."""
    parts = [_paid(p) for p in fee.parts]
    return Text(" ".join(t.en for t in parts), "".join(t.zh for t in parts))


def _paid(part: FeePart) -> Text:
    """When the part is paid, and where it stands in the case page's words (``FeePart.state``): what of it
    is paid, waived, due now or not yet."""
    label = part.state.label
    return PART.format(when=part.paid_when, state=Text(continued(label.en), label.zh))  # "paid in full"


def _refusal_effect(procedure) -> data.Line:
    """That a refusal is final, where the guide says so (seed 000 Legal Reminders 6, seed 002 Notes 5).

    The guides say it of decisions not to issue or extend, so an approval never carries it.
    """
    final = next((r for r in procedure.rules["notes"] if r.id == "decision-final"), None)
    if final is not None:
        return data.Line(final.text, None, _cites(final.cite))
    return data.Line(UNDER_THE_REGULATIONS, None, _cites(procedure.cite))


def render(kind: str, case: Case, base_url: str, notice: DeficiencyNotice | None = None) -> bytes:
    """PDF bytes of the case's ``receipt``, ``deficiency`` notice or ``decision``, with its QR token."""
    if kind == "receipt":
        doc, number, draw = receipt(case), case.receipt.number, pdf.render_receipt
    elif kind == "deficiency":
        doc, number, draw = deficiency_notice(case, notice), notice.number, pdf.render_deficiency_notice
    elif kind == "decision":
        doc, number, draw = decision(case), case.decision.number, pdf.render_decision
    else:
        raise ValueError(f"no document {kind!r}")
    return draw(doc, token=tokens.make_token(kind, number), base_url=base_url)
