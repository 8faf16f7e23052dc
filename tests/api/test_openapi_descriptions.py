"""The OpenAPI document reads for a developer outside the project: every operation says who may call it and
what it does, declares every error status its code can answer, names no internal identifier in its prose,
and the fields whose names do not say it describe themselves (a date's calendar and time zone, an amount's
currency)."""

from __future__ import annotations

import ast
import inspect
import json
import re
import textwrap
import types
from collections.abc import Iterator

import pytest
from tests.api.openapi_texts import texts

from exitentry.api.auth import ApiKey

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_RAISED = re.compile(r"\bApiError\(\s*(\d{3})")  # an error a view or its helpers raise with its status
_FOUND = {  # what else a view's code may do, and the status ``api.errors.describe`` answers it with
    re.compile(r"\bget_object_or_404\b|\bHttp404\b"): 404,
    re.compile(r"\bPermissionDenied\b"): 403,
    re.compile(r"\bonce\(request\b"): 422,  # an Idempotency-Key used for another request
    re.compile(r"\b(?:IllegalTransition|Taken|PermitBusy)\b"): 409,
    re.compile(r"\b(?:Refused|FactError|ModelInvalid)\b"): 422,
}


@pytest.fixture(scope="module")
def schema() -> dict:
    from exitentry.api import api

    return json.loads(json.dumps(api.get_openapi_schema()))  # as a client reads it (statuses as text)


def _operations(schema: dict) -> Iterator[tuple[str, dict]]:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_has_a_description_beyond_its_summary(schema) -> None:
    missing = [
        name
        for name, op in _operations(schema)
        if len(op.get("description", "").strip()) < 80 or op.get("description") == op.get("summary")
    ]
    assert missing == []


def test_every_tag_is_described(schema) -> None:
    used = [tag for _, op in _operations(schema) for tag in op["tags"]]
    described = [tag["name"] for tag in schema["tags"]]
    assert described == list(dict.fromkeys(used)) and all(tag["description"] for tag in schema["tags"])


def test_every_operation_says_who_may_call_it(schema) -> None:
    unsaid = [name for name, op in _operations(schema) if "**Who may call it**" not in op["description"]]
    assert unsaid == []
    for name, op in _operations(schema):
        for way in op["security"]:  # an API key's scope is named in the words too
            for scope in way.get("ApiKey", ()):
                assert f"`{scope}`" in op["description"], name


def test_operations_strangers_call_state_their_rate_limit(schema) -> None:
    public = [name for name, op in _operations(schema) if op["security"] == []]
    assert public
    for name, op in _operations(schema):
        if op["security"] == [] or "429" in op["responses"]:
            assert "**Rate limit**" in op["description"], name
        if op["security"] == []:  # a signed-in session is held to its own rate there (per account)
            assert "a signed-in session, 600 requests a minute per account" in op["description"], name
            assert "429" in op["responses"] and "`Retry-After`" in op["description"], name


def test_operations_taking_an_idempotency_key_say_how_it_works(schema) -> None:
    keyed = [
        (name, op)
        for name, op in _operations(schema)
        if any(p["name"] == "Idempotency-Key" for p in op.get("parameters", ()))
    ]
    assert {name for name, _ in keyed} >= {"POST /api/v1/bookings", "POST /api/v1/alerts/{alert_id}/actions"}
    for name, op in keyed:
        assert "**Idempotency**" in op["description"], name


def test_no_summary_names_an_internal_identifier(schema) -> None:
    found = [f"{name}: {op['summary']}" for name, op in _operations(schema) if SNAKE.search(op["summary"])]
    assert found == []


def _public_names(node: object) -> Iterator[str]:
    """The names a client sees in the document: properties, parameters, enum values."""
    if isinstance(node, dict):
        yield from (k for k in node.get("properties", {}) if isinstance(node.get("properties"), dict))
        if isinstance(node.get("name"), str) and "in" in node:
            yield node["name"]
        yield from (v for v in node.get("enum", ()) if isinstance(v, str))
        for value in node.values():
            yield from _public_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _public_names(value)


def test_descriptions_name_no_identifier_a_client_does_not_see(schema) -> None:
    """A snake_case word in an operation's description is a field, a parameter or an enum value of the
    document (which a client sends or reads), never a name of the code's own."""
    public = set(_public_names(schema))
    found = {
        f"{name}: {word}"
        for name, op in _operations(schema)
        for word in SNAKE.findall(op["description"])
        if word not in public
    }
    assert found == set()


def _code(view: types.FunctionType, seen: set[int]) -> Iterator[tuple[types.FunctionType, str]]:
    """Each function ``view`` names, with its source, transitively: ``view`` itself, the API's own functions
    and the apps' services they call (``exitentry.*``), through the modules they name too. Not the law core
    (``exitentry.law``): its errors are about what a view hands it (an unknown procedure, source or fact:
    often the catalog's own ids), which ``routing`` declares by the operation's shape."""
    if id(view) in seen:
        return
    seen.add(id(view))
    yield view, inspect.getsource(view)
    wrapped = getattr(view, "__wrapped__", None)
    if wrapped is not None:
        yield from _code(wrapped, seen)
    names = set(view.__code__.co_names) | {
        n for c in view.__code__.co_consts if isinstance(c, types.CodeType) for n in c.co_names
    }
    closure = [cell.cell_contents for cell in view.__closure__ or () if callable(cell.cell_contents)]
    found = [view.__globals__.get(n) for n in names] + closure
    for thing in found:
        if isinstance(thing, types.ModuleType) and _followed(thing.__name__):
            found += [getattr(thing, n, None) for n in names]
    for thing in found:
        if isinstance(thing, types.FunctionType) and _followed(thing.__module__):
            yield from _code(thing, seen)


def _followed(module: str) -> bool:
    return module.startswith("exitentry.") and not module.startswith("exitentry.law")


def _mapped() -> list[tuple[type, int]]:
    """The exceptions ``api.errors.describe`` answers with a fixed status, in its order (its ``match``)."""
    from exitentry.api import errors

    mapped = []
    tree = ast.parse(textwrap.dedent(inspect.getsource(errors.describe)))
    match = next(node for node in ast.walk(tree) if isinstance(node, ast.Match))
    for case in match.cases:
        answer = case.body[0]
        if case.guard is not None or not isinstance(answer, ast.Return):
            continue
        status = answer.value.elts[0]
        patterns = case.pattern.patterns if isinstance(case.pattern, ast.MatchOr) else [case.pattern]
        if isinstance(status, ast.Constant):
            mapped += [
                (getattr(errors, p.cls.id), status.value) for p in patterns if isinstance(p, ast.MatchClass)
            ]
    return mapped


_RAISES = re.compile(r"\braise\s+([A-Za-z_][\w.]*)")


def _raised(function: types.FunctionType, source: str, mapped: list[tuple[type, int]]) -> set[int]:
    """The statuses the API answers the exceptions ``function`` raises with (the first ``describe`` matches,
    a subclass as its base)."""
    statuses = set()
    for name in _RAISES.findall(source):
        head, *rest = name.split(".")
        raised = function.__globals__.get(head)
        for part in rest:
            raised = getattr(raised, part, None)
        if isinstance(raised, type) and issubclass(raised, Exception):
            statuses |= {next((s for kind, s in mapped if issubclass(raised, kind)), 500)} - {500}
    return statuses


def _views() -> Iterator[tuple[str, object]]:
    from exitentry.api import api

    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield f"{method} /api/v1/{path.lstrip('/')}", operation


