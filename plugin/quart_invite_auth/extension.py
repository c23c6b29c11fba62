"""The Quart extension: `InviteAuth(app)` or `InviteAuth().init_app(app)`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
from collections.abc import Sequence
from typing import Any

from quart import Quart

from invite_auth.opaque import ServerSetup

from . import signals
from .access import Account
from .config import Settings
from .errors import ErrorCode, ProblemError
from .http import accounts, admin, invitations, pages, proof, self_service, spec
from .http.common import install_error_handlers
from .http.docs import adopt_quart_schema
from .keyring import Keyring, secret_from_config
from .services.context import AuthContext, Clock
from .services.housekeeping import sweep
from .services.invitations import LoginCreated, initial_setup
from .services.invites import issue_invite
from .services.passwords import Passwords
from .store.core import Store
from .store.kv import Backend, StoreStartupError
from .store.lmdb_backend import LmdbBackend
from .store.records import AuditEvent

EXTENSION_KEY = "invite_auth"
log = logging.getLogger("quart_invite_auth")


class InviteAuth:
    """Mounts the accounts (seed 000) and invitations (seed 003) APIs on a Quart app.

    Settings come from keyword arguments, then `app.config["INVITE_AUTH_*"]`, then the
    defaults in `Settings`. The store opens when serving starts and closes when it stops,
    so every worker process opens its own handle on the shared LMDB directory, or its own
    connection pool to the shared PostgreSQL database.
    """

    def __init__(self, app: Quart | None = None, *, clock: Clock | None = None, **settings: Any):
        self._overrides = settings
        self._clock = clock
        self._context: AuthContext | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self.settings: Settings | None = None
        self.passwords: Passwords | None = None
        self.app: Quart | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Quart) -> None:
        self.app = app
        self.settings = settings = Settings.resolve(app.config, self._overrides)
        self.passwords = Passwords(settings)
        app.extensions[EXTENSION_KEY] = self
        for prefix, module in (
            (settings.accounts_prefix, accounts),
            # fresh-proof operations and MFA recovery, under the accounts prefix too
            (settings.accounts_prefix, proof),
            (settings.invitations_prefix, invitations),
            # administration lives under the accounts surface: /accounts/admin/...
            (settings.accounts_prefix, admin),
        ):
            if prefix is None:
                continue
            bp = module.create_blueprint()
            install_error_handlers(bp)
            app.register_blueprint(bp, url_prefix=prefix)
        # Self-service: one's own sessions (either surface) and invitations (seed 003).
        self_service.install_converters(app)
        for prefix, create in (
            (settings.accounts_prefix, self_service.create_sessions_blueprint),
            (settings.invitations_prefix, self_service.create_invitations_blueprint),
        ):
            if prefix is None:
                continue
            bp = create()
            install_error_handlers(bp)
            app.register_blueprint(bp, url_prefix=prefix)
        if settings.spec_path is not None:
            app.register_blueprint(spec.create_blueprint(settings.spec_path))
        if settings.pages_prefix is not None:
            # HTML pages: their own error pages and security headers, not problem+json.
            app.register_blueprint(
                pages.create_blueprint(settings), url_prefix=settings.pages_prefix
            )
        # A host that documents its app with quart-schema gets our routes in its document;
        # QuartSchema(app) may come before or after us, so look again when serving starts.
        adopt_quart_schema(app, settings.cookie_name)
        app.before_serving(self._open)
        app.after_serving(self._close)
        from .cli import cli_group

        app.cli.add_command(cli_group)

    # -- lifecycle -------------------------------------------------------------------

    @property
    def context(self) -> AuthContext:
        if self._context is None:
            raise RuntimeError(
                "InviteAuth is not open: the app is not serving (use app.test_app())"
            )
        return self._context

    def data_dir(self) -> str:
        assert self.app is not None
        assert self.settings is not None
        return self.settings.data_dir or os.path.join(self.app.instance_path, "invite-auth")

    async def open(self) -> AuthContext:
        """Open the store and load (or create) the OPAQUE server setup."""
        if self._context is not None:
            return self._context
        assert self.settings is not None
        settings = self.settings
        secret = settings.secret_key
        assert secret  # Settings.validate refused a missing one
        keyring = Keyring(
            secret_from_config(secret),
            [secret_from_config(s) for s in settings.secret_key_fallbacks],
        )
        store = Store(await self._backend(), keyring)
        setup = ServerSetup.from_bytes(
            await store.server_setup(lambda: ServerSetup.generate().to_bytes())
        )
        await store.migrate_names()
        store.on_commit = self._committed
        context = AuthContext(settings=settings, store=store, keyring=keyring, setup=setup)
        if self._clock is not None:
            context.clock = self._clock
        self._context = context
        return context

    async def _backend(self) -> Backend:
        """PostgreSQL when a database URL is set (several servers), else LMDB."""
        assert self.settings is not None
        settings = self.settings
        if settings.database_url is None:
            return LmdbBackend(
                self.data_dir(), map_size=settings.map_size, max_map_size=settings.max_map_size
            )
        from .store.postgres_backend import PostgresBackend

        return await PostgresBackend.open(
            settings.database_url,
            schema=settings.database_schema,
            pool_size=settings.database_pool_size,
            timeout=settings.database_timeout,
        )

    async def close(self) -> None:
        if self._context is not None:
            context, self._context = self._context, None
            await context.store.close()

    async def _committed(self, events: Sequence[AuditEvent]) -> None:
        await signals.send(self.app, events)

    async def _open(self) -> None:
        assert self.app is not None
        assert self.settings is not None
        adopt_quart_schema(self.app, self.settings.cookie_name)
        try:
            context = await self.open()
        except StoreStartupError as exc:
            # The message says it all; our frames under it would only hide it.
            raise exc.with_traceback(None) from None
        if context.settings.purge_interval > 0:
            self._sweeper = asyncio.create_task(self._sweep(context))

    async def _close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        await self.close()

    async def _sweep(self, context: AuthContext) -> None:
        interval = context.settings.purge_interval
        # Jitter, so the workers sharing a data directory do not all sweep at once.
        await asyncio.sleep(interval * random.uniform(0.5, 1.0))  # noqa: S311
        while True:
            try:
                await sweep(context)
            except Exception:
                log.exception("invite-auth: the sweep (health checks, purge) failed")
            await asyncio.sleep(interval)

    # -- Python API for privileged server-side code ------------------------------------

    async def get_account(self, account_id: str) -> Account | None:
        """The account or login with this id (as in `SecurityEvent.account_id`)."""
        principal = await self.context.store.get_principal(account_id)
        return None if principal is None else Account.from_principal(principal)

    async def account_by_name(self, name: str) -> Account | None:
        """The account or login with this name (compared as names are everywhere)."""
        principal = await self.context.store.principal_by_name(name)
        return None if principal is None else Account.from_principal(principal)

    async def issue_invite(
        self,
        *,
        account: str,
        domain: str | None = None,
        privileged: bool = False,
        claims: dict[str, Any] | None = None,
        ttl: float | None = None,
    ) -> str:
        """Mint an invite token, as the seed's privileged Ordinary Action does."""
        token, _ = await issue_invite(
            self.context,
            account=account,
            domain=domain,
            privileged=privileged,
            claims=claims,
            ttl=ttl,
        )
        return token

    async def bootstrap_invite(self, account: str = "root", ttl: float | None = None) -> str:
        """A one-time privileged invite for the first root account."""
        context = self.context
        if await context.store.has_privileged():
            raise ProblemError(ErrorCode.ACCOUNT_EXISTS, "a privileged account already exists")
        token, _ = await issue_invite(
            context, account=account, domain=None, privileged=True, ttl=ttl
        )
        return token

    async def initial_setup(self, *, name: str, password: str) -> LoginCreated:
        """Create the first login (seed 003), as `POST /api/setup` does."""
        assert self.passwords is not None
        return await initial_setup(self.context, self.passwords, name=name, password=password)
