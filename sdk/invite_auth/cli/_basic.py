"""Register, log in and out, invite: the subcommands a new user meets first."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import re
import shlex
import sys
from typing import TextIO
from urllib.parse import quote

import httpx
import segno

from ..errors import Unauthenticated
from ..results import Registration
from ._base import (
    Prompter,
    UsageError,
    client,
    invitation_id,
    invite_token,
    normalize_server,
    remember,
    server_of,
    sessions,
    when,
    write_json,
)

# Where the plugin may serve its pages: at the root (seed 003's /invite/<id>, as the example
# app does) or under its default prefix /auth. The client cannot read the server's setting,
# so it asks for the page itself (a GET that changes nothing) and names the one that answers.
PAGE_PREFIXES = ("", "/auth")
# The lifetime createInvitation documents; the page, when found, gives the server's own.
INVITATION_LIFETIME = datetime.timedelta(hours=24)
_UNTIL = re.compile(r'until <time datetime="([^"]+)"')


def find_page(args: argparse.Namespace, path: str, marker: str) -> tuple[str, str] | None:
    """The URL and HTML of the plugin's page `path` on the server, if it serves it."""
    server = server_of(args)
    with httpx.Client(timeout=min(args.timeout, 10.0), follow_redirects=False) as http:
        for prefix in PAGE_PREFIXES:
            url = f"{server}{prefix}{path}"
            try:
                page = http.get(url, headers={"Accept": "text/html"})
            except httpx.HTTPError:
                return None
            if (
                page.status_code == 200
                and page.headers.get("content-type", "").startswith("text/html")
                and marker in page.text
            ):
                return url, page.text
    return None


def print_registration(out: TextIO, registration: Registration) -> None:
    uri = registration.otpauth_uri
    out.write(f"Registered account {registration.account.name!r} ({registration.account.id}).\n\n")
    print_totp(out, uri, registration.totp_secret)
    print_recovery_codes(out, registration.recovery_codes)


def print_totp(out: TextIO, uri: str, secret: str) -> None:
    out.write("Add this to your authenticator app (scan the QR code, or enter the secret):\n\n")
    qr = segno.make(uri, error="m")
    qr.terminal(out=out, compact=True)
    out.write(f"\n  {uri}\n  secret: {secret}\n\n")


def print_recovery_codes(out: TextIO, codes: list[str]) -> None:
    out.write(
        "Recovery codes: each works once if you lose your authenticator. Store them now\n"
        "somewhere safe and offline; they are shown this one time only:\n\n"
    )
    for code in codes:
        out.write(f"  {code}\n")
    out.write("\n")


def _is_token(text: str) -> bool:
    try:
        invite_token(text)
    except UsageError:
        return False
    return True


