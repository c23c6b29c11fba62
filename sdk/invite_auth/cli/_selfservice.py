"""Self-service: your sessions, the invitations you issued, and a new password."""

from __future__ import annotations

import argparse
import datetime
from typing import TYPE_CHECKING, TextIO

from ._base import (
    Prompter,
    UsageError,
    client,
    invitation_id,
    relative,
    remember,
    server_of,
    table,
    write_json,
)
from ._basic import second_factor

if TYPE_CHECKING:
    from . import Commands


def _short(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(datetime.UTC):%Y-%m-%d %H:%M}"


# -- sessions ----------------------------------------------------------------------------


def cmd_sessions(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        found = api.sessions()
    if args.json:
        write_json(
            out,
            [
                {
                    "id": s.id,
                    "current": s.current,
                    "created_at": s.created_at,
                    "last_used_at": s.last_used_at,
                    "expires_at": s.expires_at,
                    "client": s.client,
                    "user_agent": s.user_agent,
                }
                for s in found
            ],
        )
        return
    rows = [
        [
            ("* " if s.current else "  ") + s.id,
            _short(s.created_at),
            relative(s.last_used_at),
            _short(s.expires_at),
            s.client or "-",
            (s.user_agent or "-")[:40],
        ]
        for s in found
    ]
    out.write(f"Sessions on {server_of(args)} (UTC; * is this one):\n\n")
    table(out, ["  ID", "CREATED", "LAST USED", "EXPIRES", "CLIENT", "USER AGENT"], rows)


def cmd_sessions_revoke(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    if args.others == (args.session is not None):
        raise UsageError("give a session id (from `invite-auth sessions`) or --others")
    with client(args, require_session=True) as api:
        if args.others:
            ended = api.revoke_other_sessions()
            out.write(f"Ended {ended} other session{'' if ended == 1 else 's'}; this one stays.\n")
            return
        api.revoke_session(args.session)
        if api.token is None:  # it was this session: the server logged us out
            remember(args, None, "")
            out.write(f"Ended session {args.session}, this one: logged out.\n")
        else:
            out.write(f"Ended session {args.session}.\n")


# -- invitations you issued ----------------------------------------------------------------


def cmd_invitation_list(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        found = api.invitations()
    if args.json:
        write_json(
            out,
            [{"ref": i.ref, "issued_at": i.issued_at, "expires_at": i.expires_at} for i in found],
        )
        return
    if not found:
        out.write("No outstanding invitations.\n")
        return
    out.write(
        "Outstanding invitations (UTC). The server keeps only a short ref of each id; "
        "revoke one with `invite-auth invitation revoke REF`:\n\n"
    )
    rows = [
        [i.ref, _short(i.issued_at), f"{_short(i.expires_at)} ({relative(i.expires_at)})"]
        for i in found
    ]
    table(out, ["REF", "ISSUED", "EXPIRES"], rows)


def cmd_invitation_revoke(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    # An id, a link or a ref (the server accepts the id or the ref); checked before sending.
    found, _ = invitation_id(args.invitation)
    with client(args, require_session=True) as api:
        api.revoke_invitation(found)
    out.write(f"Revoked invitation {found}: its link no longer works.\n")


# -- password ------------------------------------------------------------------------------


def cmd_password(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        kind = "password" if args.login else api.me().kind
        if kind == "password" and (args.totp_code or args.recovery_code):
            raise UsageError("a password login has no second factor: leave out the code")
        current = prompt.password("Current password: ")
        new = prompt.password("New password: ", confirm=True)
        if kind == "password":
            ended = api.change_login_password(current, new)
        else:
            mfa = second_factor(args, prompt)
            ended = api.change_password(current, new, **mfa).sessions_ended
    others = f"{ended} other session{'' if ended == 1 else 's'} ended"
    out.write(f"Password changed; {others}, this one stays. The old password no longer works.\n")


def add_commands(commands: Commands, invitation: Commands) -> None:
    sub = commands.add(
        "sessions",
        cmd_sessions,
        "List your sessions (created, last used, client, which is this one); "
        "`sessions revoke` ends them.",
        json="print the sessions as JSON",
    )
    actions = commands.actions(
        sub,
        "sessions",
        "revoke: end one session, or all others (no ACTION: list them)",
        required=False,
    )
    revoke = actions.add(
        "revoke", cmd_sessions_revoke, "End one of your sessions, or all but this one."
    )
    revoke.add_argument(
        "session", nargs="?", default=None, help="the session's id (from `invite-auth sessions`)"
    )
    revoke.add_argument(
        "--others", action="store_true", default=False, help="end every session but this one"
    )

    invitation.add(
        "list",
        cmd_invitation_list,
        "List the invitations you issued that are still outstanding.",
        json="print the invitations as JSON",
    )
    sub = invitation.add(
        "revoke",
        cmd_invitation_revoke,
        "Revoke an invitation you issued: its link stops working for everyone.",
    )
    sub.add_argument(
        "invitation", metavar="ID_LINK_OR_REF", help="the invitation's id, link, or listed ref"
    )

    sub = commands.add(
        "password",
        cmd_password,
        "Change your password (the other sessions end). An account proves the current "
        "password and a second factor; a login (--login, or found out from the session) "
        "only the current password. With --password-stdin: current, then new, one per line.",
        uses=("server", "password", "ksf"),
    )
    sub.add_argument(
        "--login",
        action="store_true",
        default=False,
        help="this is a password login (invitations surface); default: ask the server",
    )
    sub.add_argument("--totp-code", default=None, help="the 6-digit code of your authenticator")
    sub.add_argument(
        "--recovery-code", default=None, help="one of your recovery codes (each works once)"
    )
