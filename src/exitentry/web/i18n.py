"""Compile the interface translations (``locale/*/LC_MESSAGES/django.po``) to ``.mo`` with polib.

Run ``python -m exitentry.web.i18n`` after editing a ``.po`` file and commit both; a test checks that
the committed ``.mo`` files are exactly what this produces, so they never drift apart.
"""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def po_files() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def compile_po(po_path: Path, mo_path: Path) -> None:
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def main() -> None:
    for po_path in po_files():
        compile_po(po_path, po_path.with_suffix(".mo"))
        print(f"compiled {po_path.relative_to(LOCALE_DIR)}")


if __name__ == "__main__":
    main()
