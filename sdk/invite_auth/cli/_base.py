"""What every subcommand shares: the server URL, the session file, prompts, the client,
and turning failures into one line for a person."""

from __future__ import annotations

import argparse
import datetime
import getpass
import json
import os
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

from ..client import Client
from ..opaque import Argon2idKSF

SERVER_ENV = "INVITE_AUTH_SERVER"
CONFIG_ENV = "INVITE_AUTH_CONFIG_DIR"

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_INTERRUPTED = 130

# Options that only some subcommands have (so that each one's --help lists only its own):
# argparse leaves them out of the namespace (SUPPRESS), and `settle` fills these in.
DEFAULTS: dict[str, Any] = {
    "server": None,
    "timeout": 30.0,
    "password_stdin": False,
    "ksf_time_cost": 3,
    "ksf_memory_cost": 65536,
    "ksf_parallelism": 4,
    "json": False,
}


class UsageError(Exception):
    """The command line or the local state is wrong: exit 2, nothing was sent."""


class NotLoggedIn(Exception):
    """No (live) session for the server: exit 1 with a message naming the server."""


# -- the server URL ----------------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOOPBACK = {"localhost", "127.0.0.1", "[::1]"}


def normalize_server(raw: str) -> str:
    """The one spelling of a server URL, also the session file's key: scheme, host and
    port in lower case (default port left out), and the path without a trailing slash.

    A URL without a scheme is refused rather than guessed: http:// would send a bearer
    token in clear to a server that may only speak https."""
    text = raw.strip()
    if "://" not in text:
        bare = text.lstrip("/")
        raise UsageError(
            f"--server {raw!r} has no scheme: write https://{bare} "
            f"(or http://{bare} for a server on this machine)"
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"--server {raw!r} is not a URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise UsageError(f"--server {raw!r}: only http:// and https:// URLs are served")
    if not parts.hostname:
        raise UsageError(f"--server {raw!r} has no host name")
    if parts.username is not None or parts.password is not None:
        raise UsageError(f"--server {raw!r}: credentials do not belong in the URL")
    if parts.query or parts.fragment:
        raise UsageError(f"--server {raw!r}: give the server's base URL, without '?' or '#' parts")
    host = parts.hostname.lower()
    if ":" in host:  # IPv6, which urlsplit gives without its brackets
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def _loopback_twin(a: str, b: str) -> bool:
    """Two server URLs that differ only in how they name this machine (localhost,
    127.0.0.1, ::1). They are NOT treated as one server: two local processes may listen on
    the same port of different loopback addresses, and a session token must only go to
    the server that issued it. They are only named in the message when no session is found.
    """
    pa, pb = urlsplit(a), urlsplit(b)
    host_a = (pa.hostname or "").lower()
    host_b = (pb.hostname or "").lower()
    bracket = {"::1": "[::1]"}
    return (
        pa.scheme == pb.scheme
        and bracket.get(host_a, host_a) in _LOOPBACK
        and bracket.get(host_b, host_b) in _LOOPBACK
        and pa.port == pb.port
        and pa.path == pb.path
    )


# -- the session file --------------------------------------------------------------------


def config_dir() -> Path:
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "invite-auth"


@dataclass
class SessionStore:
    """Bearer tokens per server URL, in a file only the user can read. Keys are normalised
    server URLs (`normalize_server`); files written by earlier versions, keyed by the URL
    as typed, are read through the same normalisation."""

    path: Path

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read {self.path}: {exc}") from exc
        if not isinstance(data, dict):
            return {}
        normalized: dict[str, Any] = {}
        for key, entry in data.items():
            try:
                server = normalize_server(key)
            except UsageError:
                continue  # not a server URL: not ours to use (and dropped at the next save)
            normalized.setdefault(server, entry)
        return normalized

    def servers(self) -> list[str]:
        """The servers with a live session token here."""
        return [
            server
            for server, entry in self._load().items()
            if isinstance(entry, dict) and entry.get("token")
        ]

    def get(self, server: str) -> dict[str, Any] | None:
        entry = self._load().get(normalize_server(server))
        return entry if isinstance(entry, dict) else None

    def put(self, server: str, entry: dict[str, Any] | None) -> None:
        data = self._load()
        key = normalize_server(server)
        if entry is None:
            data.pop(key, None)
        else:
            data[key] = entry
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
        try:
            # Without a terminal getpass reads standard input and says so in one line
            # ("Password input may be echoed"); its Python warning on top adds nothing.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", getpass.GetPassWarning)
                password = getpass.getpass(prompt)
                if not password:
                    raise UsageError("an empty password is not allowed")
                if confirm and getpass.getpass("Repeat it: ") != password:
                    raise UsageError("the passwords do not match")
        except EOFError:
            raise UsageError(
                "standard input closed before a password was entered "
                "(for scripts: --password-stdin)"
            ) from None
        return password

    def line(self, prompt: str, what: str) -> str:
        """One answer typed at a prompt (to standard error, so stdout stays the output)."""
        sys.stderr.write(prompt)
        sys.stderr.flush()
        answer = self.stdin.readline()
        if not answer:
            sys.stderr.write("\n")
            raise UsageError(f"standard input closed before {what} was entered")
        return answer.strip()


# -- recognising what the user pasted ------------------------------------------------------

# Invitation ids are `I` + base32 today; any URL-safe spelling is let through to the server,
# but characters that cannot be in an id (it travels in a URL path) are refused here.
_INVITATION_ID = re.compile(r"[A-Za-z0-9_-]{1,256}")
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
# A v1 invite token: `v1.<payload>.<HMAC-SHA256 tag, 43 base64url characters>`.
_INVITE_TAG_LEN = 43


def _is_url(text: str) -> bool:
    return "://" in text


def invitation_id(text: str) -> tuple[str, str | None]:
    """The id in an invitation id or link (`https://host/invite/<id>`, also with a prefix
    such as /auth/invite/<id>, a trailing slash, a query or a fragment), and the link's
    origin (None for a bare id)."""
    raw = text.strip()
    origin: str | None = None
    candidate = raw
    if _is_url(raw) or raw.startswith("/"):
        parts = urlsplit(raw)
        segments = [unquote(s) for s in parts.path.split("/") if s]
        if len(segments) < 2 or segments[-2] != "invite":
            raise UsageError(f"{raw!r} is not an invitation link: it should end in /invite/<id>")
        candidate = segments[-1]
        if parts.scheme and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
    if not _INVITATION_ID.fullmatch(candidate):
        raise UsageError(
            f"{candidate!r} cannot be an invitation id (ids are letters, digits, '-' and '_'"
            ", e.g. Irsq5ojrhikp5mgifejsx3qc4ai): paste the id or the whole link"
        )
    return candidate, origin


def invite_token(text: str) -> str:
    """An invite token as printed by `invite-auth invite`, or the registration page's link
    that carries it (`.../register?token=...`); refused before any password is asked."""
    raw = text.strip()
    if _is_url(raw):
        tokens = parse_qs(urlsplit(raw).query).get("token")
        if not tokens and "invite" in urlsplit(raw).path.split("/"):
            raise UsageError(
                f"{raw!r} is an invitation to a login, not an invite token: "
                "accept it with invite-auth invitation accept LINK --name NAME"
            )
        if not tokens:
            raise UsageError(f"{raw!r} is a link without an invite token (?token=...)")
        raw = tokens[0].strip()
    parts = raw.split(".")
    if parts[0] != "v1" and len(parts) == 3:
        raise UsageError(f"the invite token starts with {parts[0]!r}: this version knows v1")
    if (
        len(parts) != 3
        or parts[0] != "v1"
        or not all(_B64URL.fullmatch(p) for p in parts[1:])
        or len(parts[2]) != _INVITE_TAG_LEN
    ):
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise UsageError(
            f"{shown!r} is not an invite token: one has three parts, v1.PAYLOAD.SIGNATURE, "
            "exactly as `invite-auth invite` printed it (quote it in the shell)"
        )
    return raw


# -- dates -------------------------------------------------------------------------------


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def relative(moment: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """`in 7 days`, `3 hours ago`: rounded to the nearest unit (24 h less a second is
    `in 24 hours`, not `in 23 hours`)."""
    now = now or datetime.datetime.now(datetime.UTC)
    seconds = (moment - now).total_seconds()
    size = abs(seconds)
    if size < 60:
        return "now"
    minutes = round(size / 60)
    if minutes < 60:
        span = _count(minutes, "minute")
    elif round(size / 3600) < 36:
        span = _count(round(size / 3600), "hour")
    else:
        span = _count(round(size / 86400), "day")
    return f"in {span}" if seconds > 0 else f"{span} ago"


def when(moment: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """`2026-12-09 13:05 UTC (in 7 days)`."""
    utc = moment.astimezone(datetime.UTC)
    return f"{utc:%Y-%m-%d %H:%M} UTC ({relative(utc, now)})"


# -- the client --------------------------------------------------------------------------


@dataclass
class Answer:
    url: str
    status: int
    content_type: str


@dataclass
class AnswerLog(httpx.BaseTransport):
    """The real HTTP transport, remembering the last answer: when it is not the API's (a
    host app's HTML 404, a proxy's 502 page) the error can name its URL and type."""

    inner: httpx.BaseTransport = field(default_factory=httpx.HTTPTransport)
    last: Answer | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        url = request.url.copy_with(query=None, fragment=None)
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        self.last = Answer(str(url), response.status_code, content_type or "no content type")
        return response

    def close(self) -> None:
        self.inner.close()


def settle(args: argparse.Namespace) -> argparse.Namespace:
    """Fill in the options this subcommand does not have, and the server from the
    environment; normalise the server URL (a usage error if it is not one)."""
    for name, value in DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    if not args.server:
        args.server = os.environ.get(SERVER_ENV) or None
    if args.server:
        args.server = normalize_server(args.server)
    return args


def server_of(args: argparse.Namespace) -> str:
    settle(args)
    if not args.server:
        raise UsageError(f"no server: give --server URL or set ${SERVER_ENV}")
    server: str = args.server
    return server


def sessions(args: argparse.Namespace) -> SessionStore:
    return SessionStore(config_dir() / "sessions.json")


def device_tokens(entry: dict[str, Any] | None) -> dict[str, str]:
    tokens = entry.get("device_tokens") if entry else None
    if not isinstance(tokens, dict):
        return {}
    return {k: v for k, v in tokens.items() if isinstance(k, str) and isinstance(v, str)}


def not_logged_in(args: argparse.Namespace, why: str = "") -> NotLoggedIn:
    """'not logged in to <server>', naming the servers that do have a session here, first
    the same machine under another name (localhost / 127.0.0.1 / ::1)."""
    server = server_of(args)
    others = [s for s in sessions(args).servers() if s != server]
    twins = [s for s in others if _loopback_twin(s, server)]
    message = f"not logged in to {server}{why}"
    if twins:
        message += (
            f"; there is a session for {twins[0]}, the same machine under another name "
            f"(use --server {twins[0]}, or log in to {server})"
        )
    elif others:
        message += f"; sessions are kept here for: {', '.join(sorted(others)[:3])}"
    return NotLoggedIn(message)


def client(
    args: argparse.Namespace,
    with_session: bool = True,
    device_for: str | None = None,
    *,
    require_session: bool = False,
) -> Client:
    """A client for the server; with the stored session (a NotLoggedIn error if there is
    none and `require_session`), and with the device token kept for the name `device_for`
    (the one about to log in)."""
    server = server_of(args)
    entry = sessions(args).get(server)
    token = entry.get("token") if entry and with_session else None
    if require_session and not token:
        raise not_logged_in(args)
    device_token = device_tokens(entry).get(device_for.casefold()) if device_for else None
    ksf = Argon2idKSF(
        time_cost=args.ksf_time_cost,
        memory_cost=args.ksf_memory_cost,
        parallelism=args.ksf_parallelism,
    )
    answers = AnswerLog()
    args.answers = answers  # main() reads it to describe an answer that is not the API's
    args.used_token = bool(token)
    return Client(
        server,
        token=token,
        ksf=ksf,
        timeout=args.timeout,
        device_token=device_token,
        transport=answers,
    )


def remember(
    args: argparse.Namespace, token: str | None, name: str, device_token: str | None = None
) -> None:
    """Keep (or, with no token, forget) the session; device tokens stay, one per name."""
    server = server_of(args)
    store = sessions(args)
    devices = device_tokens(store.get(server))
    if device_token:
        devices[name.casefold()] = device_token
    entry: dict[str, Any] = {"token": token, "name": name} if token else {}
    if devices:
        entry["device_tokens"] = devices
    store.put(server, entry or None)


def table(out: TextIO, header: list[str], rows: list[list[str]]) -> None:
    """Columns padded to their widest cell, for a person (--json is for programs)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        out.write("\n")


def write_json(out: TextIO, value: Any) -> None:
    out.write(json.dumps(value, indent=2, default=_json_default) + "\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    raise TypeError(f"{type(value).__name__} is not JSON")


Command = Callable[[argparse.Namespace, Prompter, TextIO], None]
