"""Quart plugin: invite-only onboarding with OPAQUE registration, TOTP and invitations."""
