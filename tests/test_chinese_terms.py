"""One Chinese term for one thing, in the catalogue and in the sources' texts: a hall's day without service
is 暂停办公 (not 闭厅 or 闭馆, a closing time "17:30闭馆" aside), a booking's reference is 预约号 (not
预约编号), and a one-time notice says where it is 递交至 (递交单位 reads as the one handing it in; 受理单位 is
where an application was accepted)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "exitentry"
SHUNNED = {
    "闭厅": "暂停办公",
    "预约编号": "预约号",
    "递交单位": "递交至",
}
CLOSED = re.compile(r"(?<![0-9]:[0-9]{2})闭馆")  # "17:30闭馆" is a closing time


def texts() -> list[tuple[Path, str]]:
    files = [*SRC.rglob("*.py"), *SRC.rglob("*.html"), *SRC.rglob("*.yaml"), *SRC.rglob("*.po")]
    return [(f, f.read_text(encoding="utf-8")) for f in files if "migrations" not in f.parts]


@pytest.mark.parametrize(("shunned", "term"), SHUNNED.items())
def test_one_term_for_one_thing(shunned, term) -> None:
    assert not [str(f.relative_to(SRC)) for f, text in texts() if shunned in text], f"say {term}"


def test_a_day_without_service_is_not_a_closed_hall() -> None:
    assert not [str(f.relative_to(SRC)) for f, text in texts() if CLOSED.search(text)], "say 暂停办公"
