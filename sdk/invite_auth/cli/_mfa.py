"""The second factor: new recovery codes, a new TOTP secret, and MFA recovery with the
recovery invite an administrator gave you."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, TextIO

from ..errors import MfaInvalid, TotpReplayed
from ._base import Prompter, UsageError, client, server_of, write_json
from ._basic import print_recovery_codes, print_totp, second_factor

if TYPE_CHECKING:
    from . import Commands

# A recovery invite is a random URL-safe string (256 bits: 43 characters today).
_RECOVERY_INVITE = re.compile(r"[A-Za-z0-9_-]{16,512}")
# How many codes from the new authenticator entry the command asks for before giving up
# (the server counts each wrong one as a failure, like a login).
TOTP_CONFIRM_TRIES = 3


def cmd_recovery_codes(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        password = prompt.password("Password: ")
        mfa = second_factor(args, prompt)
        codes = api.regenerate_recovery_codes(password, **mfa)
    if args.json:
        write_json(out, {"recovery_codes": codes})
        return
    out.write("New recovery codes made; the old ones no longer work.\n\n")
    print_recovery_codes(out, codes)


def cmd_totp(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    with client(args, require_session=True) as api:
        password = prompt.password("Password: ")
        mfa = second_factor(args, prompt)
        started = api.start_totp_reenrollment(password, **mfa)
        out.write("A new authenticator secret. Your current one keeps working until you\n")
        out.write("confirm a code from the new one below.\n\n")
        print_totp(out, started.otpauth_uri, started.totp_secret)
        out.flush()
        for attempt in range(1, TOTP_CONFIRM_TRIES + 1):
            code = prompt.line(
                "Code from the NEW authenticator entry: ", "a code from the new entry"
            ).replace(" ", "")
            try:
                api.confirm_totp_reenrollment(code)
            except (MfaInvalid, TotpReplayed) as exc:
                if attempt == TOTP_CONFIRM_TRIES:
                    raise
                print_note(f"{exc.message}; try the next code ({attempt}/{TOTP_CONFIRM_TRIES})")
                continue
            break
    out.write("The new authenticator secret is in use; codes from the old one no longer work.\n")


def print_note(text: str) -> None:
    print(f"invite-auth: {text}", file=sys.stderr)


def recovery_invite(text: str) -> str:
    raw = text.strip()
    if raw.startswith("v1."):
        raise UsageError(
            "that is an invite token for a new account (invite-auth register), "
            "not a recovery invite"
        )
    if not _RECOVERY_INVITE.fullmatch(raw):
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise UsageError(
            f"{shown!r} is not a recovery invite: paste it exactly as the administrator "
            "gave it (letters, digits, '-' and '_')"
        )
    return raw


def cmd_recover_mfa(args: argparse.Namespace, prompt: Prompter, out: TextIO) -> None:
    invite = recovery_invite(args.recovery_invite)  # before the password prompt
    server_of(args)
    password = prompt.password(f"Password for {args.account}: ")
    with client(args, with_session=False, device_for=args.account) as api:
        recovered = api.recover_mfa(invite, args.account, password)
    out.write(
        f"New second factor for {recovered.account.name!r}: the old authenticator and the "
        "old recovery codes no longer work.\n\n"
    )
    print_totp(out, recovered.otpauth_uri, recovered.totp_secret)
    print_recovery_codes(out, recovered.recovery_codes)
    out.write(f"Log in with: invite-auth login {recovered.account.name} --server {args.server}\n")


def _second_factor_options(sub: argparse.ArgumentParser, what: str) -> None:
    sub.add_argument(
        "--totp-code", default=None, help=f"the 6-digit code of your {what} authenticator"
    )
    sub.add_argument(
        "--recovery-code", default=None, help="one of your recovery codes (each works once)"
    )


def add_commands(commands: Commands) -> None:
    sub = commands.add(
        "recovery-codes",
        cmd_recovery_codes,
        "Make 10 new recovery codes (proves your password and a second factor); the old "
        "ones stop working at once.",
        uses=("server", "password", "ksf"),
        json="print the codes as JSON",
    )
    _second_factor_options(sub, "current")

    sub = commands.add(
        "totp",
        cmd_totp,
        "Move to a new authenticator secret: proves your password and a second factor, "
        "shows the new secret, and switches once you enter a code from it.",
        uses=("server", "password", "ksf"),
    )
    _second_factor_options(sub, "current")

    sub = commands.add(
        "recover-mfa",
        cmd_recover_mfa,
        "Lost your authenticator and codes? With the recovery invite an administrator gave "
        "you and your password: a new authenticator secret and new recovery codes.",
        uses=("server", "password", "ksf"),
    )
    sub.add_argument("recovery_invite", help="the recovery invite (from `admin reset-mfa`)")
    sub.add_argument("account", help="your account name")
