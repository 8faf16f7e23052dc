"""Both sides' case pages list the fee by its parts (``services.Fee.parts``): each part's text, amount, when
it is paid and where it stands, in the page's language. Permanent residence: 1,500 when the application is
accepted and 300 when the card is issued (seed permanent residence guide, "Fees")."""

from __future__ import annotations

import re

import pytest

from case_helpers import accepted, client_for, received_in_full
from exitentry.accounts.models import Role
from exitentry.appointments.opening import hall_changes
from exitentry.cases import services
from exitentry.law.rules.grounds import CONDITIONS_NOT_MET
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db

APPLICATION = {"en": "Fee for accepting the permanent residence application", "zh-hans": "永久居留申请受理费"}
CARD = {"en": "Foreign Permanent Resident ID Card fee", "zh-hans": "外国人永久居留身份证工本费"}
AT_ACCEPTANCE = {"en": "Paid when the application is accepted", "zh-hans": "受理申请时缴纳"}
AT_ISSUE = {"en": "Paid when the permit is issued, on collection", "zh-hans": "发证时（领取证件时）缴纳"}
DUE_NOW = {"en": "Due now", "zh-hans": "现应缴纳"}
NOT_YET_DUE = {"en": "Not yet due", "zh-hans": "尚未到缴纳时间"}
PAID = {"en": "Paid in full", "zh-hans": "已全额缴纳"}
WAIVED = {"en": "Waived", "zh-hans": "已免收"}
LANGS = ("en", "zh-hans")


def cny(lang: str, amount: int) -> str:
    return f"CNY {amount:,}" if lang == "en" else f"{amount:,}元"


