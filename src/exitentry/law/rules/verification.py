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

# The field of business each verifying kind of unit is in, in the article's words and order.
_FIELD_OF_KIND = {
    "bank": Text("finance", "金融"),
    "school": Text("education", "教育"),
    "hospital": Text("medical care", "医疗"),
    "telecom": Text("telecommunications", "电信"),
    "employer": Text(
        "employment (a recorded reading of the article's open list)", "用工（对本条“等”字的记录解读）"
    ),
}

_ARTICLE = cite("regulations", "Art. 27").label
NOT_A_VERIFIER = Text(
    "Only the verification desk of a bank, hospital, school, telecom operator or employer checks a "
    f"foreigner's status ({_ARTICLE.en}).",
    f"只有银行、医院、学校、电信运营商或用人单位的核查账户可以核查外国人的身份状态（{_ARTICLE.zh}）。",
)


@cites("regulations: Art. 27")
def may_request_verification(kind: str) -> bool:
    """Whether a unit of ``kind`` may ask for a foreigner's identity to be verified (Art. 27)."""
    return kind in _FIELD_OF_KIND


@cites("regulations: Art. 27")
def field_of(kind: str) -> Text:
    """The field of business under which a unit of ``kind`` verifies; ``KeyError`` for one that does not."""
    return _FIELD_OF_KIND[kind]
