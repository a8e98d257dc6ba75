"""Messages of compliance and screening: request shapes of rules, enrolments and names."""

MESSAGES = {
    "blank": "must not be blank",
    "platform_rules_not_yours": (
        "the rules of platform {platform} are seen by that platform and regulators only"
    ),
    "rule_pattern_refused": "rule {rule}: pattern refused: {detail}",
}
