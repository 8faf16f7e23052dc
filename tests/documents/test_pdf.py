"""The printed documents (documents.pdf): what a reader of the PDF actually finds on the page."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader

from exitentry.documents.data import (
    BookingConfirmation,
    ChangeReportReceipt,
    DecisionNotice,
    DeficiencyItem,
    DeficiencyNotice,
    Line,
    Party,
    Receipt,
    UnitReportReceipt,
)
from exitentry.documents.pdf import (
    render_booking,
    render_change_report,
    render_decision,
    render_deficiency_notice,
    render_receipt,
    render_unit_report,
)
from exitentry.documents.tokens import make_token
from exitentry.law.catalog import catalog
from exitentry.law.rules.residence import receipt_validity
from exitentry.law.rules.unit_reports import RELATION_NAME, report_event
from exitentry.law.sources import cite
from exitentry.law.text import Text

NUMBERED_ALONE = re.compile(r"^\d+\. [\u3400-\u9fff（）]+$")  # a label's Chinese without its English
BASE_URL = "https://bj.example.cn"
ART_18 = cite("regulations", "Art. 18").label
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
RESIDENCE = Text("Residence permit for work", "工作类居留许可")


def party(**changes: object) -> Party:
    fields = {
        "name": "Maria José Fernández",
        "chinese_name": "马丽",
        "nationality": "Spain",
        "passport_number": "PAE123456",
        "date_of_birth": date(1990, 1, 2),
    }
    return Party(**(fields | changes))


def line(n: int = 1, **changes: object) -> Line:
    fields = {
        "text": Text(f"Passport original, copy {n}", f"护照原件，第{n}份"),
        "why": Text("Kept while the permit is made", "办证期间留存"),
        "cite": (cite("regulations", f"Art. 18 para. {n}").label,),
    }
    return Line(**(fields | changes))


def receipt(**changes: object) -> Receipt:
    fields = {
        "case_reference": "BJ-2025-000042",
        "receipt_number": "R-2025-000123",
        "procedure_title": RESIDENCE,
        "hall_name": Text("Beijing Exit-Entry Service Hall", "北京市出入境接待大厅"),
        "hall_address": Text("2 Andingmen East Street", "安定门东大街2号"),
        "applicant": party(),
        "accepted_on": date(2025, 3, 4),
        "valid_until": date(2025, 3, 18),
        "decision_due": date(2025, 3, 17),
        "provisional": False,
        "materials_received": (line(1), line(2)),
        "fee_cny": 400,
        "cite": (ART_18,),
    }
    procedure = catalog().procedure(str(changes.pop("procedure_id", "rp-work")))
    fields |= changes
    # the law core's validity of the receipt's day and procedure, as the case's receipt is made
    fields.setdefault("validity", receipt_validity(fields["valid_until"], procedure))
    return Receipt(**fields)


def item(n: int = 1, kind: str = "missing", **changes: object) -> DeficiencyItem:
    fields = {
        "kind": kind,
        "text": Text(f"Employer's letter no. {n}", f"单位函件{n}号"),
        "reason": Text(f"Unsigned, item {n}", f"未签章，第{n}项") if kind == "defective" else None,
        "cite": (cite("regulations", "Art. 18 para. 2").label,),
    }
    return DeficiencyItem(**(fields | changes))


def notice(items: tuple[DeficiencyItem, ...] | None = None, **changes: object) -> DeficiencyNotice:
    fields = {
        "case_reference": "BJ-2025-000042",
        "notice_number": "N-2025-000007",
        "procedure_title": RESIDENCE,
        "hall_name": Text("Beijing Exit-Entry Service Hall", "北京市出入境接待大厅"),
        "applicant": party(),
        "issued_on": date(2025, 3, 5),
        "items": items or (item(1, "missing"), item(2, "defective")),
        "cite": (cite("regulations", "Art. 18 para. 2").label, cite("regulations", "Art. 13 para. 2").label),
    }
    return DeficiencyNotice(**(fields | changes))


FINAL = Line(
    Text("This decision is final.", "本决定为最终决定。"),
    None,
    (cite("bj-personal-affairs", "Legal Reminders 6").label,),
)
APPROVED = Line(Text("The application is approved.", "准予批准。"), None, ())
GROUND = Line(
    Text("Failure to provide application materials as required.", "未按照规定提交申请材料的。"),
    Text("The employer's letter was not supplied after the one-time notice.", "一次性告知后未提交单位函件。"),
    (cite("regulations", "Art. 21(1)").label,),
)


def decision(outcome: str = "approved", **changes: object) -> DecisionNotice:
    approved = outcome == "approved"
    fields = {
        "case_reference": "BJ-2025-000042",
        "decision_number": "D-2025-000009",
        "procedure_title": RESIDENCE,
        "applicant": party(),
        "decided_on": date(2025, 3, 12),
        "outcome": outcome,
        "permit_valid_from": date(2025, 3, 20) if approved else None,
        "permit_valid_until": date(2026, 3, 19) if approved else None,
        "refusal_ground": None if approved else GROUND,
        "effect": APPROVED if approved else FINAL,
        "cite": (cite("regulations", "Art. 21").label,),
    }
    return DecisionNotice(**(fields | changes))


def pdf_receipt(doc: Receipt | None = None, base_url: str = BASE_URL) -> bytes:
    doc = doc or receipt()
    return render_receipt(doc, token=make_token("receipt", doc.receipt_number), base_url=base_url)


def pdf_notice(doc: DeficiencyNotice | None = None) -> bytes:
    doc = doc or notice()
    return render_deficiency_notice(doc, token=make_token("deficiency", doc.notice_number), base_url=BASE_URL)


def pdf_decision(doc: DecisionNotice | None = None) -> bytes:
    doc = doc or decision()
    return render_decision(doc, token=make_token("decision", doc.decision_number), base_url=BASE_URL)


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def words(pdf: bytes) -> str:
    """The text with every run of whitespace, line breaks included, made one space (English wraps)."""
    return " ".join(" ".join(pages(pdf)).split())


def squashed(pdf: bytes) -> str:
    """The text with no whitespace at all (Chinese and URLs wrap mid-run)."""
    return "".join("".join(pages(pdf)).split())


def test_a_receipt_names_the_office_and_its_title_chinese_first() -> None:
    text = words(pdf_receipt())
    assert "北京市公安局出入境管理总队" in text
    assert "Exit-Entry Administration of Beijing Municipal Public Security Bureau" in text
    assert text.index("受理回执") < text.index("Acceptance Receipt")


def test_a_receipt_prints_its_numbers_the_applicant_and_its_dates_under_bilingual_labels() -> None:
    text = words(pdf_receipt())
    for label_zh, label_en, value in [
        ("回执编号", "Receipt No.", "R-2025-000123"),
        ("案件编号", "Case reference", "BJ-2025-000042"),
        ("申请事项", "Application", "工作类居留许可 Residence permit for work"),
        ("护照姓名", "Name as in passport", "Maria José Fernández"),
        ("中文姓名", "Chinese name", "马丽"),
        ("国籍", "Nationality", "Spain"),
        ("护照号码", "Passport No.", "PAE123456"),
        ("出生日期", "Date of birth", "1990年1月2日 2 January 1990"),
        (
            "受理单位",
            "Accepted at",
            "北京市出入境接待大厅 Beijing Exit-Entry Service Hall 安定门东大街2号 2 Andingmen East Street",
        ),
        ("受理日期", "Accepted on", "2025年3月4日 4 March 2025"),
        ("回执有效期至", "Receipt valid until", "2025年3月18日 18 March 2025"),
        ("决定作出期限", "Decision due by", "2025年3月17日 17 March 2025"),
        ("收费金额", "Fee", "400元 CNY 400"),
    ]:
        assert f"{label_zh} {label_en} {value}" in text, label_en


def test_a_receipt_states_the_holder_may_reside_with_it_while_the_passport_is_kept() -> None:
    text, flat = words(pdf_receipt()), squashed(pdf_receipt())
    assert "被留存期间，可以凭本回执在中国境内合法居留。本回执有效期至2025年3月18日。" in flat
    assert (
        "While the applicant's passport or other international travel document is kept for processing, "
        "the holder may reside legally in China with this receipt. This receipt is valid until 18 March 2025."
    ) in text
    assert ART_18.en in text and "《中华人民共和国外国人入境出境管理条例》第十八条" in squashed(pdf_receipt())


def test_a_visa_extensions_receipt_says_the_holder_stays_with_it_citing_art_13_para_3_alone() -> None:
    """Seed 004, Art. 13 para. 3: a visa extension's (or stay permit's) receipt lets the holder *stay*
    (停留); only Art. 18 para. 3, for residence permits, says reside (居留). One article, not both."""
    doc = receipt(
        procedure_id="visa-extension", valid_until=date(2025, 3, 13), cite=(), materials_received=()
    )
    text, flat = words(pdf_receipt(doc)), squashed(pdf_receipt(doc))
    assert "被留存期间，可以凭本回执在中国境内合法停留。本回执有效期至2025年3月13日。" in flat
    assert (
        "the holder may stay legally in China with this receipt. This receipt is valid until 13 March 2025."
        in (text)
    )
    assert "reside" not in text and "合法居留" not in flat
    assert cite("regulations", "Art. 13 para. 3").label.en in text and "第十三条第三款" in flat
    assert "Art. 18" not in text and "第十八条" not in flat  # (its materials cite none here)


def test_a_receipt_without_a_last_day_says_what_the_case_page_says_and_cites_the_passport_rule() -> None:
    """Permanent residence: the sources give the receipt no period. The receipt says the law core's rule
    (``receipt_validity``), the one the case page shows, never "not stated", and cites Art. 13 para. 3
    and Art. 18 para. 3 (the passport held for processing), not Art. 18 as a whole, applied by analogy
    (a recorded choice: those articles are on visas and residence permits), as its text says."""
    from exitentry.law.rules.residence import receipt_validity

    rule = receipt_validity(None, catalog().procedure("pr-application"))
    doc = receipt(valid_until=None, decision_due=None, procedure_id="pr-application")
    text, flat = words(pdf_receipt(doc)), squashed(pdf_receipt(doc))
    field = text.index("Receipt valid until")
    assert field < text.index(rule.text.en) < text.index("Decision due by")
    assert "回执有效期至Receiptvaliduntil" + "".join(rule.text.zh.split()) in flat
    assert "Receipt valid until Not stated" not in text and "回执有效期至资料未载明" not in flat
    for c in rule.cite:
        assert c.label.en in text and "".join(c.label.zh.split()) in flat
    assert {c.section.split(" (")[0] for c in rule.cite} == {"Art. 13 para. 3", "Art. 18 para. 3"}
    assert rule.reside.en in text and "".join(rule.reside.zh.split()) in flat  # the law core's sentence
    assert "by analogy" in rule.reside.en and "This receipt is valid until" not in text


def test_the_receipt_says_the_law_cores_sentence_on_residing_with_it() -> None:
    """The para. 3 rule is worded once, in ``receipt_validity``: the PDF prints that sentence."""
    from exitentry.law.rules.residence import receipt_validity

    rule = receipt_validity(date(2025, 3, 18), catalog().procedure("rp-work"))
    assert rule.reside.en in words(pdf_receipt()) and "".join(rule.reside.zh.split()) in squashed(
        pdf_receipt()
    )


def test_a_receipt_with_a_last_day_says_the_day_as_the_law_core_words_it() -> None:
    from exitentry.law.rules.residence import receipt_validity

    assert receipt_validity(date(2025, 3, 18), catalog().procedure("rp-work")).text == Text(
        "18 March 2025", "2025年3月18日"
    )


def test_a_provisional_receipt_says_its_dates_rely_on_an_unpublished_holiday_calendar() -> None:
    text = words(pdf_receipt(receipt(provisional=True)))
    assert "public holiday calendar has not been published yet" in text
    assert "法定节假日安排尚未公布" in squashed(pdf_receipt(receipt(provisional=True)))


def test_a_receipt_whose_calendar_is_published_says_nothing_about_it() -> None:
    assert "holiday calendar" not in words(pdf_receipt())


def test_a_receipt_lists_each_material_received_with_why_and_its_citation() -> None:
    text = words(pdf_receipt())
    assert "已收取材料 Materials received" in text
    for n in (1, 2):
        assert (
            f"{n}. 护照原件，第{n}份 Passport original, copy {n} 办证期间留存 Kept while the permit is made"
            in text
        )
        assert f"{ART_18.en} para. {n}" in text
        assert f"第十八条第{'一二'[n - 1]}款" in squashed(pdf_receipt())


def test_a_fee_paid_in_parts_says_each_part_and_when_it_is_paid() -> None:
    parts = (
        (1500, Text("Paid when the application is accepted", "受理申请时缴纳")),
        (300, Text("Paid when the permit is issued, on collection", "发证时（领取证件时）缴纳")),
    )
    pdf = pdf_receipt(receipt(fee_cny=1800, fee_parts=parts))
    text = words(pdf)
    assert "1,800元：受理申请时缴纳1,500元；发证时（领取证件时）缴纳300元" in squashed(pdf)
    assert (
        "CNY 1,800: CNY 1,500 paid when the application is accepted; CNY 300 paid when the permit is issued, on collection"
        in text
    )


def test_a_receipt_without_a_fee_prints_no_fee_line() -> None:
    text = words(pdf_receipt(receipt(fee_cny=None)))
    assert "Fee" not in text and "收费金额" not in text


def test_a_receipt_without_a_chinese_name_prints_no_empty_chinese_name_field() -> None:
    assert "Chinese name" not in words(pdf_receipt(receipt(applicant=party(chinese_name=None))))


def test_names_with_markup_characters_and_letters_beyond_latin_1_are_printed_as_written() -> None:
    name = "O'Brien & <Sons> Łukasz Nguyễn"
    assert name in words(pdf_receipt(receipt(applicant=party(name=name))))


def test_a_receipt_sets_its_pdf_title_to_the_document_and_its_number() -> None:
    info = PdfReader(io.BytesIO(pdf_receipt())).metadata
    assert info.title == "受理回执 Acceptance Receipt R-2025-000123"


@pytest.mark.parametrize(
    ("render", "kind", "number"),
    [
        (pdf_receipt, "receipt", "R-2025-000123"),
        (pdf_notice, "deficiency", "N-2025-000007"),
        (pdf_decision, "decision", "D-2025-000009"),
    ],
    ids=["receipt", "one-time notice", "decision"],
)
def test_every_document_prints_its_verification_url_with_its_own_token(
    render, kind: str, number: str
) -> None:
    flat = squashed(render())
    assert f"{BASE_URL}/verify/{make_token(kind, number)}" in flat
    assert "扫描二维码或访问下方网址" in flat


def test_a_base_url_with_a_trailing_slash_prints_no_double_slash() -> None:
    flat = squashed(pdf_receipt(base_url=BASE_URL + "/"))
    assert f"{BASE_URL}/verify/{make_token('receipt', 'R-2025-000123')}" in flat
    assert "//verify" not in flat


def test_the_same_document_renders_to_the_same_bytes() -> None:
    assert pdf_receipt() == pdf_receipt()


def test_long_text_wraps_onto_several_lines_instead_of_running_off_the_page() -> None:
    long = Text(" ".join(f"word{n}" for n in range(120)), "很长的材料说明" * 40)
    text = "".join(pages(pdf_receipt(receipt(materials_received=(line(text=long),)))))
    lines_with_words = [ln for ln in text.splitlines() if "word" in ln]
    assert len(lines_with_words) >= 4
    assert " ".join(text.split()).count("word") == 120


def test_a_one_time_notice_is_titled_and_says_everything_is_told_at_one_time() -> None:
    text, flat = words(pdf_notice()), squashed(pdf_notice())
    assert text.index("一次性告知书") < text.index("One-Time Notice of Materials to Supply or Correct")
    assert "一次性告知如下" in flat
    assert "Everything to be supplied or corrected is listed below, at one time." in text
    assert (
        "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 13 para. 2"
        in text
    )
    assert "《中华人民共和国外国人入境出境管理条例》第十三条第二款" in flat
    assert (
        "告知书编号 Notice No. N-2025-000007" in text
        and "告知日期 Issued on 2025年3月5日 5 March 2025" in text
    )


def test_a_one_time_notice_marks_missing_and_defective_materials_and_says_what_is_wrong() -> None:
    text = words(pdf_notice())
    assert "1. 【缺少】单位函件1号 [Missing] Employer's letter no. 1" in text
    assert "2. 【需更正】单位函件2号 [To be corrected] Employer's letter no. 2" in text
    assert "存在问题：未签章，第2项 What is wrong: Unsigned, item 2" in text
    assert "What is wrong: Unsigned, item 1" not in text


def test_a_forty_item_one_time_notice_flows_onto_a_second_page_and_keeps_every_item() -> None:
    items = tuple(item(n, "defective" if n % 3 else "missing") for n in range(1, 41))
    texts = pages(pdf_notice(notice(items)))
    assert len(texts) >= 2
    text = " ".join(" ".join(texts).split())
    for n in range(1, 41):
        assert f"Employer's letter no. {n} " in text
    assert "Employer's letter no. 40" in texts[-1] and "Employer's letter no. 40" not in texts[0]
    assert "Materials to supply or correct" in texts[1], "the list's heading repeats on the next page"
    n = len(texts)
    assert f"第 1 页，共 {n} 页 / Page 1 of {n}" in " ".join(texts[0].split())
    assert f"第 {n} 页，共 {n} 页 / Page {n} of {n}" in " ".join(texts[-1].split())


def test_an_approval_prints_the_outcome_and_the_permits_validity() -> None:
    text = words(pdf_decision())
    assert text.index("决定书") < text.index("Decision Notice")
    assert "决定书编号 Decision No. D-2025-000009" in text
    assert "决定日期 Decided on 2025年3月12日 12 March 2025" in text
    assert "决定结果 Decision 批准 Approved" in text
    assert "证件有效期自 Permit valid from 2025年3月20日 20 March 2025" in text
    assert "证件有效期至 Permit valid until 2026年3月19日 19 March 2026" in text
    assert "Ground for refusal" not in text


@pytest.mark.parametrize("fee", [(), (APPROVED,)], ids=["no fee stated", "a fee line"])
def test_an_approvals_fee_and_collection_never_start_the_numbering_again(fee) -> None:
    hall = (Text("Reception hall", "接待大厅"), Text("2 Andingmen East Street", "安定门东大街2号"))
    text = words(pdf_decision(decision(fee=fee, collect_at=hall)))
    numbers = [int(n) for n in re.findall(r"(?<![\d.])(\d{1,2})\. (?=[\u4e00-\u9fff])", text)]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    assert "领取地点 Collect at 接待大厅" in text


def test_a_refusal_prints_its_article_21_ground_and_that_the_decision_is_final() -> None:
    text = words(pdf_decision(decision("refused")))
    assert "决定结果 Decision 不予批准 Refused" in text
    assert "不予批准的理由 Ground for refusal" in text
    assert "未按照规定提交申请材料的。 Failure to provide application materials as required." in text
    assert "The employer's letter was not supplied after the one-time notice." in text
    assert (
        "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 21(1)"
        in text
    )
    assert "《中华人民共和国外国人入境出境管理条例》第二十一条第（一）项" in squashed(
        pdf_decision(decision("refused"))
    )
    assert "本决定为最终决定。 This decision is final." in text
    assert "Permit valid" not in text


def test_a_decision_must_match_its_outcome() -> None:
    with pytest.raises(ValueError, match="refusal needs its ground"):
        decision("refused", refusal_ground=None)
    with pytest.raises(ValueError, match="refusal needs its ground"):
        decision("approved", refusal_ground=GROUND)
    with pytest.raises(ValueError, match="no permit validity"):
        decision("refused", permit_valid_until=date(2026, 1, 1))
    with pytest.raises(ValueError, match="outcome"):
        decision("pending")


def test_a_permit_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="valid until a day before"):
        replace(decision(), permit_valid_until=date(2025, 3, 1))


def test_a_deficiency_is_either_missing_or_defective_and_a_notice_lists_at_least_one() -> None:
    with pytest.raises(ValueError, match="deficiency kind"):
        item(kind="late")
    with pytest.raises(ValueError, match="at least one"):
        replace(notice(), items=())


@pytest.mark.parametrize(
    "render", [pdf_receipt, pdf_notice, pdf_decision], ids=["receipt", "one-time notice", "decision"]
)
def test_every_document_cites_by_title_and_article_in_both_languages_never_by_file_name(render) -> None:
    text, flat = words(render()), squashed(render())
    assert "《中华人民共和国外国人入境出境管理条例》第" in flat
    assert (
        "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. "
        in text
    )
    assert not SEED_FILE.search(flat)


BEIJING = timezone(timedelta(hours=8))


def booking() -> BookingConfirmation:
    return BookingConfirmation(
        reference="A-2026-000031",
        case_reference="BJ-2026-000042",
        procedure_title=RESIDENCE,
        applicant=party(),
        hall_name=Text("Beijing Exit-Entry Service Hall", "北京市出入境接待大厅"),
        hall_address=Text("2 Andingmen East Street", "安定门东大街2号"),
        starts_at=datetime(2026, 12, 1, 9, 0, tzinfo=BEIJING),
        ends_at=datetime(2026, 12, 1, 9, 30, tzinfo=BEIJING),
        counter=3,
        bring=(line(1),),
        in_person=(),
        cutoff_hours=24,
    )


def unit_report() -> UnitReportReceipt:
    return UnitReportReceipt(
        number="U-2026-000005",
        unit_name=Text("Example Ltd.", "示例有限公司"),
        unit_credit_code="91110000MA00000000",
        person=party(),
        relation=RELATION_NAME["employee"],
        event=report_event("employee-resigned").text,
        happened_on=date(2026, 11, 30),
        filed_at=datetime(2026, 12, 1, 14, 5, tzinfo=BEIJING),
        filed_by="hr.li",
        note="",
        effects=(),
        cite=(cite("regulations", "Art. 26").label,),
    )


def pdf_booking() -> bytes:
    return render_booking(booking(), check_in_url=f"{BASE_URL}/check-in/A-2026-000031")


def pdf_unit_report() -> bytes:
    return render_unit_report(
        unit_report(), token=make_token("unit-report", "U-2026-000005"), base_url=BASE_URL
    )


def pdf_change_report() -> bytes:
    doc = ChangeReportReceipt(
        number="BD20260000007",
        person=party(),
        permit=Text("Residence permit R1234567", "居留证件 R1234567"),
        particular=Text("Reason for residence", "居留事由"),
        changed_on=date(2026, 11, 28),
        filed_at=datetime(2026, 12, 1, 9, 40, tzinfo=BEIJING),
        filed_by="anna.schmidt",
        note="Left Example Ltd.",
        effects=(),
        cite=(cite("exit-entry-law", "Art. 33").label,),
    )
    return render_change_report(doc, token=make_token("change-report", doc.number), base_url=BASE_URL)


def test_a_change_reports_receipt_says_what_changed_and_when_in_both_languages() -> None:
    text = words(pdf_change_report())
    assert "变更事项 What changed 居留事由 Reason for residence" in text
    assert "变更日期 Changed on 2026年11月28日 28 November 2026" in text
    assert "居留证件登记事项变更报告回执" in text and "BD20260000007" in text


def test_a_booking_confirmation_says_the_day_as_each_language_writes_it() -> None:
    text = words(pdf_booking())
    assert "预约时间 Date and time 2026年12月1日 09:00–09:30（北京时间）" in text
    assert "1 December 2026 09:00–09:30 (Beijing time)" in text


def test_a_booking_confirmation_lists_a_material_that_waits_on_a_fact_to_bring_if_it_applies() -> None:
    waiting = Line(
        Text("Health certificate", "健康证明"),
        Text("the residence permit is to run more than one year", "申请居留期限超过一年"),
        (cite("regulations", "Art. 16 para. 2").label,),
    )
    doc = replace(booking(), pending=(waiting,))
    text = squashed(render_booking(doc, check_in_url=f"{BASE_URL}/check-in/A-2026-000031"))
    assert "2.【如适用请携带】健康证明" in text
    assert "[Bringifitapplies]Healthcertificate" in text
    assert "以下情形需要：申请居留期限超过一年" in text
    assert "Neededif:theresidencepermitistorunmorethanoneyear" in text


def test_a_unit_reports_receipt_says_its_days_as_each_language_writes_them() -> None:
    text = words(pdf_unit_report())
    assert "发生日期 Happened on 2026年11月30日 30 November 2026" in text
    assert "报告时间 Filed at 2026年12月1日 14:05（北京时间） 1 December 2026 14:05 (Beijing time)" in text


@pytest.mark.parametrize(
    "render",
    [pdf_receipt, pdf_notice, pdf_decision, pdf_booking, pdf_unit_report, pdf_change_report],
    ids=["receipt", "one-time notice", "decision", "booking", "unit report", "change report"],
)
def test_no_document_prints_a_date_in_numeric_form(render) -> None:
    assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", words(render()))


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("deficiency", "BJ202600000005-N1"),
        ("change-report", "CR-2026-00000001"),
        ("receipt", "R-2025-000123"),
    ],
)
def test_the_verification_address_keeps_its_token_whole_on_one_line(kind: str, number: str) -> None:
    token = make_token(kind, number)
    doc = notice(notice_number=number)
    printed = render_deficiency_notice(doc, token=token, base_url="https://exitentry.example.gov.cn")
    lines = [line.strip() for page in pages(printed) for line in page.splitlines()]
    assert token in lines
    assert "https://exitentry.example.gov.cn/verify/" in lines


def test_every_field_label_of_the_notice_is_on_one_line_its_english_beside_its_chinese() -> None:
    text = "\n".join(pages(pdf_notice()))
    assert re.search(r"4\. 护照姓名\s+Name as in passport", text)
    for label in ("Name as in passport", "Chinese name", "Notice No.", "Date of birth", "Issued on"):
        line = next(line for line in text.splitlines() if label in line)
        assert re.search(r"^\s*\d+\. \S", line), line  # the Chinese label on the same line


@pytest.mark.parametrize(
    "render",
    [
        pdf_receipt,
        pdf_notice,
        pdf_decision,
        lambda: pdf_decision(decision("refused")),
        pdf_booking,
        pdf_unit_report,
        pdf_change_report,
    ],
)
def test_every_numbered_label_reads_on_one_line_chinese_then_english(render) -> None:
    """The label column is wide enough for the longest label ("11. 回执有效期至  Receipt valid until"), so
    no label stacks its English under its Chinese while the others beside it read on one line."""
    stacked = [line for page in pages(render()) for line in page.splitlines() if NUMBERED_ALONE.match(line)]
    assert stacked == []


def test_a_booking_confirmations_check_in_code_stands_on_the_first_page_with_the_reference_not_the_halls_address():
    """The applicant reads the reference beside the code on page 1; the hall's check-in address the code
    carries is the officers' page and is not printed."""
    doc = replace(booking(), bring=tuple(booking().bring) * 12)
    texts = pages(render_booking(doc, check_in_url=f"{BASE_URL}/console/check-in/?reference=QX7K2M9PLA"))
    assert len(texts) >= 2, "a long list of materials runs onto a second page"
    first = " ".join(texts[0].split())
    assert f"预约号：{doc.reference}" in first and f"Reference: {doc.reference}" in first
    assert "Show this code, or the reference, at the hall's check-in desk." in first
    assert "check-in" not in " ".join(" ".join(texts).split()).replace("check-in desk", "")
