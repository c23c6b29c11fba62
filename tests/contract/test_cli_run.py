"""A bounded `st run` (the schemathesis command) against the example app under hypercorn."""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pyotp

from invite_auth import Client
from invite_auth.opaque import Argon2idKSF
from tests.e2e.server import running

from .conftest import SPEC


def st_command() -> list[str]:
    script = Path(sys.executable).parent / "st"
    found = str(script) if script.exists() else shutil.which("st")
    assert found, "the schemathesis command (st) is not installed"
    return [found]


def test_schemathesis_command_against_hypercorn(tmp_path: Path) -> None:
    with running(tmp_path / "data", secret=secrets.token_hex(32)) as server:
        with Client(server.url, ksf=Argon2idKSF(time_cost=1, memory_cost=1024)) as root:
            mfa = root.register(server.root_invite(), "root", "root password")
            session = root.login(
                "root", "root password", totp_code=pyotp.TOTP(mfa.totp_secret).now()
            )
        done = subprocess.run(
            [
                *st_command(),
                "run",
                str(SPEC),
                "--url",
                server.url,
                "--header",
                f"Authorization: Bearer {session.token}",
                # Logouts would end the one session every other operation uses; the
                # in-process suite gives them sessions of their own.
                "--exclude-operation-id",
                "logout",
                "--exclude-operation-id",
                "passwordLogout",
                # So would revoking the oldest session listed (the link from listSessions).
                "--exclude-operation-id",
                "revokeSession",
                # See test_contract.py: schema-valid is not protocol-valid.
                "--exclude-checks",
                "positive_data_acceptance",
                "--max-examples",
                "10",
                "--seed",
                "20261124",
                # All four phases (examples, coverage, fuzzing, stateful) within a minute.
                "--max-time",
                "60",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
        summary = re.search(r"(\d+) generated, (\d+) passed", done.stdout)
        assert summary, done.stdout[-3000:]
        generated, passed = map(int, summary.groups())
        assert generated == passed > 500, done.stdout[-3000:]
