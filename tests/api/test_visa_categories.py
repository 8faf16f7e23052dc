"""``/api/v1/visa-categories``: the ordinary visa categories (Regulations Arts. 6-8) as data."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

# Art. 6's letters in its order, written out by hand (the K visa exists from 2025-10-01).
LETTERS = ["C", "D", "F", "G", "J1", "J2", "K", "L", "M", "Q1", "Q2", "R", "S1", "S2", "X1", "X2", "Z"]


def test_the_categories_come_in_the_order_of_art_6_each_citing_its_item(api) -> None:
    response = api.get("/visa-categories")
    assert response.status_code == 200
    categories = response.json()["categories"]
    assert [c["code"] for c in categories] == LETTERS
    d = categories[1]
    assert d["description"] == {
        "en": "Entering China for permanent residence",
        "zh": "发给入境永久居留的人员",
    }
    assert [(c["source"], c["section"]) for c in d["cite"]] == [("regulations", "Art. 6(2)")]
    assert d["in_force_from"] == "2013-09-01" and d["in_force_to"] is None


def test_residence_categories_are_always_interviewed_the_others_only_in_the_circumstances(api) -> None:
    categories = api.get("/visa-categories").json()["categories"]
    assert {c["code"] for c in categories if c["interview_always"]} == {"D", "J1", "Q1", "S1", "X1", "Z"}
    unsaid = {c["code"]: c for c in categories if c["for_residence"] is None}
    assert set(unsaid) == {"K", "R"} and not any(c["interview_always"] for c in unsaid.values())


def test_materials_carry_their_case_and_the_common_ones_end_with_other_materials(api) -> None:
    body = api.get("/visa-categories").json()
    l_visa = next(c for c in body["categories"] if c["code"] == "L")
    group = [m for m in l_visa["materials"] if m["case"]]
    assert [m["case"]["en"] for m in group] == ["for tourism in a group"]
    assert [m["id"] for m in body["common_materials"]][-1] == "other-materials"
    assert body["common_materials"][-1]["cite"][0]["section"] == "Art. 7 para. 2"
    assert [t["fact"] for t in body["interview_triggers"]] == [
        "applying_for_residence",
        "identity_or_purpose_needs_verification",
        "refused_entry_or_ordered_to_leave_before",
        "interview_otherwise_necessary",
    ]
