"""Messages of the web console's own failures (the pages show them; see cbec.console)."""

MESSAGES = {
    "not_signed_in": "sign in to see this page",
    "csrf_failed": (
        "the form has expired or did not come from this console; reload the page and try again"
    ),
}
