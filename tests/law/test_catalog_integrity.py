"""Guarantees over the whole catalog, so procedures added later are held to them without new tests.

Every rule line, obligation and hall cites a source that exists (and its seed file, where it has one);
every text is bilingual; every conditional rule says why; every procedure answers on every encoded day
it is in force, and refuses a day before it.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

import exitentry.law.catalog as catalog_module
from exitentry.law.advice import COMPLETE, INELIGIBLE, NEEDS_FACTS, NotInForce, advise
from exitentry.law.catalog import CATALOG_DIR, catalog, load_catalog, read_yaml
from exitentry.law.files import CatalogError
from exitentry.law.model import RULE_NUMBERS
from exitentry.law.sources import Citation, all_sources, source
from exitentry.law.text import Text

SEEDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
PROCEDURES = sorted(catalog().procedures)
FIRST, LAST = date(2024, 1, 1), date(2026, 12, 31)
HAN = re.compile(r"[\u4e00-\u9fff]")


def cited_entries() -> Iterator[tuple[str, tuple[Citation, ...]]]:
    """Every entry that must cite the law, named for the failure message, with its citations."""
    cat = catalog()
    for procedure in cat.procedures.values():
        yield f"procedure {procedure.id}", procedure.cite
        for section, rules in procedure.rules.items():
            for rule in rules:
                yield f"procedure {procedure.id} {section}.{rule.id}", rule.cite
    for obligation in cat.obligations.values():
        yield f"obligation {obligation.id}", obligation.cite
    for hall in cat.halls.values():
        yield f"hall {hall.id}", hall.cite
        for choice in hall.choices:
            yield f"hall {hall.id} choice {choice.field}", (choice.chosen_source, choice.alternative_source)


def texts(value: object, where: str) -> Iterator[tuple[str, Text]]:
    """Every Text reachable from ``value``, with the path that leads to it."""
    if isinstance(value, Text):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from texts(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, f"{where}[{key}]")
    elif isinstance(value, tuple | list | frozenset):
        for i, item in enumerate(value):
            yield from texts(item, f"{where}[{i}]")


def test_every_rule_obligation_and_hall_cites_at_least_one_source_that_exists() -> None:
    uncited = [where for where, cites in cited_entries() if not cites]
    assert uncited == []
    known = {s.id for s in all_sources()}
    unknown = [(where, c.source) for where, cites in cited_entries() for c in cites if c.source not in known]
    assert unknown == []
    blank = [where for where, cites in cited_entries() for c in cites if not c.section.strip()]
    assert blank == []


def test_every_cited_seed_file_exists_in_the_shared_seeds() -> None:
    if not SEEDS_DIR.is_dir():
        reason = f"the seeds folder {SEEDS_DIR} is not here; seed-file existence is not checked"
        print(reason)
        pytest.skip(reason)
    seed_files = {c.source: source(c.source).seed_file for _, cites in cited_entries() for c in cites}
    absent = sorted(
        f"{sid}: {name}" for sid, name in seed_files.items() if name and not (SEEDS_DIR / name).is_file()
    )
    assert absent == []
    assert any(seed_files.values()), "no citation names a seed file at all"


def test_every_source_with_a_seed_file_names_one_that_exists() -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"the seeds folder {SEEDS_DIR} is not here")
    absent = [s.id for s in all_sources() if s.seed_file and not (SEEDS_DIR / s.seed_file).is_file()]
    assert absent == []


def test_every_text_in_the_catalog_has_english_and_simplified_chinese() -> None:
    cat = catalog()
    found = [
        *texts(dict(cat.facts), "facts"),
        *texts(dict(cat.procedures), "procedures"),
        *texts(dict(cat.halls), "halls"),
        *texts(dict(cat.obligations), "obligations"),
        *texts(all_sources(), "sources"),
    ]
    assert len(found) > 100
    lacking = [where for where, text in found if not text.en.strip() or not HAN.search(text.zh)]
    assert lacking == []


def test_every_conditional_rule_and_obligation_says_why_it_applies() -> None:
    cat = catalog()
    unexplained = [
        f"{procedure.id} {section}.{rule.id}"
        for procedure in cat.procedures.values()
        for section, rules in procedure.rules.items()
        for rule in rules
        if not rule.when.always and rule.why is None
    ]
    unexplained += [o.id for o in cat.obligations.values() if not o.when.always and o.why is None]
    assert unexplained == []


def test_only_a_procedure_that_issues_a_permit_asks_whether_it_is_the_first_application_in_china() -> None:
    """An extension, renewal, change or endorsement is made on a document held in China (e.g. Regulations
    Art. 17), so a rule for a first application (seed 000 Points for Attention 5) has no place in it."""
    asking = [
        p.id
        for p in catalog().procedures.values()
        if "first_application_in_china" in p.fact_order and p.casework.action != "issue"
    ]
    assert asking == []


def test_no_two_procedures_share_an_id_across_the_data_files() -> None:
    ids = Counter(
        raw["id"]
        for path in sorted((CATALOG_DIR / "procedures").glob("*.yaml"))
        for raw in read_yaml(path) or ()
    )
    assert [pid for pid, n in ids.items() if n > 1] == []
    assert set(ids) == set(PROCEDURES)


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_a_procedure_answers_every_week_it_is_in_force(procedure_id: str) -> None:
    procedure = catalog().procedure(procedure_id)
    day, answered = FIRST, 0
    while day <= LAST:
        if procedure.in_force_on(day):
            advice = advise(procedure_id, {}, day)
            assert advice.status in (COMPLETE, NEEDS_FACTS, INELIGIBLE), day
            json.dumps(advice.as_dict(), ensure_ascii=False)
            answered += 1
        elif day >= procedure.in_force_from:
            with pytest.raises(NotInForce):
                advise(procedure_id, {}, day)
        day += timedelta(days=7)
    assert answered > 0, f"{procedure_id} is in force on none of the encoded days"


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_a_day_before_a_procedure_is_in_force_is_refused_naming_the_dates(procedure_id: str) -> None:
    procedure = catalog().procedure(procedure_id)
    day_before = procedure.in_force_from - timedelta(days=1)
    with pytest.raises(NotInForce) as raised:
        advise(procedure_id, {}, day_before)
    assert procedure.in_force_from.isoformat() in str(raised.value)
    assert day_before.isoformat() in str(raised.value)


# --- parameters: every number of the law once, dated and cited ------------------------------------

NUMBER_KEYS = {
    "amount",
    "amount_cny",
    "working_days",
    "calendar_days",
    "months",
    "valid_months",
    "issued_within_months",
    "under_age",
    "adult",
    "adult_age",
    "gte",  # a comparison in a condition: {age: {gte: {param: proxy-age-from}}}
    "gt",
    "lt",
    "lte",
}


def numbers_in(raw: object, where: str) -> Iterator[tuple[str, object]]:
    """Every value under a number's key in raw catalog data, with where it is."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key in NUMBER_KEYS:
                yield f"{where}.{key}", value
            yield from numbers_in(value, f"{where}.{key}")
    elif isinstance(raw, list):
        for i, item in enumerate(raw):
            yield from numbers_in(item, f"{where}[{i}]")


