"""What an officer may record about an alert, by the alert's ground: one list the console's form, the API
and the action service (``compliance.actions``) all read.

Most grounds offer every action (``ACTIONS``: contacted the person, ordered to leave, a case opened, closed
as resolved or unfounded). A unit's report that the holder of a running residence permit died
(Regulations Art. 26(4), the follow-up ``DEATH_FOLLOW_UP_GROUND``) leaves nobody to contact, order to leave
or apply for: the hall cancels the permit on the death certificate the family, guardian or agent declares
(Exit and Entry Administration Law Art. 40 para. 2, ``endings.DEATH_CANCEL_GROUND``), and
the follow-up is closed, as resolved, or as unfounded where the report proves wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from exitentry.law.rulefunctions import cites
from exitentry.law.rules.grounds import ground
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND
from exitentry.law.sources import Citation
from exitentry.law.text import Text

ACTIONS = ("contacted", "order_to_leave", "case_opened", "resolved", "unfounded")  # AlertAction.Kind
CLOSING = ("resolved", "unfounded")


@dataclass(frozen=True, slots=True)
class Offered:
    """The actions an alert on one ground offers, in ``ACTIONS``' order, and why it offers no more."""

    actions: tuple[str, ...]
    why: Text | None = None
    cite: tuple[Citation, ...] = ()


EVERY = Offered(ACTIONS)
_LIMITED = {  # the actions and why; the citation is the ground's own (Law Art. 40 para. 2)
    DEATH_FOLLOW_UP_GROUND: (
        CLOSING,
        Text(
            "The holder died: there is nobody to contact, order to leave or apply for. The permit is"
            " cancelled on the death certificate the family, guardian or agent declares; close the follow-up"
            " once it is (resolved), or as unfounded if the report proves wrong.",
            "持证人已死亡：无从联系、责令出境或办理申请。凭其家属、监护人或者代理人申报时提交的死亡证明注销证件；"
            "注销后结束核查（已解决），报告不实的，以“查无实据”结束。",
        ),
    ),
}


@cites("exit-entry-law: Art. 40 para. 2")
def offered(ground_id: str) -> Offered:
    """The actions an alert on ``ground_id`` (a ground or a duty) offers, and why not every one."""
    if ground_id not in _LIMITED:
        return EVERY
    return Offered(*_LIMITED[ground_id], ground(ground_id).cite[:1])


def refusal(ground_id: str, action: str) -> Text | None:
    """Why ``action`` may not be recorded on an alert on ``ground_id``; None when it may."""
    if action not in ACTIONS:
        return Text("Choose what was done.", "请选择所采取的措施。")
    said = offered(ground_id)
    if action in said.actions:
        return None
    return Text(f"This is not recorded on this alert: {said.why.en}", f"此预警不记录该措施：{said.why.zh}")
