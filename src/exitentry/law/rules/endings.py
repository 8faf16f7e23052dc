"""Which documents the exit-entry administration may end, and how (Regulations Arts. 33, 34 and 35).

- Art. 34: the issuing authority declares void "the visa, stay or residence permit held by a foreign
  national"; Art. 34(3), after a public notice, only for a change of the reason for residence, which only a
  residence permit records.
- Art. 35: the public security authority cancels or confiscates the visa, stay or residence permit.
- Art. 33: an order to leave within a time limit cancels or confiscates the holder's original exit-entry
  documents (the visa, stay or residence permit Art. 35(3) names for a holder ordered to leave).

A work permit, the permanent resident ID card and an exit document (Art. 23) are none of "the visa, stay
or residence permit" these articles name.

- Exit and Entry Administration Law Art. 40 para. 2: the stay or residence permit of a foreigner who died in
  China is cancelled on the death certificate the family, guardian or agent declares (``DEATH_CANCEL_GROUND``,
  a cancellation ground beside Art. 35's); it names no visa.
"""

from __future__ import annotations

from exitentry.law.rulefunctions import cites
from exitentry.law.rules.holding import KIND_NAMES
from exitentry.law.rules.public_notice import needs_public_notice
from exitentry.law.sources import Citation, cite
from exitentry.law.text import Text, continued

VOID, CANCEL, PUBLIC_NOTICE, ORDER_TO_LEAVE = "void", "cancel", "public-notice", "order-to-leave"
ENDINGS = (VOID, CANCEL, PUBLIC_NOTICE, ORDER_TO_LEAVE)
REACHED = ("visa", "stay-permit", "residence-permit")  # "the visa, stay or residence permit" (Arts. 34, 35)
NOTICE_REACHED = ("residence-permit",)  # Art. 34(3): the reason for residence
DEATH_CANCEL_GROUND = "cancel-holder-died"  # catalog/grounds.yaml, kind cancellation (Law Art. 40 para. 2)
DEATH_REACHED = ("stay-permit", "residence-permit")  # Law Art. 40 para. 2: "停留居留证件"
# an order to leave names the permits it is to cancel or confiscate (Art. 33, Art. 35(3))
ORDER_TO_LEAVE_CITE = (Citation("regulations", "Art. 33"), Citation("regulations", "Art. 35"))


def _this(kind: str) -> Text:
    name = KIND_NAMES[kind]
    return Text(f"This {continued(name.en)}", f"该{name.zh}")


@cites(
    "regulations: Art. 33",
    "regulations: Art. 34",
    "regulations: Art. 35",
    "exit-entry-law: Art. 40 para. 2",
)
def out_of_reach(kind: str, ending: str, ground_id: str = "") -> Text | None:
    """Why the hall may not end a document of ``kind`` by ``ending`` (``ENDINGS``), on ``ground_id`` if
    named; None when it may. A voiding on the Art. 34(3) ground needs the public notice's reach too."""
    if ending not in ENDINGS:
        raise ValueError(f"no ending {ending!r}; the endings are: {', '.join(ENDINGS)}")
    this = _this(kind)
    if ending == ORDER_TO_LEAVE:
        if kind in REACHED:
            return None
        order, item = cite("regulations", "Art. 33").label, cite("regulations", "Art. 35(3)").label
        return Text(
            f"{this.en} is not cancelled or confiscated on an order to leave: {order.en} (with {item.en})"
            " reaches the visa, stay or residence permit the holder holds.",
            f"{this.zh}不因限期出境决定被注销或收缴：{order.zh}（及{item.zh}）针对其所持签证、停留证件或居留证件。",
        )
    if ending == VOID and kind in REACHED and kind not in NOTICE_REACHED and needs_public_notice(ground_id):
        item = cite("regulations", "Art. 34(3)").label
        return Text(
            f"{item.en} does not apply to t{this.en[1:]} (it concerns the reason for residence of a residence"
            " permit); choose another ground.",
            f"{item.zh}不适用于{this.zh}（该项针对居留证件的居留事由）；请选择其他理由。",
        )
    if ending == CANCEL and ground_id == DEATH_CANCEL_GROUND and kind not in DEATH_REACHED:
        death = cite("exit-entry-law", "Art. 40 para. 2").label
        return Text(
            f"{this.en} is not cancelled on the holder's death: the {death.en} reaches the stay or residence"
            " permit.",
            f"{this.zh}不因持证人死亡而注销：{death.zh}针对停留居留证件。",
        )
    if ending == PUBLIC_NOTICE and kind not in NOTICE_REACHED:
        item = cite("regulations", "Art. 34(3)").label
        return Text(
            f"The public notice of {item.en} does not apply to t{this.en[1:]}: it concerns an"
            " unreported change of the reason for residence, which only a residence permit records.",
            f"{item.zh}的公告不适用于{this.zh}：该项针对未报告的居留事由变更，居留事由仅由居留证件记载。",
        )
    if kind not in REACHED:
        void, cancel = cite("regulations", "Art. 34").label, cite("regulations", "Art. 35").label
        return Text(
            f"{this.en} is neither declared void ({void.en}) nor cancelled or confiscated ({cancel.en})"
            " here: those articles reach only a visa, stay or residence permit.",
            f"{this.zh}不在此宣布作废（{void.zh}）或注销、收缴（{cancel.zh}）：两条仅适用于签证、停留证件和居留证件。",
        )
    return None
