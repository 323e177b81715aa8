"""The OpenAPI schema: valid OpenAPI 3, every operation described, the error format and
examples on each, and the docs page served with no outside asset."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

METHODS = ("get", "post", "put", "patch", "delete")


def _schema(client_for) -> dict:
    answer = client_for(None).get("/api/schema/?format=json")
    assert answer.status_code == 200
    return answer.json()


def test_the_schema_is_valid_openapi_3(db, client_for) -> None:
    schema = _schema(client_for)
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_every_operation_is_described_with_its_errors_and_examples(db, client_for) -> None:
    schema = _schema(client_for)
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    assert len(operations) > 80
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert "401" in operation["responses"] and "429" in operation["responses"], where
        if "{" in path:
            assert operation["responses"]["404"] == {"$ref": "#/components/responses/Error404"}
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if method in ("post", "put") and body and body.get("schema"):
            assert body.get("examples"), f"{where} has no example body"
    for code in ("400", "401", "403", "404", "409", "429"):
        example = schema["components"]["responses"][f"Error{code}"]["content"]["application/json"][
            "examples"
        ]["error"]["value"]
        assert example["status"] == int(code)


def test_a_transitions_body_is_its_table_inputs(db, client_for) -> None:
    schema = _schema(client_for)
    body = schema["components"]["schemas"]["NeedRejectRequest"]
    assert set(body["properties"]) == {"comment", "reason"}
    assert body["required"] == ["reason"]
    register = schema["components"]["schemas"]["ContractRegisterRequest"]
    assert register["properties"]["registered_on"]["format"] == "date"
    assert "required" not in register


def test_the_docs_page_uses_local_assets_only(db, client) -> None:
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html
    # No CDN, named or protocol-relative (the page's CSRF token is random text: a bare "cdn"
    # inside it is no address).
    assert not re.search(r"jsdelivr|unpkg|cdnjs|\bcdn\.|\.cdn\b", html.lower())
    assert not re.search(r"""(src|href)=["']//""", html)
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
