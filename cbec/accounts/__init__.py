"""Accounts of people (the web console's users), beside the API keys of machines.

The pure rules live here, with no web or database code: how passwords are hashed and which
ones are refused (:mod:`.passwords`, RFC 9106 Argon2id), how failed logins lock an account
(:mod:`.lockout`), when a TOTP code is accepted (:mod:`.totp`, RFC 6238) and what a session
token, its lifetimes and its CSRF token are (:mod:`.sessions`). The use cases that store and
audit them are :mod:`cbec.services.users` and :mod:`cbec.services.sessions`.
"""

from __future__ import annotations

from enum import StrEnum


class UserRole(StrEnum):
    """What a user may do within its tenant (the tenant's own role — seller, platform … —
    still decides which documents it reaches)."""

    ADMIN = "admin"  # manages the tenant's users, and does what an operator does
    OPERATOR = "operator"  # files and changes documents
    VIEWER = "viewer"  # reads only
