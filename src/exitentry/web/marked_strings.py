"""The strings the sources mark for translation, and the catalogue entries that none of them marks.

Python is read with ``ast`` (the literal arguments of ``gettext``, ``_``, ``ngettext``, ``pgettext`` and their
lazy and no-op forms); templates with Django's own ``templatize``, the step ``makemessages`` hands to xgettext,
whose gettext calls are then read with Python's tokenizer. A string is a ``(msgctxt, msgid)`` pair. A string
that only an installed library marks (django-axes' model names, say) is used too: the catalogue translates it.

``python -m exitentry.web.marked_strings`` lists the unused entries of each ``django.po`` (it needs the settings
of ``exitentry manage``: ``EXITENTRY_DEBUG=1`` locally); ``--prune`` removes them line by line, the rest of the
file untouched (its wrapping, its comments, the blank lines between entries), and compiles the catalogues again.
"""

from __future__ import annotations

import argparse
import ast
import io
import itertools
import os
import sys
import tokenize
from pathlib import Path

import django
import polib
from django.apps import apps
from django.utils.translation.template import templatize

from exitentry.web.i18n import LOCALE_DIR, po_files
from exitentry.web.i18n import main as compile_catalogues

PACKAGE_DIR = LOCALE_DIR.parent

Msg = tuple[str | None, str]
"""A catalogue key: (msgctxt or None, msgid)."""

SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
WITH_CONTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
TEMPLATE_SUFFIXES = {".html", ".txt"}


def _key(name: str | None, strings: list[str]) -> Msg | None:
    """The key a call to ``name`` with these leading string arguments looks up, if it is a gettext call."""
    if name in SINGULAR and strings:
        return (None, strings[0])
    if name in WITH_CONTEXT and len(strings) >= 2:
        return (strings[0], strings[1])
    return None


def marked_in_python(source: str) -> set[Msg]:
    """The literal strings a Python module hands to a gettext function (a variable's value is not known here)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            strings = itertools.takewhile(
                lambda a: isinstance(a, ast.Constant) and isinstance(a.value, str), node.args
            )
            if key := _key(name, [a.value for a in strings]):
                found.add(key)
    return found


def marked_in_template(source: str, origin: str | None = None) -> set[Msg]:
    """The strings of a template's ``translate``, ``blocktranslate`` and ``_("…")``, as Django looks them up."""
    # templatize writes each as ` gettext(u'…') ` (pgettext, ngettext…) among blanked-out text, one tag per line
    # at most; stripping the lines spares the tokenizer their indentation.
    code = "\n".join(line.strip() for line in templatize(source, origin).splitlines())
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    found = set()
    for i, token in enumerate(tokens[:-1]):
        if token.type == tokenize.NAME and tokens[i + 1].string == "(":
            arguments = itertools.takewhile(lambda t: t.string != ")", tokens[i + 2 :])
            strings = [ast.literal_eval(t.string) for t in arguments if t.type == tokenize.STRING]
            if key := _key(token.string, strings):
                found.add(key)
    return found


def marked_in(directory: Path) -> set[Msg]:
    """Every string the Python modules and the templates under ``directory`` mark for translation."""
    found = set()
    for path in sorted(directory.rglob("*.py")):
        found |= marked_in_python(path.read_text(encoding="utf-8"))
    for path in sorted(directory.rglob("templates/**/*")):
        if path.suffix in TEMPLATE_SUFFIXES:
            found |= marked_in_template(path.read_text(encoding="utf-8"), str(path))
    return found


def library_dirs() -> list[Path]:
    """The folders of the installed apps that are not this package's (Django's admin, django-axes…), and
    Django's validators and forms, whose messages the catalogue may word for this project."""
    paths = {Path(config.path) for config in apps.get_app_configs()}
    django_dir = Path(django.__file__).parent
    paths |= {django_dir / "core", django_dir / "forms"}
    return sorted(p for p in paths if not p.is_relative_to(PACKAGE_DIR))


def used() -> set[Msg]:
    """The strings that this package or an installed library marks: those a catalogue entry may translate."""
    return marked_in(PACKAGE_DIR).union(*map(marked_in, library_dirs()))


def catalogue(po_path: Path) -> set[Msg]:
    """The keys of the catalogue's entries."""
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path))}


def unused(po_path: Path, marked: set[Msg]) -> list[Msg]:
    """The catalogue's entries, in file order, whose string no source marks."""
    return [key for e in polib.pofile(str(po_path)) if (key := (e.msgctxt, e.msgid)) not in marked]


ENTRY_START = ("#,", "#:", "#.", "#|", "msgctxt", "msgid")


def entry_spans(lines: list[str]) -> list[tuple[int, int]]:
    """Each entry's own lines as ``lines[start:end]``: its flags, references and extracted comments, msgctxt,
    msgid, msgstr and their continuation lines. A translator's ``# …`` line is not part of it: such a comment
    heads what follows (a block of entries, say) and stays when an entry goes."""
    spans: list[tuple[int, int]] = []
    start = None
    translated = False
    for i, line in enumerate(lines):
        if line.startswith(ENTRY_START) and (start is None or translated):
            if start is not None:
                spans.append((start, i))
            start, translated = i, False
        elif start is not None and line.startswith(("msgid", "msgstr", '"')):
            translated = translated or line.startswith("msgstr")
        elif start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(lines)))
    return spans


def _entry_key(text: str) -> Msg | None:
    entries = polib.pofile(text)
    return (entries[0].msgctxt, entries[0].msgid) if len(entries) == 1 else None


def prune(po_path: Path, keys: set[Msg]) -> int:
    """Remove the entries with these keys from the file, and the blank line that each leaves doubled (or last);
    return how many went."""
    lines = po_path.read_text(encoding="utf-8").splitlines(keepends=True)
    spans = [(a, b) for a, b in entry_spans(lines) if _entry_key("".join(lines[a:b])) in keys]
    gone = set()
    for start, end in spans:
        gone.update(range(start, end))
        before_blank = start > 0 and (not lines[start - 1].strip() or start - 1 in gone)
        if end < len(lines) and not lines[end].strip() and before_blank:
            gone.add(end)
        elif end == len(lines) and before_blank:
            gone.add(start - 1)
    po_path.write_text("".join(line for i, line in enumerate(lines) if i not in gone), encoding="utf-8")
    return len(spans)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prune", action="store_true", help="remove the unused entries and compile again")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exitentry.settings")
    django.setup()
    marked = used()
    found = 0
    for po_path in po_files():
        name = po_path.relative_to(LOCALE_DIR)
        keys = unused(po_path, marked)
        found += len(keys)
        if args.prune:
            print(f"{name}: removed {prune(po_path, set(keys))} unused entries")
        else:
            for context, msgid in keys:
                print(f"{name}: {msgid!r}" + (f" (context {context!r})" if context else ""))
    if args.prune:
        compile_catalogues()
    return 0 if args.prune or not found else 1


if __name__ == "__main__":
    sys.exit(main())
