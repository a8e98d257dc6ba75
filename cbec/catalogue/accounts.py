"""Messages of console users and sessions (cbec.accounts, cbec.services.users/sessions)."""

MESSAGES = {
    "login_failed": "sign-in failed: wrong login or password, or the account cannot sign in now",
    "login_format": "3 to 254 of a-z, 0-9 and . _ @ + - (an e-mail address or a name)",
    "password_too_short": "a password needs at least {min} characters",
    "password_too_long": "a password has at most {max} characters",
    "password_is_login": "the password must not be the login",
    "password_wrong": "the current password is wrong",
    "totp_code_wrong": "the code is wrong, expired or already used",
    "totp_already_on": "the second factor is already on",
    "user_login_taken": "a user with this login already exists",
    "user_self_change": "an admin cannot disable or change the role of its own account",
}

KIND_NAMES = {
    "user": "user",
    "invite": "invite",
}
