"""Messages of analytics: market figures, transaction files, replenishment inputs."""

MESSAGES = {
    "analytics_figures": {
        "en": "{detail}",
        "zh": "市场数据文件无法读取：{detail}",
    },
    "analytics_transactions": {
        "en": "{detail}",
        "zh": "交易数据无法读取：{detail}",
    },
    "analytics_input": {
        "en": "{field}: {detail}",
        "zh": "字段 {field} 有误：{detail}",
    },
}
