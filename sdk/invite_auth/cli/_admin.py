"""`invite-auth admin ...`: administration, for privileged accounts."""

from __future__ import annotations

import argparse
import datetime
import json
import re
from typing import TYPE_CHECKING, Any, TextIO

from ..admin import AuditRecord, ManagedAccount
from ._base import Prompter, UsageError, client, server_of, table, when, write_json
from ._basic import command_line

if TYPE_CHECKING:
    from . import Commands

_AGO = re.compile(r"(\d+)\s*([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def moment(text: str, now: datetime.datetime | None = None) -> datetime.datetime:
    """An ISO 8601 date or time (UTC unless it says otherwise), or a span back from now:
    `30m`, `12h`, `7d`, `2w`."""
    raw = text.strip()
    ago = _AGO.fullmatch(raw)
    if ago:
        now = now or datetime.datetime.now(datetime.UTC)
        return now - datetime.timedelta(seconds=int(ago.group(1)) * _UNITS[ago.group(2)])
    try:
        parsed = datetime.datetime.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r}: give a date or time (2026-12-01, 2026-12-01T09:30Z) or a span back "
            "from now (30m, 12h, 7d, 2w)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _account_json(account: ManagedAccount) -> dict[str, Any]:
    return {
        "id": account.id,
        "name": account.name,
        "kind": account.kind,
        "domain": account.domain,
        "privileged": account.privileged,
        "disabled": account.disabled,
        "created_at": account.created_at,
        "invited_by": account.invited_by,
        "recovery_codes_remaining": account.recovery_codes_remaining,
        "sessions": account.sessions,
    }


def _flags(account: ManagedAccount) -> str:
    flags = [
        f for f, on in (("privileged", account.privileged), ("DISABLED", account.disabled)) if on
    ]
    return ",".join(flags) or "-"


