"""Messages in English and Chinese for every rule code, and language negotiation.

A plain catalogue rather than gettext: the messages are short templates keyed by stable rule
codes that API clients also see, two languages are shipped, and keeping both next to each
other makes a missing translation visible in review (a test checks every code has both).
Codes from Pydantic's structural validation (``missing``, ``greater_than`` …) are translated
here too, so every rejection reads the same way whichever layer found it.
"""

from __future__ import annotations

from typing import Any

LANGS = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    # --- structure (Pydantic error types) ---
    "missing": {"en": "is required", "zh": "为必填项"},
    "extra_forbidden": {"en": "is not a known field", "zh": "不是可识别的字段"},
    "string_type": {"en": "must be a string", "zh": "必须是字符串"},
    "string_too_short": {
        "en": "must have at least {min_length} character(s)",
        "zh": "至少需要 {min_length} 个字符",
    },
    "string_too_long": {
        "en": "must have at most {max_length} characters",
        "zh": "最多 {max_length} 个字符",
    },
    "string_pattern_mismatch": {
        "en": "must match the pattern {pattern}",
        "zh": "格式必须符合 {pattern}",
    },
    "int_type": {"en": "must be an integer", "zh": "必须是整数"},
    "int_parsing": {"en": "must be an integer", "zh": "必须是整数"},
    "int_from_float": {"en": "must be a whole number", "zh": "必须是整数"},
    "decimal_type": {"en": "must be a decimal number", "zh": "必须是十进制数"},
    "decimal_parsing": {"en": "must be a decimal number", "zh": "必须是十进制数"},
    "decimal_max_digits": {
        "en": "must have at most {max_digits} digits",
        "zh": "最多 {max_digits} 位数字",
    },
    "decimal_max_places": {
        "en": "must have at most {decimal_places} decimal places",
        "zh": "小数位最多 {decimal_places} 位",
    },
    "decimal_whole_digits": {
        "en": "must have at most {whole_digits} digits before the decimal point",
        "zh": "整数部分最多 {whole_digits} 位",
    },
    "finite_number": {"en": "must be a finite number", "zh": "必须是有限数值"},
    "greater_than": {"en": "must be > {gt}", "zh": "必须大于 {gt}"},
    "greater_than_equal": {"en": "must be >= {ge}", "zh": "必须大于或等于 {ge}"},
    "less_than": {"en": "must be < {lt}", "zh": "必须小于 {lt}"},
    "less_than_equal": {"en": "must be <= {le}", "zh": "必须小于或等于 {le}"},
    "literal_error": {"en": "must be one of {expected}", "zh": "必须是以下之一：{expected}"},
    "enum": {"en": "must be one of {expected}", "zh": "必须是以下之一：{expected}"},
    "too_short": {
        "en": "must have at least {min_length} item(s)",
        "zh": "至少需要 {min_length} 项",
    },
    "too_long": {"en": "must have at most {max_length} items", "zh": "最多 {max_length} 项"},
    "list_type": {"en": "must be a list", "zh": "必须是列表"},
    "dict_type": {"en": "must be an object", "zh": "必须是对象"},
    "model_type": {"en": "must be an object", "zh": "必须是对象"},
    "model_attributes_type": {"en": "must be an object", "zh": "必须是对象"},
    "bool_type": {"en": "must be true or false", "zh": "必须是 true 或 false"},
    "bool_parsing": {"en": "must be true or false", "zh": "必须是 true 或 false"},
    "datetime_type": {
        "en": "must be an ISO 8601 date-time",
        "zh": "必须是 ISO 8601 日期时间",
    },
    "datetime_parsing": {
        "en": "must be an ISO 8601 date-time",
        "zh": "必须是 ISO 8601 日期时间",
    },
    "datetime_from_date_parsing": {
        "en": "must be an ISO 8601 date-time",
        "zh": "必须是 ISO 8601 日期时间",
    },
    "timezone_aware": {
        "en": "must include a time zone (e.g. Z or +08:00)",
        "zh": "必须包含时区（如 Z 或 +08:00）",
    },
    "date_type": {"en": "must be a date (YYYY-MM-DD)", "zh": "必须是日期（YYYY-MM-DD）"},
    "date_parsing": {"en": "must be a date (YYYY-MM-DD)", "zh": "必须是日期（YYYY-MM-DD）"},
    "json_invalid": {"en": "is not valid JSON", "zh": "不是有效的 JSON"},
    "value_error": {"en": "is invalid: {error}", "zh": "无效：{error}"},
    "structure": {"en": "is invalid ({detail})", "zh": "无效（{detail}）"},
    # --- codes and identifiers ---
    "country_code": {
        "en": "must be an ISO 3166-1 alpha-2 country code",
        "zh": "必须是 ISO 3166-1 两位国家代码",
    },
    "currency_code": {
        "en": "must be an ISO 4217 currency code",
        "zh": "必须是 ISO 4217 货币代码",
    },
    "hs_code": {
        "en": "must be a Harmonized System code of 6 to 10 digits",
        "zh": "必须是 6 至 10 位数字的 HS 编码",
    },
    "id_length": {"en": "has the wrong length for a {id_type}", "zh": "{id_type} 长度不正确"},
    "id_format": {"en": "has the wrong format for a {id_type}", "zh": "{id_type} 格式不正确"},
    "id_checksum": {
        "en": "fails the {id_type} check digit (GB 11643)",
        "zh": "{id_type} 校验码错误（GB 11643）",
    },
    "id_component": {
        "en": "has an impossible birth date or region code for a {id_type}",
        "zh": "{id_type} 的出生日期或地区码不存在",
    },
    "required_for_cn_import": {
        "en": "is required for imports into China (customs declares against the buyer's ID)",
        "zh": "进口至中国时为必填项（海关按购买人身份申报）",
    },
    "phone_invalid": {
        "en": "is not a valid phone number for {region}",
        "zh": "不是有效的 {region} 电话号码",
    },
    # --- amounts and document rules ---
    "line_total": {
        "en": "must equal unit_price × qty = {expected}",
        "zh": "必须等于 单价 × 数量 = {expected}",
    },
    "goods_value_sum": {
        "en": "must equal the sum of line totals = {expected}",
        "zh": "必须等于各行总价之和 = {expected}",
    },
    "amount_paid_sum": {
        "en": "must equal goods_value + freight + tax_withheld − discount = {expected}",
        "zh": "必须等于 商品价格 + 运费 + 代扣税款 − 优惠 = {expected}",
    },
    "discount_exceeds": {
        "en": "must not exceed goods_value + freight",
        "zh": "不得超过 商品价格 + 运费",
    },
    "line_no_sequence": {
        "en": "must be {expected}: line numbers run 1..n in order",
        "zh": "应为 {expected}：行号须从 1 开始依次递增",
    },
    "duplicate_country": {"en": "repeats a country already listed", "zh": "国家重复"},
    "hs_prefix": {
        "en": "must start with the product's HS subheading {expected}",
        "zh": "必须以商品的 HS 子目 {expected} 开头",
    },
    "events_order": {
        "en": "must not be earlier than the previous event",
        "zh": "不得早于上一条轨迹事件",
    },
    "party_mismatch": {
        "en": "must be the authenticated tenant ({tenant}) or omitted",
        "zh": "必须是当前认证的租户（{tenant}）或留空",
    },
    "party_unknown": {"en": "no {role} named {name}", "zh": "不存在名为 {name} 的{role}"},
    # --- requests ---
    "validation_failed": {
        "en": "the document breaks {count} rule(s); nothing was written",
        "zh": "文档违反 {count} 条规则，未写入任何数据",
    },
    "invalid_json": {
        "en": "the request body is not valid JSON: {detail}",
        "zh": "请求体不是有效的 JSON：{detail}",
    },
    "payload_too_large": {
        "en": "the request body exceeds the limit of {limit} bytes",
        "zh": "请求体超过 {limit} 字节的上限",
    },
    "unsupported_media_type": {
        "en": "unsupported content type {content_type}; use {expected}",
        "zh": "不支持的内容类型 {content_type}；请使用 {expected}",
    },
    "unauthenticated": {
        "en": "missing or invalid API key; send Authorization: Bearer <key>",
        "zh": "缺少或无效的 API 密钥；请发送 Authorization: Bearer <密钥>",
    },
    "role_cannot_file": {
        "en": "a {role} tenant cannot file {kind} documents",
        "zh": "{role} 类租户不能提交{kind}单据",
    },
    "role_forbidden": {
        "en": "this action is reserved for the {allowed} role",
        "zh": "该操作仅限 {allowed} 角色",
    },
    "not_found": {"en": "no such {kind}", "zh": "{kind}不存在"},
    "route_not_found": {"en": "no such endpoint", "zh": "接口不存在"},
    "method_not_allowed": {"en": "method not allowed", "zh": "不支持该请求方法"},
    "bad_cursor": {"en": "the cursor is not valid", "zh": "分页游标无效"},
    "conflict_natural_key": {
        "en": "{kind} {key} already exists with different content",
        "zh": "{kind} {key} 已存在且内容不同",
    },
    "idempotency_key_reused": {
        "en": "this Idempotency-Key was already used for a different request",
        "zh": "该 Idempotency-Key 已用于另一个不同的请求",
    },
    "differs": {"en": "differs from the stored document", "zh": "与已存储的单据不一致"},
    "csv_group_mismatch": {
        "en": "rows of the same document disagree on this field",
        "zh": "同一单据的多行在该字段上不一致",
    },
    "row_not_object": {"en": "each line must be a JSON object", "zh": "每行必须是 JSON 对象"},
    "reveal_reason": {
        "en": "a reason of at least 10 characters is required to reveal personal information",
        "zh": "查看个人信息明文须填写至少 10 个字符的理由",
    },
    "busy": {
        "en": "the database is busy with another write; nothing was written, retry shortly",
        "zh": "数据库正忙于其他写入；本次未写入任何数据，请稍后重试",
    },
    "ledger_range": {"en": "out of range: {detail}", "zh": "超出账本范围：{detail}"},
    "not_changeable": {
        "en": "a {kind} cannot be changed once filed",
        "zh": "{kind}提交后不可修改",
    },
    "only_filer_changes": {
        "en": "only the tenant that filed this {kind} may change it",
        "zh": "只有提交该{kind}的租户可以修改",
    },
    "key_immutable": {
        "en": "cannot change: this document's key is {key}",
        "zh": "不可修改：该单据的键为 {key}",
    },
    "customs_party_unknown": {
        "en": "no customs registration code is known for tenant {tenant}",
        "zh": "租户 {tenant} 没有海关注册编码",
    },
    "customs_length": {
        "en": "{length} characters do not fit customs field {ceb} (at most {limit})",
        "zh": "{length} 个字符超出海关字段 {ceb} 的长度上限 {limit}",
    },
    "customs_currency": {
        "en": "is {found}; China customs declares CBEC imports in CNY only (code 142)",
        "zh": "为 {found}；跨境进口只能以人民币（142）申报",
    },
    "customs_id_type": {
        "en": "must be resident_id: customs accepts only the resident ID card (type 1)",
        "zh": "必须为居民身份证：海关仅接受身份证（类型 1）",
    },
    "customs_country": {
        "en": "{iso} has no JGS-20 customs country code in cbec's table",
        "zh": "{iso} 在 cbec 的代码表中没有对应的海关国别代码",
    },
    "customs_currency_code": {
        "en": "{iso} has no JGS-20 customs currency code in cbec's table",
        "zh": "{iso} 在 cbec 的代码表中没有对应的海关货币代码",
    },
    "customs_trade_mode": {
        "en": "must be 9610 (direct purchase) or 1210 (bonded)",
        "zh": "须为 9610（直购进口）或 1210（保税进口）",
    },
    "customs_9610_needs": {
        "en": "is required for direct-purchase (9610) declarations",
        "zh": "直购进口（9610）申报时为必填项",
    },
    "customs_1210_needs": {
        "en": "is required for bonded (1210) declarations",
        "zh": "保税进口（1210）申报时为必填项",
    },
    "customs_no_product": {
        "en": "SKU {sku} is not in the seller's catalog",
        "zh": "SKU {sku} 不在商家的商品目录中",
    },
    "customs_gcode": {
        "en": "product {sku} has no 10-digit CN tariff code (hs_codes, country CN)",
        "zh": "商品 {sku} 没有 10 位中国税则号（hs_codes 中的 CN）",
    },
    "customs_legal_unit": {
        "en": "product {sku} has no legal unit (legal_unit, legal_qty_per_unit)",
        "zh": "商品 {sku} 未填写法定计量单位（legal_unit, legal_qty_per_unit）",
    },
    "customs_unit": {
        "en": "must be a 3-digit JGS-20 unit code (e.g. 007 = piece) for customs",
        "zh": "申报海关须为 3 位 JGS-20 计量单位代码（如 007 个）",
    },
    "customs_format": {
        "en": "does not fit customs field {ceb}, which takes {pattern}",
        "zh": "不符合海关字段 {ceb} 的格式 {pattern}",
    },
    "customs_lines_limit": {
        "en": "{count} lines do not fit one customs list (at most {limit})",
        "zh": "{count} 个商品项超出一份海关清单的上限 {limit}",
    },
    "customs_net_over_gross": {
        "en": "is less than the goods' net weight from the catalog ({net} kg)",
        "zh": "小于按商品目录计算的净重（{net} 千克）",
    },
    "changed_concurrently": {
        "en": "this {kind} was changed by another request meanwhile; read it again and retry",
        "zh": "该{kind}已被另一请求修改；请重新读取后重试",
    },
    "illegal_transition": {
        "en": "{detail} (the message was still logged as evidence, entry {index})",
        "zh": "{detail}（该报文仍已作为证据记入账本，条目 {index}）",
    },
    "customs_no_profile": {
        "en": "tenant {tenant} has no customs profile with an E-Port id (see customs-profile)",
        "zh": "租户 {tenant} 没有含电子口岸编号的海关档案（cbec admin customs-profile）",
    },
    "customs_no_waybill": {
        "en": "no waybill of order {order_no} is filed where you can see it",
        "zh": "没有您可见的订单 {order_no} 的运单",
    },
    "customs_no_line": {
        "en": "the inventory list has no line {gnum}",
        "zh": "清单中没有第 {gnum} 项",
    },
    "customs_return_qty": {
        "en": "must be more than 0 and at most the {declared} declared",
        "zh": "须大于 0 且不超过申报数量 {declared}",
    },
    "tax_input": {"en": "{field}: {detail}", "zh": "字段 {field} 有误：{detail}"},
    "tax_charge_differs": {
        "en": "order {order_ref} was already charged against a quota with different figures",
        "zh": "订单 {order_ref} 已按不同的金额或买家计入额度",
    },
    "tax_already_refunded": {
        "en": "the tax of order {order_ref} was already refunded",
        "zh": "订单 {order_ref} 的税款已退还",
    },
    "tax_refund_window": {
        "en": "returned on {returned}: tax is refunded only for returns within {days} days "
        "of release ({released})",
        "zh": "退货日期 {returned}：仅放行（{released}）后 {days} 日内退货可退税",
    },
    "rule_conflict": {
        "en": "the rule set would contradict itself ({rules}): {detail}",
        "zh": "规则集将自相矛盾（{rules}）：{detail}",
    },
    "rule_invalid": {"en": "is not a valid rule: {detail}", "zh": "不是有效的规则：{detail}"},
    "rule_id_mismatch": {
        "en": "must equal the rule id in the path ({id})",
        "zh": "必须与路径中的规则编号（{id}）一致",
    },
    "unknown_tenant": {"en": "no tenant named {tenant}", "zh": "没有名为 {tenant} 的租户"},
    "invalid": {"en": "is not valid: {detail}", "zh": "无效：{detail}"},
    "out_of_range": {
        "en": "must be between {min} and {max}",
        "zh": "须在 {min} 与 {max} 之间",
    },
    "screening_no_list": {
        "en": "no screening list is loaded (POST /screening/lists)",
        "zh": "尚未加载筛查名单（POST /screening/lists）",
    },
    "screening_list": {
        "en": "is not a screening list cbec can read: {detail}",
        "zh": "不是可读取的筛查名单：{detail}",
    },
    "analytics_too_few": {
        "en": "{count} orders with a known buyer are too few for this (at least {minimum})",
        "zh": "已知买家的订单只有 {count} 笔，数量不足（至少 {minimum} 笔）",
    },
    "analytics_too_short": {
        "en": "the longest demand series has {longest} weeks of orders; a backtest needs "
        "{minimum} weeks (training {train} + horizon {horizon} + the windows between)",
        "zh": "最长的需求序列只有 {longest} 周的订单；回测至少需要 {minimum} 周"
        "（训练 {train} 周 + 预测 {horizon} 周 + 各回测窗口之间的间隔）",
    },
    "analytics_no_series": {
        "en": "no demand series {series} in your orders",
        "zh": "您的订单中没有需求序列 {series}",
    },
    "replenishment_unmatched": {
        "en": "no stock row has a demand figure: demand is for {demand}, stock is at "
        "{stock}; give demand per warehouse (the command line maps markets to warehouses "
        "with --market-map)",
        "zh": "没有任何库存行有对应的需求数据：需求针对 {demand}，库存位于 {stock}；"
        "请按仓库提供需求（命令行可用 --market-map 把市场映射到仓库）",
    },
    "customs_record_taken": {
        "en": "record {guid} was declared by another tenant; a record guid is unique",
        "zh": "记录 {guid} 已由其他租户申报；记录编号必须唯一",
    },
    "tax_order_ref_length": {
        "en": "order_ref is longer than 180 characters",
        "zh": "order_ref 超过 180 个字符",
    },
    "rule_not_yours": {
        "en": "rule {rule} binds every platform: only a regulator or its maker may change it",
        "zh": "规则 {rule} 约束所有平台：仅监管方（或创建它的平台）可以修改",
    },
    "list_not_yours": {
        "en": "list {list} was loaded by another tenant: only it or a regulator may replace it",
        "zh": "名单 {list} 由其他租户加载：仅该租户或监管方可以替换",
    },
    "internal_error": {"en": "internal error", "zh": "内部错误"},
}

KIND_NAMES = {
    "order": {"en": "order", "zh": "订单"},
    "payment": {"en": "payment", "zh": "支付单"},
    "waybill": {"en": "waybill", "zh": "运单"},
    "product": {"en": "product", "zh": "商品"},
    "tenant": {"en": "tenant", "zh": "租户"},
    "rule": {"en": "rule", "zh": "规则"},
    "sandbox": {"en": "sandbox enrolment", "zh": "沙盒登记"},
    "tax_charge": {"en": "tax charge", "zh": "税款记录"},
}


def _merge_catalogues() -> None:
    from cbec.catalogue import load

    for name, messages, kinds in load():
        clash = (MESSAGES.keys() & messages.keys()) | (KIND_NAMES.keys() & kinds.keys())
        if clash:  # caught by the catalogue test; refuse rather than silently override
            raise RuntimeError(f"catalogue {name} redefines {sorted(clash)}")
        MESSAGES.update(messages)
        KIND_NAMES.update(kinds)


_merge_catalogues()


def render(rule: str, lang: str, params: dict[str, Any]) -> str:
    """The message for ``rule`` in ``lang`` (``en`` or ``zh``), with ``params`` filled in."""
    lang = lang if lang in LANGS else "en"
    entry = MESSAGES.get(rule)
    if entry is None:
        return str(params.get("detail") or rule)
    values = dict(params)
    if "kind" in values and values["kind"] in KIND_NAMES:
        values["kind"] = KIND_NAMES[values["kind"]][lang]
    try:
        return entry[lang].format(**values)
    except (KeyError, IndexError):
        return entry[lang]


def negotiate(accept_language: str | None) -> str:
    """Pick ``zh`` or ``en`` from an Accept-Language header (RFC 9110 §12.5.4 q-values)."""
    if not accept_language:
        return "en"
    best, best_q = "en", -1.0
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and weight > best_q:
            best, best_q = primary, weight
    return best
