"""RFC 9807 Appendix C: Real Test Vectors 1 and 2, Fake Test Vector 1.

Every field of the JSON (config, derived inputs, intermediates, outputs) is
recomputed; `_assert_all_covered` fails if the file gains a field we skip."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from invite_auth.opaque import (
    KE1,
    KE2,
    Envelope,
    IdentityKSF,
    RegistrationRecord,
    RegistrationResponse,
    ServerSetup,
    constants,
    create_registration_request,
    create_registration_response,
    finalize_registration_request,
    generate_ke1,
    generate_ke2,
    generate_ke3,
    group,
    oprf,
    server_finish,
)
from invite_auth.opaque.envelope import derive_envelope_keys, derive_masking_key
from invite_auth.opaque.key_exchange import (
    derive_diffie_hellman_key_pair,
    derive_keys,
    diffie_hellman,
    preamble,
)
from invite_auth.opaque.ksf import derive_randomized_password
from invite_auth.opaque.primitives import mac
from invite_auth.opaque.server import derive_oprf_key

from .helpers import ReplayRandom, h, opaque_vectors

VECTORS = opaque_vectors()
REAL = [v for v in VECTORS if v["kind"] == "real"]
FAKE = [v for v in VECTORS if v["kind"] == "fake"]


def _name(vector: dict[str, Any]) -> str:
    return str(vector["name"].split(":")[0])


def _assert_all_covered(expected: dict[str, str], computed: dict[str, bytes]) -> None:
    assert set(expected) <= set(computed), f"not checked: {set(expected) - set(computed)}"
    for key, value in expected.items():
        assert computed[key].hex() == value, key


def test_vector_set_is_the_expected_one() -> None:
    assert [v["kind"] for v in VECTORS] == ["real", "real", "fake"]


@pytest.mark.parametrize("vector", VECTORS, ids=_name)
def test_config_matches_our_constants(vector: dict[str, Any]) -> None:
    config = vector["config"]
    assert (config["OPRF"], config["Group"], config["KSF"]) == (
        "ristretto255-SHA512",
        "ristretto255",
        "Identity",
    )
    assert (config["Hash"], config["KDF"], config["MAC"]) == (
        "SHA512",
        "HKDF-SHA512",
        "HMAC-SHA512",
    )
    for size in ("Nh", "Npk", "Nsk", "Nm", "Nx", "Nok"):
        assert config[size] == getattr(constants, size), size
    assert config["Context"] == vector["inputs"]["context"]


def _identities(inputs: dict[str, str]) -> tuple[bytes | None, bytes | None]:
    client_identity = h(inputs["client_identity"]) if "client_identity" in inputs else None
    server_identity = h(inputs["server_identity"]) if "server_identity" in inputs else None
    return client_identity, server_identity


@pytest.mark.parametrize("vector", REAL, ids=_name)
def test_real_vector(vector: dict[str, Any]) -> None:
    inputs = vector["inputs"]
    context = h(inputs["context"])
    password = h(inputs["password"])
    credential_identifier = h(inputs["credential_identifier"])
    client_identity, server_identity = _identities(inputs)
    ksf = IdentityKSF()

    setup = ServerSetup(h(inputs["oprf_seed"]), h(inputs["server_private_key"]))
    assert setup.server_public_key.hex() == inputs["server_public_key"]

    # Registration, each message through its byte encoding as on the wire.
    client_rng = ReplayRandom(
        scalars=[h(inputs["blind_registration"])], byte_strings=[h(inputs["envelope_nonce"])]
    )
    request, reg_state = create_registration_request(password, rng=client_rng)
    response = create_registration_response(
        setup, type(request).from_bytes(request.to_bytes()), credential_identifier
    )
    record, registration_export_key = finalize_registration_request(
        reg_state,
        RegistrationResponse.from_bytes(response.to_bytes()),
        ksf=ksf,
        client_identity=client_identity,
        server_identity=server_identity,
        rng=client_rng,
    )
    client_rng.assert_exhausted()
    stored_record = RegistrationRecord.from_bytes(record.to_bytes())

    # Login.
    client_rng = ReplayRandom(
        scalars=[h(inputs["blind_login"])],
        byte_strings=[h(inputs["client_nonce"]), h(inputs["client_keyshare_seed"])],
    )
    ke1, login_state = generate_ke1(password, rng=client_rng)
    server_rng = ReplayRandom(
        byte_strings=[
            h(inputs["masking_nonce"]),
            h(inputs["server_nonce"]),
            h(inputs["server_keyshare_seed"]),
        ]
    )
    ke2, server_state = generate_ke2(
        setup,
        stored_record,
        credential_identifier,
        KE1.from_bytes(ke1.to_bytes()),
        context=context,
        client_identity=client_identity,
        server_identity=server_identity,
        rng=server_rng,
    )
    ke3, session_key, export_key = generate_ke3(
        login_state,
        KE2.from_bytes(ke2.to_bytes()),
        ksf=ksf,
        context=context,
        client_identity=client_identity,
        server_identity=server_identity,
    )
    client_rng.assert_exhausted()
    server_rng.assert_exhausted()
    server_session_key = server_finish(server_state, type(ke3).from_bytes(ke3.to_bytes()))
    assert server_session_key == session_key
    assert registration_export_key == export_key

    # Intermediates, recomputed with the internal functions named after the RFC.
    oprf_key = derive_oprf_key(setup.oprf_seed, credential_identifier)
    oprf_output = oprf.finalize(
        password,
        group.deserialize_scalar(h(inputs["blind_registration"])),
        group.deserialize_element(response.evaluated_message),
    )
    randomized_password = derive_randomized_password(oprf_output, ksf)
    envelope_keys = derive_envelope_keys(randomized_password, h(inputs["envelope_nonce"]))
    client_private_key, client_public_key = derive_diffie_hellman_key_pair(envelope_keys.seed)
    assert client_public_key == record.client_public_key

    # 3DH from both ends must give the same ikm.
    server_keyshare_sk, server_keyshare_pk = derive_diffie_hellman_key_pair(
        h(inputs["server_keyshare_seed"])
    )
    client_keyshare_sk, client_keyshare_pk = derive_diffie_hellman_key_pair(
        h(inputs["client_keyshare_seed"])
    )
    assert ke1.auth_request.client_public_keyshare == client_keyshare_pk
    assert ke2.auth_response.server_public_keyshare == server_keyshare_pk
    server_private_key = group.deserialize_scalar(setup.server_private_key)
    ikm_server = (
        diffie_hellman(server_keyshare_sk, client_keyshare_pk)
        + diffie_hellman(server_private_key, client_keyshare_pk)
        + diffie_hellman(server_keyshare_sk, group.deserialize_element(client_public_key))
    )
    ikm_client = (
        diffie_hellman(client_keyshare_sk, server_keyshare_pk)
        + diffie_hellman(client_keyshare_sk, group.deserialize_element(setup.server_public_key))
        + diffie_hellman(client_private_key, server_keyshare_pk)
    )
    assert ikm_server == ikm_client
    transcript = preamble(
        context,
        client_public_key if client_identity is None else client_identity,
        ke1.to_bytes(),
        setup.server_public_key if server_identity is None else server_identity,
        ke2.credential_response.to_bytes(),
        h(inputs["server_nonce"]),
        server_keyshare_pk,
    )
    keys = derive_keys(ikm_server, transcript)
    server_mac = mac(keys.km2, hashlib.sha512(transcript).digest())
    assert ke2.auth_response.server_mac == server_mac
    assert ke3.client_mac == mac(keys.km3, hashlib.sha512(transcript + server_mac).digest())
    assert keys.session_key == session_key

    computed = {
        "oprf_key": oprf_key,
        "client_public_key": client_public_key,
        "randomized_password": randomized_password,
        "masking_key": derive_masking_key(randomized_password),
        "auth_key": envelope_keys.auth_key,
        "envelope": record.envelope.to_bytes(),
        "handshake_secret": keys.handshake_secret,
        "server_mac_key": keys.km2,
        "client_mac_key": keys.km3,
        "registration_request": request.to_bytes(),
        "registration_response": response.to_bytes(),
        "registration_upload": record.to_bytes(),
        "KE1": ke1.to_bytes(),
        "KE2": ke2.to_bytes(),
        "KE3": ke3.to_bytes(),
        "export_key": export_key,
        "session_key": server_session_key,
    }
    assert record.masking_key == computed["masking_key"]
    _assert_all_covered(vector["intermediates"], computed)
    _assert_all_covered(vector["outputs"], computed)


@pytest.mark.parametrize("vector", FAKE, ids=_name)
def test_fake_vector(vector: dict[str, Any]) -> None:
    inputs = vector["inputs"]
    client_identity, server_identity = _identities(inputs)

    setup = ServerSetup(h(inputs["oprf_seed"]), h(inputs["server_private_key"]))
    # The fake record: the vector's client key and masking key, a zero envelope.
    fake_record = RegistrationRecord(
        client_public_key=h(inputs["client_public_key"]),
        masking_key=h(inputs["masking_key"]),
        envelope=Envelope(bytes(constants.Nn), bytes(constants.Nm)),
    )
    ke1 = KE1.from_bytes(h(inputs["KE1"]))
    server_rng = ReplayRandom(
        byte_strings=[
            h(inputs["masking_nonce"]),
            h(inputs["server_nonce"]),
            h(inputs["server_keyshare_seed"]),
        ]
    )
    ke2, _ = generate_ke2(
        setup,
        fake_record,
        h(inputs["credential_identifier"]),
        ke1,
        context=h(inputs["context"]),
        client_identity=client_identity,
        server_identity=server_identity,
        rng=server_rng,
    )
    server_rng.assert_exhausted()

    # The inputs that are derived from other inputs are consistent with them.
    client_private_key = group.deserialize_scalar(h(inputs["client_private_key"]))
    derived_inputs = {
        "server_public_key": setup.server_public_key,
        "client_public_key": group.scalar_mult_base(client_private_key),
        "KE1": ke1.to_bytes(),
    }
    assert (
        derive_diffie_hellman_key_pair(h(inputs["client_keyshare_seed"])).pk
        == ke1.auth_request.client_public_keyshare
    )
    _assert_all_covered(
        {k: v for k, v in inputs.items() if k in derived_inputs},
        derived_inputs,
    )
    _assert_all_covered(vector["outputs"], {"KE2": ke2.to_bytes()})
