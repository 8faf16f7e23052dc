"""Which documents the hall may void, cancel or confiscate, announce or order out (Regulations Arts. 33-35;
rules.endings): every kind the registry holds against every ending."""

from __future__ import annotations

import pytest

from exitentry.law.rulefunctions import RULE_FUNCTIONS
from exitentry.law.rules.endings import (
    CANCEL,
    ENDINGS,
    ORDER_TO_LEAVE,
    PUBLIC_NOTICE,
    VOID,
    out_of_reach,
)
from exitentry.law.rules.public_notice import NOTICE_GROUND
from exitentry.registry.models import Permit

MAY = {
    "visa": {VOID, CANCEL, ORDER_TO_LEAVE},
    "stay-permit": {VOID, CANCEL, ORDER_TO_LEAVE},
    "residence-permit": {VOID, CANCEL, ORDER_TO_LEAVE, PUBLIC_NOTICE},
    "pr-card": set(),
    "exit-document": set(),
    "work-permit": set(),
}
ARTICLE = {
    VOID: ("Art. 34", "第三十四条"),
    CANCEL: ("Art. 35", "第三十五条"),
    PUBLIC_NOTICE: ("Art. 34(3)", "第三十四条第（三）项"),
    ORDER_TO_LEAVE: ("Art. 33", "第三十三条"),
}


def test_every_kind_the_registry_holds_is_decided() -> None:
    assert set(MAY) == set(Permit.KINDS)


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("kind", sorted(MAY))
def test_the_hall_may_end_only_what_the_articles_reach(kind: str, ending: str) -> None:
    why = out_of_reach(kind, ending)
    if ending in MAY[kind]:
        assert why is None
        return
    en, zh = ARTICLE[ending]
    assert why is not None and en in why.en and zh in why.zh
    assert not any(k in why.en for k in MAY if "-" in k)  # named in words, never by an id


def test_a_work_permit_is_not_the_halls_to_end_in_the_articles_own_words() -> None:
    """Arts. 34 and 35 name "the visa, stay or residence permit"; the seeds do not say who issues a work
    permit (seed 002, 4.c: the applicant collects both permits issued by the Entry-Exit Administration)."""
    why = out_of_reach("work-permit", VOID)
    assert "work permit" in why.en and "only a visa, stay or residence permit" in why.en
    assert "外国人工作许可证" in why.zh and "仅适用于签证、停留证件和居留证件" in why.zh
    assert "issued by" not in why.en and "签发" not in why.zh
    assert out_of_reach("work-permit", CANCEL) == why  # one reason: the kind is outside Arts. 34 and 35
    function = RULE_FUNCTIONS["exitentry.law.rules.endings.out_of_reach"]
    assert all(c.source != "bj-one-stop" for c in function.cite)


@pytest.mark.parametrize(
    ("kind", "refused"), [("visa", True), ("stay-permit", True), ("residence-permit", False)]
)
def test_voiding_on_the_art_34_3_ground_needs_a_residence_permit(kind: str, refused: bool) -> None:
    assert out_of_reach(kind, VOID, "void-damaged-lost-stolen-robbed") is None
    why = out_of_reach(kind, VOID, NOTICE_GROUND)
    assert (why is not None) == refused
    if refused:
        assert why.en.startswith(
            "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 34(3) does not apply to this "
        )
        assert "it concerns the reason for residence of a residence permit" in why.en
        assert why.en.endswith("choose another ground.")
        assert "不适用于该" in why.zh and "居留事由" in why.zh and why.zh.endswith("请选择其他理由。")
        assert "notice" not in why.en and "公告" not in why.zh  # not "void it without a notice"


def test_an_unknown_ending_is_an_error_naming_the_endings() -> None:
    with pytest.raises(ValueError, match="order-to-leave"):
        out_of_reach("visa", "revoke")


def test_the_law_cores_chinese_texts_cite_items_as_the_citation_formatter_does():
    """An item of an article reads "第三十四条第（三）项" everywhere (``law.citing.article_zh``), never
    "第三十四条第三项" (the notice box, the endings, the duties)."""
    import re
    from pathlib import Path

    from exitentry.law.citing import article_zh

    assert article_zh("Art. 34(3)") == "第三十四条第（三）项"
    root = Path(__file__).resolve().parents[2] / "src" / "exitentry"
    bare = re.compile(r"第[一二三四五六七八九十百]+条第[一二三四五六七八九十]+项")
    found = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for path in root.rglob("*")
        if path.suffix in (".py", ".yaml", ".html", ".po") and "migrations" not in path.parts
        for m in bare.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("function", "ground_id"),
    [
        ("exitentry.law.rules.endings.out_of_reach", "cancel-holder-died"),
        ("exitentry.law.rules.unit_reports.effect", "follow-up-holder-died"),
    ],
)
def test_the_rules_on_a_death_cite_the_death_ground_of_art_40_para_2_not_the_whole_article(
    function: str, ground_id: str
) -> None:
    """The Law's Art. 40 para. 2 is the death (the permit cancelled on the death certificate); para. 1 is
    another matter. The @cites markers name the paragraph the death grounds cite, as their texts do."""
    from exitentry.law.rules import unit_reports  # noqa: F401 - records effect's @cites
    from exitentry.law.rules.grounds import ground
    from exitentry.law.sources import Citation

    cited = RULE_FUNCTIONS[function].cite
    law = [c for c in cited if c.source == "exit-entry-law"]
    assert law == [Citation("exit-entry-law", "Art. 40 para. 2")]
    assert law[0] in ground(ground_id).cite
