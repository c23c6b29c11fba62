"""Helpers for host test suites: accounts made directly in the store, and test clients
that are logged in, without running OPAQUE or Argon2id.

    from quart_invite_auth.testing import authenticated_client, create_account

    async def test_dashboard(app):
        async with app.test_app():
            alice = await create_account(app, "alice")
            client = app.test_client()
            async with authenticated_client(client, alice):
                assert (await client.get("/dashboard")).status_code == 200

The store must be open (inside `app.test_app()`, or after `await auth.open()`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from quart import Quart
from quart.typing import TestClientProtocol

from .access import Account
from .extension import EXTENSION_KEY, InviteAuth
from .names import validate_account_name, validate_domain, validate_login_name
from .services.context import new_id
from .services.sessions import hash_token, new_session
from .store.records import Principal


def _extension(app: Quart) -> InviteAuth:
    auth: InviteAuth = app.extensions[EXTENSION_KEY]
    return auth


async def create_account(
    app: Quart,
    name: str,
    *,
    kind: Literal["opaque", "password"] = "password",
    privileged: bool = False,
    domain: str | None = None,
    password: str | None = None,
) -> Account:
    """Make an account (kind "opaque", seed 000) or a login (kind "password", seed 003)
    straight in the store. It can be logged in with `authenticated_client` or
    `session_headers`; a "password" login made with `password` can also log in over
    the API (that hashes the password with the configured Argon2id once)."""
    auth = _extension(app)
    context = auth.context
    valid = validate_account_name(name) if kind == "opaque" else validate_login_name(name)
    password_hash = None
    if password is not None:
        if kind != "password":
            raise ValueError("only password logins have a password on the server (OPAQUE)")
        assert auth.passwords is not None
        password_hash = await auth.passwords.hash(password)
    principal = Principal(
        id=new_id("L"),
        name=valid.shown,
        kind=kind,
        created_at=context.now(),
        privileged=privileged,
        domain=None if domain is None else validate_domain(domain),
        password_hash=password_hash,
    )
    event = context.event(
        "account_created", principal_id=principal.id, name=principal.name, method="testing"
    )
    await context.store.add_principal(principal, [event])
    return Account.from_principal(principal)


async def session_token(app: Quart, account: Account) -> str:
    """A new session for `account`; its token works as a bearer token or as the cookie."""
    context = _extension(app).context
    principal = await context.store.get_principal(account.id)
    if principal is None:
        raise LookupError(f"no account {account.id!r}")
    issued, session = new_session(context, principal)
    await context.store.put_session(session)
    return issued.token


async def session_headers(app: Quart, account: Account) -> dict[str, str]:
    """`Authorization: Bearer` headers of a new session for `account`."""
    return {"Authorization": f"Bearer {await session_token(app, account)}"}


@asynccontextmanager
async def authenticated_client(
    client: TestClientProtocol, account: Account, *, server_name: str = "localhost"
) -> AsyncIterator[TestClientProtocol]:
    """Within the block, `client` carries the identity cookie of a new session for
    `account` (HTTP and websocket requests); afterwards the session is revoked and the
    cookie dropped."""
    app: Any = client.app
    auth = _extension(app)
    cookie = auth.settings.cookie_name if auth.settings is not None else "identity"
    token = await session_token(app, account)
    client.set_cookie(server_name, cookie, token)
    try:
        yield client
    finally:
        client.delete_cookie(server_name, cookie)
        await auth.context.store.delete_session(hash_token(token))
