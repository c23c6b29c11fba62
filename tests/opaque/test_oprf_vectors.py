"""RFC 9497 Appendix A.1.1: ristretto255-SHA512, OPRF mode, every listed value."""

from __future__ import annotations

from typing import Any

import pytest

from invite_auth.opaque import oprf

from .helpers import ReplayRandom, h, load_json

SUITE = load_json("oprf-ristretto255-sha512.json")


def test_suite_constants() -> None:
    assert SUITE["identifier"] == "ristretto255-SHA512"
    assert SUITE["mode"] == oprf.MODE_OPRF
    assert SUITE["hash"] == "SHA512"
    assert h(SUITE["contextString"]) == oprf.CONTEXT_STRING
    assert h(SUITE["groupDST"]) == oprf.HASH_TO_GROUP_DST


def test_derive_key_pair() -> None:
    sk, pk = oprf.derive_key_pair(h(SUITE["Seed"]), h(SUITE["KeyInfo"]))
    assert sk.hex() == SUITE["skSm"]
    assert len(pk) == 32


@pytest.mark.parametrize("vector", SUITE["vectors"], ids=lambda v: v["name"])
def test_blind_evaluate_finalize(vector: dict[str, Any]) -> None:
    assert vector["Batch"] == 1
    sk, _ = oprf.derive_key_pair(h(SUITE["Seed"]), h(SUITE["KeyInfo"]))
    private_input = h(vector["Input"])
    rng = ReplayRandom(scalars=[h(vector["Blind"])])

    blind, blinded_element = oprf.blind(private_input, rng)
    rng.assert_exhausted()
    assert blind.hex() == vector["Blind"]
    assert blinded_element.hex() == vector["BlindedElement"]

    evaluated = oprf.blind_evaluate(sk, blinded_element)
    assert evaluated.hex() == vector["EvaluationElement"]

    assert oprf.finalize(private_input, blind, evaluated).hex() == vector["Output"]
    # The unblinded protocol and the direct evaluation agree.
    assert oprf.evaluate(sk, private_input).hex() == vector["Output"]