def fee_rows(page: str) -> list[str]:
    """The fee section's part rows as a reader sees them: each row's cells' text, " | " between cells."""
    section = re.search(r'<section class="fee".*?</section>', page, re.S)
    assert section is not None, "no fee section"
    rows = re.findall(r'<tr class="fee-part">(.*?)</tr>', section.group(0), re.S)
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in rows]
    return [" | ".join(" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in row) for row in cells]


def both_sides(user, clerk, case, lang: str) -> list[list[str]]:
    """The fee rows on the applicant's case page and on the officer's."""
    mine = client_for(user).get(f"/{lang}/my/{case.pk}/")
    hall = client_for(clerk.user).get(f"/{lang}/console/cases/{case.pk}/")
    assert mine.status_code == hall.status_code == 200
    return [fee_rows(mine.content.decode()), fee_rows(hall.content.decode())]


def row(lang: str, what: dict, amount: int, when: dict, state: str) -> tuple[str, ...]:
    return (what[lang], cny(lang, amount), when[lang], state)


def assert_rows(rows: list[str], expected: list[tuple[str, ...]]) -> None:
    assert len(rows) == len(expected), rows
    for shown, parts in zip(rows, expected, strict=True):
        cells = shown.split(" | ")
        assert parts[0] in cells[0], shown  # the part's text, with its citation
        assert cells[1:] == list(parts[1:]), shown


def decided_by_the_ministry(clerk, case, outcome: str, **how: str) -> None:
    """The hall forwards a permanent residence application to the Ministry; a supervisor records its
    decision."""
    services.forward_to_ministry(clerk, case)
    services.decide(actor(officer(case.hall_id, role=Role.SUPERVISOR)), case, outcome, on=TODAY, **how)


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_paid_the_acceptance_part_is_due_now_and_the_card_fee_later(lang) -> None:
    user = applicant()
    case, clerk = received_in_full(user)
    for rows in both_sides(user, clerk, case, lang):
        assert_rows(
            rows,
            [
                row(lang, APPLICATION, 1500, AT_ACCEPTANCE, DUE_NOW[lang]),
                row(lang, CARD, 300, AT_ISSUE, NOT_YET_DUE[lang]),
            ],
        )


@pytest.mark.parametrize(
    ("lang", "partly"),
    [("en", "CNY 1,000 paid, CNY 500 outstanding; due now"), ("zh-hans", "已缴1,000元，尚欠500元；现应缴纳")],
)
def test_a_part_partly_paid_says_what_of_it_is_outstanding(lang, partly) -> None:
    user = applicant()
    case, clerk = received_in_full(user)
    services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    for rows in both_sides(user, clerk, case, lang):
        assert_rows(
            rows,
            [
                row(lang, APPLICATION, 1500, AT_ACCEPTANCE, partly),
                row(lang, CARD, 300, AT_ISSUE, NOT_YET_DUE[lang]),
            ],
        )


@pytest.mark.parametrize("lang", LANGS)
def test_the_acceptance_part_paid_the_card_fee_is_not_yet_due(lang) -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    for rows in both_sides(user, clerk, case, lang):
        assert_rows(
            rows,
            [
                row(lang, APPLICATION, 1500, AT_ACCEPTANCE, PAID[lang]),
                row(lang, CARD, 300, AT_ISSUE, NOT_YET_DUE[lang]),
            ],
        )


@pytest.mark.parametrize(
    "lang, said",
    [
        ("en", "Outstanding: CNY 300.</strong> Due at this step: CNY 0; the rest when its time comes"),
        ("zh-hans", "本环节应缴：0元；其余款项到期时缴纳"),
    ],
)
def test_a_part_not_yet_due_is_not_asked_for_at_this_step(lang, said) -> None:
    """The card fee is outstanding but not due before the card is issued: the summary says what is due now
    and the officer is offered no payment form (nothing is payable yet) until the card fee is due."""
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    page = client_for(clerk.user).get(f"/{lang}/console/cases/{case.pk}/").content.decode()
    assert said in page
    assert "step-record_payment" not in page
    decided_by_the_ministry(clerk, case, "approved", validity="P10Y")
    due = client_for(clerk.user).get(f"/{lang}/console/cases/{case.pk}/").content.decode()
    assert "Due at this step" not in due and "本环节应缴" not in due
    assert 'name="amount_cny" type="number" min="1" step="1" inputmode="numeric" value="300"' in due


@pytest.mark.parametrize("lang", LANGS)
def test_the_summary_s_sentences_join_as_the_language_writes_them(lang) -> None:
    """English puts a space between the summary's sentences; Chinese none after its full stop."""
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    page = client_for(clerk.user).get(f"/{lang}/console/cases/{case.pk}/").content.decode()
    summary = re.sub(r"<[^>]+>", "", re.search(r'<p class="fee-summary">(.*?)</p>', page, re.S)[1])
    if lang == "en":
        assert ". Outstanding: CNY 300. Due at this step" in " ".join(summary.split())
    else:
        assert "。尚欠300元。本环节应缴" in summary and "。 " not in summary


@pytest.mark.parametrize("lang", LANGS)
def test_once_approved_the_card_fee_is_due_now(lang) -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    decided_by_the_ministry(clerk, case, "approved", validity="P10Y")
    for rows in both_sides(user, clerk, case, lang):
        assert_rows(
            rows,
            [
                row(lang, APPLICATION, 1500, AT_ACCEPTANCE, PAID[lang]),
                row(lang, CARD, 300, AT_ISSUE, DUE_NOW[lang]),
            ],
        )


@pytest.mark.parametrize("lang", LANGS)
def test_a_waived_part_shows_as_waived_and_the_paid_one_stays_paid(lang) -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    services.exempt_fee(clerk, case, "Hardship, order 7", on=TODAY)
    for rows in both_sides(user, clerk, case, lang):
        assert_rows(
            rows,
            [
                row(lang, APPLICATION, 1500, AT_ACCEPTANCE, PAID[lang]),
                row(lang, CARD, 300, AT_ISSUE, WAIVED[lang]),
            ],
        )


@pytest.mark.parametrize("lang", LANGS)
def test_the_officer_records_a_payment_from_the_page_and_the_part_shows_paid(lang) -> None:
    user = applicant()
    case, clerk = received_in_full(user)
    hall = client_for(clerk.user)
    page = hall.get(f"/{lang}/console/cases/{case.pk}/").content.decode()
    assert 'name="amount_cny" type="number" min="1" step="1" inputmode="numeric" value="1500"' in page
    done = hall.post(
        f"/{lang}/console/cases/{case.pk}/record_payment/", {"amount_cny": "1500", "method": "cash"}
    )
    assert done.status_code == 302
    _, rows = both_sides(user, clerk, case, lang)
    assert_rows(
        rows,
        [
            row(lang, APPLICATION, 1500, AT_ACCEPTANCE, PAID[lang]),
            row(lang, CARD, 300, AT_ISSUE, NOT_YET_DUE[lang]),
        ],
    )


@pytest.mark.parametrize(("lang", "not_charged"), [("en", "Not charged"), ("zh-hans", "不收取")])
def test_a_refused_application_is_not_charged_the_card_fee(lang, not_charged) -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    decided_by_the_ministry(clerk, case, "refused", ground_id=CONDITIONS_NOT_MET)
    for rows in both_sides(user, clerk, case, lang):
        assert_rows(
            rows,
            [
                row(lang, APPLICATION, 1500, AT_ACCEPTANCE, PAID[lang]),
                row(lang, CARD, 300, AT_ISSUE, not_charged),
            ],
        )
    mine = client_for(user).get(f"/{lang}/my/{case.pk}/").content.decode()
    assert ("Outstanding" if lang == "en" else "尚欠") not in re.search(
        r'<section class="fee".*?</section>', mine, re.S
    ).group(0)


@pytest.mark.parametrize(
    ("lang", "partly", "not_charged"),
    [
        ("en", "CNY 1,000 paid, the rest not charged", "Not charged"),
        ("zh-hans", "已缴1,000元，其余不收取", "不收取"),
    ],
)
def test_a_withdrawn_application_owes_nothing_more(lang, partly, not_charged) -> None:
    user = applicant()
    case, clerk = received_in_full(user)
    services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    services.withdraw(actor(user), case)
    for rows in both_sides(user, clerk, case, lang):
        assert_rows(
            rows,
            [
                row(lang, APPLICATION, 1500, AT_ACCEPTANCE, partly),
                row(lang, CARD, 300, AT_ISSUE, not_charged),
            ],
        )
    assert services.fee_of(case, TODAY).outstanding == 0


@pytest.mark.parametrize(("lang", "not_charged"), [("en", "Not charged"), ("zh-hans", "不收取")])
def test_a_refused_application_with_an_exemption_is_not_charged_the_card_fee_not_waived_it(lang, not_charged):
    """The exemption waives what is charged: the card fee of a refused application was never charged."""
    user = applicant()
    case, clerk = received_in_full(user)
    services.exempt_fee(clerk, case, "Hardship", on=TODAY)
    services.accept(clerk, case, on=TODAY, changes=hall_changes(case.hall_id, TODAY))
    decided_by_the_ministry(clerk, case, "refused", ground_id=CONDITIONS_NOT_MET)
    for rows in both_sides(user, clerk, case, lang):
        assert_rows(
            rows,
            [
                row(lang, APPLICATION, 1500, AT_ACCEPTANCE, WAIVED[lang]),
                row(lang, CARD, 300, AT_ISSUE, not_charged),
            ],
        )


def fee_summary(page: str) -> str:
    """The fee section's summary under its parts, as a reader sees it."""
    section = re.search(r'<section class="fee".*?</section>', page, re.S)
    assert section is not None, "no fee section"
    said = re.search(r'<p class="fee-summary">(.*?)</p>', section.group(0), re.S)
    assert said is not None, section.group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", said.group(1)).split())


def both_summaries(user, clerk, case, lang: str) -> list[str]:
    mine = client_for(user).get(f"/{lang}/my/{case.pk}/")
    hall = client_for(clerk.user).get(f"/{lang}/console/cases/{case.pk}/")
    return [fee_summary(mine.content.decode()), fee_summary(hall.content.decode())]


PERMIT_FEE_SOURCE = {
    "en": "Beijing guide to personal affairs residence permits, Timeline and Fees",
    "zh-hans": "《北京市外国人私人事务类居留许可及延期办事指南》办理时限及收费",
}
# when a personal-affairs permit's fee is paid: "Pay the application fee and pick up your documents"
PAID_ON_COLLECTION = {
    "en": "Beijing guide to personal affairs residence permits, Steps",
    "zh-hans": "《北京市外国人私人事务类居留许可及延期办事指南》办理步骤",
}
ART_30 = {"en": "Art. 30", "zh-hans": "第三十条"}
FIRST_REFUSAL = "first-refusal-law-grounds"  # a first residence permit not issued


@pytest.mark.parametrize(
    ("lang", "said", "withdrawn"),
    [
        ("en", "Nothing is due.", "The application was withdrawn: nothing more of the fee is charged"),
        ("zh-hans", "无需缴费。", "申请已撤回：不再收取费用"),
    ],
)
def test_a_withdrawn_applications_fee_summary_says_nothing_is_due_as_its_part_does(
    lang, said, withdrawn
) -> None:
    """A personal-affairs permit's fee is paid when the permit is issued, on collection (seed personal affairs guide,
    "Timeline and Fees"); withdrawn once accepted, the permit is never issued: its part is not charged and the
    summary above it says so, and why, not "Due CNY 800, paid CNY 0"."""
    user = applicant()
    case, clerk = accepted(user, "rp-personal-affairs")
    services.withdraw(actor(user), case)
    pages = zip(both_sides(user, clerk, case, lang), both_summaries(user, clerk, case, lang), strict=True)
    for rows, summary in pages:
        assert [r.split(" | ")[-1] for r in rows] == [{"en": "Not charged", "zh-hans": "不收取"}[lang]]
        assert summary.startswith(said) and withdrawn in summary, summary
        assert PAID_ON_COLLECTION[lang] in summary and PERMIT_FEE_SOURCE[lang] not in summary, summary
        assert "Due" not in summary and "应缴" not in summary, summary


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Nothing is due. The application was refused: no permit is issued"),
        ("zh-hans", "无需缴费。申请不予批准：不发放证件"),
    ],
)
def test_a_refused_residence_permits_fee_summary_cites_only_the_step_that_has_it_paid_on_collection(
    lang, said
) -> None:
    """Refused, a personal-affairs permit's fee is not charged: both sides' pages say so, citing the guide's
    step that has the fee paid on collection, not Art. 30 of the Exit and Entry Administration Law (the
    validity ranges its fee bands follow), though the fee row still cites its own sources."""
    user = applicant()
    case, clerk = accepted(user, "rp-personal-affairs")
    services.decide(clerk, case, "refused", ground_id=FIRST_REFUSAL, on=TODAY)
    pages = zip(both_sides(user, clerk, case, lang), both_summaries(user, clerk, case, lang), strict=True)
    for (fee_row,), summary in pages:
        assert fee_row.split(" | ")[-1] == {"en": "Not charged", "zh-hans": "不收取"}[lang]
        assert ART_30[lang] in fee_row.split(" | ")[0], fee_row
        assert summary.startswith(said) and PAID_ON_COLLECTION[lang] in summary, summary
        assert ART_30[lang] not in summary and PERMIT_FEE_SOURCE[lang] not in summary, summary


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "CNY 1,000 paid; nothing more is due. The application was withdrawn"),
        ("zh-hans", "已缴1,000元；无需再缴费用。申请已撤回"),
    ],
)
def test_a_withdrawn_application_partly_paid_says_what_was_paid_and_nothing_more_is_due(lang, said) -> None:
    user = applicant()
    case, clerk = received_in_full(user)
    services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    services.withdraw(actor(user), case)
    for summary in both_summaries(user, clerk, case, lang):
        assert summary.startswith(said), summary
        assert ("What was paid is not refunded." if lang == "en" else "已缴费用不予退还。") in summary, (
            summary
        )


