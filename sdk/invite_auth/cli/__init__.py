"""The `invite-auth` command: register, log in and invite from a terminal.

`_base` holds what every subcommand shares (server URL, session file, prompts, client),
`_basic` the subcommands a new user meets first, `_selfservice` sessions, own invitations
and password, `_mfa` the second factor, `_admin` administration; `main` and the parser are
here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import httpx

from .. import __version__
from ..errors import ApiError, InviteAuthError, ProtocolError, Unauthenticated
from . import _admin as admin
from . import _basic as basic
from . import _mfa as mfa
from . import _selfservice as selfservice
from ._base import (
    CONFIG_ENV,
    DEFAULTS,
    EXIT_API_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    SERVER_ENV,
    AnswerLog,
    Command,
    NotLoggedIn,
    Prompter,
    SessionStore,
    UsageError,
    client,
    normalize_server,
    not_logged_in,
    remember,
    settle,
)

EPILOG = f"""\
The server comes from --server (before or after the subcommand) or ${SERVER_ENV}: a URL
with its scheme, e.g. https://auth.example.com or http://127.0.0.1:5000. Passwords are
always prompted without echo (or read from standard input with --password-stdin), never
taken from the command line. Sessions are kept in $XDG_CONFIG_HOME/invite-auth/sessions.json
(or ${CONFIG_ENV}), readable only by you, one per server (scheme, host, port and path, a
trailing slash ignored; localhost and 127.0.0.1 count as different servers), with the device
token of each name you logged in as (kept after logout: it lets you log in even while
someone else is guessing at your name).

exit codes: 0 success, 1 the server refused, or not logged in (the message says why),
2 usage error (nothing was sent), 3 server unreachable, 130 interrupted.
"""

# Kept for callers of the one-file module this package replaced.
_client = client
_remember = remember

__all__ = [
    "CONFIG_ENV",
    "SERVER_ENV",
    "Prompter",
    "SessionStore",
    "UsageError",
    "build_parser",
    "main",
    "normalize_server",
]


# -- argument parsing ------------------------------------------------------------------


def _option_parents() -> dict[str, argparse.ArgumentParser]:
    """Option groups, given to the subcommands that use them. Defaults are SUPPRESS so an
    option given before the subcommand is not overwritten by the subcommand's default
    (`settle` fills in DEFAULTS afterwards)."""
    server = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    _server_options(server)

    password = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    password.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )

    ksf = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = ksf.add_argument_group(
        "key stretching (Argon2id; use the same values at registration and every login)"
    )
    group.add_argument(
        "--ksf-time-cost",
        type=int,
        metavar="T",
        help=f"Argon2id passes (default {DEFAULTS['ksf_time_cost']})",
    )
    group.add_argument(
        "--ksf-memory-cost",
        type=int,
        metavar="KIB",
        help=f"Argon2id memory in KiB (default {DEFAULTS['ksf_memory_cost']})",
    )
    group.add_argument(
        "--ksf-parallelism",
        type=int,
        metavar="P",
        help=f"Argon2id lanes (default {DEFAULTS['ksf_parallelism']})",
    )
    return {"server": server, "password": password, "ksf": ksf}


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        metavar="URL",
        help=f"base URL of the invite-auth server, with its scheme (default: ${SERVER_ENV})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=f"give up on an answer after this long (default {DEFAULTS['timeout']:g})",
    )


class Commands:
    """Adds subcommands with the option groups they use."""

    def __init__(self, subparsers: Any, parents: dict[str, argparse.ArgumentParser]) -> None:
        self._subparsers = subparsers
        self.parents = parents

    def add(
        self,
        name: str,
        handler: Command | None,
        help_text: str,
        *,
        uses: Sequence[str] = ("server",),
        json: str | None = None,
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = self._subparsers.add_parser(
            name,
            parents=[self.parents[u] for u in uses],
            help=help_text,
            description=help_text,
            argument_default=argparse.SUPPRESS,
        )
        if handler is not None:
            sub.set_defaults(handler=handler)
        if json is not None:
            sub.add_argument("--json", action="store_true", help=json)
        return sub

    def group(self, name: str, help_text: str) -> Commands:
        """A subcommand with actions of its own (`invitation create`, ...)."""
        sub = self._subparsers.add_parser(name, help=help_text, description=help_text)
        return self.actions(sub, name, f"what to do (invite-auth {name} ACTION --help)")

    def actions(
        self, sub: argparse.ArgumentParser, name: str, help_text: str, required: bool = True
    ) -> Commands:
        """Actions under the subcommand `sub`; optional ones leave `sub`'s own handler."""
        actions = sub.add_subparsers(
            dest=f"{name}_action", metavar="ACTION", required=required, help=help_text
        )
        return Commands(actions, self.parents)