def test_every_error_status_the_code_answers_is_declared(schema) -> None:
    """The statuses a view (and the API's helpers and the services it calls) raises, and those its auth and
    throttles answer, are each in the operation's documented responses: an exception a service raises
    counts with the status ``api.errors`` answers it with."""
    from exitentry.api import api

    mapped = _mapped()
    undeclared = []
    for name, operation in _views():
        method, path = name.split(" ", 1)
        declared = set(schema["paths"][path][method.lower()]["responses"])
        code = list(_code(operation.view_func, set()))
        source = "\n".join(text for function, text in code if function.__module__.startswith("exitentry.api"))
        statuses = {int(s) for s in _RAISED.findall(source)}
        statuses |= {status for pattern, status in _FOUND.items() if pattern.search(source)}
        statuses |= {s for function, text in code for s in _raised(function, text, mapped)}
        if operation.auth_callbacks:
            statuses |= {401, 403} if any(isinstance(a, ApiKey) for a in operation.auth_callbacks) else {401}
            if method != "GET":  # a write the database aborts for another's sake (``exitentry.busy``)
                statuses.add(409)
        if set(operation.throttle_objects) - set(api.throttle):  # the operation's own rate limit
            statuses.add(429)
        undeclared += [f"{name} {s}" for s in sorted(statuses) if str(s) not in declared]
    assert undeclared == []


def test_an_error_a_service_raises_counts_for_the_operations_that_call_it() -> None:
    """Booking calls ``appointments.services.book``, which raises ``Taken`` (answered 409) and ``Refused``
    (422): the test above follows it."""
    view = next(op.view_func for name, op in _views() if name == "POST /api/v1/bookings")
    code = list(_code(view, set()))
    assert any(f.__module__ == "exitentry.appointments.services" for f, _ in code)
    assert {409, 422} <= {s for f, text in code for s in _raised(f, text, _mapped())}


def _properties(schema: dict) -> Iterator[tuple[str, str, dict]]:
    for model, definition in schema["components"]["schemas"].items():
        for field, prop in definition.get("properties", {}).items():
            yield model, field, prop


def _formats(prop: dict) -> set[str]:
    options = prop.get("anyOf", [prop])
    return {o.get("format") for o in options} | {o.get("items", {}).get("format") for o in options}


def test_dates_times_and_amounts_say_their_calendar_time_zone_and_currency(schema) -> None:
    undescribed = [
        f"{model}.{field}"
        for model, field, prop in _properties(schema)
        if ({"date", "date-time"} & _formats(prop) or field.endswith("_cny")) and not prop.get("description")
    ]
    assert undescribed == []
    times = [p["description"] for _, _, p in _properties(schema) if "date-time" in _formats(p)]
    assert times and all("+08:00" in d or "offset" in d for d in times)
    amounts = [p["description"] for _, f, p in _properties(schema) if f.endswith("_cny")]
    assert amounts and all("CNY" in d for d in amounts)


def test_the_steps_without_input_are_named_in_words_and_listed_as_the_path_values(schema) -> None:
    from exitentry.cases import lifecycle

    step = schema["paths"]["/api/v1/cases/{case_id}/{action}"]["post"]
    assert not SNAKE.search(step["summary"])
    action = next(p for p in step["parameters"] if p["name"] == "action")
    assert action["schema"]["enum"] == list(lifecycle.SIMPLE_STEPS)
    for step_id in lifecycle.SIMPLE_STEPS:
        assert lifecycle.TABLE[step_id].label.en in step["description"]


def test_the_error_shape_and_the_states_say_what_they_are(schema) -> None:
    from exitentry.cases.lifecycle import State

    schemas = schema["components"]["schemas"]
    item = schemas["ErrorItem"]["properties"]
    assert all(item[f].get("description") for f in ("field", "message", "message_zh"))
    for model in ("CaseRow", "CaseOut"):
        state = schemas[model]["properties"]["state"]
        assert state["enum"] == list(State.values) and state["description"]
    assert schemas["BookingOut"]["properties"]["state"]["enum"] == [
        "active",
        "cancelled",
        "moved",
        "checked_in",
        "no_show",
    ]


def test_the_glossary_names_only_fields_the_document_has(schema) -> None:
    from exitentry.api import glossary

    schemas = schema["components"]["schemas"]
    names = {name for definition in schemas.values() for name in definition.get("properties", {})}
    assert set(glossary.NAMES) - names == set()
    assert {
        (model, name)
        for model, name in glossary.IN_SCHEMA
        if name not in schemas.get(model, {}).get("properties", {})
    } == set()


