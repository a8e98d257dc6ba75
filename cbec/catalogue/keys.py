"""Messages of API key management."""

MESSAGES = {
    "key_expiry_past": {
        "en": "{field}: the expiry must be in the future",
        "zh": "字段 {field}：过期时间必须晚于当前时间",
    },
    "key_last_active": {
        "en": "this is the tenant's last active API key; create another before revoking it",
        "zh": "这是该租户最后一个有效的 API 密钥；请先创建新密钥再吊销",
    },
}

KIND_NAMES = {
    "api_key": {"en": "API key", "zh": "API 密钥"},
}
