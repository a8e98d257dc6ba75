"""Messages of the customs capability (CEB 202205 messages, signatures, declaration states)
that are new with the typed contract; the older customs codes live in :mod:`cbec.i18n`."""

MESSAGES = {
    "customs_message": "is not a CEB message cbec can read: {detail}",
    "customs_message_type": "must be a {expected} message, not {found}",
    "customs_xsd": "{message} breaks the official 202205 schema at {path} (line {line}): {detail}",
    "customs_xsd_more": "{message} breaks the official schema in {count} more place(s)",
    "customs_xml_char": (
        "holds {char}, a character XML 1.0 cannot carry, so customs field {ceb} cannot take it"
    ),
    "customs_signature": "the signature does not verify ({check}): {detail}",
    "customs_cannot": "cannot {action} a message that is {state}",
    "customs_receipt_misfit": (
        "a receipt with returnStatus {status} does not apply to a {state} message"
    ),
    "customs_schema": "not valid against the official CEB schema, so not logged: {detail}",
    "customs_not_sender": (
        "{code} is logged only from its sender: copCode and dxpId must be your customs "
        "registration code and E-Port id"
    ),
    "customs_no_identity": (
        "you have no customs identity (cbec admin customs-profile), so no message of yours can be "
        "logged"
    ),
    "customs_not_declarer": (
        "is not a {message} record you declared through cbec; its receipt is not logged"
    ),
    "customs_not_a_party": (
        "the record names none of its parties as you ({code}); it is not yours to declare"
    ),
}
