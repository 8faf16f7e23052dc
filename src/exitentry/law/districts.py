"""Beijing and its sixteen districts by administrative division code (GB/T 2260, the National Bureau of
Statistics' division codes; written with the trailing "00" pairs dropped as ``rules.enforcement`` reads an
area: "11" Beijing, "110105" Chaoyang), with their names in both languages, and the short name a hall
category uses for a district (``pilot:chaoyang``, ``law/catalog/halls.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass

from exitentry.law.text import Text


@dataclass(frozen=True, slots=True)
class District:
    code: str
    slug: str
    name: Text


BEIJING = District("11", "beijing", Text("Beijing (the whole city)", "北京市（全市）"))
DISTRICTS = (
    District("110101", "dongcheng", Text("Dongcheng District", "东城区")),
    District("110102", "xicheng", Text("Xicheng District", "西城区")),
    District("110105", "chaoyang", Text("Chaoyang District", "朝阳区")),
    District("110106", "fengtai", Text("Fengtai District", "丰台区")),
    District("110107", "shijingshan", Text("Shijingshan District", "石景山区")),
    District("110108", "haidian", Text("Haidian District", "海淀区")),
    District("110109", "mentougou", Text("Mentougou District", "门头沟区")),
    District("110111", "fangshan", Text("Fangshan District", "房山区")),
    District("110112", "tongzhou", Text("Tongzhou District", "通州区")),
    District("110113", "shunyi", Text("Shunyi District", "顺义区")),
    District("110114", "changping", Text("Changping District", "昌平区")),
    District("110115", "daxing", Text("Daxing District", "大兴区")),
    District("110116", "huairou", Text("Huairou District", "怀柔区")),
    District("110117", "pinggu", Text("Pinggu District", "平谷区")),
    District("110118", "miyun", Text("Miyun District", "密云区")),
    District("110119", "yanqing", Text("Yanqing District", "延庆区")),
)
AREAS = (BEIJING, *DISTRICTS)  # what a restricted area is chosen from, the whole city first

_BY_SLUG = {d.slug: d for d in AREAS}
_BY_CODE = {d.code: d for d in AREAS}


def by_slug(slug: str) -> District | None:
    return _BY_SLUG.get(slug)


def area_name(code: str) -> Text:
    """An area's name ("Chaoyang District", "朝阳区"); another code as it is."""
    known = _BY_CODE.get(code)
    return known.name if known else Text(code, code)
