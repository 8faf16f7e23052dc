"""The OpenAPI document describes every endpoint, and the docs page serves it."""

from __future__ import annotations

from collections import Counter

from tests.api.openapi_texts import texts

import cited_text
from exitentry.api.schemas import Out
from exitentry.law.fees import FEE_PART_STATES
from exitentry.law.model import FEE_CHARGED, FEE_DUES
from exitentry.law.sources import source


def test_the_schema_lists_every_path(api) -> None:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert sorted(schema["paths"]) == [
        "/api/v1/advice",
        "/api/v1/alerts",
        "/api/v1/alerts/{alert_id}",
        "/api/v1/alerts/{alert_id}/actions",
        "/api/v1/bookings",
        "/api/v1/bookings/{reference}/cancel",
        "/api/v1/bookings/{reference}/confirmation",
        "/api/v1/bookings/{reference}/move",
        "/api/v1/calendar/add-working-days",
        "/api/v1/calendar/days/{day}",
        "/api/v1/calendar/working-days-between",
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/decision",
        "/api/v1/cases/{case_id}/deficiency-notices",
        "/api/v1/cases/{case_id}/documents/{kind}",
        "/api/v1/cases/{case_id}/facts",
        "/api/v1/cases/{case_id}/fee-exemption",
        "/api/v1/cases/{case_id}/materials",
        "/api/v1/cases/{case_id}/missing-facts",
        "/api/v1/cases/{case_id}/payments",
        "/api/v1/cases/{case_id}/receipt",
        "/api/v1/cases/{case_id}/receive",
        "/api/v1/cases/{case_id}/submit",
        "/api/v1/cases/{case_id}/tasks",
        "/api/v1/cases/{case_id}/{action}",
        "/api/v1/detentions/{detention_id}/transfer",
        "/api/v1/facts",
        "/api/v1/hall-day/{hall_id}",
        "/api/v1/hall-day/{hall_id}/check-in",
        "/api/v1/hall-day/{hall_id}/counters/{counter}/call-next",
        "/api/v1/hall-day/{hall_id}/walk-ins",
        "/api/v1/halls",
        "/api/v1/halls/{hall_id}",
        "/api/v1/halls/{hall_id}/overrides",
        "/api/v1/halls/{hall_id}/queue",
        "/api/v1/materials/{material_id}",
        "/api/v1/orders-to-leave/{order_id}/exit",
        "/api/v1/overrides",
        "/api/v1/overrides/{override_id}/withdraw",
        "/api/v1/people/{person_id}",
        "/api/v1/people/{person_id}/detentions",
        "/api/v1/people/{person_id}/enforcement",
        "/api/v1/people/{person_id}/orders-to-leave",
        "/api/v1/people/{person_id}/repatriations",
        "/api/v1/people/{person_id}/restrictions",
        "/api/v1/people/{person_id}/travel-documents",
        "/api/v1/permits/{permit_id}",
        "/api/v1/permits/{permit_id}/change-reports",
        "/api/v1/permits/{permit_id}/change-reports/{report_id}/receipt",
        "/api/v1/permits/{permit_id}/{ending}",
        "/api/v1/person-lookups",
        "/api/v1/procedures",
        "/api/v1/procedures/{procedure_id}",
        "/api/v1/queue",
        "/api/v1/repatriations/{repatriation_id}/carried-out",
        "/api/v1/restriction-reports/{report_id}/report",
        "/api/v1/restrictions/{restriction_id}/lift",
        "/api/v1/slots",
        "/api/v1/slots/availability",
        "/api/v1/sources",
        "/api/v1/sources/{source_id}",
        "/api/v1/status-checks/code",
        "/api/v1/status-checks/document",
        "/api/v1/tasks/{task_id}/close",
        "/api/v1/tickets/{ticket_id}/not-answered",
        "/api/v1/tickets/{ticket_id}/served",
        "/api/v1/unit-reports/{report_id}/receipt",
        "/api/v1/units/me/people",
        "/api/v1/units/me/people/{person_id}",
        "/api/v1/units/me/reports",
        "/api/v1/units/me/reports/{report_id}",
        "/api/v1/verify/{token}",
        "/api/v1/visa-categories",
    ]