def test_the_document_opens_with_what_every_operation_shares(schema) -> None:
    opening = schema["info"]["description"]
    for said in ("Credentials", "Errors", "Idempotency-Key", "Beijing", "CNY", "Rate limits"):
        assert said in opening


# --- the document in Simplified Chinese ------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
_NOT_WORDS = re.compile(
    r"``[^`]*``|`[^`]*`"  # code: a field, a path, a header as sent
    r"|\]\([^)]*\)"  # a link's target
    r"|\"[^\"]*\"|'[^']*'"  # a value quoted as the pages show it
    r"|\S*[/.=<>{}*]\S*"  # a path, a URL, an id with a dot, a placeholder
    r"|\b\w+(?:[-_:]\w+)+\b"  # an identifier: kebab-case, snake_case, a scope
)
# What a Chinese developer reads as it is: standards, formats, protocols, HTTP methods and example values.
LEFT_AS_IS = frozenset(
    [
        "API",
        "ISO",
        "UTC",
        "CNY",
        "PDF",
        "JPEG",
        "PNG",
        "JSON",
        "CSV",
        "CSRF",
        "UUID",
        "SHA",
        "HTTP",
        "QR",
        "Cookie",
        "Bearer",
        "POST",
        "GET",
        "PATCH",
        "YYYY",
        "MM",
        "DD",
        "HH",
        "SS",
        "PEK",
        "DEU",
        "P1Y",
        "P2Y",
        "R001",
        "B",
        "C",
        "N",
        "F",
        "M",
        "X",
        "null",
        "true",
        "false",
    ]
)


@pytest.fixture(scope="module")
def chinese() -> dict:
    from django.test import Client

    return Client().get("/api/v1/openapi.json", {"lang": "zh-hans"}).json()


def test_the_document_is_written_in_chinese_for_lang_or_accept_language(schema, chinese) -> None:
    from django.test import Client

    client = Client()
    assert client.get("/api/v1/openapi.json").json() == schema  # English by default: as the code writes it
    assert (
        client.get("/api/v1/openapi.json", {"lang": "en"}, headers={"Accept-Language": "zh-CN"}).json()
        == schema
    )
    assert client.get("/api/v1/openapi.json", headers={"Accept-Language": "de, en-GB;q=0.8"}).json() == schema
    assert client.get("/api/v1/openapi.json", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).json() == chinese
    assert client.get("/api/v1/openapi.json", {"lang": "zh-CN"}).json() == chinese
    assert chinese != schema
    # and the English one has no Chinese but the link to the Chinese and the pages' own words it quotes (a
    # text the models' classes would keep in the language active when first read: ``glossary.SCHEMAS``)
    quoted = re.compile(r"\"[^\"]*\"|\[简体中文\]")
    assert [where for where, text in texts(schema) if CJK.search(quoted.sub(" ", text))] == []
    assert [p for p, ops in chinese["paths"].items() for _ in ops] == [
        p for p, ops in schema["paths"].items() for _ in ops
    ]


def test_every_operation_is_described_and_summarised_in_chinese(chinese) -> None:
    unsaid = [
        name
        for name, op in _operations(chinese)
        if not (
            CJK.search(op["summary"]) and CJK.search(op["description"]) and "**调用者**" in op["description"]
        )
    ]
    assert unsaid == []


def test_no_english_is_left_in_the_chinese_document_but_identifiers(chinese) -> None:
    """A description or summary of the Chinese document keeps in Latin letters only what a client sends or
    reads as it is: the document's field, parameter and enum names, code, paths, and standard abbreviations."""
    names = set(_public_names(chinese)) | set(chinese["components"]["schemas"])
    left = {}
    for where, text in texts(chinese):
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", _NOT_WORDS.sub(" ", text))) - LEFT_AS_IS - names
        if words:
            left[where] = sorted(words)
    assert left == {}


