"""System packages the tests need (Debian's PostgreSQL server, Chromium), installed when
missing, so the README's one test command works on a fresh machine."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def ensure_debian_packages(wanted: dict[str, str]) -> None:
    """Install `package` for each `path: package` whose path (a file, or a command on
    PATH) is missing. Needs root, as on CI machines; elsewhere it explains what to do."""
    missing = sorted(
        {pkg for path, pkg in wanted.items() if not (Path(path).exists() or shutil.which(path))}
    )
    if not missing:
        return
    if os.geteuid() != 0:
        raise RuntimeError(f"the tests need Debian packages {missing}: apt-get install them")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", *missing],
        check=True,
        env=env,
    )


if __name__ == "__main__":
    import sys

    # python tests/system.py PATH=PACKAGE ...  (for tox environments that need a command)
    ensure_debian_packages(dict(arg.split("=", 1) for arg in sys.argv[1:]))
