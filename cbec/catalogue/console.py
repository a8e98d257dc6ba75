"""Messages of the web console's own failures (the pages show them; see cbec.console)."""

MESSAGES = {
    "not_signed_in": {"en": "sign in to see this page", "zh": "请登录后查看此页面"},
    "csrf_failed": {
        "en": "the form has expired or did not come from this console; reload the page and "
        "try again",
        "zh": "表单已过期或并非来自本控制台；请刷新页面后重试",
    },
}