def test_the_chinese_document_cites_the_documents_by_their_chinese_titles(chinese) -> None:
    from exitentry.law.sources import cite

    detention = chinese["paths"]["/api/v1/people/{person_id}/detentions"]["post"]
    assert cite("regulations", "Art. 29").label.zh in detention["summary"]
    assert cite("regulations", "Art. 29").label.en not in json.dumps(chinese, ensure_ascii=False)
    calendar = chinese["paths"]["/api/v1/calendar/days/{day}"]["get"]["description"]
    assert cite("regulations", "Art. 36").label.zh in calendar


def test_the_docs_page_reads_the_document_in_its_language() -> None:
    from django.test import Client

    client = Client()
    for path in ("/api/v1/docs", "/api/docs"):
        assert "/api/v1/openapi.json?lang=en" in client.get(path).content.decode()
        page = client.get(path, {"lang": "zh-hans"}).content.decode()
        assert "/api/v1/openapi.json?lang=zh-hans" in page
        page = client.get(path, headers={"Accept-Language": "zh-Hans"}).content.decode()
        assert "/api/v1/openapi.json?lang=zh-hans" in page


def test_the_chinese_document_names_the_service_and_its_tags_in_chinese_and_keeps_the_operation_ids(
    schema, chinese
) -> None:
    """The tags' names are what Swagger UI shows as the headings (it reads no ``x-displayName``): the Chinese
    document names them in Chinese; the English one keeps the names clients group the operations by, and
    every operation keeps its ``operationId`` in both."""
    assert (schema["info"]["title"], chinese["info"]["title"]) == (
        "Beijing Exit-Entry Foreigner Services API",
        "北京出入境外国人服务 API",
    )
    english, zh = [t["name"] for t in schema["tags"]], [t["name"] for t in chinese["tags"]]
    assert english[:3] == ["procedures", "advice", "halls"] and "hall day" in english
    assert len(set(zh)) == len(english) and all(CJK.search(n) and not re.search("[A-Za-z]", n) for n in zh)
    for document in (schema, chinese):
        named = {t["name"] for t in document["tags"]}
        assert [n for _, op in _operations(document) for n in op["tags"] if n not in named] == []
    assert [op["operationId"] for _, op in _operations(chinese)] == [
        op["operationId"] for _, op in _operations(schema)
    ]


def test_the_chinese_document_opens_with_its_language_and_links_the_english_one_by_name(chinese) -> None:
    opening = chinese["info"]["description"].split("\n\n")[0]
    assert opening.startswith("**语言**") and "`Swagger UI`" in opening and "英文" in opening
    assert "[英文版](?lang=en)" in opening and "[English]" not in chinese["info"]["description"]


def test_the_document_is_labelled_with_the_language_it_is_written_in() -> None:
    from django.test import Client

    client = Client()
    english = client.get("/api/v1/openapi.json", {"lang": "en"}, headers={"Accept-Language": "zh-Hans"})
    assert english["Content-Language"] == "en"
    chinese = client.get("/api/v1/openapi.json", {"lang": "zh-hans"}, headers={"Accept-Language": "en"})
    assert chinese["Content-Language"] == "zh-hans"
    page = client.get("/api/docs", {"lang": "en"}, headers={"Accept-Language": "zh-Hans"})
    assert page["Content-Language"] == "en"


def test_the_site_s_language_cookie_chooses_the_document_after_lang_and_before_accept_language() -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get("/api/docs", headers={"Accept-Language": "en"}).content.decode()
    assert "/api/v1/openapi.json?lang=zh-hans" in page
    page = client.get("/api/docs", {"lang": "en"}).content.decode()
    assert "/api/v1/openapi.json?lang=en" in page


def test_the_docs_page_leaves_the_shared_settings_as_they_were_so_two_languages_at_once_cannot_swap() -> None:
    """ninja's Swagger writes the document's address into its settings: on the one page object every
    request shares, a Chinese request could send an English one's reader to ``?lang=zh-hans``."""
    from django.test import Client

    from exitentry.api import api

    before = dict(api.docs.settings)
    assert (
        "/api/v1/openapi.json?lang=zh-hans" in Client().get("/api/docs", {"lang": "zh-hans"}).content.decode()
    )
    assert api.docs.settings == before
