"""Example host app: `python examples/app.py` serves both APIs and the browser pages on
http://127.0.0.1:5000.

Embedded defaults for trying it out: LMDB in ./examples/data (or $INVITE_AUTH_DATA_DIR),
and a development secret generated once and kept in that folder. On first start it prints
a one-time invite for the root account, and the page that registers it in a browser.
The pages are mounted at the root, so invitation links read /invite/<id> as in seed 003.
Any other setting can come from the environment as INVITE_AUTH_<NAME> (a JSON value, or
plain text), e.g. INVITE_AUTH_CLIENT_KSF='{"time_cost": 1, "memory_cost": 8192,
"parallelism": 1}'.
With $INVITE_AUTH_DATABASE_URL (postgresql://…) the store is that PostgreSQL database
instead, which several servers can share (give them all the same $INVITE_AUTH_SECRET_KEY).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import quote

from quart import Quart

from quart_invite_auth import InviteAuth, ProblemError

DATA_DIR = Path(os.environ.get("INVITE_AUTH_DATA_DIR", Path(__file__).parent / "data"))
BIND = os.environ.get("BIND", "127.0.0.1:5000")


def _settings_from_environment() -> dict[str, object]:
    """`INVITE_AUTH_*` variables as app.config entries (JSON values, else plain text); the
    arguments given to InviteAuth below take precedence, as for any host."""
    found: dict[str, object] = {}
    for key, raw in os.environ.items():
        if not key.startswith("INVITE_AUTH_") or key in ("INVITE_AUTH_SECRET_KEY",):
            continue
        try:
            found[key] = json.loads(raw)
        except ValueError:
            found[key] = raw
    return found


def _development_secret(folder: Path) -> str:
    """Create the secret file exclusively, so several workers agree on one secret. The
    folder (the LMDB directory too) is private: 0700, the secret 0600."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / "DEVELOPMENT-SECRET-KEY"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_text().strip()


def create_app() -> Quart:
    app = Quart(__name__)
    app.config.update(_settings_from_environment())
    secret = os.environ.get("INVITE_AUTH_SECRET_KEY")
    if not secret:
        print(
            "WARNING: INVITE_AUTH_SECRET_KEY is not set; using a generated DEVELOPMENT secret "
            f"kept in {DATA_DIR}. Never use this in production.",
            file=sys.stderr,
        )
        secret = _development_secret(DATA_DIR)
    auth = InviteAuth(
        app,
        data_dir=str(DATA_DIR),
        database_url=os.environ.get("INVITE_AUTH_DATABASE_URL") or None,
        database_schema=os.environ.get("INVITE_AUTH_DATABASE_SCHEMA") or "invite_auth",
        secret_key=secret,
        cookie_secure=os.environ.get("INVITE_AUTH_COOKIE_SECURE", "0") == "1",
        pages_prefix="",
    )

    @app.before_serving
    async def print_root_invite() -> None:
        try:
            token = await auth.bootstrap_invite()
        except ProblemError:
            return  # a root account exists already
        print(
            f"\nOne-time root invite (account 'root'):\n{token}\n"
            f"Register root in a browser: http://{BIND}/register?token={quote(token)}\n",
            file=sys.stderr,
            flush=True,
        )

    @app.get("/")
    async def index() -> dict[str, str]:
        return {
            "service": "invite-auth example",
            "accounts": "/accounts",
            "invitations": "/api",
            "login": "/login",
            "account": "/account",
        }

    return app


app = create_app()


def main() -> None:
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    config = Config()
    config.bind = [BIND]
    asyncio.run(serve(app, config))


if __name__ == "__main__":
    main()
