"""Names are compared under one PRECIS profile, at creation and at login, on both surfaces
(issue 14, item 7): invisible and look-alike characters are refused, and a name is the
same name however it is spelled within the profile."""

from __future__ import annotations

import secrets
from pathlib import Path

import lmdb
import pytest
from quart.typing import TestClientProtocol

from quart_invite_auth.names import compared_name, legacy_key, parse_name

from .conftest import Clock, make_app
from .helpers import OpaqueUser

PASSWORD = "correct-horse-battery-staple"

REFUSED = {
    "variation selector": "Zo\ufe0fe",
    "combining grapheme joiner": "Zo\u034fe",
    "hangul filler": "\u3164Zoe",
    "hangul choseong filler": "Zoe\u115f",
    "braille blank": "Zoe\u2800",
    "braille blank alone": "\u2800",
    "zero width space": "Zo\u200be",
    "cyrillic o in root": "r\u043e\u043et",
    "greek omicron among latin": "r\u03bfot",
}


async def setup(client: TestClientProtocol, name: str = "Andrea") -> None:
    response = await client.post(
        "/api/setup", json={"name": name, "password": PASSWORD}, scheme="https"
    )
    assert response.status_code == 200, await response.get_json()


async def accept(client: TestClientProtocol, name: str) -> tuple[int, dict[str, str]]:
    created = await client.post("/api/invite", json={}, scheme="https")
    invitation = (await created.get_json())["id"]
    response = await client.post(
        f"/api/invite/{invitation}", json={"name": name, "password": PASSWORD}
    )
    return response.status_code, await response.get_json()


@pytest.mark.parametrize("name", list(REFUSED.values()), ids=list(REFUSED))
async def test_invisible_and_look_alike_names_are_refused(
    client: TestClientProtocol, name: str
) -> None:
    refused = await client.post("/api/setup", json={"name": name, "password": PASSWORD})
    assert refused.status_code == 400
    assert (await refused.get_json())["code"] == "invalid_name"
    await setup(client)
    status, body = await accept(client, name)
    assert (status, body["code"]) == (400, "invalid_name")


@pytest.mark.parametrize(
    "name",
    [
        "Zoë",
        "example login",
        "山田 太郎",
        "やまだ タロウ",
        "Ελληνικά",
        "Андрей",
        "José-María",
        "김철수",
    ],
)
async def test_real_names_of_one_script_or_an_allowed_mix_are_fine(
    client: TestClientProtocol, name: str
) -> None:
    await setup(client)
    status, body = await accept(client, name)
    assert status == 200, body
    assert body["name"] == name


async def test_a_name_is_the_same_name_at_creation_and_at_login(
    client: TestClientProtocol,
) -> None:
    await setup(client)
    status, body = await accept(client, " Zoë  Smith ")
    assert status == 200, body
    assert body["name"] == "Zoë Smith"  # trimmed, inner spaces collapsed
    for spelling in (" Zoë  Smith ", "ZOË SMITH", "zoe\u0308 smith", "Ｚｏë Smith"):
        login = await client.post("/api/auth/login", json={"name": spelling, "password": PASSWORD})
        assert login.status_code == 200, (spelling, await login.get_json())
        status, body = await accept(client, spelling)
        assert (status, body["code"]) == (409, "name_taken"), spelling


async def test_opaque_account_names_are_compared_the_same_way(data_dir: Path, clock: Clock) -> None:
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        root = OpaqueUser(app.test_client(), "root", b"root password")
        await root.register(await auth.bootstrap_invite())
        # the OPAQUE login finds the account by its compared form, however it is spelled
        root.account = " ROOT "
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert status == 200, body
        # and the seed-003 surface cannot take the name in any spelling
        client = app.test_client()
        await client.post("/api/setup", json={"name": "Andrea", "password": PASSWORD})
        taken = await client.post("/api/setup", json={"name": "Root", "password": PASSWORD})
        assert taken.status_code == 409


async def test_stored_names_move_to_the_new_compared_form_on_open(
    data_dir: Path, clock: Clock
) -> None:
    """A store written before PRECIS (name index keyed by NFKC + case folding) is re-keyed
    when it opens: "Straße" was "strasse", and is "straße" now."""
    secret = secrets.token_hex(32)
    app, auth = make_app(data_dir, clock, secret_key=secret)
    async with app.test_app():
        client = app.test_client()
        await setup(client, "Straße")
        assert await auth.context.store.name_owner("STRASSE") is None
    # rewrite the index as an earlier version left it
    env = lmdb.open(str(data_dir), max_dbs=20)
    with env.begin(write=True) as txn:
        names = env.open_db(b"name_db", txn=txn)
        meta = env.open_db(b"meta", txn=txn)
        owner = txn.get(compared_name("Straße").encode(), db=names)
        assert owner is not None
        txn.delete(compared_name("Straße").encode(), db=names)
        txn.put(legacy_key("Straße").encode(), owner, db=names)
        txn.delete(b"names_version", db=meta)
    env.close()
    app, auth = make_app(data_dir, clock, secret_key=secret)
    async with app.test_app():
        store = auth.context.store
        assert await store.name_owner("straße") == owner.decode()
        assert await store.name_owner("STRASSE") is None
        login = await app.test_client().post(
            "/api/auth/login", json={"name": "STRAßE", "password": PASSWORD}
        )
        assert login.status_code == 200


def test_the_compared_form_is_one_function() -> None:
    assert parse_name(" Zoë  Smith ").compared == compared_name("zoë smith") == "zoë smith"
    # a string the rules refuse has a form too (for counters), which no valid name has
    assert compared_name("Zo\ufe0fe") != compared_name("Zoe")
    assert compared_name("a\ud800").encode()  # a lone surrogate never breaks a key
