"""Messages of the privacy cores: the cross-border transfer route engine's inputs and rules,
and the data inventory's check."""

MESSAGES = {
    "transfer_input": "{field}: {detail}",
    "transfer_no_rules": "{field}: {detail}",
    "inventory_incomplete": "The data inventory does not match the stored fields: {detail}",
}