def catalog_files() -> list[Path]:
    return sorted(p for p in CATALOG_DIR.rglob("*.yaml") if p.parent.name != "calendar")


def test_no_fee_or_day_count_is_written_inline_in_the_catalog_every_one_names_its_parameter() -> None:
    found = [
        (where, value) for path in catalog_files() for where, value in numbers_in(read_yaml(path), path.name)
    ]
    assert found, "the catalog names numbers (fees, working days, periods)"
    bare = [
        (where, value) for where, value in found if not (isinstance(value, dict) and set(value) == {"param"})
    ]
    assert bare == []
    validity = [
        v
        for p in catalog_files()
        if p.name == "permits.yaml"
        for line in read_yaml(p)
        for v in line["validity"].values()
    ]
    assert validity and all(isinstance(v, dict) and set(v) == {"param"} for v in validity)


def test_every_dated_value_of_every_parameter_cites_a_source_that_exists() -> None:
    known = {s.id for s in all_sources()}
    uncited = [
        (p.id, v.since, c.source)
        for p in catalog().parameters
        for v in p.values
        for c in v.cite or (Citation("", ""),)
        if c.source not in known or not c.section.strip()
    ]
    assert uncited == []


# A line's own numbers, which its texts name as placeholders too ("{working_days} working days").
LINE_NUMBERS = {*RULE_NUMBERS, "calendar_days", "months"}


