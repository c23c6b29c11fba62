"""The `invite-auth` command: register, log in and invite from a terminal."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import httpx
import segno

from . import __version__
from .client import Client
from .errors import InviteAuthError
from .opaque import Argon2idKSF
from .results import Registration

SERVER_ENV = "INVITE_AUTH_SERVER"
CONFIG_ENV = "INVITE_AUTH_CONFIG_DIR"

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_INTERRUPTED = 130

EPILOG = f"""\
The server comes from --server or ${SERVER_ENV}. Passwords are always prompted without echo
(or read from standard input with --password-stdin), never taken from the command line.
A session is kept in $XDG_CONFIG_HOME/invite-auth/sessions.json (or ${CONFIG_ENV}),
readable only by you, with the device token of each name you logged in as (kept after
logout: it lets you log in even while someone else is guessing at your name).

exit codes: 0 success, 1 the server refused (the message says why), 2 usage error,
3 server unreachable, 130 interrupted.
"""


class UsageError(Exception):
    pass


# -- the session file --------------------------------------------------------------------


def config_dir() -> Path:
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "invite-auth"


@dataclass
class SessionStore:
    """Bearer tokens per server URL, in a file only the user can read."""

    path: Path

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read {self.path}: {exc}") from exc
        return data if isinstance(data, dict) else {}

    def get(self, server: str) -> dict[str, Any] | None:
        entry = self._load().get(server)
        return entry if isinstance(entry, dict) else None

    def put(self, server: str, entry: dict[str, Any] | None) -> None:
        data = self._load()
        if entry is None:
            data.pop(server, None)
        else:
            data[server] = entry
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        # Created 0600 from the start (not chmod-ed afterwards), then renamed into place.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


# -- prompting -------------------------------------------------------------------------


@dataclass
class Prompter:
    password_stdin: bool
    stdin: TextIO

    def password(self, prompt: str, confirm: bool = False) -> str:
        if self.password_stdin:
            line = self.stdin.readline()
            if not line:
                raise UsageError("--password-stdin: no password on standard input")
            return line.rstrip("\r\n")
        password = getpass.getpass(prompt)
        if not password:
            raise UsageError("an empty password is not allowed")
        if confirm and getpass.getpass("Repeat it: ") != password:
            raise UsageError("the passwords do not match")
        return password


# -- commands --------------------------------------------------------------------------


def _device_tokens(entry: dict[str, Any] | None) -> dict[str, str]:
    tokens = entry.get("device_tokens") if entry else None
    if not isinstance(tokens, dict):
        return {}
    return {k: v for k, v in tokens.items() if isinstance(k, str) and isinstance(v, str)}


def _client(
    args: argparse.Namespace, with_session: bool = True, device_for: str | None = None
) -> Client:
    """A client for the server; with the stored session, and with the device token kept
    for the name `device_for` (the one about to log in)."""
    if not args.server:
        raise UsageError(f"no server: give --server URL or set ${SERVER_ENV}")
    entry = _sessions(args).get(args.server)
    token = entry.get("token") if entry and with_session else None
    device_token = _device_tokens(entry).get(device_for.casefold()) if device_for else None
    ksf = Argon2idKSF(
        time_cost=args.ksf_time_cost,
        memory_cost=args.ksf_memory_cost,
        parallelism=args.ksf_parallelism,
    )
    return Client(
        args.server, token=token, ksf=ksf, timeout=args.timeout, device_token=device_token
    )


def _sessions(args: argparse.Namespace) -> SessionStore:
    return SessionStore(config_dir() / "sessions.json")


def _remember(
    args: argparse.Namespace, token: str | None, name: str, device_token: str | None = None
) -> None:
    """Keep (or, with no token, forget) the session; device tokens stay, one per name."""
    sessions = _sessions(args)
    devices = _device_tokens(sessions.get(args.server))
    if device_token:
        devices[name.casefold()] = device_token
    entry: dict[str, Any] = {"token": token, "name": name} if token else {}
    if devices:
        entry["device_tokens"] = devices
    sessions.put(args.server, entry or None)


def _print_registration(out: TextIO, registration: Registration) -> None:
    uri = registration.otpauth_uri
    out.write(f"Registered account {registration.account.name!r} ({registration.account.id}).\n\n")
    out.write("Add this to your authenticator app (scan the QR code, or enter the secret):\n\n")
    qr = segno.make(uri, error="m")
    qr.terminal(out=out, compact=True)
    out.write(f"\n  {uri}\n  secret: {registration.totp_secret}\n\n")
    out.write(
        "Recovery codes: each works once if you lose your authenticator. Store them now\n"
        "somewhere safe and offline; they are shown this one time only:\n\n"
    )
    for code in registration.recovery_codes:
        out.write(f"  {code}\n")
    out.write("\n")


def cmd_register(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    password = prompt.password(f"Password for {args.account}: ", confirm=True)
    with _client(args, with_session=False) as client:
        registration = client.register(args.invite, args.account, password)
    _print_registration(out, registration)


def _mfa(args: argparse.Namespace) -> dict[str, str]:
    if args.totp_code and args.recovery_code:
        raise UsageError("give --totp-code or --recovery-code, not both")
    if args.totp_code:
        return {"totp_code": args.totp_code}
    if args.recovery_code:
        return {"recovery_code": args.recovery_code}
    code = input("Authenticator code (or a recovery code): ").strip()
    if not code:
        raise UsageError("a second factor is required")
    digits = code.replace(" ", "")
    return {"totp_code": digits} if digits.isdigit() else {"recovery_code": code}


def cmd_login(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    password = prompt.password(f"Password for {args.account}: ")
    mfa = _mfa(args)
    with _client(args, with_session=False, device_for=args.account) as client:
        session = client.login(args.account, password, **mfa)
    _remember(args, session.token, session.name, session.device_token)
    out.write(f"Logged in as {session.name} until {session.expires_at:%Y-%m-%d %H:%M} UTC.\n")


def cmd_password_login(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    password = prompt.password(f"Password for {args.name}: ")
    with _client(args, with_session=False, device_for=args.name) as client:
        login = client.password_login(args.name, password)
        _remember(args, client.token, login.name, client.device_token)
    out.write(f"Logged in as {login.name}.\n")


def cmd_logout(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    entry = _sessions(args).get(args.server or "")
    if entry is None or not entry.get("token"):
        out.write("Not logged in.\n")
        return
    try:
        with _client(args) as client:
            client.logout()
    finally:
        _remember(args, None, "")  # forget the token even if the server was unreachable
    out.write("Logged out.\n")


def cmd_whoami(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with _client(args) as client:
        account = client.me()
    details = {
        "id": account.id,
        "name": account.name,
        "kind": account.kind,
        "domain": account.domain,
        "privileged": account.privileged,
        "created_at": account.created_at.isoformat(),
    }
    out.write(json.dumps(details, indent=2) + "\n" if args.json else f"{account.name}\n")


def cmd_invite(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with _client(args) as client:
        invite = client.create_site_invite(args.domain, args.account)
    if args.json:
        out.write(
            json.dumps(
                {
                    "invite_token": invite.invite_token,
                    "domain": invite.domain,
                    "account": invite.account,
                    "expires_at": invite.expires_at.isoformat(),
                }
            )
            + "\n"
        )
    else:
        out.write(f"{invite.invite_token}\n")


def cmd_invitation_create(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with _client(args) as client:
        invitation = client.create_invitation()
    out.write(f"{invitation.id}\n")


def cmd_invitation_show(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with _client(args, with_session=False) as client:
        shown = client.show_invitation(args.id)
    out.write(
        f"Invitation {shown.id} from {shown.issuer_name} ({shown.issuer_id}), "
        f"issued {shown.issued_at:%Y-%m-%d %H:%M} UTC.\n"
    )


def cmd_invitation_accept(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    password = prompt.password(f"Choose a password for {args.name}: ", confirm=True)
    with _client(args, with_session=False) as client:
        login = client.accept_invitation(args.id, args.name, password)
        _remember(args, client.token, login.name, client.device_token)
    out.write(f"Created login {login.name} ({login.id}); you are logged in.\n")


def cmd_setup(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    password = prompt.password(f"Choose a password for {args.name}: ", confirm=True)
    with _client(args, with_session=False) as client:
        login = client.initial_setup(args.name, password)
        _remember(args, client.token, login.name, client.device_token)
    out.write(f"Created the first login {login.name} ({login.id}); you are logged in.\n")


# -- argument parsing ------------------------------------------------------------------

Command = Callable[[argparse.Namespace, Prompter, TextIO], None]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--server",
        default=os.environ.get(SERVER_ENV),
        help=f"base URL of the invite-auth server (default: ${SERVER_ENV})",
    )
    common.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    common.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )
    ksf = common.add_argument_group(
        "key stretching (Argon2id; use the same values at registration and every login)"
    )
    ksf.add_argument("--ksf-time-cost", type=int, default=3, metavar="T", help="default 3")
    ksf.add_argument(
        "--ksf-memory-cost", type=int, default=65536, metavar="KIB", help="default 65536"
    )
    ksf.add_argument("--ksf-parallelism", type=int, default=4, metavar="P", help="default 4")

    parser = argparse.ArgumentParser(
        prog="invite-auth",
        description="Use an invite-auth server: register with an invite, log in, invite others.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, handler: Command, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    sub = add(
        "register",
        cmd_register,
        "Register an account with an invite token (OPAQUE: the password never leaves here).",
    )
    sub.add_argument("invite", help="the invite token you were given")
    sub.add_argument("account", help="the account name the invite is for")

    sub = add("login", cmd_login, "Log in with password and a TOTP or recovery code.")
    sub.add_argument("account")
    sub.add_argument("--totp-code", help="the 6-digit code of your authenticator app")
    sub.add_argument("--recovery-code", help="one of your recovery codes (each works once)")

    add("logout", cmd_logout, "End the session on the server and forget it here.")

    sub = add("whoami", cmd_whoami, "Show the account of the current session.")
    sub.add_argument("--json", action="store_true", help="print all details as JSON")

    sub = add("invite", cmd_invite, "Invite a site owner (privileged accounts only).")
    sub.add_argument("--domain", required=True, help="the site's domain")
    sub.add_argument("--account", required=True, help="the account name the owner will use")
    sub.add_argument("--json", action="store_true", help="print the invite as JSON")

    invitation = commands.add_parser(
        "invitation", help="Invitations between logins: create, show, accept."
    )
    actions = invitation.add_subparsers(dest="action", metavar="ACTION", required=True)

    def add_action(name: str, handler: Command, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add_action("create", cmd_invitation_create, "Create an invitation; prints its id.")
    sub = add_action("show", cmd_invitation_show, "Show who issued an invitation.")
    sub.add_argument("id")
    sub = add_action(
        "accept", cmd_invitation_accept, "Accept an invitation: choose a name and a password."
    )
    sub.add_argument("id")
    sub.add_argument("--name", required=True, help="the name for your new login")

    sub = add("setup", cmd_setup, "Create the first login on a new server.")
    sub.add_argument("--name", required=True)
    sub = add("password-login", cmd_password_login, "Log in with a login's name and password.")
    sub.add_argument("name")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    prompt = Prompter(password_stdin=args.password_stdin, stdin=sys.stdin)
    try:
        args.handler(args, prompt, sys.stdout)
    except UsageError as exc:
        print(f"invite-auth: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except InviteAuthError as exc:
        print(f"invite-auth: {exc}", file=sys.stderr)
        return EXIT_API_ERROR
    except httpx.HTTPError as exc:
        print(f"invite-auth: cannot reach {args.server}: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
