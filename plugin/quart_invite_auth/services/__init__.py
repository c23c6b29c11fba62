"""The seed's "Auth" participant: invites, registration, login, MFA, sessions, invitations."""
