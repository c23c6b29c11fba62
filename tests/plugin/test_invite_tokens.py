"""Every part of an invite token decodes strictly: only its canonical spelling verifies
(issue 14, item 8). A lenient decoder would accept padding, the other base64 alphabet,
characters outside the alphabet, or other unused trailing bits, and so several spellings
of one signed token."""

from __future__ import annotations

import base64

import pytest
from quart.typing import TestClientProtocol

from invite_auth.opaque import create_registration_request
from quart_invite_auth import InviteAuth

from .helpers import b64e


def respellings(token: str) -> dict[str, str]:
    version, payload, tag = token.split(".")
    raw_tag = base64.urlsafe_b64decode(tag + "=")
    standard = base64.b64encode(raw_tag).decode().rstrip("=")
    # the same 32 bytes with other unused trailing bits: 43 characters carry 258 bits
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    index = last.index(tag[-1])
    other_bits = tag[:-1] + last[index ^ 1]
    return {
        "padded tag": f"{version}.{payload}.{tag}=",
        "padded payload": f"{version}.{payload}{'=' * (-len(payload) % 4) or '=='}.{tag}",
        "standard alphabet": f"{version}.{payload}.{standard}",
        "stray characters": f"{version}.{payload}.{tag[:10]}!!{tag[10:]}",
        "newlines inside the tag": f"{version}.{payload}.{tag[:20]}\n\n\n{tag[20:]}",
        "padding then more": f"{version}.{payload}.{tag}=A",
        "other trailing bits": f"{version}.{payload}.{other_bits}",
        "extra part": f"{token}.",
        "longer tag": f"{version}.{payload}.{tag}AA",
    }


async def start(client: TestClientProtocol, token: str) -> tuple[int, str]:
    request, _ = create_registration_request(b"pw")
    response = await client.post(
        "/accounts/registration/start",
        json={
            "invite_token": token,
            "account": "owner",
            "registration_request": b64e(request.to_bytes()),
        },
    )
    body = await response.get_json()
    return response.status_code, body.get("code", "")


@pytest.mark.parametrize("variant", list(respellings("v1.AAAA.AAAA")))
async def test_only_the_canonical_spelling_verifies(
    client: TestClientProtocol, auth: InviteAuth, variant: str
) -> None:
    # (a tag with neither "-" nor "_" reads the same in both alphabets: issue another)
    for _ in range(40):
        token = await auth.issue_invite(account="owner")
        if respellings(token)[variant] != token:
            break
    assert respellings(token)[variant] != token
    assert await start(client, respellings(token)[variant]) == (400, "invite_invalid")
    # the token as issued still works
    status, _ = await start(client, token)
    assert status == 200
