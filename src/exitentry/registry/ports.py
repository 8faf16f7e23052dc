"""Ports of entry and exit by their names in both languages; a movement (``EntryExit.port``) stores the code.

An airport's code is its IATA code, the one on a boarding pass (PEK); another port's is a slug of its
name (beijing-west-railway). A code, once given, is never reused for another port.

Recorded choice, ports the catalogue does not hold: China has some three hundred open ports and this
catalogue lists the few the exit-entry administration of Beijing meets most. A movement through another
port keeps the name as entered (``code_for``), and pages show it as entered in either language
(``text``), so nothing recorded is lost; adding the port here later gives it both names.
"""

from __future__ import annotations

from dataclasses import dataclass

from exitentry.law.text import Text

MAX_LENGTH = 100  # EntryExit.port


@dataclass(frozen=True, slots=True)
class Port:
    code: str
    name: Text
    also: tuple[str, ...] = ()  # other names people write for it, matched when entered


PORTS = {
    p.code: p
    for p in (
        Port(
            "PEK",
            Text("Beijing Capital International Airport", "北京首都国际机场"),
            ("Beijing Capital Airport", "首都机场", "首都国际机场"),
        ),
        Port("PKX", Text("Beijing Daxing International Airport", "北京大兴国际机场"), ("大兴机场",)),
        Port("beijing-west-railway", Text("Beijing West Railway Station", "北京西站"), ("Beijing West",)),
        Port("TSN", Text("Tianjin Binhai International Airport", "天津滨海国际机场")),
        Port("SHA", Text("Shanghai Hongqiao International Airport", "上海虹桥国际机场")),
        Port("PVG", Text("Shanghai Pudong International Airport", "上海浦东国际机场")),
    )
}


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


_BY_NAME = {_key(name): p.code for p in PORTS.values() for name in (p.code, p.name.en, p.name.zh, *p.also)}


class BadPort(ValueError):
    """A port left blank or longer than the registry keeps."""

    text = Text(
        f"Name the port: its name or code, at most {MAX_LENGTH} characters.",
        f"请填写口岸：名称或代码，不超过{MAX_LENGTH}个字符。",
    )

    def __init__(self) -> None:
        super().__init__(self.text.en)


def code_for(entered: str) -> str:
    """What a movement stores for a port entered by its code or either name (case and spacing aside): the
    catalogue's code, or the name as entered (spaces trimmed) for a port the catalogue does not hold."""
    name = " ".join(entered.split())
    if not name or len(name) > MAX_LENGTH:
        raise BadPort()
    return _BY_NAME.get(_key(name), name)


def known(value: str) -> bool:
    """Whether a stored port is a catalogue code (else a name kept as entered)."""
    return value in PORTS


def text(value: str) -> Text:
    """A stored port's name in both languages; a name kept as entered, in both."""
    port = PORTS.get(value)
    return port.name if port else Text(value, value)


def name(value: str, language: str) -> str:
    """A stored port's name in ``language``; a name kept as entered, as entered."""
    return text(value).get(language)


def choices(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) for every port in the catalogue, in catalogue order."""
    return tuple((p.code, p.name.get(language)) for p in PORTS.values())
