"""``/api/v1/procedures``: the catalog's procedures and every rule of one, with why and citations."""

from __future__ import annotations


def test_the_list_names_each_procedure_with_its_titles_group_and_dates(api) -> None:
    response = api.get("/procedures")
    assert response.status_code == 200
    by_id = {p["id"]: p for p in response.json()}
    assert by_id["rp-personal-affairs"] == {
        "id": "rp-personal-affairs",
        "title": {
            "en": "Personal-affairs residence permit (first application)",
            "zh": "私人事务类居留许可（首次申请）",
        },
        "summary": by_id["rp-personal-affairs"]["summary"],
        "group": "residence-permits",
        "in_force_from": "2024-01-01",
        "in_force_to": None,
    }
    assert by_id["rp-personal-affairs"]["summary"]["en"].startswith("For family members of foreigners")
    assert "rp-personal-affairs-extension" in by_id


def test_a_procedure_lists_every_rule_by_section_with_its_condition_why_and_citations(api) -> None:
    response = api.get("/procedures/rp-personal-affairs")
    assert response.status_code == 200
    body = response.json()
    assert list(body["rules"]) == [
        "eligibility",
        "materials",
        "fees",
        "time_limits",
        "submission",
        "interview",
        "health",
        "translation",
        "notes",
    ]
    letter = next(r for r in body["rules"]["materials"] if r["id"] == "family-certificate-letter")
    assert letter["condition"] == "ground = family and visa_category in [S1, S2]"
    assert letter["why"] == {
        "en": "The applicant visits family and holds an S1 or S2 visa.",
        "zh": "申请人探亲且持S1或S2签证。",
    }
    assert [(c["source"], c["section"]) for c in letter["cite"]] == [
        ("bj-personal-affairs", "Materials (family) b.i"),
        ("regulations", "Art. 16(5)"),
    ]
    assert letter["cite"][0]["seed_file"] == "000_8c608530cde28cd1.txt"  # a machine field, kept
    assert (
        letter["cite"][0]["label_zh"]
        == "《北京市外国人私人事务类居留许可及延期办事指南》申请材料（探亲）（b）（i）"
    )
    assert letter["cite"][1]["label_en"] == (
        "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 16(5)"
    )


def test_an_eligibility_rule_carries_its_requirement_and_what_the_applicant_is_told(api) -> None:
    rules = api.get("/procedures/rp-personal-affairs").json()["rules"]["eligibility"]
    first = rules[0]
    assert first["id"] == "no-household-registration"
    assert first["condition"] == "always"
    assert first["requirement"] == "household_registration_in_china = no"
    assert (
        first["failure"]["en"]
        == "Cancel the household registration in China first; apply only after it is cancelled."
    )


def test_fee_bands_and_working_day_limits_are_given(api) -> None:
    rules = api.get("/procedures/rp-personal-affairs").json()["rules"]
    assert rules["fees"][0]["fee_bands"] == {
        "fact": "validity",
        "bands": [
            {"lower": "P180D", "upper": "P1Y", "upper_inclusive": False, "amount_cny": 400},
            {"lower": "P1Y", "upper": "P3Y", "upper_inclusive": False, "amount_cny": 800},
            {"lower": "P3Y", "upper": "P5Y", "upper_inclusive": True, "amount_cny": 1000},
        ],
    }
    assert [(r["id"], r["working_days"], r["counts"]) for r in rules["time_limits"]] == [
        ("processing", 7, "processing"),
        ("receipt-validity", 15, "receipt-validity"),
    ]


def test_each_fee_line_says_when_it_is_paid_and_no_other_line_does(api) -> None:
    """Permanent residence: the application fee when the application is accepted, the card's at issue
    (seed "Fees"); the other sections have no payment time."""
    rules = api.get("/procedures/pr-application").json()["rules"]
    assert [(r["id"], r["amount_cny"], r["paid_at"]) for r in rules["fees"]] == [
        ("application-fee", 1500, "acceptance"),
        ("card-production-fee", 300, "issue"),
    ]
    assert {r["paid_at"] for section, lines in rules.items() if section != "fees" for r in lines} == {None}


def test_obligations_and_halls_come_with_the_procedure(api) -> None:
    body = api.get("/procedures/rp-personal-affairs").json()
    assert [o["id"] for o in body["obligations"]] == [
        "residence-permit-within-30-days-of-entry",
        "change-of-particulars-within-10-days",
        "extension-at-least-30-days-before-expiry",
    ]
    first = body["obligations"][0]
    assert first["period"] == {
        "kind": "within_calendar_days_of",
        "fact": "entry_date",
        "calendar_days": 30,
        "months": None,
    }
    assert [h["id"] for h in body["halls"]] == [
        "reception-hall",
        "zhongguancun",
        "chaoyang",
        "shunyi",
        "shijingshan",
        "tongzhou",
    ]
    assert "validity" in body["facts"]


def test_an_unknown_procedure_is_a_404_naming_it(api) -> None:
    status, fields, message = api.problem(api.get("/procedures/no-such-thing"))
    assert (status, fields) == (404, ["procedure"])
    assert message == "There is no procedure 'no-such-thing' in the catalog."
