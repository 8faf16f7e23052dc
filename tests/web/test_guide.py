"""The guide pages, home page and halls page: generated from the catalog, in both languages."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.utils.html import escape

from exitentry.law.advice import advise
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.model import SECTIONS
from factories import eligible_facts

pytestmark = pytest.mark.django_db

LANGS = {"en": "en", "zh-hans": "zh"}
PROCEDURES = sorted(catalog().procedures)
RENEWAL = "one-stop-work-permits-renewal"
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")

# The submission lines each guide shows, and those it leaves out, written out by hand so that a wrong
# filter is caught: the in-person line (Regulations Art. 16) goes only where a proxy line applies to
# everyone, as the one-stop extension's does (seed 002, 6. Notes (1): any extension may be handed in by the
# inviting unit or an agency); elsewhere the proxy line has a condition (Art. 19 para. 2: age, mobility,
# talent; the one-stop first application's high-level talents) and both lines are shown. A procedure not
# listed has no submission line.
ONE_STOP = ("online-submission", "appointment", "no-appointment", "no-exit-entry-appointment")
BOTH = ("in-person", "proxy")
SUBMISSION_SHOWN_AND_LEFT_OUT = {
    "one-stop-work-permits": ((*ONE_STOP, *BOTH), ()),
    "one-stop-work-permits-renewal": ((*ONE_STOP, "proxy"), ("in-person",)),
    "one-stop-work-permits-transfer": ((*ONE_STOP, *BOTH), ()),
    **{
        procedure: (BOTH, ())
        for procedure in (
            "rp-extension",
            "rp-family-reunion",
            "rp-journalist",
            "rp-personal-affairs",
            "rp-personal-affairs-extension",
            "rp-reissue",
            "rp-renewal",
            "rp-study",
            "rp-work",
            "stay-permit",
            "visa-extension",
            "visa-reissue",
            "visa-renewal",
        )
    },
}


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_the_guide_of_every_procedure_shows_all_its_rules_in_each_language(
    client, beijing_at, today, lang, procedure_id
):
    procedure = catalog().procedure_on(procedure_id, today)  # the numbers in force on the page's day
    html = page(client, f"/{lang}/guide/{procedure_id}/")
    assert escape(procedure.title.get(LANGS[lang])) in html
    shown, left_out = SUBMISSION_SHOWN_AND_LEFT_OUT.get(procedure_id, ((), ()))
    submission = {rule.id: rule for rule in procedure.rules["submission"]}
    assert sorted(submission) == sorted((*shown, *left_out))
    for section in SECTIONS:
        for rule in procedure.rules[section]:
            if section == "submission" and rule.id in left_out:
                assert escape(rule.text.get(LANGS[lang])) not in html, f"{section}.{rule.id}"
                continue
            assert escape(rule.text.get(LANGS[lang])) in html, f"{section}.{rule.id}"
            for citation in rule.cite:
                assert escape(citation.label.get(LANGS[lang])) in html
    for obligation in procedure.obligations:
        assert escape(obligation.text.get(LANGS[lang])) in html


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_the_guide_shows_every_material_with_the_reason_it_is_needed(
    client, beijing_at, today, lang, procedure_id
):
    procedure = catalog().procedure_on(procedure_id, today)  # the numbers in force on the page's day
    html = page(client, f"/{lang}/guide/{procedure_id}/")
    for rule in procedure.rules["materials"]:
        assert escape(rule.text.get(LANGS[lang])) in html
        if rule.why is not None:
            assert escape(rule.why.get(LANGS[lang])) in html


def test_the_personal_affairs_fee_table_lists_each_validity_band(client, beijing_at):
    html = page(client, "/en/guide/rp-personal-affairs/")
    # seed 000, "Timeline and Fees"; the lowest band starts at the 180-day minimum (Exit-Entry Law Art. 30)
    assert "<td>180 days to under 1 year</td><td>CNY 400</td>" in html
    assert "<td>1 year to under 3 years</td><td>CNY 800</td>" in html
    assert "<td>3 years to 5 years</td><td>CNY 1,000</td>" in html
    zh = page(client, "/zh-hans/guide/rp-personal-affairs/")
    assert "<td>1年至不满3年</td><td>800元</td>" in zh


def test_the_guide_shows_time_limits_in_working_days(client, beijing_at):
    html = page(client, "/en/guide/rp-personal-affairs/")
    assert "7 working days" in html
    assert "15 working days" in html
    assert "7个工作日" in page(client, "/zh-hans/guide/rp-personal-affairs/")


def test_every_line_cites_its_document_and_section_in_the_pages_language_with_the_title_on_hover(
    client, beijing_at
):
    html = page(client, "/en/guide/rp-personal-affairs/")
    title = "Beijing Exit-Entry Administration: Personal Affairs Residence Permits and Extensions (guide)"
    assert (
        f'<a class="cite" href="#source-bj-personal-affairs" title="{title}">'
        "Beijing guide to personal affairs residence permits, Points for Attention 4</a>"
    ) in html
    assert (
        "Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 16(5)</a>"
        in html
    )
    assert '<li id="source-bj-personal-affairs">' in html
    zh = page(client, "/zh-hans/guide/rp-personal-affairs/")
    assert (
        '<a class="cite" href="#source-bj-personal-affairs" title="北京市公安局出入境管理总队：私人事务类居留许可及延期办事指南">'
        "《北京市外国人私人事务类居留许可及延期办事指南》注意事项第4项</a>"
    ) in zh
    assert "《北京市外国人私人事务类居留许可及延期办事指南》申请材料（探亲）（b）（i）</a>" in zh
    assert "《中华人民共和国外国人入境出境管理条例》第十六条第（五）项</a>" in zh
    for body in (html, zh):
        assert not SEED_FILE.search(body)


def test_the_guide_lists_the_halls_that_accept_the_procedure_with_hours_and_restriction(client, beijing_at):
    html = page(client, "/en/guide/rp-personal-affairs/")
    for hall in catalog().halls_for(catalog().procedure("rp-personal-affairs")):
        assert escape(hall.name.en) in html
        assert escape(hall.address.en) in html
    assert (
        "Monday to Saturday 09:00-12:00, 13:30-17:30; closed on statutory holidays (holiday hours are announced separately)"
        in html
    )
    assert (
        "Only for residence permits on the basis of employment, study, family reunion or private affairs."
        in html
    )


def test_a_disagreement_between_the_seeds_is_shown_with_the_choice_and_its_reason(client, beijing_at):
    html = page(client, "/en/guide/rp-personal-affairs/")
    assert "The sources disagree (afternoon closing time):" in html
    assert "we use “17:30” rather than “17:00” because:" in html
    assert "only the Zhongguancun guide says 17:00" in html
    zh = page(client, "/zh-hans/guide/rp-personal-affairs/")
    assert "资料之间有出入（" in zh
    assert "仅中关村指南为17:00" in zh


def test_the_one_stop_service_says_where_to_apply_and_that_its_counters_hours_are_a_choice(
    client, beijing_at
):
    procedure = catalog().procedure("one-stop-work-permits")
    (hall,) = catalog().halls_for(procedure)
    html = page(client, "/en/guide/one-stop-work-permits/")
    assert escape(hall.name.en) in html
    assert "15 one-stop service counters across Beijing" in html
    assert "A source is silent (opening hours):" in html and "The sources disagree" not in html
    assert "The one-stop guide does not give its counters&#x27; hours" in html
    assert "Taken from:" in html and "States none:" in html
    assert "Exit-Entry Administration Reception Hall" not in html
    zh = page(client, "/zh-hans/guide/one-stop-work-permits/")
    assert "资料未载明（办公时间）：" in zh and "资料之间有出入" not in zh
    assert "“两证联办”指南未载明窗口的办公时间" in zh and "依据：" in zh


def test_every_field_a_hall_choice_is_about_is_named_in_the_pages_language(client, beijing_at):
    """The halls page and the guides name what the sources differ on in Chinese too, never the
    catalog's English key (a choice's field with no label would show as it is)."""
    fields = {c.field for h in catalog().halls.values() for c in h.choices}
    zh = page(client, "/zh-hans/halls/")
    assert fields and not [f for f in fields if f"（{f}）" in zh]
    assert "（办公时间）" in zh and "（下午下班时间）" in zh


@pytest.mark.parametrize(
    ("at", "state"),
    [
        pytest.param(
            datetime(2026, 9, 21, 10, 0, tzinfo=BEIJING),
            "Open until",
            id="on a Monday morning the halls are open (the headline says until when, once)",
        ),
        pytest.param(
            datetime(2026, 9, 27, 10, 0, tzinfo=BEIJING), "Closed now", id="on a Sunday the halls are closed"
        ),
        pytest.param(
            datetime(2026, 10, 2, 10, 0, tzinfo=BEIJING),
            "Closed now",
            id="during National Day the halls are closed",
        ),
    ],
)
def test_the_halls_show_whether_they_are_open_now(client, beijing_at, at, state):
    beijing_at(at)
    html = page(client, "/en/guide/rp-personal-affairs/")
    assert f"<strong>{state}" in html
    other = {"Open until", "Closed now"} - {state}
    assert f"<strong>{other.pop()}" not in html
    assert "Open now" not in html


def test_a_closed_hall_says_when_it_opens_next(client, beijing_at):
    beijing_at(datetime(2026, 10, 2, 10, 0, tzinfo=BEIJING))
    html = page(client, "/en/halls/")
    assert "Next opening: Thu 8 October 2026 09:00." in html


def test_the_halls_page_lists_every_hall(client, beijing_at):
    html = page(client, "/zh-hans/halls/")
    for hall in catalog().halls.values():
        assert escape(hall.name.zh) in html
        assert escape(hall.address.zh) in html


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_groups_the_procedures_and_links_to_guide_and_advisor(client, lang):
    html = page(client, f"/{lang}/")
    for procedure in catalog().procedures.values():
        assert f'href="/{lang}/guide/{procedure.id}/"' in html
        assert f'href="/{lang}/advisor/{procedure.id}/"' in html
    assert f'href="/{lang}/halls/"' in html
    assert (">Permanent residence</h2>" if lang == "en" else ">永久居留</h2>") in html


HOME_GROUPS = {
    "en": [
        "Residence permits for personal affairs and family",
        "Work (one-stop service)",
        "Study",
        "Any residence permit: extension, renewal, reissue",
        "Permanent residence",
        "Visas and other procedures",
    ],
    "zh-hans": [
        "私人事务类和团聚类居留许可",
        "工作（“两证联办”）",
        "学习",
        "各类居留许可：延期、换发、补发",
        "永久居留",
        "签证及其他事项",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_groups_the_cards_by_whom_they_are_for_each_with_which_card_to_pick(client, lang):
    """Three cards read like "renewal": each group says which to pick, an extension for a longer stay with
    the same particulars, a renewal or reissue for new particulars or a lost card."""
    html = page(client, f"/{lang}/")
    headings = re.findall(r'<h2 id="group-[^"]+">([^<]+)</h2>', html)
    assert headings == HOME_GROUPS[lang]
    sections = {h: html.split(f">{h}</h2>")[1].split("</section>")[0] for h in headings}
    work, any_type = sections[HOME_GROUPS[lang][1]], sections[HOME_GROUPS[lang][3]]
    assert f'href="/{lang}/guide/one-stop-work-permits-renewal/"' in work
    assert f'href="/{lang}/guide/rp-extension/"' in any_type
    assert f'href="/{lang}/guide/rp-renewal/"' in any_type
    for section in sections.values():
        assert 'class="group-hint"' in section
    if lang == "en":
        assert "Extension: a longer stay, the same particulars." in any_type
        assert "Renewal or reissue: new particulars, or a lost or damaged permit." in any_type
    else:
        assert "延期：延长居留期限，登记事项不变。" in any_type
        assert "换发或补发：登记事项变更，或证件遗失、损毁。" in any_type


def test_every_group_in_the_catalog_has_a_translated_label(client):
    from exitentry.web.labels import GROUPS

    assert {p.group for p in catalog().procedures.values()} <= set(GROUPS)


@pytest.mark.parametrize("url", ["/en/guide/no-such-procedure/", "/zh-hans/advisor/no-such-procedure/"])
def test_an_unknown_procedure_is_a_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html or "页面不存在" in html


@pytest.mark.parametrize(("lang", "other"), [("en", "zh-hans"), ("zh-hans", "en")])
def test_the_language_switch_keeps_the_current_page(client, beijing_at, lang, other):
    html = page(client, f"/{lang}/guide/rp-personal-affairs/")
    assert f'<input name="next" type="hidden" value="/{other}/guide/rp-personal-affairs/">' in html
    response = client.post(
        "/i18n/setlang/", {"language": other, "next": f"/{other}/guide/rp-personal-affairs/"}
    )
    assert response["Location"] == f"/{other}/guide/rp-personal-affairs/"
    assert response.cookies["django_language"].value == other


def test_the_sources_page_lists_every_source_with_the_anchor_case_pages_link_to(client) -> None:
    from exitentry.law.sources import all_sources

    r = client.get("/en/sources/")
    assert r.status_code == 200
    body = r.content.decode()
    for src in all_sources():
        assert f'id="source-{src.id}"' in body


@pytest.mark.parametrize("procedure_id", ["rp-work", "rp-study", "one-stop-work-permits"])
def test_what_follows_a_work_or_study_permit_lists_its_extension_as_my_permits_does_citing_the_law(
    client, beijing_at, procedure_id
):
    html = page(client, f"/en/guide/{procedure_id}/")
    follows = html[html.index('id="obligations"') : html.index('id="where"')]
    assert "Apply to extend the residence permit at least 30 days before it expires" in follows
    assert "Exit and Entry Administration Law of the People&#x27;s Republic of China, Art. 32</a>" in follows
    assert "Beijing guide to personal affairs" not in follows
    zh = page(client, f"/zh-hans/guide/{procedure_id}/")
    assert (
        "应当在居留证件有效期届满30日前提出申请" in zh
        and "《中华人民共和国出境入境管理法》第三十二条</a>" in zh
    )


def test_a_disagreement_reads_wholly_in_chinese_on_a_chinese_page(client, beijing_at):
    zh = page(client, "/zh-hans/guide/rp-personal-affairs/")
    assert "资料之间有出入（地址）：" in zh
    assert "本站采用“通州区玉带河西街67号院1-2号楼”而非“通州区永顺镇北关大街15号”" in zh
    assert "Yu Dai He" not in zh


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_guides_footer_is_on_the_guides_pages_only(lang):
    from case_helpers import client_for
    from factories import unit_handler

    footer = 'class="site-footer"'
    for path in ("", "guide/rp-work/", "advisor/rp-work/"):
        assert footer in client_for(None).get(f"/{lang}/{path}").content.decode(), path
    for path in ("unit/", "unit/reports/", "my/"):
        response = client_for(unit_handler()).get(f"/{lang}/{path}")
        assert response.status_code == 200 and footer not in response.content.decode(), path


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_every_guide_has_a_fees_section_saying_what_the_sources_state_or_that_they_state_none(
    client, beijing_at, procedure_id
):
    fees = catalog().procedure(procedure_id).rules.get("fees", ())
    en = page(client, f"/en/guide/{procedure_id}/")
    zh = page(client, f"/zh-hans/guide/{procedure_id}/")
    section = en[en.index('<section id="fees"') : en.index("</section>", en.index('<section id="fees"'))]
    assert 'href="#fees"' in en and '<section id="fees"' in zh
    if fees:
        assert "The sources state no fee" not in section and "CNY" in section
    else:
        assert "The sources state no fee for this application" in section and "CNY" not in section
        assert "资料未载明本事项的收费标准" in zh


def _materials_section(html: str) -> str:
    start = html.index('id="materials"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_the_materials_list_the_health_certificate_with_its_condition_and_explain_when_only_if_a_line_has_one(
    client, beijing_at, today, lang, procedure_id
):
    procedure = catalog().procedure_on(procedure_id, today)
    lines = list(procedure.rules["materials"]) + list(procedure.rules["health"])
    if not lines:
        return
    materials = _materials_section(page(client, f"/{lang}/guide/{procedure_id}/"))
    for rule in lines:  # the advisor's checklist lists the same lines (law.advice: materials + health)
        assert escape(rule.text.get(LANGS[lang])) in materials, rule.id
        if rule.why is not None:
            assert escape(rule.why.get(LANGS[lang])) in materials, rule.id
    hint = {"en": "Lines marked", "zh-hans": "标有"}[lang]
    assert (hint in materials) == any(rule.why is not None for rule in lines)


@pytest.mark.parametrize("lang", LANGS)
def test_the_work_permit_guide_sends_a_beijing_applicant_to_the_one_stop_service(client, beijing_at, lang):
    """Seed 002 3. The service scope: the one-stop service takes every application for the two permits
    filed in the mainland; the rp-work guide says so and links the one-stop guide."""
    html = page(client, f"/{lang}/guide/rp-work/")
    one_stop = catalog().procedure("one-stop-work-permits")
    note = next(r for r in catalog().procedure("rp-work").rules["notes"] if r.id == "one-stop-in-beijing")
    assert escape(note.text.get(LANGS[lang])) in html
    link = re.search(rf'<p class="see"><a href="/{lang}/guide/one-stop-work-permits/">([^<]*)</a>', html)
    assert link is not None and escape(one_stop.title.get(LANGS[lang])) in link.group(1)
    assert link.group(1).startswith({"en": "Open its guide: ", "zh-hans": "查看该事项指南："}[lang])


SUBMISSION = re.compile(r'<section id="submission".*?</section>', re.S)


@pytest.mark.parametrize("lang", LANGS)
def test_the_guide_drops_the_in_person_line_where_a_proxy_may_always_apply_as_the_advisor_does(
    client, beijing_at, today, lang
):
    """Regulations Art. 16 (in person) and its exception Art. 19 (a proxy): where the proxy line applies to
    everyone (the one-stop extension, seed 002), the guide does not also tell the applicant to come, as the
    advisor does not; where it applies only in some cases (rp-work), it stands beside the in-person rule
    with when it applies."""
    lines = {r.id: r for r in catalog().procedure_on(RENEWAL, today).rules["submission"]}
    section = SUBMISSION.search(page(client, f"/{lang}/guide/{RENEWAL}/")).group(0)
    assert escape(lines["proxy"].text.get(LANGS[lang])) in section
    assert escape(lines["in-person"].text.get(LANGS[lang])) not in section
    advice = advise(RENEWAL, eligible_facts(RENEWAL, today), today)
    assert {a.mode for a in advice.submission} >= {"proxy"} and "in-person" not in {
        a.mode for a in advice.submission
    }
    work = {r.id: r for r in catalog().procedure_on("rp-work", today).rules["submission"]}
    section = SUBMISSION.search(page(client, f"/{lang}/guide/rp-work/")).group(0)
    assert escape(work["in-person"].text.get(LANGS[lang])) in section
    assert escape(work["proxy"].text.get(LANGS[lang])) in section