def test_every_answer_and_every_error_has_a_schema(api) -> None:
    schema = api.get("/openapi.json").json()
    advice = schema["paths"]["/api/v1/advice"]["post"]["responses"]
    assert advice["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AdviceOut"
    }
    assert advice["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert sorted(advice) == ["200", "400", "404", "413", "422", "429"]
    assert sorted(schema["paths"]["/api/v1/calendar/add-working-days"]["get"]["responses"]) == [
        "200",
        "422",
        "429",
    ]
    assert {"AdviceOut", "AnswerOut", "HallStateOut", "ProcedureOut", "DayOut", "ErrorOut"} <= set(
        schema["components"]["schemas"]
    )


def test_every_operation_documents_the_errors_it_may_answer_in_the_error_shape(api) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    statuses = {
        f"{method.upper()} {path}": sorted(operation["responses"])
        for path, operations in paths.items()
        for method, operation in operations.items()
    }
    assert statuses["GET /api/v1/procedures"] == ["200", "429"]
    assert statuses["GET /api/v1/halls/{hall_id}"] == ["200", "404", "422", "429"]
    assert statuses["GET /api/v1/cases"] == ["200", "401", "403", "409", "422"]
    assert statuses["POST /api/v1/cases/{case_id}/receipt"] == [
        "201",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "422",
    ]
    assert statuses["GET /api/v1/cases/{case_id}/documents/{kind}"] == [
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
    ]
    errors = [
        response["content"]["application/json"]["schema"]
        for operations in paths.values()
        for operation in operations.values()
        for status, response in operation["responses"].items()
        if status >= "400"
    ]
    assert errors and all(e == {"$ref": "#/components/schemas/ErrorOut"} for e in errors)


def test_the_docs_page_is_served(api) -> None:
    response = api.client.get("/api/docs")
    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.content


def _bare(schema: dict) -> bool:
    """A schema that says only "some object" (a bare ``dict``), here or as a list's items."""
    if schema.get("type") == "array":
        return _bare(schema.get("items", {}))
    return schema.get("type") == "object" and "properties" not in schema and "$ref" not in schema


def test_no_endpoint_answers_a_bare_dict(api) -> None:
    schema = api.get("/openapi.json").json()
    bare = [
        f"{method.upper()} {path} {status}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status.startswith("2")
        for body in response.get("content", {}).values()
        if _bare(body["schema"])
    ]
    assert bare == []
    detail = schema["paths"]["/api/v1/cases/{case_id}"]["get"]["responses"]["200"]["content"]
    assert detail["application/json"]["schema"] == {"$ref": "#/components/schemas/CaseOut"}
    case_out = schema["components"]["schemas"]["CaseOut"]["properties"]
    assert {"fee", "deadlines", "materials", "events"} <= set(case_out)
    assert "from" in schema["components"]["schemas"]["EventOut"]["properties"]


def test_the_schema_describes_pending_materials_fee_parts_and_when_a_fee_line_is_paid(api) -> None:
    schemas = api.get("/openapi.json").json()["components"]["schemas"]
    advice = schemas["AdviceOut"]["properties"]["pending"]
    assert advice["items"] == {"$ref": "#/components/schemas/AnswerOut"} and "waits" in advice["description"]
    assert "waits_for" in schemas["AnswerOut"]["properties"]
    parts = schemas["FeeOut"]["properties"]["parts"]
    assert parts["items"] == {"$ref": "#/components/schemas/FeePartOut"}
    part = schemas["FeePartOut"]["properties"]
    assert {"amount_cny", "paid_at", "paid_when", "paid_cny", "outstanding_cny", "waived"} <= set(part)
    assert (
        part["due"]["enum"] == ["now", "later", "not_charged"] and "not_charged" in part["due"]["description"]
    )
    assert "paid_at" in schemas["RuleOut"]["properties"]


PUBLIC = {  # the law, the halls and their public screens, the calendar, the sources, a document's QR check
    ("post", "/api/v1/advice"),
    ("get", "/api/v1/calendar/add-working-days"),
    ("get", "/api/v1/calendar/days/{day}"),
    ("get", "/api/v1/calendar/working-days-between"),
    ("get", "/api/v1/facts"),
    ("get", "/api/v1/halls"),
    ("get", "/api/v1/halls/{hall_id}"),
    ("get", "/api/v1/halls/{hall_id}/overrides"),
    ("get", "/api/v1/halls/{hall_id}/queue"),
    ("get", "/api/v1/procedures"),
    ("get", "/api/v1/procedures/{procedure_id}"),
    ("get", "/api/v1/sources"),
    ("get", "/api/v1/sources/{source_id}"),
    ("get", "/api/v1/verify/{token}"),
    ("get", "/api/v1/visa-categories"),
}


def test_every_operation_declares_its_security_and_the_law_needs_none(api) -> None:
    schema = api.get("/openapi.json").json()
    declared = {
        (method, path): op.get("security")
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    }
    assert {operation for operation, security in declared.items() if security == []} == PUBLIC
    for operation, security in declared.items():
        assert security == [] or {"SignedIn": []} in security, operation
        for way in security:  # an API key way in names the one scope it needs
            assert "ApiKey" not in way or len(way["ApiKey"]) == 1, operation
    keyed = {operation for operation, security in declared.items() if any("ApiKey" in w for w in security)}
    assert keyed == {
        ("post", "/api/v1/status-checks/code"),
        ("post", "/api/v1/status-checks/document"),
        ("get", "/api/v1/units/me/people"),
        ("get", "/api/v1/units/me/people/{person_id}"),
        ("get", "/api/v1/units/me/reports"),
        ("post", "/api/v1/units/me/reports"),
        ("get", "/api/v1/units/me/reports/{report_id}"),
        ("get", "/api/v1/unit-reports/{report_id}/receipt"),
    }
    assert schema["components"]["securitySchemes"]["SignedIn"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
    }


def test_the_counter_answers_and_the_receipts_are_documented_with_their_bodies_and_security(api) -> None:
    schema = api.get("/openapi.json").json()
    paths, components = schema["paths"], schema["components"]["schemas"]
    facts = paths["/api/v1/cases/{case_id}/missing-facts"]["post"]
    body = facts["requestBody"]["content"]["application/json"]["schema"]
    assert "facts" in components[body["$ref"].rsplit("/", 1)[1]]["properties"]
    assert facts["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CaseOut"
    }
    assert facts["security"] == [{"SignedIn": []}] and "422" in facts["responses"]
    pdf = {"schema": {"type": "string", "format": "binary"}}
    change = paths["/api/v1/permits/{permit_id}/change-reports/{report_id}/receipt"]["get"]
    unit = paths["/api/v1/unit-reports/{report_id}/receipt"]["get"]
    documents = [
        paths[p]["get"]
        for p in ("/api/v1/cases/{case_id}/documents/{kind}", "/api/v1/bookings/{reference}/confirmation")
    ]
    for receipt in (change, unit, *documents):
        assert receipt["responses"]["200"]["content"] == {"application/pdf": pdf}
        assert {"401", "404"} <= set(receipt["responses"])
    assert change["security"] == [{"SignedIn": []}]
    assert unit["security"] == [{"ApiKey": ["unit:reports:write"]}, {"SignedIn": []}]
    order = components["OrderOut"]["properties"]
    assert {"documents", "documents_note"} <= set(order)
    assert set(components["OrderDocumentOut"]["properties"]) == {"number", "kind", "kind_text", "cancelled"}


def test_every_summary_and_description_names_the_document_of_its_article(api) -> None:
    schema = api.get("/openapi.json").json()
    found = [f"{where}: {text}" for where, text in texts(schema) if cited_text.bare(text, "")]
    assert found == []
    law, regulations = (source(s).short_title.en for s in ("exit-entry-law", "regulations"))
    change = schema["paths"]["/api/v1/permits/{permit_id}/change-reports"]["post"]["summary"]
    assert change.endswith(f"({law}, Art. 33)")
    assert (
        f"({regulations}, Art. 29)"
        in schema["paths"]["/api/v1/people/{person_id}/detentions"]["post"]["summary"]
    )


def _answers(cls: type) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_answers(sub))]