def cmd_accounts(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    found: list[ManagedAccount] = []
    cursor: str | None = args.cursor
    with client(args, require_session=True) as api:
        while True:
            page = api.admin.list_accounts(
                kind=args.kind,
                domain=args.domain,
                disabled=args.disabled,
                limit=args.limit,
                cursor=cursor,
            )
            found.extend(page.accounts)
            cursor = page.next_cursor
            if cursor is None or args.limit is not None:
                break  # one page when a page size is given; all of them otherwise
    if args.json:
        write_json(out, {"accounts": [_account_json(a) for a in found], "next_cursor": cursor})
        return
    rows = [
        [
            a.name,
            a.kind,
            a.domain or "-",
            _flags(a),
            str(a.sessions),
            f"{a.created_at.astimezone(datetime.UTC):%Y-%m-%d %H:%M}",
        ]
        for a in found
    ]
    table(out, ["NAME", "KIND", "DOMAIN", "FLAGS", "SESSIONS", "CREATED (UTC)"], rows)
    if cursor is not None:
        out.write(f"\nMore: invite-auth admin accounts --limit {args.limit} --cursor {cursor}\n")


def _print_account(out: TextIO, account: ManagedAccount) -> None:
    codes = account.recovery_codes_remaining
    lines = [
        ("name", account.name),
        ("id", account.id),
        ("kind", account.kind),
        ("domain", account.domain or "-"),
        ("privileged", "yes" if account.privileged else "no"),
        ("disabled", "YES" if account.disabled else "no"),
        ("created", when(account.created_at)),
        ("invited by", account.invited_by or "-"),
        ("recovery codes", "-" if codes is None else f"{codes} unused"),
        ("sessions", str(account.sessions)),
    ]
    for label, value in lines:
        out.write(f"{label + ':':<16}{value}\n")


def cmd_show(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        account = api.admin.get_account(args.name)
    if args.json:
        write_json(out, _account_json(account))
    else:
        _print_account(out, account)


def cmd_disable(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        api.admin.disable_account(args.name)
    out.write(f"Disabled {args.name!r}: its sessions ended and it cannot log in.\n")


def cmd_enable(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        api.admin.enable_account(args.name)
    out.write(f"Enabled {args.name!r}: it can log in again.\n")


def cmd_delete(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    server = server_of(args)
    if not args.yes:
        typed = prompt.line(
            f"Delete {args.name!r} on {server}: its sessions, second factor, record and "
            "domain, for good. Type its name to confirm: ",
            "the confirmation",
        )
        if typed != args.name:
            raise UsageError("not confirmed: nothing was deleted")
    with client(args, require_session=True) as api:
        api.admin.delete_account(args.name)
    out.write(f"Deleted {args.name!r}.\n")


def cmd_reset_mfa(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    server = server_of(args)
    with client(args, require_session=True) as api:
        invite = api.admin.reset_mfa(args.name)
    recover = command_line("recover-mfa", invite, args.name, "--server", server)
    if args.json:
        write_json(
            out, {"account": args.name, "recovery_invite": invite, "recover_command": recover}
        )
        return
    out.write(
        f"Recovery invite for {args.name!r} (single use, it expires; a secret, though useless "
        "without the account's password):\n\n"
        f"  {invite}\n\nGive it to the owner over another channel, who runs:\n\n  {recover}\n"
    )


def cmd_invites(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        found = api.admin.list_invites()
    if args.json:
        write_json(
            out,
            [
                {
                    "id": i.id,
                    "domain": i.domain,
                    "account": i.account,
                    "privileged": i.privileged,
                    "issued_by": i.issued_by,
                    "issued_at": i.issued_at,
                    "expires_at": i.expires_at,
                }
                for i in found
            ],
        )
        return
    if not found:
        out.write("No outstanding invite tokens.\n")
        return
    rows = [
        [
            i.id,
            i.account or "-",
            i.domain or "-",
            "privileged" if i.privileged else "-",
            i.issued_by or "-",
            f"{i.expires_at.astimezone(datetime.UTC):%Y-%m-%d %H:%M}",
        ]
        for i in found
    ]
    table(out, ["ID", "ACCOUNT", "DOMAIN", "FLAGS", "ISSUED BY", "EXPIRES (UTC)"], rows)


def cmd_revoke_invite(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        api.admin.revoke_invite(args.invite_id)
    out.write(f"Revoked invite {args.invite_id}: it can no longer start a registration.\n")


def cmd_audit(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    events: list[AuditRecord] = []
    cursor: str | None = args.cursor
    with client(args, require_session=True) as api:
        while True:
            page = api.admin.audit(
                account=args.account,
                event=args.event,
                since=args.since,
                until=args.until,
                limit=args.limit,
                cursor=cursor,
            )
            events.extend(page.events)
            cursor = page.next_cursor
            if cursor is None or not args.all:
                break
    if args.json:
        records = [
            {
                "at": e.at,
                "event": e.event,
                "principal_id": e.principal_id,
                "name": e.name,
                "client": e.client,
                "detail": e.detail,
            }
            for e in events
        ]
        write_json(out, {"events": records, "next_cursor": cursor})
        return
    for e in events:
        detail = json.dumps(e.detail, separators=(",", ":"), sort_keys=True) if e.detail else ""
        at = f"{e.at.astimezone(datetime.UTC):%Y-%m-%d %H:%M:%S}Z"
        line = f"{at}  {e.event:<24} {e.name or '-':<16} {e.client or '-':<15} {detail}"
        out.write(line.rstrip() + "\n")
    if cursor is not None:
        out.write(f"\nMore: add --cursor {cursor}\n")


def _name(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("name", help="the account's (or login's) name")


def _page(sub: argparse.ArgumentParser, what: str) -> None:
    sub.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help=f"one page of at most N {what} (default: all of them)",
    )
    sub.add_argument("--cursor", default=None, help="go on from where the previous page ended")


def add_commands(commands: Commands) -> None:
    admin = commands.group(
        "admin", "Administration (privileged accounts only): accounts, invites, the audit log."
    )
    sub = admin.add(
        "accounts",
        cmd_accounts,
        "List accounts and logins, oldest first (never any secret).",
        json="print the accounts as JSON",
    )
    sub.add_argument(
        "--kind",
        choices=("opaque", "password"),
        default=None,
        help="only accounts (opaque) or only logins (password)",
    )
    sub.add_argument("--domain", default=None, help="only the owner of this domain")
    state = sub.add_mutually_exclusive_group()
    state.add_argument(
        "--disabled",
        dest="disabled",
        action="store_const",
        const=True,
        default=None,
        help="only disabled ones",
    )
    state.add_argument(
        "--enabled",
        dest="disabled",
        action="store_const",
        const=False,
        help="only enabled ones",
    )
    _page(sub, "accounts")

    sub = admin.add("show", cmd_show, "Show one account.", json="print it as JSON")
    _name(sub)
    sub = admin.add(
        "disable", cmd_disable, "Disable an account: its sessions end, it cannot log in."
    )
    _name(sub)
    sub = admin.add("enable", cmd_enable, "Enable a disabled account again.")
    _name(sub)
    sub = admin.add(
        "delete",
        cmd_delete,
        "Delete an account and all it owns (asks you to type its name unless --yes).",
    )
    _name(sub)
    sub.add_argument(
        "--yes", action="store_true", default=False, help="do not ask for confirmation"
    )
    sub = admin.add(
        "reset-mfa",
        cmd_reset_mfa,
        "Reset an account's second factor: prints a recovery invite for its owner.",
        json="print the recovery invite as JSON",
    )
    _name(sub)
    admin.add(
        "invites",
        cmd_invites,
        "List outstanding invite tokens (never the tokens themselves).",
        json="print them as JSON",
    )
    sub = admin.add(
        "revoke-invite",
        cmd_revoke_invite,
        "Revoke an invite token: registration with it then fails (invite_revoked).",
    )
    sub.add_argument("invite_id", metavar="ID", help="the invite's id (from `admin invites`)")
    sub = admin.add(
        "audit",
        cmd_audit,
        "Read the audit log, newest first.",
        json="print the events as JSON",
    )
    sub.add_argument("--account", default=None, help="only events of this account name")
    sub.add_argument("--event", default=None, help="only events of this type, e.g. login")
    sub.add_argument(
        "--since",
        type=moment,
        default=None,
        metavar="WHEN",
        help="only events at or after WHEN: 2026-12-01, 2026-12-01T09:30Z, or 30m/12h/7d ago",
    )
    sub.add_argument(
        "--until",
        type=moment,
        default=None,
        metavar="WHEN",
        help="only events before WHEN (same forms as --since)",
    )
    sub.add_argument(
        "--limit", type=int, default=None, metavar="N", help="events per page (server default)"
    )
    sub.add_argument("--cursor", default=None, help="go on from where the previous page ended")
    sub.add_argument(
        "--all", action="store_true", default=False, help="every page, not just the first"
    )