def _named(value: object) -> set[str]:
    """Every parameter a catalog object names: its numbers (``Ref``), the placeholders of its texts and
    the parameters of its conditions, found by walking its fields."""
    from dataclasses import fields, is_dataclass

    from exitentry.law.conditions import Condition
    from exitentry.law.parameters import Ref
    from exitentry.law.text import Text

    if isinstance(value, Ref):
        return {value.id}
    if isinstance(value, Text):
        return set(value.names()) - LINE_NUMBERS
    if isinstance(value, Condition):
        return set(value.params)
    if isinstance(value, tuple | list):
        return set().union(*map(_named, value))
    if isinstance(value, dict):
        return set().union(*map(_named, value.values()))
    if is_dataclass(value):
        return set().union(*(_named(getattr(value, f.name)) for f in fields(value)))
    return set()


def test_every_parameter_is_named_by_a_catalog_line_a_permit_validity_or_a_rule_function() -> None:
    import exitentry.law.provisions  # noqa: F401 - imports every rule module, so each records its @cites
    from exitentry.law.rulefunctions import RULE_FUNCTIONS
    from exitentry.law.rules.permits import validity_lines

    cat = catalog()
    named = _named((dict(cat.procedures), dict(cat.obligations), dict(cat.facts)))
    named |= {ref.id for line in validity_lines() for ref in (*line.bounds.values(), line.adult_age) if ref}
    named |= {p for f in RULE_FUNCTIONS.values() for p in f.params}
    assert sorted({p.id for p in cat.parameters} - named) == []
    assert sorted(named - {p.id for p in cat.parameters}) == []


def test_the_residence_permit_fee_bands_are_bounded_by_parameters() -> None:
    """The bands' bounds are named parameters, and the outer ones are the validity range of Art. 30."""
    from exitentry.law.parameters import Ref

    fee = next(r for r in catalog().procedure("rp-personal-affairs").rules["fees"] if r.bands)
    bounds = [(b.lower, b.upper) for b in fee.bands]
    assert all(isinstance(x, Ref) for pair in bounds for x in pair)
    assert bounds[0][0].id == "residence-permit-validity-minimum"
    assert bounds[-1][1].id == "residence-permit-validity-maximum"
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))  # no gap, no overlap


def test_every_rule_function_cites_a_source_that_exists() -> None:
    import exitentry.law.provisions  # noqa: F401 - imports every rule module, so each records its @cites
    from exitentry.law.rulefunctions import RULE_FUNCTIONS

    known = {s.id for s in all_sources()}
    assert RULE_FUNCTIONS
    assert [
        (f.name, c.source) for f in RULE_FUNCTIONS.values() for c in f.cite if c.source not in known
    ] == []


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_every_number_a_procedure_needs_has_a_value_from_its_first_day_in_force(procedure_id: str) -> None:
    procedure = catalog().procedure(procedure_id)
    procedure.on(catalog().parameters, procedure.in_force_from)  # raises ParameterNotInForce on a gap


def test_no_fact_text_shows_a_placeholder_or_an_iso_duration_on_the_day_it_is_read() -> None:
    texts = [
        text
        for fact in catalog().facts_on(date(2026, 12, 2)).values()
        for text in (fact.question, fact.help, *(o.label for o in fact.options))
        if text is not None
    ]
    shown = " ".join(t.en + t.zh for t in texts)
    assert "{" not in shown and re.search(r"\bP\d+[YMD]", shown) is None


@pytest.mark.parametrize(
    ("change", "error"),
    [
        pytest.param(
            lambda rp_work: rp_work["notes"].append({"use": "no-such-line"}),
            "unknown shared rule 'no-such-line'",
            id="a line naming a shared rule that does not exist",
        ),
        pytest.param(
            lambda rp_work: rp_work["notes"][-1].update(see="no-such-procedure"),
            "'see' names unknown 'no-such-procedure'",
            id="a note sending the applicant to a procedure that does not exist",
        ),
    ],
)
def test_the_catalog_refuses_a_shared_rule_or_a_guide_it_cannot_find(monkeypatch, change, error) -> None:
    """Loaded from the data as written, with rp-work (regulations.yaml) changed."""
    read = catalog_module.read_yaml

    def changed(path):
        data = read(path)
        if path == CATALOG_DIR / "procedures" / "regulations.yaml":
            data = copy.deepcopy(data)
            change(next(p for p in data if p["id"] == "rp-work"))
        return data

    monkeypatch.setattr(catalog_module, "read_yaml", changed)
    with pytest.raises(CatalogError, match=re.escape(error)):
        load_catalog()
