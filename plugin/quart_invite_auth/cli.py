"""`quart invite-auth …`: bootstrap the first root, issue invites, set up the first login."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec

import click
from quart.cli import ScriptInfo

from .errors import ProblemError
from .services.housekeeping import purge_expired
from .services.housekeeping import reseal as reseal_store
from .store.kv import StoreStartupError

P = ParamSpec("P")


def _with_store(
    command: Callable[Concatenate[Any, P], Awaitable[None]],
) -> Callable[P, None]:
    """Run an async command with the extension's store open, inside the app context.

    Quart's own `with_appcontext` keeps an event loop running around the command, which
    would forbid the command's own `asyncio.run`; this runs one loop for both."""

    @click.pass_context
    def wrapper(click_ctx: click.Context, /, *args: P.args, **kwargs: P.kwargs) -> None:
        app = click_ctx.ensure_object(ScriptInfo).load_app()

        async def run() -> None:
            async with app.app_context():
                ext = app.extensions["invite_auth"]
                try:
                    await ext.open()
                except StoreStartupError as err:
                    raise click.ClickException(str(err)) from None
                try:
                    await command(ext, *args, **kwargs)
                except ProblemError as err:
                    raise click.ClickException(f"{err.code.code}: {err.detail}") from err
                finally:
                    await ext.close()

        asyncio.run(run())

    return functools.update_wrapper(wrapper, command)


@click.group("invite-auth", help="Administer invite-auth (accounts, invites, logins).")
def cli_group() -> None:
    pass


@cli_group.command(help="Print a one-time privileged invite for the first root account.")
@click.option("--account", default="root", show_default=True, help="The root account's name.")
@_with_store
async def bootstrap(ext: Any, account: str) -> None:
    token = await ext.bootstrap_invite(account)
    click.echo(f"One-time root invite for account {account!r}:\n{token}")


@cli_group.command("issue-invite", help="Issue an invite token for a site owner.")
@click.option("--account", required=True, help="The account name the invite is for.")
@click.option("--domain", default=None, help="The domain the account will own.")
@click.option("--privileged", is_flag=True, help="The account may invite others.")
@click.option("--ttl", type=float, default=None, help="Lifetime in seconds.")
@click.option("--claims", default=None, help="Custom claims as a JSON object.")
@_with_store
async def issue_invite(
    ext: Any,
    account: str,
    domain: str | None,
    privileged: bool,
    ttl: float | None,
    claims: str | None,
) -> None:
    try:
        custom = json.loads(claims) if claims else None
    except json.JSONDecodeError as err:
        raise click.BadParameter(f"not JSON: {err}", param_hint="--claims") from err
    if custom is not None and not isinstance(custom, dict):
        raise click.BadParameter("must be a JSON object", param_hint="--claims")
    token = await ext.issue_invite(
        account=account, domain=domain, privileged=privileged, claims=custom, ttl=ttl
    )
    click.echo(token)


@cli_group.command(help="Create the first login (seed 003 initial setup).")
@click.option("--name", required=True, help="The login's name.")
@click.password_option(help="The login's password (prompted when omitted).")
@_with_store
async def setup(ext: Any, name: str, password: str) -> None:
    created = await ext.initial_setup(name=name, password=password)
    click.echo(f"Created login {created.principal.name!r} ({created.principal.id}).")


@cli_group.command(help="Delete expired invites, pending states, sessions and counters.")
@_with_store
async def purge(ext: Any) -> None:
    removed = await purge_expired(ext.context)
    click.echo(f"Removed {removed} expired record(s).")


@cli_group.command(
    help="After a rotation of the secret key, re-encrypt everything the old secrets sealed. "
    "Old secrets can then leave INVITE_AUTH_SECRET_KEY_FALLBACKS (invite tokens they "
    "signed stop working then: let them expire first, or issue new ones)."
)
@_with_store
async def reseal(ext: Any) -> None:
    count = await reseal_store(ext.context)
    click.echo(f"Sealed {count} record(s) again under the current secret key.")


@cli_group.command(
    help="Create or upgrade the PostgreSQL schema (servers also do this when they start)."
)
@click.pass_context
def migrate(click_ctx: click.Context) -> None:
    app = click_ctx.ensure_object(ScriptInfo).load_app()
    settings = app.extensions["invite_auth"].settings
    if settings.database_url is None:
        click.echo("The store is LMDB (INVITE_AUTH_DATABASE_URL is not set): nothing to migrate.")
        return
    from .store.postgres_backend import migrate_database

    schema = settings.database_schema
    try:
        before, after = asyncio.run(migrate_database(settings.database_url, schema))
    except StoreStartupError as err:
        raise click.ClickException(str(err)) from None
    if before == after:
        click.echo(f"PostgreSQL schema {schema!r} is up to date (version {after}).")
    else:
        click.echo(f"PostgreSQL schema {schema!r} migrated from version {before} to {after}.")


@cli_group.command(help="Print the audit log as JSON lines.")
@_with_store
async def audit(ext: Any) -> None:
    for event in await ext.context.store.audit_events():
        click.echo(event.to_json().decode())
