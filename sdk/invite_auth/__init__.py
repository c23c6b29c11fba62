"""invite-auth SDK: the OPAQUE client and a typed client for the invite-auth API."""

__version__ = "0.1.0"