def build_parser() -> argparse.ArgumentParser:
    parents = _option_parents()
    parser = argparse.ArgumentParser(
        prog="invite-auth",
        description="Use an invite-auth server: register with an invite, log in, invite others.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        argument_default=argparse.SUPPRESS,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _server_options(parser)
    commands = Commands(
        parser.add_subparsers(
            dest="command",
            metavar="COMMAND",
            required=True,
            help="what to do (invite-auth COMMAND --help: its options)",
        ),
        parents,
    )

    sub = commands.add(
        "register",
        basic.cmd_register,
        "Register an account with an invite token (OPAQUE: the password never leaves here).",
        uses=("server", "password", "ksf"),
    )
    sub.add_argument(
        "invite", help="the invite token you were given (or the registration link with it)"
    )
    sub.add_argument("account", help="the account name the invite is for")

    sub = commands.add(
        "login",
        basic.cmd_login,
        "Log in with password and a TOTP or recovery code.",
        uses=("server", "password", "ksf"),
    )
    sub.add_argument("account", help="your account name")
    sub.add_argument("--totp-code", help="the 6-digit code of your authenticator app")
    sub.add_argument("--recovery-code", help="one of your recovery codes (each works once)")

    commands.add("logout", basic.cmd_logout, "End the session on the server and forget it here.")

    commands.add(
        "whoami",
        basic.cmd_whoami,
        "Show the account of the current session (exit 1 when not logged in).",
        json="print all details as JSON",
    )

    sub = commands.add(
        "invite",
        basic.cmd_invite,
        "Invite a site owner (privileged accounts only): prints the invite token, its "
        "expiry and the command line the owner runs.",
        json="print the invite as JSON",
    )
    sub.add_argument("--domain", required=True, help="the site's domain")
    sub.add_argument("--account", required=True, help="the account name the owner will use")

    invitation = commands.group(
        "invitation", "Invitations between logins: create, show, accept, list, revoke."
    )
    invitation.add(
        "create",
        basic.cmd_invitation_create,
        "Create an invitation: prints its link, its expiry and how to accept it.",
        json="print the invitation as JSON",
    )
    sub = invitation.add(
        "show",
        basic.cmd_invitation_show,
        "Show who issued an invitation (no login needed).",
        json="print the invitation as JSON",
    )
    sub.add_argument(
        "invitation", metavar="ID_OR_LINK", help="the invitation id, or the link to it"
    )
    sub = invitation.add(
        "accept",
        basic.cmd_invitation_accept,
        "Accept an invitation: choose a name and a password; logs you in.",
        uses=("server", "password"),
    )
    sub.add_argument(
        "invitation", metavar="ID_OR_LINK", help="the invitation id, or the link to it"
    )
    sub.add_argument("--name", required=True, help="the name for your new login")

    sub = commands.add(
        "setup",
        basic.cmd_setup,
        "Create the first login on a new server (only while it has none).",
        uses=("server", "password"),
    )
    sub.add_argument("--name", required=True, help="the name of the first login")

    sub = commands.add(
        "password-login",
        basic.cmd_password_login,
        "Log in with a login's name and password (invitations surface).",
        uses=("server", "password"),
    )
    sub.add_argument("name", help="the login's name")

    # The account lifecycle (issue 13): self-service, the second factor, administration.
    selfservice.add_commands(commands, invitation)
    mfa.add_commands(commands)
    admin.add_commands(commands)
    return parser


# -- running -----------------------------------------------------------------------------


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def _ours(problem: dict[str, Any]) -> bool:
    kind = problem.get("type")
    return isinstance(problem.get("code"), str) or (
        isinstance(kind, str) and kind.startswith("urn:invite-auth:")
    )


def describe(args: argparse.Namespace, exc: InviteAuthError) -> str:
    """One line: an answer that is not the API's (an HTML 404 from a wrong path, a proxy's
    502 page) is named by status, URL and type, never printed."""
    answers: AnswerLog | None = getattr(args, "answers", None)
    last = answers.last if answers else None
    foreign = last is not None and (
        (isinstance(exc, ApiError) and not _ours(exc.problem))
        or (isinstance(exc, ProtocolError) and not _is_json(last.content_type))
    )
    if not foreign or last is None:
        return str(exc)
    line = f"HTTP {last.status} from {last.url}: not an invite-auth API ({last.content_type})"
    if last.status == 404 or last.status < 400:
        line += "; is the --server URL right (scheme, host, port and path)?"
    elif last.status >= 500:
        line += "; the server or a proxy in front of it failed, try again later"
    return line


def _fail(message: str, code: int) -> int:
    print(f"invite-auth: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settle(args)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    prompt = Prompter(password_stdin=args.password_stdin, stdin=sys.stdin)
    try:
        args.handler(args, prompt, sys.stdout)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except NotLoggedIn as exc:
        return _fail(str(exc), EXIT_API_ERROR)
    except Unauthenticated as exc:
        if not getattr(args, "used_token", False):
            return _fail(str(exc), EXIT_API_ERROR)
        # The kept session expired or was revoked: forget it (the device tokens stay).
        remember(args, None, "")
        return _fail(str(not_logged_in(args, ": the session has ended, log in again")), 1)
    except InviteAuthError as exc:
        return _fail(describe(args, exc), EXIT_API_ERROR)
    except httpx.HTTPError as exc:
        return _fail(f"cannot reach {args.server}: {exc}", EXIT_UNREACHABLE)
    except EOFError:
        return _fail("standard input closed at a prompt", EXIT_USAGE)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK
