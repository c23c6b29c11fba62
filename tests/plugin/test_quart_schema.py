"""A host that documents itself with quart-schema gets our routes in its document, as
openapi.yaml describes them; its own routes are documented and validated as before. The
contract itself is served, byte for byte."""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from quart import Quart
from quart_schema import QuartSchema, validate_request, validate_response

import quart_invite_auth
from quart_invite_auth import InviteAuth
from quart_invite_auth.http.spec import spec_bytes

yaml = importlib.import_module("yaml")
SPEC_FILE = Path(__file__).resolve().parents[2] / "openapi.yaml"
SPEC = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
METHODS = ("get", "put", "post", "delete", "patch")


class Item(BaseModel):
    name: str


def host_app(data_dir: Path, *, schema_first: bool) -> Quart:
    app = Quart(__name__)

    def add_schema() -> None:
        QuartSchema(app)

    if schema_first:
        add_schema()
    InviteAuth(app, data_dir=str(data_dir), secret_key=secrets.token_hex(32))
    if not schema_first:
        add_schema()

    @app.post("/items")
    @validate_request(Item)
    @validate_response(Item, 201)
    async def create_item(data: Item) -> tuple[Item, int]:
        return data, 201

    return app


def resolver(document: dict[str, Any]) -> Callable[[Any], Any]:
    def resolve(node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = document
            for part in node["$ref"][2:].split("/"):
                target = target[part]
            node = target
        return node

    return resolve


def kind(schema: dict[str, Any], resolve: Callable[[Any], Any]) -> str:
    """A property's JSON type, with `anyOf: [T, null]` or `type: [T, null]` (an optional
    field) read as T."""
    schema = resolve(schema)
    if "anyOf" in schema:
        members = [resolve(m) for m in schema["anyOf"] if resolve(m).get("type") != "null"]
        assert len(members) == 1, schema
        schema = members[0]
    found = schema.get("type", "object" if "properties" in schema else "any")
    if isinstance(found, list):  # OpenAPI 3.1's `type: [T, "null"]`
        [found] = [member for member in found if member != "null"]
    assert isinstance(found, str)
    return found


def body_shape(operation: dict[str, Any], resolve: Callable[[Any], Any]) -> Any:
    if "requestBody" not in operation:
        return None
    content = resolve(operation["requestBody"])["content"]
    assert list(content) == ["application/json"]
    schema = resolve(content["application/json"]["schema"])
    properties = {name: kind(prop, resolve) for name, prop in schema.get("properties", {}).items()}
    return properties, set(schema.get("required", []))


def query_shape(operation: dict[str, Any], resolve: Callable[[Any], Any]) -> Any:
    return {
        p["name"]: bool(p.get("required"))
        for p in (resolve(raw) for raw in operation.get("parameters", []))
        if p["in"] == "query"
    }


def shape(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    resolve = resolver(document)
    operation = document["paths"][path][method]
    successes = {
        str(status): sorted(resolve(response).get("content", {}))
        for status, response in operation["responses"].items()
        if str(status).startswith("2")
    }
    return {
        "operationId": operation.get("operationId"),
        "tags": sorted(operation.get("tags", [])),
        "body": body_shape(operation, resolve),
        "query": query_shape(operation, resolve),
        "successes": successes,
        "security": operation.get("security", []),
    }


def ours(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in document["paths"].items()
        for method in METHODS
        if method in item and path != "/items"
    }


@pytest.mark.parametrize("schema_first", [True, False], ids=["QuartSchema-first", "ours-first"])
async def test_the_host_document_describes_our_routes_as_the_contract_does(
    tmp_path: Path, schema_first: bool
) -> None:
    app = host_app(tmp_path / "lmdb", schema_first=schema_first)
    async with app.test_app():
        client = app.test_client()
        response = await client.get("/openapi.json")
        assert response.status_code == 200
        generated = await response.get_json()
    assert ours(generated) == ours(SPEC)
    for path, method in sorted(ours(SPEC)):
        assert shape(generated, path, method) == shape(SPEC, path, method), (method, path)
    schemes = generated["components"]["securitySchemes"]
    for name in ("bearer", "identity"):
        assert schemes[name] == {
            key: value
            for key, value in SPEC["components"]["securitySchemes"][name].items()
            if key != "description"
        } | {"description": schemes[name]["description"]}


async def test_the_host_routes_are_documented_and_validated_as_before(tmp_path: Path) -> None:
    app = host_app(tmp_path / "lmdb", schema_first=False)
    async with app.test_app():
        client = app.test_client()
        document = await (await client.get("/openapi.json")).get_json()
        item = document["paths"]["/items"]["post"]
        # quart-schema's own naming, untouched: the method prefix and the function name.
        assert item["operationId"] == "post_create_item"
        body = resolver(document)(item["requestBody"]["content"]["application/json"]["schema"])
        assert body["required"] == ["name"]
        assert "201" in {str(status) for status in item["responses"]}
        assert "security" not in item
        bad = await client.post("/items", json={"name": 5})
        assert bad.status_code == 400
        good = await client.post("/items", json={"name": "thing"})
        assert (good.status_code, await good.get_json()) == (201, {"name": "thing"})
        # And our strict validation and problem+json errors are ours, as before.
        ours_bad = await client.post("/accounts/login/start", json={"account": 5})
        assert ours_bad.status_code == 400
        assert ours_bad.mimetype == "application/problem+json"


async def test_a_host_without_quart_schema_is_untouched(tmp_path: Path) -> None:
    app = Quart(__name__)
    InviteAuth(app, data_dir=str(tmp_path), secret_key=secrets.token_hex(32))
    async with app.test_app():
        assert "QUART_SCHEMA" not in app.extensions
        assert (await app.test_client().get("/openapi.json")).status_code == 404


async def test_the_contract_is_served_byte_for_byte(
    served: tuple[Quart, InviteAuth],
) -> None:
    app, _ = served
    response = await app.test_client().get("/invite-auth/openapi.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert await response.get_data() == SPEC_FILE.read_bytes()


def test_the_wheel_ships_the_contract() -> None:
    """Installed from a wheel (as tox installs it), the package holds the very file."""
    package = Path(quart_invite_auth.__file__).resolve().parent
    repository = SPEC_FILE.parent / "plugin" / "quart_invite_auth"
    if package != repository:
        assert (package / "openapi.yaml").read_bytes() == SPEC_FILE.read_bytes()
    assert spec_bytes() == SPEC_FILE.read_bytes()


async def test_the_spec_route_can_move_or_go(tmp_path: Path) -> None:
    moved = Quart(__name__)
    InviteAuth(moved, data_dir=str(tmp_path), secret_key=secrets.token_hex(32), spec_path="/c.yaml")
    gone = Quart(__name__)
    InviteAuth(gone, data_dir=str(tmp_path), secret_key=secrets.token_hex(32), spec_path=None)
    rules = {rule.rule for rule in moved.url_map.iter_rules()}
    assert "/c.yaml" in rules
    assert "/invite-auth/openapi.yaml" not in rules
    assert not any("openapi" in rule.rule for rule in gone.url_map.iter_rules())
