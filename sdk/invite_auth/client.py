"""`Client` and `AsyncClient`: the invite-auth API with the OPAQUE handshake done for you.

    from invite_auth import Client

    with Client("https://auth.example.com") as client:
        registration = client.register(invite_token, "owner", password)
        client.login("owner", password, totp_code="123456")
        print(client.me())

Both clients keep the session they log in with and send it as a bearer token, and the
device token the server gives on every login, which they send with the next login so that
failed guesses by others cannot lock them out (keep `client.device_token` across runs, and
pass it back with `Client(url, device_token=...)`). Every error answer raises a subclass of
`invite_auth.errors.InviteAuthError`, one per problem code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from . import _flows as flows
from ._generated.client import AuthenticatedClient
from .admin import Admin, AsyncAdmin
from .errors import ApiError, InviteAuthError, ProtocolError, error_from_problem
from .opaque import KSF, Argon2idKSF
from .results import (
    Account,
    Invitation,
    InvitationDetails,
    Login,
    OutstandingInvitation,
    PasswordChanged,
    Registration,
    Session,
    SessionInfo,
    SiteInvite,
    TotpEnrollment,
)

T = TypeVar("T")

DEFAULT_TIMEOUT = 30.0
DEFAULT_COOKIE_NAME = "identity"


def default_ksf() -> KSF:
    """Argon2id t=3, m=64 MiB, p=4: the interoperable default (`@serenity-kit/opaque`)."""
    return Argon2idKSF()


def _error(response: httpx.Response) -> InviteAuthError:
    retry_after = response.headers.get("Retry-After")
    try:
        problem = json.loads(response.content)
    except ValueError:
        problem = None
    if not isinstance(problem, dict):
        # Not ours: e.g. the host app's own 404 page, or a proxy's 502.
        text = response.text[:200].strip()
        return ApiError(
            f"HTTP {response.status_code}{': ' + text if text else ''}",
            status=response.status_code,
        )
    return error_from_problem(response.status_code, problem, retry_after)


def _raise_for_problem(response: httpx.Response) -> None:
    if response.status_code >= 400:
        response.read()
        raise _error(response)


async def _araise_for_problem(response: httpx.Response) -> None:
    if response.status_code >= 400:
        await response.aread()
        raise _error(response)


@contextlib.contextmanager
def _parsing(call: flows.Call) -> Iterator[None]:
    """A 2xx body the generated models cannot read is the server breaking the contract."""
    try:
        yield
    except (KeyError, TypeError, ValueError) as exc:
        name = call.endpoint.__name__.rsplit(".", 1)[-1]
        raise ProtocolError(f"{name}: the server's answer does not match the API: {exc!r}") from exc


def _step(flow: flows.Flow[Any], sent: Any) -> tuple[bool, Any]:
    """Advance a flow; (True, result) when it returns. An asyncio future cannot carry
    StopIteration out of a worker thread, so the return is turned into a value here."""
    try:
        return False, flow.send(sent)
    except StopIteration as done:
        return True, done.value


class _Base:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None,
        ksf: KSF | None,
        cookie_name: str,
        device_token: str | None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.ksf: KSF = ksf if ksf is not None else default_ksf()
        self.cookie_name = cookie_name
        self._token = token
        # The device token of the last login: sent with the next one (see the module doc).
        self.device_token = device_token
        self._api = AuthenticatedClient(base_url=self.base_url, token=token or "")

    @property
    def token(self) -> str | None:
        """The session's bearer token, or None when logged out."""
        return self._token

    def _remember_device(self, session: Session) -> None:
        if session.device_token:
            self.device_token = session.device_token

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _httpx_options(
        self, timeout: float | httpx.Timeout, headers: Mapping[str, str] | None
    ) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "timeout": timeout,
            "headers": {"Accept": "application/json", **(headers or {})},
            "follow_redirects": False,
        }


