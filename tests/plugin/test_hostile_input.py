"""Hostile input in every field the spec declares: always a 4xx problem, never a 500 or a hang.

The fields come from openapi.yaml, so a field added to the contract is attacked too.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from quart.typing import TestClientProtocol

from invite_auth.opaque import create_registration_request, generate_ke1
from quart_invite_auth.testing import create_account, session_headers

from .helpers import b64e

yaml = importlib.import_module("yaml")
SPEC = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "openapi.yaml").read_text(encoding="utf-8")
)
PROBLEM_JSON = "application/problem+json"
LIMIT = 64 * 1024

# Fields that carry ristretto255 elements, and where in the decoded bytes they sit.
ELEMENT_OFFSETS = {
    "registration_request": (0,),
    "ke1": (0, 64),  # blinded element, client key share
    "registration_record": (0,),  # client public key
}
A_VALID_ELEMENT = create_registration_request(b"pw")[0].to_bytes()
VALID_FIELDS = {
    "password": "a password long enough",
    "ke1": b64e(generate_ke1(b"pw")[0].to_bytes()),
    "registration_request": b64e(A_VALID_ELEMENT),
}
# Encodings RFC 9496 (A.2) lists as non-canonical or invalid, and a few of our own.
BAD_ELEMENTS = [
    bytes(32),  # the identity: valid ristretto255, refused as a public element
    b"\xff" * 32,
    bytes.fromhex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    bytes.fromhex("0100000000000000000000000000000000000000000000000000000000000000"),
    bytes.fromhex("f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    A_VALID_ELEMENT[:31] + bytes([A_VALID_ELEMENT[31] | 0x80]),  # top bit set
]


def resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def body_operations() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue  # e.g. path-level "parameters"
            body = operation.get("requestBody")
            if body is None:
                continue
            schema = resolve(body["content"]["application/json"]["schema"])
            concrete = path.replace("{id}", "Iabc")
            found.append((method.upper(), concrete, schema))
    return found


def byte_length(field: dict[str, Any]) -> int | None:
    """Decoded length of a fixed-size base64url field (its maxLength in characters)."""
    if "base64url" not in field.get("description", "") or "maxLength" not in field:
        return None
    return int(field["maxLength"]) * 3 // 4


def sample_body(schema: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for name in schema.get("required", []):
        field = resolve(schema["properties"][name])
        length = byte_length(field)
        body[name] = b64e(bytes(length)) if length else "x"
    return body


def string_fields() -> list[tuple[str, str, dict[str, Any], str]]:
    return [
        (method, path, schema, name)
        for method, path, schema in body_operations()
        for name, field in schema.get("properties", {}).items()
        if resolve(field).get("type") == "string"
    ]


def byte_fields() -> list[tuple[str, str, dict[str, Any], str, int]]:
    found = []
    for method, path, schema in body_operations():
        for name, field in schema.get("properties", {}).items():
            length = byte_length(resolve(field))
            if length:
                found.append((method, path, schema, name, length))
    return found


def test_the_spec_has_the_fields_we_expect_to_attack() -> None:
    names = {name for *_, name, _ in byte_fields()}
    assert {"registration_request", "ke1", "ke3", "registration_record"} <= names
    assert len(string_fields()) >= 15


def secured_operations() -> set[tuple[str, str]]:
    return {
        (method.upper(), path.replace("{id}", "Iabc"))
        for path, item in SPEC["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and operation.get("security")
    }


SECURED = secured_operations()


async def session_for(client: TestClientProtocol) -> dict[str, str]:
    """A session of an OPAQUE account on the client's app (made once per app): an
    operation that needs one reads its body only for a caller who has one."""
    app: Any = client.app
    headers: dict[str, str] | None = getattr(app, "_hostile_session", None)
    if headers is None:
        account = await create_account(app, "hostile", kind="opaque")
        headers = await session_headers(app, account)
        app._hostile_session = headers
    return headers


async def send(client: TestClientProtocol, method: str, path: str, **kw: Any) -> Any:
    if (method, path) in SECURED:
        kw["headers"] = {**(await session_for(client)), **kw.get("headers", {})}
    # A hang is a failure too: every answer must come promptly.
    return await asyncio.wait_for(client.open(path, method=method, **kw), timeout=20)


async def expect_4xx(response: Any) -> None:
    text = await response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, (response.status_code, text[:300])
    assert response.mimetype == PROBLEM_JSON, text[:300]


@pytest.mark.parametrize(
    ("method", "path", "schema", "name"),
    string_fields(),
    ids=[f"{m} {p} {n}" for m, p, _, n in string_fields()],
)
async def test_huge_strings_in_every_string_field(
    client: TestClientProtocol, method: str, path: str, schema: dict[str, Any], name: str
) -> None:
    session: dict[str, str] = {}  # send() adds a session where the operation needs one
    for size, status in ((60_000, 400), (LIMIT + 1, 413)):
        # "é" is two bytes of UTF-8: a body of about `size` bytes
        body = {**sample_body(schema), name: "\u00e9" * (size // 2)}
        data = json.dumps(body, ensure_ascii=False).encode()
        response = await send(
            client,
            method,
            path,
            data=data,
            headers={"Content-Type": "application/json", **session},
        )
        await expect_4xx(response)
        assert response.status_code == status
    # odd but well-formed text (NUL, escaped lone surrogates, bidi overrides) may be a
    # valid password; whatever the answer, it is never a server error
    for text in ("\x00", "\\ud800", "\u202e" * 100, "a\u0000b"):
        response = await send(
            client, method, path, json={**sample_body(schema), name: text}, headers=session
        )
        assert response.status_code < 500
        if response.status_code >= 400:
            await expect_4xx(response)
    lone_surrogate = (
        json.dumps(sample_body(schema))[:-1] + f', "{name}_x": 1, "{name}": "\\ud800"}}'
    ).encode()
    response = await send(
        client,
        method,
        path,
        data=lone_surrogate,
        headers={"Content-Type": "application/json", **session},
    )
    await expect_4xx(response)


@pytest.mark.parametrize(
    ("method", "path", "schema", "name"),
    string_fields(),
    ids=[f"{m} {p} {n}" for m, p, _, n in string_fields()],
)
async def test_strings_that_grow_when_normalized(
    client: TestClientProtocol, method: str, path: str, schema: dict[str, Any], name: str
) -> None:
    """Names are compared in NFKC, casefolded, where one character can become eighteen
    (U+FDFA) and must still fit in an LMDB key (511 bytes): never a server error."""
    length = resolve(schema["properties"][name]).get("maxLength", 64)
    # the other fields valid, so that the request reaches the name lookups
    valid = {k: v for k, v in VALID_FIELDS.items() if k in schema["properties"]}
    for char in ("\ufdfa", "\U0001f600", "\u00df", "\u0390"):
        body = {**sample_body(schema), **valid, name: char * length}
        response = await send(client, method, path, json=body)
        assert response.status_code < 500, (response.status_code, char)
        if response.status_code >= 400:
            await expect_4xx(response)


@pytest.mark.parametrize(
    ("method", "path", "schema", "name", "length"),
    byte_fields(),
    ids=[f"{m} {p} {n}" for m, p, _, n, _ in byte_fields()],
)
async def test_bad_base64url_in_every_byte_field(
    client: TestClientProtocol,
    method: str,
    path: str,
    schema: dict[str, Any],
    name: str,
    length: int,
) -> None:
    good = b64e(bytes(length))
    padded = base64.urlsafe_b64encode(bytes(length)).decode()
    standard = base64.b64encode(b"\xfb" * length).decode().rstrip("=")
    for value in (
        "not base64!",
        padded if padded != good else good + "=",
        standard,  # "+" and "/" belong to the other alphabet
        good[:-1],
        good + "A",
        good[:-1] + "B",  # non-zero unused bits: a second spelling of the same bytes
        "\u00c4" * len(good),
        "",
    ):
        response = await send(client, method, path, json={**sample_body(schema), name: value})
        await expect_4xx(response)
        assert response.status_code == 400


@pytest.mark.parametrize("name", sorted(ELEMENT_OFFSETS))
async def test_non_canonical_group_elements(client: TestClientProtocol, name: str) -> None:
    fields = [f for f in byte_fields() if f[3] == name]
    assert fields
    for method, path, schema, _, length in fields:
        for offset in ELEMENT_OFFSETS[name]:
            for bad in BAD_ELEMENTS:
                raw = bytearray(b"\x01" * length)
                raw[offset : offset + 32] = bad
                response = await send(
                    client, method, path, json={**sample_body(schema), name: b64e(bytes(raw))}
                )
                await expect_4xx(response)
                assert response.status_code == 400, (path, name)


async def test_hostile_query_strings(client: TestClientProtocol) -> None:
    queries: list[Any] = [
        {"domain": "x" * 60_000, "account": "owner"},
        {"domain": "example.com", "account": "\x00" * 100},
        {},
    ]
    for query in queries:
        response = await send(client, "GET", "/accounts/invite", query_string=query)
        await expect_4xx(response)
    for raw in (
        "domain=%ED%A0%80&account=%FF%FE",  # not UTF-8 once decoded
        "domain=a.example&domain=b.example&account=a",
        "domain=%00&account=%00",
    ):
        response = await send(client, "GET", f"/accounts/invite?{raw}")
        await expect_4xx(response)


async def test_hostile_path_parameters(client: TestClientProtocol) -> None:
    for invitation_id in ("I" + "a" * 10_000, "%00", "..%2f..%2fetc", "I%ff%fe"):
        for method in ("GET", "POST"):
            kw: dict[str, Any] = {"json": {"name": "n", "password": "long enough"}}
            response = await send(client, method, f"/api/invite/{invitation_id}", **kw)
            assert 400 <= response.status_code < 500