@pytest.mark.parametrize(
    ("lang", "said", "refused"),
    [
        ("en", "Due CNY 1,500, paid CNY 1,500. CNY 300 is not charged.", "The application was refused"),
        ("zh-hans", "应缴1,500元，已缴1,500元。300元不收取。", "申请不予批准"),
    ],
)
def test_a_refused_applications_summary_counts_only_the_parts_charged(lang, said, refused) -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    decided_by_the_ministry(clerk, case, "refused", ground_id=CONDITIONS_NOT_MET)
    for summary in both_summaries(user, clerk, case, lang):
        assert summary.startswith(said) and refused in summary, summary
        assert "Fees (Issuance)" in summary or "制证" in summary, summary


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "Due CNY 1,800, paid CNY 1,000."), ("zh-hans", "应缴1,800元，已缴1,000元。")]
)
def test_an_open_applications_summary_is_the_fee_and_what_is_paid(lang, said) -> None:
    user = applicant()
    case, clerk = received_in_full(user)
    services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    for summary in both_summaries(user, clerk, case, lang):
        assert summary.startswith(said), summary


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Due CNY 1,800, paid CNY 1,500. CNY 300 is waived."),
        ("zh-hans", "应缴1,800元，已缴1,500元。300元免收。"),
    ],
)
def test_a_summary_says_what_of_the_fee_is_waived_as_its_part_does(lang, said) -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    services.exempt_fee(clerk, case, "Hardship, order 7", on=TODAY)
    for summary in both_summaries(user, clerk, case, lang):
        assert summary.startswith(said), summary


