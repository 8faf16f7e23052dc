"""Country names as the new-person form offers them: mainland Chinese names with full-width brackets, a
Chinese list in pinyin order, an English one by name."""

from __future__ import annotations

from exitentry.registry import countries


def test_the_chinese_names_are_the_mainlands_with_full_width_brackets() -> None:
    assert countries.name("KHM", "zh-hans") == "柬埔寨"
    assert countries.name("GTM", "zh-hans") == "危地马拉"
    assert countries.name("FLK", "zh-hans") == "福克兰群岛（马尔维纳斯）"
    assert countries.name("CCK", "zh-hans") == "科科斯（基林）群岛"
    zh = [name for _, name in countries.choices("zh-hans")]
    assert not [n for n in zh if "(" in n or ")" in n or "柬埔塞" in n or "瓜地马拉" in n]


def test_the_chinese_list_is_in_pinyin_order_and_the_english_by_name() -> None:
    zh = [name for _, name in countries.choices("zh-hans")]
    assert zh[:2] == ["阿尔巴尼亚", "阿尔及利亚"]  # a, not 不丹 (the lowest character code) first
    assert zh.index("不丹") < zh.index("东帝汶") < zh.index("中非共和国")  # bu, dong, zhong
    assert zh.index("德国") < zh.index("俄罗斯") < zh.index("法国") < zh.index("英国")
    assert zh[-1].startswith("中") or zh[-1].startswith("智")  # zh... last
    en = [name for _, name in countries.choices("en")]
    assert en.index("Afghanistan") < en.index("Germany") < en.index("Zimbabwe")  # accents aside: below


def test_every_name_is_the_common_short_one_in_both_languages() -> None:
    """Common names side by side, never ISO's formal or inverted ones beside short ones."""
    for code, en, zh in (
        ("RUS", "Russia", "俄罗斯"),
        ("PSE", "Palestine", "巴勒斯坦"),
        ("BOL", "Bolivia", "玻利维亚"),
        ("IRN", "Iran", "伊朗"),
        ("SYR", "Syria", "叙利亚"),
        ("KOR", "South Korea", "韩国"),
        ("VEN", "Venezuela", "委内瑞拉"),
        ("LAO", "Laos", "老挝"),
    ):
        assert (countries.name(code, "en"), countries.name(code, "zh-hans")) == (en, zh)
    en = [name for _, name in countries.choices("en")]
    assert not [n for n in en if ", " in n and " of" in n or "Federation" in n or n.endswith(", British")]
    zh = [name for _, name in countries.choices("zh-hans")]
    assert not [
        n for n in zh if n.endswith("伊斯兰共和国") or n.startswith("阿拉伯叙利亚") or n == "大韩民国"
    ]


def test_the_english_list_sorts_accented_names_among_their_letters() -> None:
    from exitentry.registry import countries

    names = [name for _, name in countries.choices("en")]
    for accented, after, before in (
        ("Åland Islands", "Afghanistan", "Albania"),
        ("Côte d'Ivoire", "Costa Rica", "Croatia"),
        ("Réunion", "Qatar", "Romania"),
        ("Türkiye", "Tunisia", "Turkmenistan"),
    ):
        assert names.index(after) < names.index(accented) < names.index(before), accented
