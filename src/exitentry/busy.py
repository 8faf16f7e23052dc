"""A transaction the database aborted so that another could go on: a deadlock it broke, or a serializable
transaction it could not order. Nothing of it was stored and the same request sent again succeeds, so the
pages (``web.busy``) and the API (``api.errors``) answer it with 409 and say so, never with a 500. The
services lock rows in one order (``cases.services.steps``): this is the last resort, not the plan."""

from __future__ import annotations

from django.db import OperationalError

from exitentry.law.text import Text

BUSY = Text(
    "Someone else changed the same records at the same moment, so nothing was saved. Please send it again.",
    "他人同时在修改相同的记录，本次操作未保存。请重新提交。",
)
_CODES = frozenset({"40P01", "40001"})  # PostgreSQL's deadlock_detected and serialization_failure


def aborted_for_another(exc: BaseException) -> bool:
    """Whether ``exc`` is the database aborting this transaction for another's sake."""
    return isinstance(exc, OperationalError) and getattr(exc.__cause__, "sqlstate", None) in _CODES
