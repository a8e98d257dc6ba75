"""cbec's languages: the gettext catalogues of the API's messages and of the console, the
message of every rule code, and language negotiation.

English is the source language. A rule code's English template sits next to the code that
raises it (here for Pydantic's structural codes — ``missing``, ``greater_than`` … — so every
rejection reads the same way whichever layer found it, and in :mod:`cbec.catalogue` per
capability); its Chinese is in the catalogues ``locale/zh_CN/LC_MESSAGES/*.po`` under the
rule code as message context (``msgctxt``; ``kind:<name>`` for the names of document kinds),
the same catalogues that translate the console's pages — one file per area, merged and read
with Babel when first needed, no compile step. ``tests/contract/test_i18n.py`` fails when a
code has no translation or the placeholders differ.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGS = ("en", "zh")
LOCALES = {"en": "en", "zh": "zh_CN"}  # cbec's language codes -> catalogue locale

MESSAGES: dict[str, str] = {
    # --- structure (Pydantic error types) ---
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "string_type": "must be a string",
    "string_too_short": "must have at least {min_length} character(s)",
    "string_too_long": "must have at most {max_length} characters",
    "string_pattern_mismatch": "must match the pattern {pattern}",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "int_from_float": "must be a whole number",
    "decimal_type": "must be a decimal number",
    "decimal_parsing": "must be a decimal number",
    "decimal_max_digits": "must have at most {max_digits} digits",
    "decimal_max_places": "must have at most {decimal_places} decimal places",
    "decimal_whole_digits": "must have at most {whole_digits} digits before the decimal point",
    "finite_number": "must be a finite number",
    "greater_than": "must be > {gt}",
    "greater_than_equal": "must be >= {ge}",
    "less_than": "must be < {lt}",
    "less_than_equal": "must be <= {le}",
    "literal_error": "must be one of {expected}",
    "enum": "must be one of {expected}",
    "too_short": "must have at least {min_length} item(s)",
    "too_long": "must have at most {max_length} items",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "datetime_type": "must be an ISO 8601 date-time",
    "datetime_parsing": "must be an ISO 8601 date-time",
    "datetime_from_date_parsing": "must be an ISO 8601 date-time",
    "timezone_aware": "must include a time zone (e.g. Z or +08:00)",
    "datetime_without_offset": (
        "has no UTC offset: write one (e.g. Z or +08:00) or choose the time zone "
        "of the file's times"
    ),
    "date_type": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "json_invalid": "is not valid JSON",
    "value_error": "is invalid: {error}",
    "structure": "is invalid ({detail})",
    # --- codes and identifiers ---
    "country_code": "must be an ISO 3166-1 alpha-2 country code",
    "currency_code": "must be an ISO 4217 currency code",
    "hs_code": "must be a Harmonized System code of 6 to 10 digits",
    "id_length": "has the wrong length for a {id_type}",
    "id_format": "has the wrong format for a {id_type}",
    "id_checksum": "fails the {id_type} check digit (GB 11643)",
    "id_component": "has an impossible birth date or region code for a {id_type}",
    "required_for_cn_import": (
        "is required for imports into China (customs declares against the buyer's ID)"
    ),
    "phone_invalid": "is not a valid phone number for {region}",
    # --- amounts and document rules ---
    "line_total": "must equal unit_price × qty = {expected}",
    "goods_value_sum": "must equal the sum of line totals = {expected}",
    "amount_paid_sum": "must equal goods_value + freight + tax_withheld − discount = {expected}",
    "discount_exceeds": "must not exceed goods_value + freight",
    "line_no_sequence": "must be {expected}: line numbers run 1..n in order",
    "duplicate_country": "repeats a country already listed",
    "hs_prefix": "must start with the product's HS subheading {expected}",
    "events_order": "must not be earlier than the previous event",
    "party_mismatch": "must be the authenticated tenant ({tenant}) or omitted",
    "party_unknown": "no {role} named {name}",
    # --- requests ---
    "validation_failed": "the document breaks {count} rule(s); nothing was written",
    "invalid_json": "not valid JSON (the request body or the file): {detail}",
    "payload_too_large": "the request body exceeds the limit of {limit} bytes",
    "unsupported_media_type": "unsupported content type {content_type}; use {expected}",
    "unauthenticated": "missing or invalid API key; send Authorization: Bearer <key>",
    "role_cannot_file": "a {role} tenant cannot file {kind} documents",
    "role_forbidden": "this action is reserved for the {allowed} role",
    "not_found": "no such {kind}",
    "route_not_found": "no such endpoint",
    "method_not_allowed": "method not allowed",
    "bad_cursor": "the cursor is not valid",
    "conflict_natural_key": "{kind} {key} already exists with different content",
    "idempotency_key_reused": "this Idempotency-Key was already used for a different request",
    "differs": "differs from the stored document",
    "csv_group_mismatch": "rows of the same document disagree on this field",
    "row_not_object": "each line must be a JSON object",
    "reveal_reason": (
        "a reason of at least 10 characters is required to reveal personal information"
    ),
    "busy": "the database is busy with another write; nothing was written, retry shortly",
    "schema_too_new": (
        "the database schema is at revision {revision}, which this cbec does not know (its"
        " newest is {head}): a newer release upgraded it; run that release, or restore the"
        " backup taken before the upgrade"
    ),
    "not_ready": "not ready for traffic: {failed}",
    "not_alive": "the database does not answer ({error}): this server cannot serve",
    "ledger_range": "out of range: {detail}",
    "backup_exists": "{path} exists already: a backup is written to a new name",
    "backup_failed": "the backup could not be taken: {detail}",
    "backup_incomplete": "{path} is not a complete backup: {detail}",
    "backup_altered": "the backup {path} has been altered or damaged: {detail}",
    "backup_dialect": (
        "the backup is of a {backup} database and the target is {target}: restore it into "
        "a {backup} database"
    ),
    "backup_too_new": (
        "the backup's schema is at revision {revision}, which this cbec does not know "
        "(its newest is {head}): restore it with the release that took it"
    ),
    "backup_other_keys": (
        "this process's keys are not the ones the backup's database records: {problems}. "
        "Give it the deployment's keys: {how}"
    ),
    "restore_not_empty": (
        "the target database is not empty (it holds {tables}): a backup is restored into "
        "an empty database only"
    ),
    "restore_mismatch": "the restored database is not what the backup's manifest says: {detail}",
    "keys_mismatch": (
        "this process's keys are not the ones the database records: {problems}."
        " Give it the deployment's keys: {how} (`cbec admin keys show` compares them)"
    ),
    "keys_unproven": (
        "the database holds data but records no keys, and this process's keys do not open"
        " it: {problems}. Give it the keys the data was written with: {how}"
    ),
    "keys_missing": (
        "no {missing} configured: {how} (`cbec admin keys init` makes the keys of a new deployment)"
    ),
    "keys_none": (
        "no keys are configured and the database records none: run `cbec admin keys init`"
        " once for the deployment, or, if it has keys, {how}"
    ),
    "keys_exist": (
        "keys exist already in {where}; `cbec admin keys init` runs once, for a new deployment"
    ),
    "keys_unreadable": "the keys cannot be read: {detail}",
    "keys_file_exposed": (
        "the keys file {path} has mode {mode}: its group or others may read or change it,"
        " so it is not used. Make it private: chmod 600 {path}"
    ),
    "key_unknown": ("this process holds no data key {kid} (its data keys: {have})"),
    "key_retired": ("data key {kid} is retired; a retired key is never made active again"),
    "key_is_active": (
        "data key {kid} is the active one: make another key active (`cbec admin keys"
        " activate`) and re-encrypt (`cbec admin keys re-encrypt`) before retiring it"
    ),
    "key_still_used": (
        "data key {kid} still seals values in {count} stored rows ({where}): run `cbec"
        " admin keys re-encrypt` first"
    ),
    "key_not_recorded": (
        "the database records no {what} {kid}: start a process that holds it (or run `cbec"
        " admin keys show`) first"
    ),
    "keys_not_in_file": (
        "the keys file does not hold the {what} (they come from {source}), so they cannot be"
        " rotated there: {fix}"
    ),
    "hmac_rotation_none": (
        "no HMAC key is being rotated in: run `cbec admin keys add-hmac-key` first"
    ),
    "hmac_rotation_missing": (
        "the database records a next HMAC key ({recorded}) being rotated in, and this process"
        " does not hold it: give it the key `cbec admin keys add-hmac-key` made (the keys"
        " file's hmac_key_next, or CBEC_HMAC_KEY_NEXT), or run that command again for a new one"
    ),
    "hmac_rotation_stale": (
        "the next HMAC key this process holds ({next}) is not the one the database records as"
        " being rotated in ({recorded}): give it the key the rotation started with (the keys"
        " file's hmac_key_next, or CBEC_HMAC_KEY_NEXT)"
    ),
    "not_changeable": "a {kind} cannot be changed once filed",
    "only_filer_changes": "only the tenant that filed this {kind} may change it",
    "unknown_location": (
        "{id} is neither a location of the logistics network nor a country with one"
    ),
    "no_route": "no route of the logistics network joins {origin} to {destination} for these goods",
    "unknown_leg": "{id} is not a leg of the logistics network on that day",
    "unknown_container": "{kind} is not a container type of the logistics data",
    "no_container_rate": "the logistics data has no {kind} container rate for leg {id}",
    "duplicate_parcel": "parcel id {id} is given twice",
    "duplicate_order": "order id {id} is given twice",
    "order_over_cart": "the order has more lines than a cart holds ({cart})",
    "outside_layout": "is outside the warehouse layout",
    "deadline_before_ready": "the deadline is before the day the parcel is ready",
    "leg_needs": "a leg is given by its network id, or by its mode and vehicle class",
    "unknown_factor": "no emission factor is in force for {mode} / {vehicle} on that day",
    "deadline_impossible": (
        "no route arrives within {deadline} days with 90 % confidence; the fastest takes"
        " {fastest} days at its 90th percentile"
    ),
    # --- tracking events (GS1 EPCIS 2.0 / CBV 2.0, cbec.logistics.epcis) ---
    "epcis_uri": "must be an absolute URI (a scheme, a colon, no spaces)",
    "epcis_gs1_key": "is not {expected}",
    "epcis_check_digit": "fails the {key} check digit (GS1 General Specifications §7.9.1)",
    "epcis_vocabulary": "is not a {vocabulary} term",
    "epcis_decimal": "must have at most 15 significant digits and 6 decimal places",
    "epcis_not_in_event": "is not a field of an {event_type}",
    "epcis_parent_required": (
        "is required for an AggregationEvent whose action is ADD or DELETE (EPCIS 2.0 §7.4.3)"
    ),
    "epcis_what_missing": (
        "an ObjectEvent names its objects: epcList, quantityList, or sensorElementList with"
        " readPoint"
    ),
    "epcis_children_missing": (
        "an AggregationEvent that adds or observes names its children: childEPCs or"
        " childQuantityList (EPCIS 2.0 §7.4.3)"
    ),
    "epcis_duplicate": "names an object twice (item {index})",
    "epcis_unsupported": "is not an EPCIS field or event type cbec keeps",
    "document_erased": (
        "this {kind}'s personal data was erased (a data subject's erasure or retention):"
        " it can no longer be declared"
    ),
    "key_immutable": "cannot change: this document's key is {key}",
    "customs_party_unknown": "no customs registration code is known for tenant {tenant}",
    "customs_length": "{length} characters do not fit customs field {ceb} (at most {limit})",
    "customs_currency": "is {found}; China customs declares CBEC imports in CNY only (code 142)",
    "customs_id_type": "must be resident_id: customs accepts only the resident ID card (type 1)",
    "customs_country": "{iso} has no JGS-20 customs country code in cbec's table",
    "customs_currency_code": "{iso} has no JGS-20 customs currency code in cbec's table",
    "customs_trade_mode": "must be 9610 (direct purchase) or 1210 (bonded)",
    "customs_9610_needs": "is required for direct-purchase (9610) declarations",
    "customs_1210_needs": "is required for bonded (1210) declarations",
    "customs_no_product": "SKU {sku} is not in the seller's catalog",
    "customs_gcode": "product {sku} has no 10-digit CN tariff code (hs_codes, country CN)",
    "customs_legal_unit": "product {sku} has no legal unit (legal_unit, legal_qty_per_unit)",
    "customs_unit": "must be a 3-digit JGS-20 unit code (e.g. 007 = piece) for customs",
    "customs_format": "does not fit customs field {ceb}, which takes {pattern}",
    "customs_lines_limit": "{count} lines do not fit one customs list (at most {limit})",
    "customs_net_over_gross": "is less than the goods' net weight from the catalog ({net} kg)",
    "changed_concurrently": (
        "this {kind} was changed by another request meanwhile; read it again and retry"
    ),
    "illegal_transition": "{detail} (the message was still logged as evidence, entry {index})",
    "customs_no_profile": (
        "tenant {tenant} has no customs profile with an E-Port id (see customs-profile)"
    ),
    "customs_no_waybill": "no waybill of order {order_no} is filed where you can see it",
    "customs_no_line": "the inventory list has no line {gnum}",
    "customs_return_qty": "must be more than 0 and at most the {declared} declared",
    "tax_input": "{field}: {detail}",
    "tax_charge_differs": (
        "order {order_ref} was already charged against a quota with different figures"
    ),
    "tax_already_refunded": "the tax of order {order_ref} was already refunded",
    "tax_refund_window": (
        "returned on {returned}: tax is refunded only for returns within {days} days of release "
        "({released})"
    ),
    "rule_conflict": "the rule set would contradict itself ({rules}): {detail}",
    "rule_invalid": "is not a valid rule: {detail}",
    "rule_id_mismatch": "must equal the rule id in the path ({id})",
    "unknown_tenant": "no tenant named {tenant}",
    "invalid": "is not valid: {detail}",
    "out_of_range": "must be between {min} and {max}",
    "screening_no_list": "no screening list is loaded (POST /screening/lists)",
    "screening_list": "is not a screening list cbec can read: {detail}",
    "analytics_too_few": (
        "{count} orders with a known buyer are too few for this (at least {minimum})"
    ),
    "analytics_too_short": (
        "the longest demand series has {longest} weeks of orders; a backtest needs {minimum} weeks"
        " (training {train} + horizon {horizon} + the windows between)"
    ),
    "analytics_no_series": "no demand series {series} in your orders",
    "replenishment_unmatched": (
        "no stock row has a demand figure: demand is for {demand}, stock is at {stock}; give "
        "demand per warehouse (the command line maps markets to warehouses with --market-map)"
    ),
    "customs_record_taken": "record {guid} was declared by another tenant; a record guid is unique",
    "tax_order_ref_length": "order_ref is longer than 180 characters",
    "rule_not_yours": (
        "rule {rule} binds every platform: only a regulator or its maker may change it"
    ),
    "list_not_yours": (
        "list {list} was loaded by another tenant: only it or a regulator may replace it"
    ),
    "waybill_mismatch": (
        "an event may name a cbec waybill only as the request's waybill_id ({expected})"
    ),
    "one_of": "give this or {other}, not both",
    "ceb513_status": "logistics status {value} is not S (签收), the only one CEB513 allows",
    "xml_invalid": "not readable XML: {detail}",
    "message_type": "expected a {expected}",
    "internal_error": "internal error",
    "webhook_url_scheme": "must be an absolute URL with one of the schemes {schemes}",
    "webhook_url_invalid": "is not an absolute URL with a host",
    "webhook_url_long": "is longer than {max} characters",
    "webhook_url_private": (
        "names {host}, an address outside the public internet (loopback, private, "
        "link-local or reserved); webhooks are sent only to public addresses"
    ),
    "webhook_events_empty": "names no event type",
    "webhook_event_unknown": "is not an event type cbec sends (known: {known})",
    "webhook_status_unknown": "is not a delivery status (known: {known})",
    "webhook_still_pending": "the delivery is still pending: it is replayed once delivered or dead",
    # marketplace order files (cbec.connectors.marketplaces)
    "marketplace_value_missing": "the file gives no value in this column",
    "marketplace_column_absent": (
        "the file has no such column: this export cannot give the field (use an export that has it)"
    ),
    "marketplace_not_a_number": "is not a number: {found}",
    "marketplace_not_a_time": "is not a date and time this export writes: {found}",
    "marketplace_time_zone_needed": "{found} has no UTC offset: name the file's time zone (--tz)",
    "marketplace_country_unknown": "is not a country: {found}",
    "marketplace_sku_unknown": (
        "SKU {sku} (line {line}) is not in the seller's catalogue: import the product "
        "first (customs needs its HS code, unit and origin)"
    ),
    "marketplace_group_mismatch": "rows of the same order disagree on this column",
    "marketplace_total_mismatch": "does not match the order's lines: expected {expected}",
    "marketplace_currency_mismatch": "is in {found}, the order's currency is {expected}",
    "marketplace_format_unknown": (
        "the header row (a JSON file: its fields) is not that of a known marketplace export "
        "({wanted}); known: {formats}"
    ),
    "marketplace_row": "the rows could not be read as an order",
    # payment settlement reports (cbec.connectors.settlements)
    "settlement_format_unknown": (
        "the header row is not that of a known payment settlement report ({wanted}); "
        "known: {formats}"
    ),
    "settlement_payer_id_missing": (
        "CEB411 requires the payer's ID type and number: the report gives none here "
        "(see the README's mapping for where this report carries them)"
    ),
    "settlement_payer_name_missing": "CEB411 requires the payer's name: the report gives none here",
    "settlement_id_type_unknown": (
        "is not a payer ID type: {found} (resident_id, passport, other; CEB411 codes 1, 2)"
    ),
    "settlement_currency_unknown": "is not an ISO 4217 currency code: {found}",
    "settlement_amount_not_positive": "a payment's amount must be above zero: {found}",
    "settlement_net_mismatch": "does not equal gross less the fee: expected {expected}",
    "settlement_custom_unreadable": (
        "is not the payer fields cbec reads (key=value pairs separated by ';')"
    ),
    "settlement_time_zone_unknown": (
        "'{found}' is not a time zone cbec reads unambiguously: name the file's time zone (--tz)"
    ),
    "settlement_row": "the row could not be read as a payment",
}

KIND_NAMES: dict[str, str] = {
    "order": "order",
    "payment": "payment",
    "waybill": "waybill",
    "product": "product",
    "tenant": "tenant",
    "rule": "rule",
    "sandbox": "sandbox enrolment",
    "tax_charge": "tax charge",
    "batch": "batch",
    "webhook_subscription": "webhook subscription",
    "webhook_delivery": "webhook delivery",
    "marketplace_profile": "marketplace profile",
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


def catalogue(lang: str) -> Catalog:
    """Every ``.po`` file of ``lang`` merged into one catalogue. A message in two files is a
    mistake (which translation wins?) and refused."""
    folder = resources.files("cbec") / "locale" / LOCALES[lang] / "LC_MESSAGES"
    merged = Catalog(locale=LOCALES[lang], domain="messages")
    for part in sorted(folder.iterdir(), key=lambda p: p.name):
        if not part.name.endswith(".po"):
            continue
        with part.open("rb") as fh:
            for message in read_po(fh, locale=LOCALES[lang]):
                if not message.id:
                    continue
                if merged.get(message.id, context=message.context) is not None:
                    raise ValueError(f"{part.name}: {message.id!r} is already translated")
                merged.add(message.id, message.string, context=message.context, flags=message.flags)
    return merged


@cache
def translations(lang: str) -> Translations:
    """The catalogue of ``lang`` as gettext translations (English: the msgids themselves)."""
    if lang not in LOCALES or lang == "en":
        return Translations()
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(lang))  # in memory: gettext reads the MO format
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def translate(context: str, english: str, lang: str) -> str:
    """``english`` in ``lang``: its translation under ``context`` (a rule code)."""
    return english if lang == "en" else translations(lang).pgettext(context, english)


def render(rule: str, lang: str, params: dict[str, Any]) -> str:
    """The message for ``rule`` in ``lang`` (``en`` or ``zh``), with ``params`` filled in."""
    lang = lang if lang in LANGS else "en"
    english = MESSAGES.get(rule)
    if english is None:
        return str(params.get("detail") or rule)
    values = dict(params)
    kind = values.get("kind")
    if isinstance(kind, str) and kind in KIND_NAMES:
        values["kind"] = translate(f"kind:{kind}", KIND_NAMES[kind], lang)
    template = translate(rule, english, lang)
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template


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
