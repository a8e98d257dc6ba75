"""Rule codes of brand co-creation and growth (:mod:`cbec.growth`): polls and the ad-spend
report."""

MESSAGES = {
    "poll_option_repeated": "the same option as options[{other}]",
    "poll_option_unknown": "not one of the poll's options",
    "poll_closed": "the poll is closed: it takes no more votes",
    "poll_voted": "this buyer has already voted in this poll",
    "poll_rekeyed": (
        "the poll was opened before an HMAC key rotation and cannot tell a buyer's second vote "
        "from a first any more: close it and open a new poll"
    ),
    "poll_relay": "only the order's platform relays its buyer's vote",
    "poll_not_buyer": "not the buyer of this order",
    "adspend_market_needed": "the report has no country column: give the import's market",
    "adspend_one_day": "a row covers one day: the report needs a daily breakdown",
    "adspend_channel": "a channel is 1-40 lower-case letters, digits, '_', '.' or '-'",
    "adspend_currency_mixed": "the spend is in several currencies ({currencies}): import one",
    "adspend_empty": "no spend rows to report on",
    "adspend_order_twice": "this order number is attributed on an earlier line",
}

KIND_NAMES = {"poll": "poll", "poll_vote": "poll vote"}
