"""Messages of the customs capability (CEB 202205 messages, signatures, declaration states)
that are new with the typed contract; the older customs codes live in :mod:`cbec.i18n`."""

MESSAGES = {
    "customs_message": {
        "en": "is not a CEB message cbec can read: {detail}",
        "zh": "不是可读取的 CEB 报文：{detail}",
    },
    "customs_message_type": {
        "en": "must be a {expected} message, not {found}",
        "zh": "必须是 {expected} 报文，而不是 {found}",
    },
    "customs_xsd": {
        "en": "{message} breaks the official 202205 schema at {path} (line {line}): {detail}",
        "zh": "{message} 不符合 202205 官方报文规范，位置 {path}（第 {line} 行）：{detail}",
    },
    "customs_xsd_more": {
        "en": "{message} breaks the official schema in {count} more place(s)",
        "zh": "{message} 另有 {count} 处不符合官方报文规范",
    },
    "customs_xml_char": {
        "en": "holds {char}, a character XML 1.0 cannot carry, so customs field {ceb} "
        "cannot take it",
        "zh": "含有 XML 1.0 无法承载的字符 {char}，海关字段 {ceb} 无法接收",
    },
    "customs_signature": {
        "en": "the signature does not verify ({check}): {detail}",
        "zh": "签名验证未通过（{check}）：{detail}",
    },
    "customs_cannot": {
        "en": "cannot {action} a message that is {state}",
        "zh": "不能对状态为 {state} 的报文执行 {action}",
    },
    "customs_receipt_misfit": {
        "en": "a receipt with returnStatus {status} does not apply to a {state} message",
        "zh": "returnStatus 为 {status} 的回执不适用于状态为 {state} 的报文",
    },
    "customs_schema": {
        "en": "not valid against the official CEB schema, so not logged: {detail}",
        "zh": "不符合海关总署 CEB 报文格式，未记录：{detail}",
    },
    "customs_not_sender": {
        "en": "{code} is logged only from its sender: copCode and dxpId must be your customs "
        "registration code and E-Port id",
        "zh": "{code} 只记录其传输企业发送的报文："
        "copCode 与 dxpId 须为您的海关注册编码与电子口岸 ID",
    },
    "customs_no_identity": {
        "en": "you have no customs identity (cbec admin customs-profile), so no message of "
        "yours can be logged",
        "zh": "您尚无海关身份（cbec admin customs-profile），无法记录报文",
    },
    "customs_not_declarer": {
        "en": "is not a {message} record you declared through cbec; its receipt is not logged",
        "zh": "不是您通过 cbec 申报的 {message} 记录，其回执不予记录",
    },
    "customs_not_a_party": {
        "en": "the record names none of its parties as you ({code}); it is not yours to declare",
        "zh": "该记录的企业中没有您（{code}），不能由您申报",
    },
}
