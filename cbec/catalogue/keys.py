"""Messages of API key management."""

MESSAGES = {
    "key_expiry_past": "{field}: the expiry must be in the future",
    "key_last_active": (
        "this is the tenant's last active API key; create another before revoking it"
    ),
}

KIND_NAMES = {
    "api_key": "API key",
}
