"""Regenerate the SDK's low-level client from openapi.yaml, or check it has not drifted.

    python sdk/openapi-client/generate.py          # rewrite sdk/invite_auth/_generated
    python sdk/openapi-client/generate.py --check  # regenerate aside; fail on any difference

The check compares file trees itself rather than asking git, so it also works in a
checkout without git metadata.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TARGET = ROOT / "sdk" / "invite_auth" / "_generated"


def generate(output: Path) -> None:
    if output.exists():
        shutil.rmtree(output)  # --overwrite alone would keep files the spec no longer makes
    subprocess.run(
        [
            "openapi-python-client",
            "generate",
            "--path",
            str(ROOT / "openapi.yaml"),
            "--meta",
            "none",
            "--config",
            str(HERE / "config.yaml"),
            "--output-path",
            str(output),
            "--overwrite",
            "--fail-on-warning",
        ],
        check=True,
        cwd=ROOT,
    )


def differences(expected: Path, actual: Path) -> list[str]:
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"only in regenerated output: {prefix}{n}" for n in cmp.left_only)
        found.extend(f"only in the committed client: {prefix}{n}" for n in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(f"differs: {prefix}{n}" for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(expected, actual, ignore=["__pycache__"]), "")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the client drifted")
    args = parser.parse_args()
    if not args.check:
        generate(TARGET)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "_generated"
        generate(fresh)
        found = differences(fresh, TARGET)
    if found:
        print("sdk/invite_auth/_generated does not match openapi.yaml:", file=sys.stderr)
        print("\n".join(f"  {line}" for line in found), file=sys.stderr)
        print("run `tox -e generate` and commit the result", file=sys.stderr)
        return 1
    print("sdk/invite_auth/_generated matches openapi.yaml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
