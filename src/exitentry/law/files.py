"""Where the law core's data files are and how they are read, for every loader above it.

Each loader (sources, calendar, parameters, the catalog) reads its own files through this module, so none
of them imports another to find its data. A file that is not valid YAML, or holds an impossible date,
fails with ``CatalogError`` naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

LAW_DIR = Path(__file__).parent
CATALOG_DIR = LAW_DIR / "catalog"
PARAMETERS_DIR = LAW_DIR / "parameters"
CALENDAR_DIR_ENV = "EXITENTRY_CALENDAR_DIR"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogError(ValueError):
    """The catalog data is inconsistent; the message names the file and entry."""


def read_yaml(path: Path) -> object:
    with path.open(encoding="utf-8") as f:
        try:
            return yaml.load(f, Loader=_Loader)
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date such as 2027-02-30
            raise CatalogError(f"{path}: {exc}") from None


def data_files(folder: Path) -> list[Path]:
    """The data files of one folder, in name order (each topic keeps its own file)."""
    return sorted(folder.glob("*.yaml"))


def calendar_files() -> list[Path]:
    """The packaged year files, then the operator's (``$EXITENTRY_CALENDAR_DIR``), which win per year."""
    files = data_files(CATALOG_DIR / "calendar")
    extra = os.environ.get(CALENDAR_DIR_ENV)
    if extra:
        files += data_files(Path(extra))
    return files