def cmd_register(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    # A pasting mistake shows before the password prompt.
    try:
        token = invite_token(args.invite)
    except UsageError:
        if _is_token(args.account):
            raise UsageError(
                "the invite token comes first: invite-auth register TOKEN ACCOUNT"
            ) from None
        raise
    server_of(args)
    password = prompt.password(f"Password for {args.account}: ", confirm=True)
    with client(args, with_session=False) as api:
        registration = api.register(token, args.account, password)
    print_registration(out, registration)


def second_factor(args: argparse.Namespace, prompt: Prompter) -> dict[str, str]:
    """--totp-code or --recovery-code, or asked for."""
    totp_code = getattr(args, "totp_code", None)
    recovery_code = getattr(args, "recovery_code", None)
    if totp_code and recovery_code:
        raise UsageError("give --totp-code or --recovery-code, not both")
    if totp_code:
        return {"totp_code": totp_code}
    if recovery_code:
        return {"recovery_code": recovery_code}
    code = prompt.line("Authenticator code (or a recovery code): ", "the second factor")
    if not code:
        raise UsageError("a second factor is required")
    digits = code.replace(" ", "")
    return {"totp_code": digits} if digits.isdigit() else {"recovery_code": code}


def cmd_login(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    server_of(args)
    password = prompt.password(f"Password for {args.account}: ")
    mfa = second_factor(args, prompt)
    with client(args, with_session=False, device_for=args.account) as api:
        session = api.login(args.account, password, **mfa)
    remember(args, session.token, session.name, session.device_token)
    expires = f" until {when(session.expires_at)}" if session.expires_at else ""
    out.write(f"Logged in to {server_of(args)} as {session.name}{expires}.\n")


def cmd_password_login(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    server_of(args)
    password = prompt.password(f"Password for {args.name}: ")
    with client(args, with_session=False, device_for=args.name) as api:
        login = api.password_login(args.name, password)
        remember(args, api.token, login.name, api.device_token)
    out.write(f"Logged in to {server_of(args)} as {login.name}.\n")


def cmd_logout(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    entry = sessions(args).get(server_of(args))
    if entry is None or not entry.get("token"):
        out.write(f"Not logged in to {server_of(args)}.\n")
        return
    try:
        with client(args) as api:
            api.logout()
    except Unauthenticated:
        out.write(f"The session on {server_of(args)} had ended already; forgotten here.\n")
        return
    finally:
        remember(args, None, "")  # forget the token even if the server was unreachable
    out.write(f"Logged out of {server_of(args)}.\n")


def cmd_whoami(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        account = api.me()
    if args.json:
        write_json(
            out,
            {
                "id": account.id,
                "name": account.name,
                "kind": account.kind,
                "domain": account.domain,
                "privileged": account.privileged,
                "created_at": account.created_at,
                "server": server_of(args),
            },
        )
    else:
        out.write(f"{account.name}\n")


def command_line(*words: str) -> str:
    return shlex.join(["invite-auth", *words])


def cmd_invite(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        invite = api.create_site_invite(args.domain, args.account)
    server = server_of(args)
    page = find_page(args, f"/register?token={quote(invite.invite_token)}", 'id="register-form"')
    if args.json:
        write_json(
            out,
            {
                "invite_token": invite.invite_token,
                "domain": invite.domain,
                "account": invite.account,
                "expires_at": invite.expires_at,
                "register_command": command_line(
                    "register", invite.invite_token, invite.account, "--server", server
                ),
                "register_url": page[0] if page else None,
            },
        )
        return
    out.write(
        f"Invite token for account {invite.account!r} on {invite.domain}; it works once, "
        f"until {when(invite.expires_at)}:\n\n  {invite.invite_token}\n\n"
        "Give it to the site owner (it is a secret: over a private channel), who runs:\n\n"
        f"  {command_line('register', invite.invite_token, invite.account, '--server', server)}"
        "\n"
    )
    if page:
        out.write(f"\nor registers in a browser at:\n\n  {page[0]}\n")


def cmd_invitation_create(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        invitation = api.create_invitation()
    server = server_of(args)
    page = find_page(args, f"/invite/{invitation.id}", f'data-invitation="{invitation.id}"')
    expires_at = invitation.issued_at + INVITATION_LIFETIME
    if page and (until := _UNTIL.search(page[1])):
        with contextlib.suppress(ValueError):  # else the documented lifetime
            expires_at = datetime.datetime.fromisoformat(until.group(1))
    accept = command_line(
        "invitation", "accept", invitation.id, "--name", "NAME", "--server", server
    )
    if args.json:
        write_json(
            out,
            {
                "id": invitation.id,
                "issuer": invitation.issuer,
                "issued_at": invitation.issued_at,
                "expires_at": expires_at,
                "url": page[0] if page else None,
                "accept_command": accept,
            },
        )
        return
    out.write(f"Invitation {invitation.id}: it works once, until {when(expires_at)}.\n\n")
    if page:
        out.write(f"Send this link to the person you invite:\n\n  {page[0]}\n\nor they run:\n\n")
    else:
        out.write("The server shows no invitation page; the person you invite runs:\n\n")
    out.write(f"  {accept}\n")


def _invitation_server(args: argparse.Namespace, raw: str) -> str:
    """The invitation id; a link names its server when none is given (and a warning shows
    when the link's server is not the one given)."""
    found, origin = invitation_id(raw)
    if origin is not None:
        link_server = normalize_server(origin)
        if not args.server:
            args.server = link_server
        elif args.server != link_server and not args.server.startswith(link_server + "/"):
            print(
                f"invite-auth: note: the link is for {link_server}, asking {args.server}",
                file=sys.stderr,
            )
    return found


def cmd_invitation_show(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    found = _invitation_server(args, args.invitation)
    with client(args, with_session=False) as api:
        shown = api.show_invitation(found)
    if args.json:
        write_json(
            out,
            {
                "id": shown.id,
                "issuer_id": shown.issuer_id,
                "issuer_name": shown.issuer_name,
                "issued_at": shown.issued_at,
            },
        )
        return
    out.write(
        f"Invitation {shown.id} from {shown.issuer_name} ({shown.issuer_id}), "
        f"issued {when(shown.issued_at)}.\n"
    )


def cmd_invitation_accept(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    found = _invitation_server(args, args.invitation)  # checked before the password prompt
    server_of(args)
    password = prompt.password(f"Choose a password for {args.name}: ", confirm=True)
    with client(args, with_session=False) as api:
        login = api.accept_invitation(found, args.name, password)
        remember(args, api.token, login.name, api.device_token)
    out.write(f"Created login {login.name} ({login.id}); you are logged in to {args.server}.\n")


def cmd_setup(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    server_of(args)
    password = prompt.password(f"Choose a password for {args.name}: ", confirm=True)
    with client(args, with_session=False) as api:
        login = api.initial_setup(args.name, password)
        remember(args, api.token, login.name, api.device_token)
    out.write(f"Created the first login {login.name} ({login.id}); you are logged in.\n")
