"""Messages of the privacy cores: the cross-border transfer route engine's inputs and rules,
the data inventory's check, the free-text scanner's limits and the
compliance report's year."""

MESSAGES = {
    "transfer_input": "{field}: {detail}",
    "transfer_no_rules": "{field}: {detail}",
    "scan_input": "{field}: {detail}",
    "report_input": "{field}: {detail}",
    "dsr_input": "{field}: {detail}",
    "inventory_incomplete": "The data inventory does not match the stored fields: {detail}",
}
