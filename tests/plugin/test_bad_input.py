"""Bad input of every kind gets a 4xx problem+json, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from quart.typing import TestClientProtocol

from .helpers import b64e

JSON_ENDPOINTS = [
    "/accounts/registration/start",
    "/accounts/registration/finish",
    "/accounts/login/start",
    "/accounts/login/finish",
    "/api/invite/Iabc",
    "/api/setup",
    "/api/auth/login",
]


async def expect_problem(response: Any, status: int, code: str | None = None) -> None:
    assert response.status_code == status, await response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = await response.get_json()
    if code is not None:
        assert body["code"] == code


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
async def test_malformed_json(client: TestClientProtocol, path: str) -> None:
    response = await client.post(
        path, data=b"{not json", headers={"Content-Type": "application/json"}
    )
    await expect_problem(response, 400, "malformed_request")


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
async def test_not_utf8(client: TestClientProtocol, path: str) -> None:
    response = await client.post(
        path, data=b'{"name": "\xff\xfe"}', headers={"Content-Type": "application/json"}
    )
    await expect_problem(response, 400, "malformed_request")


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
async def test_wrong_content_type(client: TestClientProtocol, path: str) -> None:
    response = await client.post(path, data=b"name=x", headers={"Content-Type": "text/plain"})
    await expect_problem(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
async def test_oversized_body(client: TestClientProtocol, path: str) -> None:
    body = b'{"name": "' + b"a" * (65 * 1024) + b'"}'
    response = await client.post(path, data=body, headers={"Content-Type": "application/json"})
    await expect_problem(response, 413, "payload_too_large")


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
async def test_deeply_nested(client: TestClientProtocol, path: str) -> None:
    body = b"[" * 5000 + b"]" * 5000
    response = await client.post(path, data=body, headers={"Content-Type": "application/json"})
    await expect_problem(response, 400, "malformed_request")


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
async def test_wrong_types(client: TestClientProtocol, path: str) -> None:
    bodies: list[Any] = [[], 1, "x", {"name": 1, "password": ["x"], "account": None, "ke1": 5}]
    for body in bodies:
        response = await client.post(path, json=body)
        await expect_problem(response, 400, "malformed_request")


BYTE_FIELDS = {
    "/accounts/registration/start": (
        {"invite_token": "v1.a.b", "account": "root"},
        "registration_request",
        32,
    ),
    "/accounts/login/start": ({"account": "root"}, "ke1", 96),
    "/accounts/login/finish": ({"login_id": "x", "totp_code": "123456"}, "ke3", 64),
}


@pytest.mark.parametrize("path", list(BYTE_FIELDS))
async def test_bad_bytes(client: TestClientProtocol, path: str) -> None:
    base, field, length = BYTE_FIELDS[path]
    # KE3 is a MAC: any 64 bytes are well-formed; the others hold group elements.
    group = [] if field == "ke3" else [b64e(b"\xff" * length)]
    for value in (
        *group,
        "not base64!",
        b64e(bytes(length)) + "=",  # padding
        b64e(bytes(length - 1)),  # too short
        b64e(bytes(length + 1)),  # too long
        "A" * 10_000,
    ):
        response = await client.post(path, json={**base, field: value})
        await expect_problem(response, 400, "malformed_request")
        detail = (await response.get_json())["detail"]
        assert field in detail


async def test_huge_strings(client: TestClientProtocol) -> None:
    response = await client.post("/api/setup", json={"name": "n" * 5000, "password": "p" * 5000})
    await expect_problem(response, 400, "malformed_request")


async def test_unknown_fields_are_refused(client: TestClientProtocol) -> None:
    response = await client.post(
        "/api/setup", json={"name": "Andrea", "password": "long enough pw", "admin": True}
    )
    await expect_problem(response, 400, "malformed_request")
    assert "admin" in (await response.get_json())["detail"]


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
async def test_missing_body(client: TestClientProtocol, path: str) -> None:
    response = await client.post(path)
    await expect_problem(response, 400, "malformed_request")
