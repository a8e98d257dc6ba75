"""Messages of analytics: market figures, transaction files, replenishment inputs."""

MESSAGES = {
    "analytics_figures": "{detail}",
    "analytics_transactions": "{detail}",
    "analytics_input": "{field}: {detail}",
}