def said_in(html: str) -> list[str]:
    """Each place a page sums up the fee (``web/_fee_said.html``, its spans nested), as a reader sees it."""
    found = []
    for start in (m.end() for m in re.finditer(r'<span class="fee-said">', html)):
        depth, at = 1, start
        for tag in re.finditer(r"<(/?)span\b", html[start:]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                at = start + tag.start()
                break
        found.append(" ".join(re.sub(r"<[^>]+>", " ", html[start:at]).split()))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_the_hall_s_payment_form_sums_up_the_fee_as_the_fee_section_does(lang) -> None:
    """The payment form says what the fee section (and the applicant's page) says of the fee: one include."""
    user = applicant()
    case, clerk = received_in_full(user)
    services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    page = client_for(clerk.user).get(f"/{lang}/console/cases/{case.pk}/").content.decode()
    form = re.search(r'<form[^>]*class="step step-record_payment".*?</form>', page, re.S)
    section = re.search(r'<section class="fee".*?</section>', page, re.S)
    assert form is not None and section is not None
    mine = client_for(user).get(f"/{lang}/my/{case.pk}/").content.decode()
    (in_form,), (in_section,) = said_in(form.group(0)), said_in(section.group(0))
    assert (
        in_form
        == in_section
        == said_in(re.search(r'<section class="fee".*?</section>', mine, re.S).group(0))[0]
    )
    assert in_form.startswith(
        {"en": "Due CNY 1,800, paid CNY 1,000.", "zh-hans": "应缴1,800元，已缴1,000元。"}[lang]
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_fee_summed_up_says_why_and_cites_its_sources(lang) -> None:
    """``web/_fee_said.html`` says the summary with why and the sources' links, whatever page includes it."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from exitentry.law.fees import Summary
    from exitentry.law.sources import Citation
    from exitentry.law.text import Text

    said = Summary(
        Text("Nothing is due.", "无需缴费。"),
        Text("The application was withdrawn.", "申请已撤回。"),
        (Citation("bj-personal-affairs", "Timeline and Fees"),),
    )
    with translation.override(lang):
        shown = render_to_string("web/_fee_said.html", {"fee": {"summary": said}})
    text = " ".join(re.sub(r"<[^>]+>", " ", shown).split())
    assert text.startswith(
        {"en": "Nothing is due. The application was withdrawn.", "zh-hans": "无需缴费。申请已撤回。"}[lang]
    )
    assert PERMIT_FEE_SOURCE[lang] in text and 'class="cite"' in shown
    assert said_in(shown) == [text]
