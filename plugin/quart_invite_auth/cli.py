"""`quart invite-auth …`: bootstrap the first root, issue invites, set up the first login."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from quart import current_app
from quart.cli import with_appcontext

from .errors import ProblemError
from .services.context import AuthContext
from .services.invitations import initial_setup


@contextmanager
def _opened() -> Iterator[Any]:
    ext = current_app.extensions["invite_auth"]
    ext.open()
    try:
        yield ext
    finally:
        ext.close()


def _fail(err: ProblemError) -> None:
    raise click.ClickException(f"{err.code.code}: {err.detail}")


@click.group("invite-auth", help="Administer invite-auth (accounts, invites, logins).")
def cli_group() -> None:
    pass


@cli_group.command(help="Print a one-time privileged invite for the first root account.")
@click.option("--account", default="root", show_default=True, help="The root account's name.")
@with_appcontext
def bootstrap(account: str) -> None:
    with _opened() as ext:
        try:
            token = ext.bootstrap_invite(account)
        except ProblemError as err:
            _fail(err)
            return
    click.echo(f"One-time root invite for account {account!r}:\n{token}")


@cli_group.command("issue-invite", help="Issue an invite token for a site owner.")
@click.option("--account", required=True, help="The account name the invite is for.")
@click.option("--domain", default=None, help="The domain the account will own.")
@click.option("--privileged", is_flag=True, help="The account may invite others.")
@click.option("--ttl", type=float, default=None, help="Lifetime in seconds.")
@click.option("--claims", default=None, help="Custom claims as a JSON object.")
@with_appcontext
def issue_invite(
    account: str, domain: str | None, privileged: bool, ttl: float | None, claims: str | None
) -> None:
    custom = json.loads(claims) if claims else None
    if custom is not None and not isinstance(custom, dict):
        raise click.BadParameter("must be a JSON object", param_hint="--claims")
    with _opened() as ext:
        try:
            token = asyncio.run(
                ext.issue_invite(
                    account=account, domain=domain, privileged=privileged, claims=custom, ttl=ttl
                )
            )
        except ProblemError as err:
            _fail(err)
            return
    click.echo(token)


@cli_group.command(help="Create the first login (seed 003 initial setup).")
@click.option("--name", required=True, help="The login's name.")
@click.password_option(help="The login's password (prompted when omitted).")
@with_appcontext
def setup(name: str, password: str) -> None:
    with _opened() as ext:
        context: AuthContext = ext.context
        try:
            created = asyncio.run(
                initial_setup(context, ext.passwords, name=name, password=password)
            )
        except ProblemError as err:
            _fail(err)
            return
    click.echo(f"Created login {created.principal.name!r} ({created.principal.id}).")


@cli_group.command(help="Print the audit log as JSON lines.")
@with_appcontext
def audit() -> None:
    with _opened() as ext:
        for event in ext.context.store.audit_events():
            click.echo(event.to_json().decode())
