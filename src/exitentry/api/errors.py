"""Every API error in one shape, ``{"detail": [{"field": ..., "message": ...}]}``, decided in one place.

The field names the input at fault (``facts.birth_date``, ``on``, ``at``, ``body``) so a client can show
the message beside it. The message is English; where the refusal is worded in both languages (the case
services' ``Refused`` and ``IllegalTransition``, the law core's ``FactError`` and ``OutOfCalendarRange``, a
body that cannot be read) it is also given in Simplified Chinese as ``message_zh``. Bad input is a 4xx with
a message a person can act on, a body past the size limit a 413; an unexpected failure is a JSON 500 without
a stack trace (the trace goes to the log). ``routing`` documents these answers for every operation.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as ModelInvalid
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import override
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from exitentry.api.schemas import Out
from exitentry.cases.lifecycle import IllegalTransition
from exitentry.cases.services import Refused
from exitentry.law.advice import NotInForce
from exitentry.law.calendar import OutOfCalendarRange
from exitentry.law.catalog import UnknownProcedure
from exitentry.law.facts import FactError
from exitentry.law.halls import NaiveDateTime
from exitentry.law.parameters import ParameterNotInForce
from exitentry.law.sources import UnknownSource
from exitentry.law.text import Text

logger = logging.getLogger(__name__)

Problem = tuple[str | None, str | Text]  # (field, message in English, or in both languages)


class ErrorItem(Out):
    field: str | None
    message: str
    message_zh: str | None = None


class ErrorOut(Out):
    detail: list[ErrorItem]


_NOT_JSON = Text("The request body is not valid JSON.", "请求体不是有效的 JSON。")
_TOO_LARGE = Text(
    "The request body is larger than the {limit} the API takes.", "请求体超过接口接受的上限（{limit}）。"
)
_UNREADABLE = Text(
    "The multipart/form-data body cannot be read: {reason}",
    "无法读取 multipart/form-data 请求体，请检查其 boundary 与各部分的头部。",
)
_NOT_STORABLE = Text(
    "A value in the request cannot be stored or looked up as it is (a NUL character, or text too long).",
    "请求中的某个值无法按原样存储或查询（如含空字符，或文字过长）。",
)
_REFUSED_BODY = Text("The request body was refused: {reason}", "请求体不符合接口的限制，已被拒绝。")


class ApiError(Exception):
    """An error a view raises with its status, the input field at fault and a message."""

    def __init__(self, status: int, field: str | None, message: str | Text):
        self.status, self.field, self.message = status, field, message
        super().__init__(str(message))


def describe(exc: Exception) -> tuple[int, list[Problem]]:
    """The status and the (field, message) problems for an exception raised while answering."""
    match exc:
        case ApiError():
            return exc.status, [(exc.field, exc.message)]
        case ValidationError():  # ninja's request validation (pydantic)
            return 422, [(_field(e["loc"]), e["msg"]) for e in exc.errors]
        case HttpError() if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return 400, [("body", _NOT_JSON)]
        case RequestDataTooBig():
            limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20:g} MiB"
            return 413, [("body", _TOO_LARGE.format(limit=limit))]
        case MultiPartParserError():
            return 400, [("body", _UNREADABLE.format(reason=exc))]
        case SuspiciousOperation():  # too many fields or files, a file name that escapes its folder
            return 400, [("body", _REFUSED_BODY.format(reason=exc))]
        case HttpError():
            return exc.status_code, [(None, str(exc))]
        case Http404():
            return 404, [(None, "not found")]
        case FactError():
            return 422, [(f"facts.{exc.fact}", Text(str(exc), exc.text.zh))]
        case UnknownProcedure():
            return 404, [("procedure", str(exc))]
        case NotInForce() | ParameterNotInForce():
            return 422, [("on", str(exc))]
        case OutOfCalendarRange():
            return 422, [("on", exc.text)]
        case UnknownSource():
            return 404, [("source_id", exc.text)]
        case NaiveDateTime():
            return 422, [("at", str(exc))]
        case Refused():
            return 422, [(exc.field, exc.message)]
        case IllegalTransition():
            return 409, [("state", exc.text)]
        case ModelInvalid() if hasattr(exc, "error_dict"):  # a model's own checks, by field
            return 422, [
                (None if f == "__all__" else f, _both(e))
                for f, errors in exc.error_dict.items()
                for e in errors
            ]
        case ModelInvalid():
            return 422, [(None, _both(e)) for e in exc.error_list]
        case PermissionDenied():
            return 403, [(None, str(exc) or "not allowed")]
        case DataError():  # the database refused a value: only the input holds it (``?state=%00``)
            return 422, [(None, _NOT_STORABLE)]
    return 500, [(None, "internal error; it has been logged")]


def _both(error: ModelInvalid) -> Text:
    """A model's error message in English and in Chinese, whatever the request's language."""

    def said(language: str) -> str:
        with override(language):
            message = error.message
            return str(message % error.params if error.params else message)

    return Text(said("en"), said("zh-hans"))


def _field(loc: tuple | list) -> str:
    """``("body", "payload", "facts")`` -> ``facts``; ``("query", "at")`` -> ``at``."""
    source, *rest = loc
    if source == "body":
        rest = rest[1:]  # ninja puts the body parameter's name first
    return ".".join(str(part) for part in rest) or str(source)


def _item(field: str | None, message: str | Text) -> dict[str, str | None]:
    if isinstance(message, Text):
        return {"field": field, "message": message.en, "message_zh": message.zh}
    return {"field": field, "message": message}


def install(api: NinjaAPI) -> None:
    """Answer every error ``api`` meets in the shape above (replacing ninja's default handlers)."""

    def handler(request: HttpRequest, exc: Exception) -> HttpResponse:
        status, problems = describe(exc)
        if status >= 500:
            logger.error("API failure on %s %s", request.method, request.path, exc_info=exc)
        detail = [_item(field, message) for field, message in problems]
        return api.create_response(request, {"detail": detail}, status=status)

    handled = (
        ApiError,
        ValidationError,
        HttpError,
        Http404,
        FactError,
        UnknownProcedure,
        NotInForce,
        ParameterNotInForce,
        OutOfCalendarRange,
        RequestDataTooBig,
        MultiPartParserError,
        SuspiciousOperation,
        UnknownSource,
        NaiveDateTime,
        Refused,
        IllegalTransition,
        PermissionDenied,
        ModelInvalid,
        DataError,
    )
    for exc_class in (*handled, Exception):
        api.add_exception_handler(exc_class, handler)
