"""Which materials the hall sees in the original at intake, as the seeds say: the personal-affairs guide
(Points for Attention 2: every material), the one-stop guide (5. Materials (work permit) (1)-(2): the
employer's attachments, the passport, other staff's identity document) and the Zhongguancun guide
(Points for Attention 3: the original of each photocopy). Where a seed is silent, nothing is required."""

from __future__ import annotations

import copy
from datetime import date

import pytest

import exitentry.law.catalog as catalog_module
from exitentry.law import examples
from exitentry.law.advice import advise
from exitentry.law.catalog import catalog, load_catalog
from exitentry.law.files import CatalogError
from exitentry.law.intake import PROXY, TRUSTEE_ID, originals_unseen, originals_wait, required_items
from exitentry.law.sources import cite

ON = date(2026, 11, 24)
PERSONAL = cite("bj-personal-affairs", "Points for Attention 2")
ONE_STOP = (
    cite("bj-one-stop", "5. Materials (work permit) (1)"),
    cite("bj-one-stop", "5. Materials (work permit) (2)"),
)
ZGC = cite("bj-zgc-pr", "Points for Attention 3")
EVERY = "every material"
ONE_STOP_ORIGINALS = {"online-attachments", "passport", "other-staff-introduction"}
ZGC_PHOTOCOPIES = {
    "passport-and-residence-permits",
    "medical-examination",
    "tax-certificate",
    "public-institution-certificate",
    "project-211-approval",
    "work-permits-four-years",
    "former-chinese-citizen",
}

# procedure: (the materials whose originals the hall sees, the sources that say so)
SCENARIOS = {
    "rp-personal-affairs": (EVERY, (PERSONAL,)),
    "rp-personal-affairs-extension": (EVERY, (PERSONAL,)),
    "one-stop-work-permits": (ONE_STOP_ORIGINALS, ONE_STOP),
    "one-stop-work-permits-renewal": (ONE_STOP_ORIGINALS, ONE_STOP),
    "one-stop-work-permits-transfer": (ONE_STOP_ORIGINALS, ONE_STOP),
    "pr-zhongguancun": (ZGC_PHOTOCOPIES, (ZGC,)),
}


def items(procedure_id: str, **facts: object):
    advice = advise(procedure_id, {**examples.eligible_facts(procedure_id, ON), **facts}, on=ON)
    return advice, required_items(advice)


@pytest.mark.parametrize("procedure_id", sorted(catalog().procedures))
def test_the_originals_the_hall_sees_are_those_the_seeds_name_and_no_others(procedure_id):
    advice, required = items(procedure_id)
    named, sources = SCENARIOS.get(procedure_id, (set(), ()))
    expected = {i.id for i in required} if named == EVERY else named & {i.id for i in required}
    assert {i.id for i in required if i.original} == expected
    for item in required:
        assert item.original == (sources if item.id in expected else ())
    if named and named != EVERY:
        assert expected, "the eligible example hands in at least one of the materials the guide names"


def test_zhongguancun_photocopies_need_their_originals_but_what_is_handed_in_itself_does_not():
    _, required = items("pr-zhongguancun")
    plain = {i.id for i in required if not i.original}
    assert {"photos", "no-criminal-record", "employment-certificate", "resume"} <= plain


def test_a_proxys_trustee_id_is_a_copy_whose_original_no_source_asks_for():
    advice = advise(
        "rp-personal-affairs",
        {**examples.eligible_facts("rp-personal-affairs", ON), "limited_mobility": True},
        on=ON,
    )
    trustee = next(i for i in required_items(advice, PROXY) if i.id == TRUSTEE_ID)
    assert trustee.original == ()


def test_the_unseen_originals_are_named_in_both_languages_with_their_source():
    advice, required = items("rp-personal-affairs")
    seen = {i.id for i in required[1:]}
    unseen = originals_unseen(advice, seen)
    assert unseen == (required[0],)
    text, cites = originals_wait(unseen)
    assert required[0].text.en in text.en and required[0].text.zh in text.zh
    assert text.en.startswith("Acceptance waits for the originals") and text.zh.startswith("受理前须核验原件")
    assert cites == (PERSONAL,)
    assert originals_unseen(advice, {i.id for i in required}) == ()


@pytest.mark.parametrize(
    ("section", "originals", "error"),
    [
        ("notes", ["no-such-material"], "originals of unknown materials"),
        ("notes", "some", "originals is 'all' or a list of material ids"),
        ("materials", "all", "only a note says which originals"),
    ],
)
def test_the_catalog_refuses_an_originals_line_it_cannot_hold(monkeypatch, section, originals, error):
    """Loaded from the data as written, with one line of the personal-affairs guide changed."""
    read = catalog_module.read_yaml

    def changed(path):
        data = read(path)
        if path.name == "personal_affairs.yaml":
            data = copy.deepcopy(data)
            data[0][section][0]["originals"] = originals
        return data

    monkeypatch.setattr(catalog_module, "read_yaml", changed)
    with pytest.raises(CatalogError, match=error):
        load_catalog()
