"""Every hall category of the catalog has a name in each language, never its code."""

from exitentry.law import districts
from exitentry.law.catalog import catalog
from exitentry.law.hall_categories import category_name


def test_every_category_of_the_catalog_is_named_in_both_languages() -> None:
    codes = {c for h in catalog().halls.values() for c in h.accepts}
    codes |= {c for p in catalog().procedures.values() for c in p.hall_categories}
    for code in codes:
        name = category_name(code)
        assert code not in (name.en, name.zh) and ":" not in name.en + name.zh, code


def test_beijing_has_sixteen_districts_with_six_digit_codes_under_11() -> None:
    assert len(districts.DISTRICTS) == 16
    assert all(d.code.startswith("11") and len(d.code) == 6 for d in districts.DISTRICTS)
    assert districts.area_name("110105").zh == "朝阳区" and districts.area_name("11").en.startswith("Beijing")
