"""Messages of compliance and screening: request shapes of rules, enrolments and names."""

MESSAGES = {
    "blank": {"en": "must not be blank", "zh": "不得为空白"},
}
