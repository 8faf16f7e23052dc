"""The supervisors' changes of the halls' days (closures, extra hours) for ``centers``: read through
``appointments.opening.changes``, the one place the law core's calendar meets them, when a database is
configured (``EXITENTRY_DATABASE_URL``, or ``EXITENTRY_DATA_DIR`` where the SQLite database lives); None
where none is, and ``centers`` stays a pure law-core answer by the published timetable. Django is imported
only when a database is configured."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date

from exitentry.law.halls import Changes
from exitentry.law.text import Text

CONFIGURED_BY = ("EXITENTRY_DATABASE_URL", "EXITENTRY_DATA_DIR")
READ = Text(
    "Hours include the closures and extra hours the halls' supervisors set (read from the database).",
    "已计入各大厅审批主管设定的暂停办公和加开办公时间（读取自数据库）。",
)
NOT_READ = Text(
    "By the published timetable only: no database is configured (EXITENTRY_DATABASE_URL or "
    "EXITENTRY_DATA_DIR), so a supervisor's closure or extra hours are not known here; the halls' pages "
    "show them.",
    "仅按公布的办公时间：未配置数据库（EXITENTRY_DATABASE_URL 或 EXITENTRY_DATA_DIR），"
    "此处不知道审批主管决定的暂停办公或加开办公时间；各大厅页面会显示。",
)


def configured() -> bool:
    return any(os.environ.get(name, "").strip() for name in CONFIGURED_BY)


def day_changes(hall_ids: Iterable[str], first: date) -> dict[str, Changes] | None:
    """The days from ``first`` on that supervisors changed, by hall; None when no database is configured.
    Settings Django refuses, or a database it cannot read, are a ``CommandError`` (``service_commands``)."""
    if not configured():
        return None
    from exitentry.cli.service_commands import _database, setup_django

    setup_django()
    from exitentry.appointments.opening import changes

    with _database():
        return changes(hall_ids, first)
