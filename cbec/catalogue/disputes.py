"""Rule codes of dispute cases (:mod:`cbec.disputes`)."""

MESSAGES = {
    "dispute_opener": "only the order's platform, its seller or a regulator opens a case on it",
    "dispute_final": "the case is {state}: nothing more is said or changed",
    "dispute_withdraw_opener": "only the party that opened the case withdraws it",
    "dispute_ruling_forbidden": "the seller may concede a refund but not rule {outcome}",
    "dispute_refund_full": "a full refund is the amount claimed",
    "dispute_refund_partial": "a partial refund is more than 0 and less than the claim ({claim})",
    "dispute_refund_unexpected": "only a refund names an amount",
}

KIND_NAMES = {"dispute": "dispute case", "dispute_message": "dispute message"}
