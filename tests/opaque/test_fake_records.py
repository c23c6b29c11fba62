"""Client enumeration defence (RFC 9807 §6.3.2.2, §10.9): fake records."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invite_auth.opaque import (
    KE2,
    EnvelopeRecoveryError,
    IdentityKSF,
    RegistrationRecord,
    ServerSetup,
    fake_registration_record,
    generate_ke1,
    generate_ke2,
    generate_ke3,
)

from .helpers import shared_registration, shared_setup, start_login


def test_fake_record_is_deterministic_per_setup_and_identifier() -> None:
    setup = shared_setup()
    first = fake_registration_record(setup, b"nobody")
    assert fake_registration_record(setup, b"nobody") == first
    assert fake_registration_record(ServerSetup.from_bytes(setup.to_bytes()), b"nobody") == first
    assert fake_registration_record(setup, b"nobody2") != first
    assert fake_registration_record(ServerSetup.generate(), b"nobody") != first


@settings(max_examples=30)
@given(a=st.binary(max_size=40), b=st.binary(max_size=40))
def test_fake_records_differ_across_identifiers(a: bytes, b: bytes) -> None:
    record_a = fake_registration_record(shared_setup(), a)
    record_b = fake_registration_record(shared_setup(), b)
    assert (record_a == record_b) == (a == b)
    assert record_a.client_public_key != record_b.client_public_key or a == b
    assert record_a.masking_key != record_b.masking_key or a == b


def test_fake_record_shape() -> None:
    record = fake_registration_record(shared_setup(), b"nobody")
    assert record.envelope.to_bytes() == bytes(96)
    assert len(record.to_bytes()) == RegistrationRecord.SIZE
    assert RegistrationRecord.from_bytes(record.to_bytes()) == record


def test_fake_ke2_looks_like_a_real_one_and_login_fails() -> None:
    setup = shared_setup()
    real = start_login(shared_registration())
    ke1, client_state = generate_ke1(b"a guess")
    fake_ke2, _ = generate_ke2(setup, fake_registration_record(setup, b"nobody"), b"nobody", ke1)
    assert len(fake_ke2.to_bytes()) == len(real.ke2.to_bytes()) == KE2.SIZE
    assert KE2.from_bytes(fake_ke2.to_bytes()) == fake_ke2
    # The client cannot tell before the envelope check, and fails the same way
    # as with a wrong password for a real account.
    with pytest.raises(EnvelopeRecoveryError):
        generate_ke3(client_state, fake_ke2, ksf=IdentityKSF())
    with pytest.raises(EnvelopeRecoveryError):
        generate_ke3(
            start_login(shared_registration(), b"wrong").client_state, real.ke2, ksf=IdentityKSF()
        )


def test_fake_ke2_oprf_answer_is_stable_for_an_unknown_name() -> None:
    # The same unknown name evaluated twice with the same blind gives the same
    # OPRF answer and the same masking, as it would for a registered name.
    setup = shared_setup()
    ke1, _ = generate_ke1(b"guess")

    class FixedNonces:
        def random_bytes(self, n: int) -> bytes:
            return bytes([7]) * n

        def random_scalar(self) -> bytes:
            raise AssertionError("the server draws no scalars")

    ke2_first, _ = generate_ke2(
        setup, fake_registration_record(setup, b"ghost"), b"ghost", ke1, rng=FixedNonces()
    )
    ke2_second, _ = generate_ke2(
        setup, fake_registration_record(setup, b"ghost"), b"ghost", ke1, rng=FixedNonces()
    )
    assert ke2_first == ke2_second
