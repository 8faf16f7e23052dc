"""Reading the advisor's forms out of a page, as a browser without JavaScript would submit them."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._current: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self._current = {"attrs": attributes, "hidden": [], "inputs": []}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "button"):
            kind = "hidden" if attributes.get("type") == "hidden" else "inputs"
            self._current[kind].append({"tag": tag, **attributes})  # type: ignore[union-attr]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def forms(html: str) -> list[dict[str, object]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with_class(html: str, css_class: str) -> dict[str, object]:
    found = [f for f in forms(html) if css_class in (f["attrs"].get("class") or "").split()]  # type: ignore[union-attr]
    assert len(found) == 1, f"expected one form.{css_class}, found {len(found)}"
    return found[0]


def hidden_fields(form: dict[str, object]) -> dict[str, str]:
    return {f["name"]: f.get("value") or "" for f in form["hidden"] if f.get("name")}  # type: ignore[union-attr]


def asked(html: str) -> str:
    """The name of the question on screen."""
    return hidden_fields(form_with_class(html, "question"))["asked"]


def as_answers(facts: dict[str, object]) -> dict[str, str]:
    """Facts as the advisor's forms carry them: every value as text, yes/no as true/false."""
    return {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in facts.items()}


def new_person(**fields: str) -> dict[str, str]:
    """The start form's fields for a new person a proxy or unit enters, with a passport; ``fields``
    change any of them by name (``passport_number="X"``) or add one (``chinese_name``)."""
    person = {
        "surname": "Müller",
        "given_names": "Anna",
        "sex": "F",
        "birth_date": "1985-06-01",
        "nationality": "DEU",
        "passport_number": "C01X00T8",
        "passport_country": "DEU",
        "passport_issued_on": "2021-04-01",
        "passport_expires_on": "2031-03-31",
    } | fields
    return {"person": "new"} | {f"person-{name}": value for name, value in person.items()}
