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
