"""Bilingual A4 PDFs of the acceptance receipt, the one-time notice and the decision, drawn with reportlab;
their dates in words as each language writes them ("1 December 2026", "2026年12月1日", ``law.text.day_text``).

Every character is set in a font embedded in the PDF (subset to the glyphs used), so names print as written
whatever the reader has installed: Noto Sans for Latin with its diacritics (Vietnamese too), Greek and
Cyrillic, Noto Sans Arabic for Arabic script, and Noto Sans SC for Chinese (cut to GB 2312; see
``fonts/build.py``). A character none of them has, such as a rare hanzi, falls back to STSong-Light, the
CJK font a PDF reader supplies itself, as all Chinese was set before. Each letter goes to the first font
that has it; spaces, digits and punctuation stay in the run they are in; a word with Arabic letters is set
in the Arabic font whole. A paragraph with Arabic is shaped by HarfBuzz (reportlab's ``uharfbuzz``
support): the letters take their joined forms and a run of Arabic reads right to left. Other paragraphs
are not shaped, so no ligature changes what is printed (``ff`` in a verification token stays two
letters). Each document ends with a QR code for ``{base_url}/verify/{token}`` and prints that address under it, for those
who cannot scan. Output is byte-for-byte repeatable (reportlab's invariant mode, which also fixes the PDF's
creation date) so a reissued document can be compared with the first.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from exitentry.bilingual import cny
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
from exitentry.documents.tokens import verification_url
from exitentry.law.halls import AUTHORITY
from exitentry.law.text import Text, continued, day_text

FONT_DIR = Path(__file__).resolve().parent / "fonts"
LATIN, LATIN_BOLD, ARABIC, CJK = "NotoSans", "NotoSans-Bold", "NotoSansArabic", "NotoSansSC"
FALLBACK = "STSong-Light"  # not embedded: the reader supplies it
for _name, _file in (
    (LATIN, "NotoSans-Regular.ttf"),
    (LATIN_BOLD, "NotoSans-Bold.ttf"),
    (ARABIC, "NotoSansArabic-Regular.ttf"),
    (CJK, "NotoSansSC-Regular.ttf"),
):
    pdfmetrics.registerFont(TTFont(_name, FONT_DIR / _file, shapable=_name == ARABIC))
pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
pdfmetrics.registerFontFamily(LATIN, normal=LATIN, bold=LATIN_BOLD, italic=LATIN, boldItalic=LATIN_BOLD)
# Arabic, Chinese and the fallback have no bold face here: mapping it to the regular one keeps <b> legal.
for _name in (ARABIC, CJK, FALLBACK):
    pdfmetrics.registerFontFamily(_name, normal=_name, bold=_name, italic=_name, boldItalic=_name)
EMBEDDED = (LATIN, ARABIC, CJK)  # the order a character's font is looked for in
_COVERS = {name: pdfmetrics.getFont(name).face.charToGlyph for name in (*EMBEDDED, LATIN_BOLD)}


MARGIN = 18 * mm
TOP_BOTTOM = 15 * mm  # the footer sits below, 10 mm from the edge
WIDTH = A4[0] - 2 * MARGIN
LABEL_WIDTH = (
    70 * mm
)  # at most: the longest label on one line ("15. 统一社会信用代码  Unified social credit code")
PADDING = 12  # a table cell's padding, left and right
QR_SIZE = 26 * mm
FOOTER_SIZE = 7
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")

_BODY = ParagraphStyle("body", fontName=LATIN, fontSize=9.5, leading=12)
_ZH = ParagraphStyle("zh", parent=_BODY, wordWrap="CJK")
_BOLD = ParagraphStyle("bold", parent=_BODY, fontName=LATIN_BOLD)
_LABEL_EN = ParagraphStyle("label-en", parent=_BODY, fontSize=7.5, leading=9, textColor=GREY)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=7, leading=9, textColor=GREY)
_SMALL_ZH = ParagraphStyle("small-zh", parent=_SMALL, wordWrap="CJK")
_URL = ParagraphStyle("url", parent=_BODY, fontSize=7, leading=9)
_AUTHORITY_ZH = ParagraphStyle("authority-zh", parent=_ZH, fontSize=11, leading=15, alignment=TA_CENTER)
_AUTHORITY_EN = ParagraphStyle("authority-en", parent=_BODY, fontSize=9, alignment=TA_CENTER)
_TITLE_ZH = ParagraphStyle(
    "title-zh", parent=_ZH, fontSize=18, leading=23, alignment=TA_CENTER, spaceBefore=4
)
_TITLE_EN = ParagraphStyle("title-en", parent=_BOLD, fontSize=13, leading=16, alignment=TA_CENTER)
_HEADING_ZH = ParagraphStyle(
    "heading-zh", parent=_BOLD, wordWrap="CJK", fontSize=11, leading=14, spaceBefore=6, keepWithNext=1
)
_HEADING_EN = ParagraphStyle(
    "heading-en", parent=_BOLD, fontSize=10, leading=13, spaceAfter=3, keepWithNext=1
)

_LIST_TABLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
)
_BOX = TableStyle(
    [
        ("BOX", (0, 0), (-1, -1), 0.75, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
)
_QR_TABLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
)

# Labels: Chinese first, as the office prints them.
L_RECEIPT_NO = Text("Receipt No.", "回执编号")
L_NOTICE_NO = Text("Notice No.", "告知书编号")
L_DECISION_NO = Text("Decision No.", "决定书编号")
L_CASE = Text("Case reference", "案件编号")
L_PROCEDURE = Text("Application", "申请事项")
L_NAME = Text("Name as in passport", "护照姓名")  # Chinese and English on one line, as the rows around it
L_CHINESE_NAME = Text("Chinese name", "中文姓名")
L_NATIONALITY = Text("Nationality", "国籍")
L_PASSPORT = Text("Passport No.", "护照号码")
L_BIRTH = Text("Date of birth", "出生日期")
L_HALL = Text("Accepted at", "受理单位")
L_SUBMITTED_TO = Text("Submitted to", "递交至")  # a one-time notice: nothing is accepted yet
L_ACCEPTED = Text("Accepted on", "受理日期")
L_VALID_UNTIL = Text("Receipt valid until", "回执有效期至")
L_DECISION_DUE = Text("Decision due by", "决定作出期限")
L_FEE = Text("Fee", "收费金额")
L_ISSUED = Text("Issued on", "告知日期")
L_DECIDED = Text("Decided on", "决定日期")
L_OUTCOME = Text("Decision", "决定结果")
L_PERMIT_FROM = Text("Permit valid from", "证件有效期自")
L_PERMIT_UNTIL = Text("Permit valid until", "证件有效期至")
L_EXTENDED_UNTIL = Text("Permit extended until", "证件有效期延长至")
L_EXTENDED_BY = Text("Extended by", "延长期限")
L_PERMIT = Text("Permit granted", "批准的证件")
L_PERMIT_NO = Text("Permit No.", "证件号码")
L_NEXT = Text("Fee and collection", "缴费与领证")
L_FEE_CHARGED = Text("Fee charged", "收费情况")  # a refusal's heading: what of the fee is charged, what not
L_COLLECT_AT = Text("Collect at", "领取地点")
PERMIT_NO_LATER = Text("Given when the permit is issued", "签发证件时确定")
L_MATERIALS = Text("Materials received", "已收取材料")
L_ITEMS = Text("Materials to supply or correct", "需补充或更正的材料")
L_REFUSAL = Text("Ground for refusal", "不予批准的理由")
L_EFFECT = Text("Effect of this decision", "决定的效力")
L_BASIS = Text("Legal basis", "法律依据")
L_WHAT_IS_WRONG = Text("What is wrong", "存在问题")
L_REASON_AS_WRITTEN = Text("Reason (as written)", "理由（原文照录）")
L_STATUS = Text("Status", "状态")
L_VERIFY = Text(
    "Scan the code, or open the address below, to check this document with the issuing office.",
    "扫描二维码或访问下方网址，向签发机关核验本文件。",
)
L_BOOKING_NO = Text("Appointment reference", "预约号")
L_AT_HALL = Text("Hall", "办理地点")
L_WHEN = Text("Date and time", "预约时间")
L_COUNTER = Text("Counter", "窗口")
L_WHO_COMES = Text("Who comes", "到场要求")
L_MUST_COME = Text("The applicant must come in person", "申请人须本人到场")
L_WHO_HANDS_IN = Text("Who may hand it in", "可代为递交的人")
L_BRING = Text("Bring the originals of", "请携带以下材料原件")
# a material whose condition waits for a fact (``Advice.pending``) on a booked case: the hall asks the fact at
# the visit, so the applicant brings it if it applies (the confirmation page says the same)
L_IF_IT_APPLIES = Text("Bring if it applies", "如适用请携带")
L_NEEDED_IF = Text("Needed if:", "以下情形需要：")
L_CHECK_IN = Text(
    "Show this code, or the reference, at the hall's check-in desk.",
    "请在大厅签到处出示此二维码或预约号。",
)
L_UNIT = Text("Reporting unit", "报告单位")
L_CREDIT_CODE = Text("Unified social credit code", "统一社会信用代码")
L_RELATION = Text("Relation to the unit", "与单位的关系")
L_EVENT = Text("Event reported", "报告事项")
L_HAPPENED = Text("Happened on", "发生日期")
L_FILED = Text("Filed at", "报告时间")
L_FILED_BY = Text("Filed by", "报告人")
L_NOTE = Text("Note", "备注")
L_WHAT_FOLLOWS = Text("What the report does", "报告的效力")
L_PERMIT_HELD = Text("Residence permit", "居留证件")
L_PARTICULAR = Text("What changed", "变更事项")
L_CHANGED = Text("Changed on", "变更日期")
KIND_LABELS = {"missing": Text("Missing", "缺少"), "defective": Text("To be corrected", "需更正")}
OUTCOME_LABELS = {"approved": Text("Approved", "批准"), "refused": Text("Refused", "不予批准")}
NONE_RECEIVED = Text("No materials recorded.", "未记录收取材料。")
NOT_STATED = Text("Not stated by the sources", "资料未载明")


def render_receipt(doc: Receipt, *, token: str, base_url: str) -> bytes:
    """The acceptance receipt: the dates that bind the office, and the holder's leave to reside meanwhile
    (its validity in the law core's words, ``receipt_validity``, as the case pages say it)."""
    validity = doc.validity
    rows = [
        (L_RECEIPT_NO, doc.receipt_number),
        (L_CASE, doc.case_reference),
        (L_PROCEDURE, doc.procedure_title),
        *_party_rows(doc.applicant),
        (L_HALL, (doc.hall_name, doc.hall_address)),
        (L_ACCEPTED, day_text(doc.accepted_on)),
        (L_VALID_UNTIL, validity.text),
        (L_DECISION_DUE, day_text(doc.decision_due) if doc.decision_due else NOT_STATED),
    ]
    if doc.fee_cny is not None:
        fee = cny(doc.fee_cny)  # the pages' one money wording: "CNY 1,800" / "1,800元"
        if doc.fee_parts:  # "CNY 1,800: CNY 1,500 paid when the application is accepted; ..."
            en = "; ".join(f"{cny(n).en} {continued(when.en)}" for n, when in doc.fee_parts)
            zh = "；".join(f"{when.zh}{cny(n).zh}" for n, when in doc.fee_parts)
            fee = Text(f"{fee.en}: {en}", f"{fee.zh}：{zh}")
        rows.append((L_FEE, fee))
    # the law core's sentence (Art. 13 or Art. 18 para. 3, or by analogy), then the receipt's last day
    said = validity.reside
    if validity.until is not None:
        said = Text(
            f"{said.en} This receipt is valid until {validity.text.en}.",
            f"{said.zh}本回执有效期至{validity.text.zh}。",
        )
    reside = Line(text=said, why=None, cite=tuple(c.label for c in validity.cite))
    story: list[Flowable] = [_fields(rows), Spacer(0, 4 * mm)]
    for said in (doc.fee_ended, doc.fee_granted):  # under the fee it sums up or the approval changed
        if said:
            story += [_boxed(said), Spacer(0, 2 * mm)]
    story.append(_boxed(reside))
    if doc.provisional:
        provisional = Text(
            en="The dates above rely on a year whose public holiday calendar has not been published yet; "
            "they may change when it is.",
            zh="上述日期所依据年度的法定节假日安排尚未公布，公布后日期可能调整。",
        )
        story += [Spacer(0, 2 * mm), _boxed(Line(provisional, None, ()))]
    if doc.materials_received:
        story += _numbered(L_MATERIALS, [_line(m) for m in doc.materials_received])
    else:
        story += [*_heading(L_MATERIALS), *_bilingual(NONE_RECEIVED)]
    title = Text("Acceptance Receipt", "受理回执")
    return _build(title, doc.receipt_number, doc.procedure_title, story, _verify(token, base_url), doc.cite)


def render_deficiency_notice(doc: DeficiencyNotice, *, token: str, base_url: str) -> bytes:
    """The one-time notice: every missing or defective material at once, each with its reason and source."""
    rows = [
        (L_NOTICE_NO, doc.notice_number),
        (L_CASE, doc.case_reference),
        (L_PROCEDURE, doc.procedure_title),
        *_party_rows(doc.applicant),
        (L_SUBMITTED_TO, doc.hall_name),
        (L_ISSUED, day_text(doc.issued_on)),
    ]
    intro = Text(
        en="The procedures or materials of this application do not meet the requirements. Everything to be "
        "supplied or corrected is listed below, at one time.",
        zh="经审查，本申请的手续或者材料不符合规定。现将需要补充、更正的全部材料一次性告知如下。",
    )
    story: list[Flowable] = [_fields(rows), Spacer(0, 4 * mm), _boxed(Line(intro, None, doc.cite))]
    story += _numbered(L_ITEMS, [_deficiency(item) for item in doc.items])
    title = Text("One-Time Notice of Materials to Supply or Correct", "一次性告知书")
    return _build(title, doc.notice_number, doc.procedure_title, story, _verify(token, base_url))


def render_decision(doc: DecisionNotice, *, token: str, base_url: str) -> bytes:
    """The decision: the outcome, the permit's validity or the ground for refusal, and what it does."""
    rows = [
        (L_DECISION_NO, doc.decision_number),
        (L_CASE, doc.case_reference),
        (L_PROCEDURE, doc.procedure_title),
        *_party_rows(doc.applicant),
        (L_DECIDED, day_text(doc.decided_on)),
        (L_OUTCOME, OUTCOME_LABELS[doc.outcome]),
    ]
    if doc.permit_valid_from:
        rows.append((L_PERMIT_FROM, day_text(doc.permit_valid_from)))
    if doc.extended_by:
        rows.append((L_EXTENDED_BY, doc.extended_by))
    if doc.permit_valid_until:
        rows.append(
            (L_EXTENDED_UNTIL if doc.extended_by else L_PERMIT_UNTIL, day_text(doc.permit_valid_until))
        )
    if doc.permit:
        rows += [(L_PERMIT, doc.permit), (L_PERMIT_NO, doc.permit_number or PERMIT_NO_LATER)]
    story: list[Flowable] = [_fields(rows)]
    if doc.refusal_ground:
        story += _heading(L_REFUSAL)
        story.append(_boxed(doc.refusal_ground))
    story += _heading(L_EFFECT)
    story.append(_boxed(doc.effect))
    story += _next_steps(doc) if doc.outcome == "approved" else _fee_owed(doc)
    title = Text("Decision Notice", "决定书")
    return _build(title, doc.decision_number, doc.procedure_title, story, _verify(token, base_url), doc.cite)


def _next_steps(doc: DecisionNotice) -> list[Flowable]:
    """An approval's fee as charged (or that the sources state none) and where to collect."""
    story: list[Flowable] = [*_heading(L_NEXT), *(_boxed(line) for line in doc.fee)]
    rows = [] if doc.fee else [(L_FEE, NOT_STATED)]
    if doc.collect_at:
        rows.append((L_COLLECT_AT, doc.collect_at))
    if rows:  # a section of its own: unnumbered, so the notice's numbers never start again
        story.append(_fields(rows, numbered=False))
    return story + [_boxed(line) for line in doc.next_steps]


def _fee_owed(doc: DecisionNotice) -> list[Flowable]:
    """A refusal's fee: what is due and why a part is not charged, as the case page says it (or that the
    sources state no fee)."""
    said = [_boxed(line) for line in doc.fee] or [_fields([(L_FEE, NOT_STATED)], numbered=False)]
    return [*_heading(L_FEE_CHARGED), *said]


def render_booking(doc: BookingConfirmation, *, check_in_url: str) -> bytes:
    """The appointment confirmation: when and where, who comes, what to bring; its QR code is what the
    hall scans at check-in."""
    start, end = doc.starts_at, doc.ends_at
    when = _beijing_time(day_text(start.date()), f"{start:%H:%M}–{end:%H:%M}")
    rows = [
        (L_BOOKING_NO, doc.reference),
        (L_CASE, doc.case_reference),
        (L_PROCEDURE, doc.procedure_title),
        *_party_rows(doc.applicant, identity=False),
        (L_AT_HALL, (doc.hall_name, doc.hall_address)),
        (L_WHEN, when),
        (L_COUNTER, Text(f"Counter {doc.counter}", f"{doc.counter}号窗口")),
    ]
    change = Text(
        f"You can cancel or move this appointment on the website up to {doc.cutoff_hours} hours before it.",
        f"如需取消或改约，请在预约开始{doc.cutoff_hours}小时以前在网站上办理。",
    )
    # the code the hall scans stands on the first page beside the reference it carries; the hall's own
    # check-in address it encodes is not printed (the applicant has no use for it), the reference is
    reference = Text(f"Reference: {doc.reference}", f"预约号：{doc.reference}")
    code = _verification(check_in_url, L_CHECK_IN, _bilingual(reference))
    story: list[Flowable] = [
        _fields(rows),
        Spacer(0, 3 * mm),
        code,
        Spacer(0, 4 * mm),
        _boxed(Line(change, None, ())),
    ]
    if doc.check_in is not None:
        story += [_boxed(Line(doc.check_in, None, ()))]
    if doc.must_come:
        story += [*_heading(L_MUST_COME), _boxed(doc.must_come)]
    if doc.who_hands_in:
        story += [*_heading(L_WHO_HANDS_IN), _boxed(doc.who_hands_in)]
    if doc.in_person:
        story += _heading(L_WHO_COMES)
        story += [_boxed(line) for line in doc.in_person]
    if doc.bring or doc.pending:
        story += _numbered(L_BRING, [*(_line(m) for m in doc.bring), *(_pending(m) for m in doc.pending)])
    title = Text("Appointment Confirmation", "预约确认单")
    return _build(title, doc.reference, doc.procedure_title, story, None)


def render_unit_report(doc: UnitReportReceipt, *, token: str, base_url: str) -> bytes:
    """The receipt of a unit's Art. 26 report: the unit, the person, the event and its day, and what the
    report did."""
    at = doc.filed_at
    rows = [
        (L_RECEIPT_NO, doc.number),
        (L_UNIT, doc.unit_name),
        (L_CREDIT_CODE, doc.unit_credit_code),
        *_party_rows(doc.person),
        (L_RELATION, doc.relation),
        (L_EVENT, doc.event),
        (L_HAPPENED, day_text(doc.happened_on)),
        (L_FILED, _beijing_time(day_text(at.date()), f"{at:%H:%M}")),
        (L_FILED_BY, doc.filed_by),
    ]
    title = Text("Receipt of a Unit's Report", "单位报告回执")
    return _build(title, doc.number, doc.event, _report_story(rows, doc), _verify(token, base_url), doc.cite)


def render_change_report(doc: ChangeReportReceipt, *, token: str, base_url: str) -> bytes:
    """The receipt of a holder's report of a change of particulars: the holder, the permit, what changed
    and on which day, and what follows from the report."""
    at = doc.filed_at
    rows = [
        (L_RECEIPT_NO, doc.number),
        *_party_rows(doc.person),
        (L_PERMIT_HELD, doc.permit),
        (L_PARTICULAR, doc.particular),
        (L_CHANGED, day_text(doc.changed_on)),
        (L_FILED, _beijing_time(day_text(at.date()), f"{at:%H:%M}")),
        (L_FILED_BY, doc.filed_by),
    ]
    title = Text("Receipt of a Report of a Change of Particulars", "居留证件登记事项变更报告回执")
    story = _report_story(rows, doc)
    return _build(title, doc.number, doc.particular, story, _verify(token, base_url), doc.cite)


def _report_story(rows: list, doc: UnitReportReceipt | ChangeReportReceipt) -> list[Flowable]:
    """A report's receipt below its title: its fields (the note last, where there is one) and what follows
    from the report (``_build`` adds the law it was made under)."""
    if doc.note:
        rows = [*rows, (L_NOTE, doc.note)]
    story: list[Flowable] = [_fields(rows)]
    if doc.effects:
        story += _numbered(L_WHAT_FOLLOWS, [_line(line) for line in doc.effects])
    return story


def _verify(token: str, base_url: str) -> tuple[str, Text]:
    """The QR code of a document the office issued: its address on the verification page."""
    return verification_url(base_url, token), L_VERIFY


def _build(
    title: Text,
    number: str,
    subject: Text,
    body: list[Flowable],
    qr: tuple[str, Text] | None,
    cites: tuple[Text, ...] = (),
) -> bytes:
    """The A4 document: the authority, the title in both languages, ``body``, the law it was made under
    (``cites``), and the QR code ``qr`` (its content and the line printed beside it) with that content
    printed too, for those who cannot scan (``None``: ``body`` places its own code). The code never stands
    alone on a page: it is kept with the last block of ``body`` and the legal basis, moving to the next
    page with them where they do not fit. Each page's footer says which page of how many it is."""
    closing = [*body[-1:], *_basis(cites)]
    if qr is not None:
        closing += [Spacer(0, 3 * mm), _verification(*qr)]
    story: list[Flowable] = [
        _p(AUTHORITY.zh, _AUTHORITY_ZH),
        _p(AUTHORITY.en, _AUTHORITY_EN),
        _p(title.zh, _TITLE_ZH),
        _p(title.en, _TITLE_EN),
        Spacer(0, 3 * mm),
        *body[:-1],
        KeepTogether(closing),
    ]

    def footer(canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFillColor(GREY)
        _draw(canvas, MARGIN, f"{title.zh} {title.en} · {number}")
        text = f"第 {page} 页，共 {pages} 页 / Page {page} of {pages}"
        _draw(canvas, MARGIN + WIDTH - _width(text), text)
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_BOTTOM,
        bottomMargin=TOP_BOTTOM,
        title=f"{title.zh} {title.en} {number}",
        author=f"{AUTHORITY.zh} {AUTHORITY.en}",
        subject=f"{subject.zh} {subject.en}",
        creator="exitentry",
        lang="zh-CN",
        invariant=True,
    ).build(story, canvasmaker=_counting(footer))
    return buffer.getvalue()


def _counting(footer) -> type[Canvas]:
    """A canvas that holds its pages back until the document ends, then draws ``footer(canvas, page,
    pages)`` on each: a page's footer can say how many pages there are (reportlab's deferred-page canvas)."""

    class Counting(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                footer(self, number, len(self._held))
                super().showPage()
            super().save()

    return Counting


def _verification(url: str, caption: Text, printed: list[Flowable] | None = None) -> Table:
    """The QR code of ``url`` with ``caption`` and ``printed`` (by default ``url`` itself) beside it."""
    text = [*_bilingual(caption, small=True), *(_address(url) if printed is None else printed)]
    table = Table([[qr_drawing(url), text]], colWidths=[QR_SIZE + 4 * mm, WIDTH - QR_SIZE - 4 * mm])
    table.setStyle(_QR_TABLE)
    table.hAlign = "LEFT"
    return table


def _address(url: str) -> list[Paragraph]:
    """``url`` as printed under its code, to be typed by whoever cannot scan it: the site's part, then its
    last part (the document's token) on a line of its own, never broken inside; a line that would not fit
    the column in ``_URL``'s type is set smaller until it does."""
    cut = url.rindex("/") + 1
    room = WIDTH - QR_SIZE - 4 * mm - PADDING
    lines = []
    for line in filter(None, (url[:cut], url[cut:])):
        size = min(_URL.fontSize, _URL.fontSize * room / _width(line, _URL.fontSize))
        style = ParagraphStyle("url-line", parent=_URL, fontSize=size, leading=size + 2, splitLongWords=0)
        lines.append(_p(line, style))
    return lines


AWAITING_CHECK = Text("awaiting the hall's check", "待大厅核验")


def _passport(party: Party) -> str | Text:
    """The passport number; a claim (``TravelDocument.claim``) marked as awaiting the hall's check, never
    printed as the registry's, and one given beside the registry's after it; none on record: a dash."""
    n = party.passport_number or "—"
    if party.passport_claim and party.passport_number:
        return Text(f"{n} ({AWAITING_CHECK.en})", f"{n}（{AWAITING_CHECK.zh}）")
    if party.given_online:
        c = party.given_online
        return Text(
            f"{n}; given online: {c} ({AWAITING_CHECK.en})", f"{n}；网上提交：{c}（{AWAITING_CHECK.zh}）"
        )
    return n


def _party_rows(party: Party, *, identity: bool = True) -> list[tuple[Text, str | Text]]:
    """The applicant's rows; without ``identity`` only the names (a confirmation that may be lost or
    shown around prints no passport number nor date of birth)."""
    rows = [(L_NAME, party.name)]
    if party.chinese_name:
        rows.append((L_CHINESE_NAME, party.chinese_name))
    if not identity:
        return rows
    return rows + [
        (L_NATIONALITY, party.nationality),
        (L_PASSPORT, _passport(party)),
        (L_BIRTH, day_text(party.date_of_birth)),
    ]


def _fields(rows: Sequence[tuple[Text, str | Text | tuple[Text, ...]]], *, numbered: bool = True) -> Table:
    """Fields (numbered unless told not), each labelled in Chinese then English, the value beside it:
    Chinese and English on one line where both fit in the column (``_one_line``), the Chinese over the
    English otherwise. The label column is as wide as this table's longest label on one line needs, at
    most ``LABEL_WIDTH``: the values keep the rest, so a short document stays on one page."""
    names = [
        Text(label.en, f"{number}. {label.zh}" if numbered else label.zh)
        for number, (label, _) in enumerate(rows, start=1)
    ]
    needed = max(_width(n.zh, _ZH.fontSize) + _width(f"  {n.en}", _LABEL_EN.fontSize) for n in names)
    column = min(LABEL_WIDTH, needed + PADDING + 1)
    data = []
    for named, (_, value) in zip(names, rows, strict=True):
        values = value if isinstance(value, tuple) else (value,)
        cell: list[Flowable] = []
        for v in values:
            cell += _one_line(v, _BODY, WIDTH - column) if isinstance(v, Text) else [_p(v, _BODY)]
        data.append([_one_line(named, _LABEL_EN, column, _LABEL_EN), cell])
    table = Table(data, colWidths=[column, WIDTH - column], hAlign="LEFT")
    table.setStyle(_LIST_TABLE)
    return table


def _one_line(text: Text, en: ParagraphStyle, column: float, after: ParagraphStyle | None = None) -> list:
    """``text`` as one paragraph, the Chinese (in ``_ZH``) then the English (in ``en``), where both fit on
    one line of a ``column`` wide cell; as two paragraphs otherwise (the English in ``after`` if given)."""
    fits = _width(text.zh, _ZH.fontSize) + _width(f"  {text.en}", en.fontSize) <= column - PADDING
    if not fits or any(font == ARABIC for font, _ in _runs(text.zh + text.en)):
        return [_p(text.zh, _ZH), _p(text.en, after or en)]
    english = f'<font size="{en.fontSize}" color="{en.textColor.hexval()}">{_markup(text.en)}</font>'
    return [Paragraph(f"{_markup(text.zh)}\u00a0\u00a0{english}", _ZH)]


def _numbered(heading: Text, items: Sequence[list[Flowable]]) -> list[Table]:
    """A numbered list under its heading; it flows onto further pages, the heading repeated on each. Its
    last item is a table of its own, so that what follows the list can be kept with that item alone."""
    rows = [[_heading(heading), ""], *([_p(f"{n}.", _BODY), cell] for n, cell in enumerate(items, start=1))]
    head, last = (rows, []) if len(rows) <= 2 else (rows[:-1], rows[-1:])
    table = Table(head, colWidths=[9 * mm, WIDTH - 9 * mm], hAlign="LEFT", repeatRows=1)
    table.setStyle(_LIST_TABLE)
    table.setStyle(
        [("SPAN", (0, 0), (-1, 0)), ("LEFTPADDING", (0, 0), (-1, 0), 0), ("TOPPADDING", (0, 0), (-1, 0), 4)]
    )
    if not last:
        return [table]
    tail = Table(last, colWidths=[9 * mm, WIDTH - 9 * mm], hAlign="LEFT")
    tail.setStyle(_LIST_TABLE)
    return [table, tail]


def _line(line: Line) -> list[Flowable]:
    cell = _bilingual(line.text)
    if line.why:
        cell += _bilingual(line.why, small=True)
    if line.status:
        cell += [
            _p(f"{L_STATUS.zh}：{line.status.zh}", _SMALL_ZH),
            _p(f"{L_STATUS.en}: {line.status.en}", _SMALL),
        ]
    if line.why_as_written:  # never translated: once, not passed off as either language's line
        label = L_REASON_AS_WRITTEN
        cell.append(_p(f"{label.zh} {label.en}: {line.why_as_written}", _SMALL_ZH))
    return cell + _cites(line.cite)


def _marked(mark: Text, text: Text) -> list[Flowable]:
    """``text`` in both languages, each led by ``mark`` in bold."""
    return [
        Paragraph(f"<b>{_markup(f'【{mark.zh}】')}</b>{_markup(text.zh)}", _ZH),
        Paragraph(f"<b>{_markup(f'[{mark.en}]')}</b> {_markup(text.en)}", _BODY),
    ]


def _pending(line: Line) -> list[Flowable]:
    """A material whose condition waits for a fact not yet known: to bring if it applies, with when."""
    cell = _marked(L_IF_IT_APPLIES, line.text)
    if line.why:
        cell += [
            _p(f"{L_NEEDED_IF.zh}{line.why.zh}", _SMALL_ZH),
            _p(f"{L_NEEDED_IF.en} {line.why.en}", _SMALL),
        ]
    return cell + _cites(line.cite)


def _deficiency(item: DeficiencyItem) -> list[Flowable]:
    cell = _marked(KIND_LABELS[item.kind], item.text)
    if item.reason:
        cell += [
            _p(f"{L_WHAT_IS_WRONG.zh}：{item.reason.zh}", _ZH),
            _p(f"{L_WHAT_IS_WRONG.en}: {item.reason.en}", _BODY),
        ]
    return cell + _cites(item.cite)


def _boxed(line: Line) -> Table:
    table = Table([[_line(line)]], colWidths=[WIDTH], hAlign="LEFT")
    table.setStyle(_BOX)
    return table


def _heading(label: Text) -> list[Flowable]:
    return [_p(label.zh, _HEADING_ZH), _p(label.en, _HEADING_EN)]


def _basis(cites: tuple[Text, ...]) -> list[Flowable]:
    if not cites:
        return []
    return [
        Spacer(0, 3 * mm),
        _p(f"{L_BASIS.zh}：{'；'.join(c.zh for c in cites)}", _SMALL_ZH),
        _p(f"{L_BASIS.en}: {'; '.join(c.en for c in cites)}", _SMALL),
    ]


def _cites(cites: tuple[Text, ...]) -> list[Flowable]:
    """Where a line comes from, in Chinese and then in English, as the document's other text."""
    if not cites:
        return []
    return [_p("；".join(c.zh for c in cites), _SMALL_ZH), _p("; ".join(c.en for c in cites), _SMALL)]


def _bilingual(text: Text, *, small: bool = False) -> list[Flowable]:
    return [_p(text.zh, _SMALL_ZH if small else _ZH), _p(text.en, _SMALL if small else _BODY)]


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    runs = list(_runs(text))
    if any(font == ARABIC for font, _ in runs):
        return Paragraph(_markup(runs, base=ARABIC, bold=style.fontName == LATIN_BOLD), _shaped(style))
    return Paragraph(_markup(runs), style)


_SHAPED: dict[str, ParagraphStyle] = {}


def _shaped(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` set in the Arabic font and shaped (reportlab shapes a paragraph whose font may be shaped)."""
    if style.name not in _SHAPED:
        _SHAPED[style.name] = ParagraphStyle(f"{style.name}-shaped", parent=style, fontName=ARABIC, shaping=1)
    return _SHAPED[style.name]


def _markup(runs: str | list[tuple[str, str]], *, base: str = LATIN, bold: bool = False) -> str:
    """Escape the text for a Paragraph, each run not in the style's font ``base`` in a ``<font>`` of its own."""
    if isinstance(runs, str):
        runs = list(_runs(runs))
    out = []
    for font, run in runs:
        name = LATIN_BOLD if bold and font == LATIN else font
        out.append(escape(run) if font == base else f'<font name="{name}">{escape(run)}</font>')
    return "".join(out)


def _runs(text: str) -> Iterator[tuple[str, str]]:
    """(font, run) pairs: each letter in the first embedded font that has it (else the fallback); a space,
    digit, mark or punctuation stays in the font of the run it is in when that font has it; a word with an
    Arabic letter goes to the Arabic font whole when it has every character of the word (HarfBuzz shapes a
    word in one font)."""
    fonts = []
    font = None
    for char in text:
        if font is None or unicodedata.category(char)[0] == "L" or ord(char) not in _COVERS.get(font, ()):
            font = next((f for f in EMBEDDED if ord(char) in _COVERS[f]), FALLBACK)
        fonts.append(font)
    start = 0
    for end in [*(i for i, c in enumerate(text) if c == " "), len(text)]:
        word = range(start, end)
        if any(fonts[i] == ARABIC for i in word) and all(ord(text[i]) in _COVERS[ARABIC] for i in word):
            fonts[start:end] = [ARABIC] * len(word)
        start = end + 1
    for font, chars in groupby(zip(fonts, text, strict=True), key=lambda pair: pair[0]):
        yield font, "".join(c for _, c in chars)


def _draw(canvas: Canvas, x: float, text: str) -> None:
    """A footer line at ``x``, each run in a font that has its glyphs."""
    for font, run in _runs(text):
        canvas.setFont(font, FOOTER_SIZE)
        canvas.drawString(x, 10 * mm, run)
        x += pdfmetrics.stringWidth(run, font, FOOTER_SIZE)


def _width(text: str, size: float = FOOTER_SIZE) -> float:
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in _runs(text))


def _beijing_time(day: Text, clock: str) -> Text:
    """A day in words and a time of day (or a span of it), said to be Beijing time."""
    return Text(f"{day.en} {clock} (Beijing time)", f"{day.zh} {clock}（北京时间）")


def qr_drawing(content: str, size: float = QR_SIZE) -> Drawing:
    """A QR code of ``content`` (error correction M), ``size`` points square."""
    drawing = Drawing(size, size)
    drawing.add(QrCodeWidget(content, barLevel="M", barWidth=size, barHeight=size))
    return drawing
