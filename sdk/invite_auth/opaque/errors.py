"""Errors raised by the OPAQUE implementation (RFC 9807 §8.3, RFC 9497 §5.3)."""

from __future__ import annotations

__all__ = [
    "AuthenticationError",
    "ClientAuthenticationError",
    "DeriveKeyPairError",
    "EnvelopeRecoveryError",
    "InvalidInputError",
    "MalformedMessageError",
    "OpaqueError",
    "ServerAuthenticationError",
]


class OpaqueError(Exception):
    """Base class of every error this package raises on purpose."""


class MalformedMessageError(OpaqueError):
    """Bytes from a peer or from storage do not decode: wrong length, a
    non-canonical or identity group element, a zero or out-of-range scalar."""


class InvalidInputError(OpaqueError, ValueError):
    """A caller-supplied argument is out of range (e.g. a password or identity
    longer than 2^16-1 bytes, an empty identity, a misbehaving random source).

    Also a ValueError, because it signals a programming error rather than an
    attack; RFC 9497 uses the same name for the (negligible) Blind failure."""


class DeriveKeyPairError(OpaqueError):
    """RFC 9497 DeriveKeyPair found no non-zero scalar in 256 tries
    (probability ~2^-2000; kept so the code follows the RFC)."""


class AuthenticationError(OpaqueError):
    """A login failed. Callers that only need "wrong password or tampered
    messages" catch this one class."""


class EnvelopeRecoveryError(AuthenticationError):
    """Client: the envelope's auth tag did not verify (wrong password, or the
    server answered with a response that is not ours / a fake record)."""


class ServerAuthenticationError(AuthenticationError):
    """Client: the server's KE2 MAC did not verify."""


class ClientAuthenticationError(AuthenticationError):
    """Server: the client's KE3 MAC did not verify."""