def test_each_answer_schema_has_its_own_name_so_none_is_described_by_another(api) -> None:
    schemas = api.get("/openapi.json").json()["components"]["schemas"]
    names = Counter(c.__name__ for c in _answers(Out) if c.__module__.startswith("exitentry."))
    assert [name for name, n in names.items() if n > 1] == []
    status = schemas["CheckOut"]["properties"]["status"]["anyOf"][0]["$ref"].rsplit("/", 1)[1]
    state = schemas[status]["properties"]["state"]["description"]
    assert source("regulations").short_title.en + ", Art. 34" in state


def test_the_fee_part_states_and_when_charged_are_the_law_s(api) -> None:
    parts = [
        s["properties"]
        for s in api.get("/openapi.json").json()["components"]["schemas"].values()
        if {"state", "due", "paid_at"} <= set(s.get("properties", {}))
    ]
    assert parts
    for props in parts:
        assert props["state"]["enum"] == list(FEE_PART_STATES)
        assert props["due"]["enum"] == list(FEE_DUES)
    assert {due for stages in FEE_CHARGED.values() for due in stages.values()} < set(FEE_DUES)


def test_an_order_to_leave_publishes_no_limit_of_its_own(api) -> None:
    """The days an order may give are the law's (parameter exit-deadline-maximum, Regulations Art. 33),
    checked on the day of the order; the schema states no other maximum."""
    schemas = api.get("/openapi.json").json()["components"]["schemas"].values()
    days = [
        prop
        for s in schemas
        if (prop := s.get("properties", {}).get("days")) and "maximum (" in prop["description"]
    ]
    assert days
    for prop in days:
        limits = [prop.get("maximum")] + [a.get("maximum") for a in prop.get("anyOf", [])]
        assert set(limits) <= {None}, prop
