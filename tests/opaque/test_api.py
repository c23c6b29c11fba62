"""Public API surface, argument validation, and dependency hygiene."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import invite_auth.opaque as opaque
from invite_auth.opaque import (
    AuthenticationError,
    ClientAuthenticationError,
    EnvelopeRecoveryError,
    IdentityKSF,
    InvalidInputError,
    MalformedMessageError,
    OpaqueError,
    ServerAuthenticationError,
    create_registration_request,
    create_registration_response,
    finalize_registration_request,
    generate_ke1,
    generate_ke2,
    generate_ke3,
)

from .helpers import shared_registration, shared_setup

PACKAGE_DIR = Path(opaque.__file__).resolve().parent
ALLOWED_THIRD_PARTY = {"pysodium", "argon2", "cryptography"}


def test_all_names_exist() -> None:
    for name in opaque.__all__:
        assert hasattr(opaque, name), name
    assert len(set(opaque.__all__)) == len(opaque.__all__)


def test_error_hierarchy() -> None:
    for cls in (EnvelopeRecoveryError, ServerAuthenticationError, ClientAuthenticationError):
        assert issubclass(cls, AuthenticationError)
    assert issubclass(AuthenticationError, OpaqueError)
    assert issubclass(MalformedMessageError, OpaqueError)
    assert not issubclass(MalformedMessageError, AuthenticationError)
    assert issubclass(InvalidInputError, ValueError)
    assert not issubclass(MalformedMessageError, ValueError)


def test_package_imports_only_stdlib_and_crypto_libraries() -> None:
    for path in PACKAGE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            for root in roots:
                assert (
                    root in sys.stdlib_module_names
                    or root in ALLOWED_THIRD_PARTY
                    or (root == "__future__")
                ), f"{path.name} imports {root}"


def test_import_pulls_in_no_web_or_storage_modules() -> None:
    code = (
        "import sys, invite_auth.opaque\n"
        "bad = [m for m in ('quart', 'quart_schema', 'lmdb', 'pydantic', 'hypercorn')"
        " if m in sys.modules]\n"
        "sys.exit(f'imported: {bad}' if bad else 0)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_password_and_identity_validation() -> None:
    with pytest.raises(InvalidInputError):
        create_registration_request(bytes(2**16))
    with pytest.raises(InvalidInputError):
        generate_ke1(bytes(2**16))
    with pytest.raises(TypeError):
        generate_ke1("password")  # type: ignore[arg-type]
    # The longest allowed password works.
    create_registration_request(bytes(2**16 - 1))

    setup = shared_setup()
    request, state = create_registration_request(b"pw")
    response = create_registration_response(setup, request, b"id")
    with pytest.raises(InvalidInputError):
        finalize_registration_request(state, response, ksf=IdentityKSF(), client_identity=b"")
    with pytest.raises(InvalidInputError):
        finalize_registration_request(
            state, response, ksf=IdentityKSF(), server_identity=bytes(2**16)
        )

    registered = shared_registration()
    ke1, client_state = generate_ke1(registered.password)
    with pytest.raises(InvalidInputError):
        generate_ke2(setup, registered.record, b"id", ke1, context=bytes(2**16))
    with pytest.raises(InvalidInputError):
        generate_ke2(setup, registered.record, b"id", ke1, server_identity=b"")
    with pytest.raises(TypeError):
        generate_ke2(setup, registered.record, "id", ke1)  # type: ignore[arg-type]
    ke2, _ = generate_ke2(setup, registered.record, registered.credential_identifier, ke1)
    with pytest.raises(InvalidInputError):
        generate_ke3(client_state, ke2, ksf=IdentityKSF(), context=bytes(2**16))
    with pytest.raises(InvalidInputError):
        generate_ke3(client_state, ke2, ksf=IdentityKSF(), client_identity=b"")


def test_results_are_named_tuples() -> None:
    registered = shared_registration()
    start = generate_ke1(registered.password)
    server = generate_ke2(
        registered.setup, registered.record, registered.credential_identifier, start.ke1
    )
    finish = generate_ke3(start.state, server.ke2, ksf=IdentityKSF())
    ke3, session_key, export_key = finish
    assert (finish.ke3, finish.session_key, finish.export_key) == (ke3, session_key, export_key)
    assert export_key == registered.export_key