class Client(_Base):
    """Synchronous client. Use as a context manager, or call `close()`."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ksf: KSF | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        cookie_name: str = DEFAULT_COOKIE_NAME,
        transport: httpx.BaseTransport | None = None,
        verify: bool | str = True,
        device_token: str | None = None,
    ) -> None:
        super().__init__(
            base_url, token=token, ksf=ksf, cookie_name=cookie_name, device_token=device_token
        )
        self._http = httpx.Client(
            **self._httpx_options(timeout, headers),
            transport=transport,
            verify=verify,
            event_hooks={"response": [_raise_for_problem]},
        )
        self._api.set_httpx_client(self._http)
        self._use_token(token)
        # Administration, for privileged accounts (invite_auth.admin).
        self.admin = Admin(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _use_token(self, token: str | None) -> None:
        self._token = token
        self._http.headers.pop("Authorization", None)
        self._http.headers.update(self._auth_headers())

    def _run(self, flow: flows.Flow[T]) -> T:
        try:
            call = next(flow)
            while True:
                with _parsing(call):
                    response = call.endpoint.sync_detailed(client=self._api, **call.kwargs)
                call = flow.send(response)
        except StopIteration as done:
            result: T = done.value
            return result

    # -- accounts (seed 000) -----------------------------------------------------------

    def register(self, invite_token: str, account: str, password: str) -> Registration:
        """Register with OPAQUE; returns the opened MFA secrets (show them once)."""
        return self._run(flows.register(invite_token, account, password, self.ksf))

    def login(
        self,
        account: str,
        password: str,
        *,
        totp_code: str | None = None,
        recovery_code: str | None = None,
    ) -> Session:
        """OPAQUE login plus one second factor; keeps the session for later calls."""
        session = self._run(
            flows.login(
                account,
                password,
                self.ksf,
                totp_code=totp_code,
                recovery_code=recovery_code,
                device_token=self.device_token,
            )
        )
        self._use_token(session.token)
        self._remember_device(session)
        return session

    def create_site_invite(self, domain: str, account: str) -> SiteInvite:
        """Mint an invite token for a site owner (privileged accounts only)."""
        return self._run(flows.site_invite(domain, account))

    def me(self) -> Account:
        return self._run(flows.me())

    def logout(self) -> None:
        """Revoke the session on the server and forget it here."""
        try:
            self._run(flows.end_session())
        finally:
            self._use_token(None)

    # -- invitations (seed 003) --------------------------------------------------------

    def create_invitation(self) -> Invitation:
        return self._run(flows.new_invitation())

    def show_invitation(self, invitation_id: str) -> InvitationDetails:
        return self._run(flows.show_invitation(invitation_id))

    def accept_invitation(self, invitation_id: str, name: str, password: str) -> Login:
        """Create a login from an invitation; the client is then logged in as it."""
        login, session = self._run(flows.accept(invitation_id, name, password, self.cookie_name))
        self._use_token(session.token)
        self._remember_device(session)
        return login

    def initial_setup(self, name: str, password: str) -> Login:
        """Create the first login (only while none exists); logs in as it."""
        login, session = self._run(flows.setup(name, password, self.cookie_name))
        self._use_token(session.token)
        self._remember_device(session)
        return login

    def password_login(self, name: str, password: str) -> Login:
        login, session = self._run(
            flows.login_with_password(name, password, self.cookie_name, self.device_token)
        )
        self._use_token(session.token)
        self._remember_device(session)
        return login

    def password_logout(self) -> None:
        try:
            self._run(flows.end_session(password_surface=True))
        finally:
            self._use_token(None)

    # -- self-service: own sessions, invitations and password ----------------------------

    def sessions(self) -> list[SessionInfo]:
        """Your live sessions (either surface), oldest first; `current` marks this one."""
        return self._run(flows.own_sessions())

    def revoke_session(self, session_id: str) -> None:
        """End one of your sessions by its id; revoking this one logs this client out."""
        if self._run(flows.end_own_session(session_id, self.cookie_name)):
            self._use_token(None)

    def revoke_other_sessions(self) -> int:
        """End every session but this one; returns how many ended."""
        return self._run(flows.end_other_sessions())

    def invitations(self) -> list[OutstandingInvitation]:
        """The invitations you issued that are still outstanding (seed 003)."""
        return self._run(flows.own_invitations())

    def revoke_invitation(self, invitation_id: str) -> None:
        """Revoke one of your outstanding invitations, by its id or its ref."""
        self._run(flows.end_invitation(invitation_id))

    def change_login_password(self, current_password: str, new_password: str) -> int:
        """Change a password login's password (seed 003); the other sessions end. Returns
        how many ended."""
        return self._run(
            flows.new_login_password(current_password, new_password, self.device_token)
        )

    # -- behind a fresh OPAQUE proof (seed 000 accounts), and MFA recovery ------------

    def change_password(
        self,
        current_password: str,
        new_password: str,
        *,
        totp_code: str | None = None,
        recovery_code: str | None = None,
    ) -> PasswordChanged:
        """Prove the current password and a second factor, then register the new
        password (new OPAQUE record, new sealing key). The account's other sessions end;
        this one stays."""
        return self._run(
            flows.password_change(
                current_password,
                new_password,
                self.ksf,
                totp_code=totp_code,
                recovery_code=recovery_code,
                device_token=self.device_token,
            )
        )

    def regenerate_recovery_codes(
        self, password: str, *, totp_code: str | None = None, recovery_code: str | None = None
    ) -> list[str]:
        """Ten new recovery codes (show them once); the old ones stop working."""
        return self._run(
            flows.recovery_codes_regeneration(
                password,
                self.ksf,
                totp_code=totp_code,
                recovery_code=recovery_code,
                device_token=self.device_token,
            )
        )

    def start_totp_reenrollment(
        self, password: str, *, totp_code: str | None = None, recovery_code: str | None = None
    ) -> TotpEnrollment:
        """A new TOTP secret; it replaces the old one at `confirm_totp_reenrollment`."""
        return self._run(
            flows.totp_reenrollment(
                password,
                self.ksf,
                totp_code=totp_code,
                recovery_code=recovery_code,
                device_token=self.device_token,
            )
        )

    def confirm_totp_reenrollment(self, code: str) -> Account:
        """Confirm the new TOTP secret with a code made from it."""
        return self._run(flows.totp_confirmation(code))

    def recover_mfa(self, recovery_invite: str, account: str, password: str) -> Registration:
        """With a recovery invite from an MFA reset: prove the password, receive a new
        TOTP secret and new recovery codes (the old ones stop working). No session."""
        return self._run(
            flows.mfa_recovery(
                recovery_invite, account, password, self.ksf, device_token=self.device_token
            )
        )


class AsyncClient(_Base):
    """Asynchronous client; the OPAQUE steps and the KSF run in a worker thread."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ksf: KSF | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        cookie_name: str = DEFAULT_COOKIE_NAME,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool | str = True,
        device_token: str | None = None,
    ) -> None:
        super().__init__(
            base_url, token=token, ksf=ksf, cookie_name=cookie_name, device_token=device_token
        )
        self._http = httpx.AsyncClient(
            **self._httpx_options(timeout, headers),
            transport=transport,
            verify=verify,
            event_hooks={"response": [_araise_for_problem]},
        )
        self._api.set_async_httpx_client(self._http)
        self._use_token(token)
        # Administration, for privileged accounts (invite_auth.admin).
        self.admin = AsyncAdmin(self)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def _use_token(self, token: str | None) -> None:
        self._token = token
        self._http.headers.pop("Authorization", None)
        self._http.headers.update(self._auth_headers())

    async def _run(self, flow: flows.Flow[T]) -> T:
        # Each step between two requests may run the KSF (Argon2id, ~0.1 s): off the loop.
        done, value = await asyncio.to_thread(_step, flow, None)
        while not done:
            call: flows.Call = value
            with _parsing(call):
                response = await call.endpoint.asyncio_detailed(client=self._api, **call.kwargs)
            done, value = await asyncio.to_thread(_step, flow, response)
        result: T = value
        return result

    # -- accounts (seed 000) -----------------------------------------------------------

    async def register(self, invite_token: str, account: str, password: str) -> Registration:
        """Register with OPAQUE; returns the opened MFA secrets (show them once)."""
        return await self._run(flows.register(invite_token, account, password, self.ksf))

    async def login(
        self,
        account: str,
        password: str,
        *,
        totp_code: str | None = None,
        recovery_code: str | None = None,
    ) -> Session:
        """OPAQUE login plus one second factor; keeps the session for later calls."""
        session = await self._run(
            flows.login(
                account,
                password,
                self.ksf,
                totp_code=totp_code,
                recovery_code=recovery_code,
                device_token=self.device_token,
            )
        )
        self._use_token(session.token)
        self._remember_device(session)
        return session

    async def create_site_invite(self, domain: str, account: str) -> SiteInvite:
        return await self._run(flows.site_invite(domain, account))

    async def me(self) -> Account:
        return await self._run(flows.me())

    async def logout(self) -> None:
        try:
            await self._run(flows.end_session())
        finally:
            self._use_token(None)

    # -- invitations (seed 003) --------------------------------------------------------

    async def create_invitation(self) -> Invitation:
        return await self._run(flows.new_invitation())

    async def show_invitation(self, invitation_id: str) -> InvitationDetails:
        return await self._run(flows.show_invitation(invitation_id))

    async def accept_invitation(self, invitation_id: str, name: str, password: str) -> Login:
        login, session = await self._run(
            flows.accept(invitation_id, name, password, self.cookie_name)
        )
        self._use_token(session.token)
        self._remember_device(session)
        return login

    async def initial_setup(self, name: str, password: str) -> Login:
        login, session = await self._run(flows.setup(name, password, self.cookie_name))
        self._use_token(session.token)
        self._remember_device(session)
        return login

    async def password_login(self, name: str, password: str) -> Login:
        login, session = await self._run(
            flows.login_with_password(name, password, self.cookie_name, self.device_token)
        )
        self._use_token(session.token)
        self._remember_device(session)
        return login

    async def password_logout(self) -> None:
        try:
            await self._run(flows.end_session(password_surface=True))
        finally:
            self._use_token(None)

    # -- self-service: own sessions, invitations and password ----------------------------

    async def sessions(self) -> list[SessionInfo]:
        """Your live sessions (either surface), oldest first; `current` marks this one."""
        return await self._run(flows.own_sessions())

    async def revoke_session(self, session_id: str) -> None:
        """End one of your sessions by its id; revoking this one logs this client out."""
        if await self._run(flows.end_own_session(session_id, self.cookie_name)):
            self._use_token(None)

    async def revoke_other_sessions(self) -> int:
        """End every session but this one; returns how many ended."""
        return await self._run(flows.end_other_sessions())

    async def invitations(self) -> list[OutstandingInvitation]:
        """The invitations you issued that are still outstanding (seed 003)."""
        return await self._run(flows.own_invitations())

    async def revoke_invitation(self, invitation_id: str) -> None:
        """Revoke one of your outstanding invitations, by its id or its ref."""
        await self._run(flows.end_invitation(invitation_id))

    async def change_login_password(self, current_password: str, new_password: str) -> int:
        """Change a password login's password (seed 003); the other sessions end. Returns
        how many ended."""
        return await self._run(
            flows.new_login_password(current_password, new_password, self.device_token)
        )

    # -- behind a fresh OPAQUE proof (seed 000 accounts), and MFA recovery ------------

    async def change_password(
        self,
        current_password: str,
        new_password: str,
        *,
        totp_code: str | None = None,
        recovery_code: str | None = None,
    ) -> PasswordChanged:
        """Prove the current password and a second factor, then register the new
        password (new OPAQUE record, new sealing key). The account's other sessions end;
        this one stays."""
        return await self._run(
            flows.password_change(
                current_password,
                new_password,
                self.ksf,
                totp_code=totp_code,
                recovery_code=recovery_code,
                device_token=self.device_token,
            )
        )

    async def regenerate_recovery_codes(
        self, password: str, *, totp_code: str | None = None, recovery_code: str | None = None
    ) -> list[str]:
        """Ten new recovery codes (show them once); the old ones stop working."""
        return await self._run(
            flows.recovery_codes_regeneration(
                password,
                self.ksf,
                totp_code=totp_code,
                recovery_code=recovery_code,
                device_token=self.device_token,
            )
        )

    async def start_totp_reenrollment(
        self, password: str, *, totp_code: str | None = None, recovery_code: str | None = None
    ) -> TotpEnrollment:
        """A new TOTP secret; it replaces the old one at `confirm_totp_reenrollment`."""
        return await self._run(
            flows.totp_reenrollment(
                password,
                self.ksf,
                totp_code=totp_code,
                recovery_code=recovery_code,
                device_token=self.device_token,
            )
        )

    async def confirm_totp_reenrollment(self, code: str) -> Account:
        """Confirm the new TOTP secret with a code made from it."""
        return await self._run(flows.totp_confirmation(code))

    async def recover_mfa(self, recovery_invite: str, account: str, password: str) -> Registration:
        """With a recovery invite from an MFA reset: prove the password, receive a new
        TOTP secret and new recovery codes (the old ones stop working). No session."""
        return await self._run(
            flows.mfa_recovery(
                recovery_invite, account, password, self.ksf, device_token=self.device_token
            )
        )
