"""Every API error in one shape, ``{"detail": [{"field": ..., "message": ...}]}``, decided in one place.

The field names the input at fault (``facts.birth_date``, ``on``, ``at``, ``body``) so a client can show
the message beside it. ``message`` is English and ``message_zh`` Simplified Chinese in every error, whatever the request's
language (the validator's messages by their kind, ``validation_text``). Bad input is a 4xx with
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
from exitentry.api.validation_text import validation_text
from exitentry.appointments.services import Taken
from exitentry.busy import BUSY, aborted_for_another
from exitentry.cases.access import Unseen
from exitentry.cases.lifecycle import IllegalTransition
from exitentry.cases.services import PermitBusy, Refused
from exitentry.law.advice import NotInForce
from exitentry.law.calendar import OutOfCalendarRange
from exitentry.law.catalog import UnknownProcedure
from exitentry.law.facts import FactError
from exitentry.law.halls import NaiveDateTime
from exitentry.law.parameters import ParameterNotInForce
from exitentry.law.sources import UnknownSource
from exitentry.law.text import Text
from exitentry.upload_limit import UploadTooLarge, too_large

logger = logging.getLogger(__name__)

Problem = tuple[str | None, str | Text]  # (field, message in English, or in both languages)


class ErrorItem(Out):
    field: str | None
    message: str  # English
    message_zh: str  # Simplified Chinese


class ErrorOut(Out):
    detail: list[ErrorItem]


_NOT_FOUND = Text("Not found.", "未找到。")
_INTERNAL = Text("Internal error; it has been logged.", "服务器内部错误，已记录。")
_HTTP_ZH = {
    401: "请先登录。",
    403: "无权进行此操作（网页会话的写操作还须带 CSRF 令牌）。",
    405: "此处不接受该请求方法。",
    429: "请求过于频繁，请稍后再试。",
}
_ANY_ZH = "请求未被接受（详见英文说明）。"
_DENIED_ZH = "无权进行此操作。"
_NOT_IN_FORCE_ZH = "该日期没有适用的规定或参数，请选择规定施行期间的日期。"
_NAIVE_ZH = "时间须带时区，例如 2026-12-02T09:00:00+08:00（在网址中将 + 写作 %2B）。"
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
    """An error a view raises with its status, the input field at fault and a message (and any headers
    the answer needs, e.g. a 401's ``WWW-Authenticate``)."""

    def __init__(self, status: int, field: str | None, message: str | Text, headers: dict | None = None):
        self.status, self.field, self.message, self.headers = status, field, message, headers or {}
        super().__init__(str(message))


def describe(exc: Exception) -> tuple[int, list[Problem]]:
    """The status and the (field, message) problems for an exception raised while answering."""
    match exc:
        case ApiError():
            return exc.status, [(exc.field, exc.message)]
        case ValidationError():  # ninja's request validation (pydantic)
            return 422, [(_field(e["loc"]), validation_text(e)) for e in exc.errors]
        case HttpError() if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return 400, [("body", _NOT_JSON)]
        case UploadTooLarge():  # a file past the upload limit: named as the pages name it
            return 413, [("file", too_large())]
        case RequestDataTooBig():
            limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20:g} MiB"
            return 413, [("body", _TOO_LARGE.format(limit=limit))]
        case MultiPartParserError():
            return 400, [("body", _UNREADABLE.format(reason=exc))]
        case SuspiciousOperation():  # too many fields or files, a file name that escapes its folder
            return 400, [("body", _REFUSED_BODY.format(reason=exc))]
        case HttpError():
            return exc.status_code, [(None, Text(str(exc), _HTTP_ZH.get(exc.status_code, _ANY_ZH)))]
        case Http404():
            return 404, [(None, _NOT_FOUND)]
        case FactError():
            return 422, [(f"facts.{exc.fact}", exc.api)]
        case UnknownProcedure():
            return 404, [("procedure", exc.text)]
        case NotInForce() | ParameterNotInForce():
            return 422, [("on", Text(str(exc), _NOT_IN_FORCE_ZH))]
        case OutOfCalendarRange():
            return 422, [("on", exc.text)]
        case UnknownSource():
            return 404, [("source_id", exc.text)]
        case NaiveDateTime():
            return 422, [("at", Text(str(exc), _NAIVE_ZH))]
        case PermitBusy():  # another open application acts on the same permit
            return 409, [(exc.field, exc.message)]
        case Refused():
            return 422, [(exc.field, exc.api or exc.message)]
        case IllegalTransition():
            return 409, [("state", exc.text)]
        case Taken():
            return 409, [(exc.field, exc.text)]
        case ModelInvalid() if hasattr(exc, "error_dict"):  # a model's own checks, by field
            return 422, [
                (None if f == "__all__" else f, _both(e))
                for f, errors in exc.error_dict.items()
                for e in errors
            ]
        case ModelInvalid():
            return 422, [(None, _both(e)) for e in exc.error_list]
        case Unseen():  # a case the caller may not see: as if it did not exist
            return 404, [(None, _NOT_FOUND)]
        case PermissionDenied():
            return 403, [(None, getattr(exc, "text", None) or Text(str(exc) or "Not allowed.", _DENIED_ZH))]
        case DataError():  # the database refused a value: only the input holds it (``?state=%00``)
            return 422, [(None, _NOT_STORABLE)]
        case _ if aborted_for_another(exc):  # a deadlock the database broke: nothing stored, send it again
            return 409, [(None, BUSY)]
    return 500, [(None, _INTERNAL)]


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
    text = message if isinstance(message, Text) else Text(message, _ANY_ZH)
    return {"field": field, "message": text.en, "message_zh": text.zh}


def error_body(problems: list[Problem]) -> dict[str, list]:
    """The error shape for ``problems``: what an error answer carries (and what an idempotent retry gets)."""
    return {"detail": [_item(field, message) for field, message in problems]}


def install(api: NinjaAPI) -> None:
    """Answer every error ``api`` meets in the shape above (replacing ninja's default handlers)."""

    def handler(request: HttpRequest, exc: Exception) -> HttpResponse:
        status, problems = describe(exc)
        if status >= 500:
            logger.error("API failure on %s %s", request.method, request.path, exc_info=exc)
        response = api.create_response(request, error_body(problems), status=status)
        for name, value in (exc.headers if isinstance(exc, ApiError) else {}).items():
            response[name] = value
        return response

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
        Taken,
        PermissionDenied,
        ModelInvalid,
        DataError,
    )
    for exc_class in (*handled, Exception):
        api.add_exception_handler(exc_class, handler)
