"""Which units may ask the exit-entry administration to verify a foreigner's identity (Regulations Art. 27).

Art. 27: units "such as those engaged in finance, education, medical care and telecommunications" may
apply for verification when they need to verify a foreigner's identity information while handling
business. The kinds are those of the units the product registers: a bank (finance), a school (education),
a hospital (medical care), a telecom operator (telecommunications). The article's list is open ("such
as", 等): an employer checking a foreigner's status for work is read under it, a recorded choice. A
service agency or an inviting entity acts for a person and does not verify.
"""

from __future__ import annotations

from exitentry.law.rulefunctions import cites
from exitentry.law.sources import cite
from exitentry.law.text import Text

# The kinds of unit that verify, as people name them: a bank (finance), a hospital (medical care), a school
# (education), a telecom operator (telecommunications), and an employer (a recorded reading of the
# article's open list, 等).
_NAME_OF_KIND = {
    "bank": Text("bank", "银行"),
    "hospital": Text("hospital", "医院"),
    "school": Text("school", "学校"),
    "telecom": Text("telecom operator", "电信运营商"),
    "employer": Text("employer", "用人单位"),
}
VERIFYING_KINDS = tuple(_NAME_OF_KIND)
_NAMES = tuple(_NAME_OF_KIND.values())
# Who verifies, in one phrase: "a bank, hospital, school, telecom operator or employer".
VERIFIERS = Text(
    "a " + ", ".join(n.en for n in _NAMES[:-1]) + " or " + _NAMES[-1].en,
    "、".join(n.zh for n in _NAMES[:-1]) + "或" + _NAMES[-1].zh,
)

_ARTICLE = cite("regulations", "Art. 27").label
NOT_A_VERIFIER = Text(
    f"Only the verification desk of {VERIFIERS.en} checks a foreigner's status ({_ARTICLE.en}).",
    f"只有{VERIFIERS.zh}的核查账户可以核查外国人的身份状态（{_ARTICLE.zh}）。",
)


@cites("regulations: Art. 27")
def may_request_verification(kind: str) -> bool:
    """Whether a unit of ``kind`` may ask for a foreigner's identity to be verified (Art. 27)."""
    return kind in VERIFYING_KINDS
