"""Messages of the privacy cores: the cross-border transfer route engine's inputs and rules."""

MESSAGES = {
    "transfer_input": "{field}: {detail}",
    "transfer_no_rules": "{field}: {detail}",
}
