"""What the engine reads from an order: the facts, each with the path it came from.

Rules never look at the raw order. They look at :class:`OrderFacts` / :class:`LineFacts`,
built once here, so that every matched value in a decision carries the exact field it came
from (``lines[1].hs_code``, ``products[SZ-PB-10].name_en``) and so that the defaults the
engine applies are written down in one place:

* **direction** — ``order["direction"]`` when given (``import``/``export``); otherwise
  inferred through Chinese customs: destination CN → ``import``; origin CN (and destination
  elsewhere) → ``export``; neither → ``other`` (no direction-scoped rule applies).
* **trade mode** — ``order["trade_mode"]`` (9610/9710/9810/1210, or another 4-digit customs
  mode) when given; otherwise *unknown*, and a rule scoped to trade modes is treated as in
  scope (conservative: a restriction cannot be dodged by leaving the field out); the decision
  records that assumption.
* **documents** — ``order["documents"]``: a list of ``{"type": ..., "number": ...}``; a
  document may add ``"lines": [line_no, ...]`` to cover only those lines.
* **attributes** — ``lines[i]["attributes"]`` and, when a product catalogue is passed,
  ``products[sku]["attributes"]``: either a mapping ``{name: bool}`` or a list of names that
  are true. The line wins over the product. Undeclared = False.
* **names** searched by keyword/regex rules: the line's ``name``, ``name_en``, ``spec`` and
  the product's ``name_zh``, ``name_en``, ``spec``.
* **HS code** — the line's ``hs_code``; without one, the product's code for the destination
  country (``hs_codes``), else its ``hs_code``.
* **values** — a line's value is its ``line_total`` (else ``unit_price × qty``); the order's
  is ``goods_value`` (else the sum of line values), in ``currency``. Money is never a float.
* **date** — ``ordered_at`` (timezone-aware) as a UTC date.

Party tenant names are read from ``order[role]`` for :data:`~cbec.compliance.model.PARTY_ROLES`;
party countries from ``order[f"{role}_country"]`` (buyer and consignee default to the
destination country). Buyer names, IDs and phones are never read: they are personal data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from cbec.compliance.model import ATTRIBUTES, PARTY_COUNTRY_ROLES, PARTY_ROLES, valid_country
from cbec.errors import DocumentInvalid, Violation

_MODE = re.compile(r"\d{4}")
_HS = re.compile(r"\d{2,10}")
_CURRENCY = re.compile(r"[A-Z]{3}")


class OrderFactsError(DocumentInvalid, ValueError):
    """The order cannot be evaluated; names the field (never a personal value). A member of
    cbec's error family (an invalid document), and still a ``ValueError`` for core callers."""

    def __init__(self, field_: str, message: str) -> None:
        self.field, self.detail = field_, message
        super().__init__([Violation(field_, "invalid", {"detail": message})])

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}"


class Fact(NamedTuple):
    """A value and where it came from. A named tuple, as :class:`~cbec.compliance.match.Cond`
    and :class:`~cbec.compliance.match.AltResult`: immutable like a frozen dataclass, and an
    order makes dozens of them, which a tuple builds in a fifth of the time."""

    path: str
    value: Any


# The facts are never changed once built; they are slotted rather than frozen dataclasses
# because a frozen one's __init__ costs twice as much, and every order builds several.
@dataclass(slots=True)
class Document:
    type: str
    number: str
    lines: frozenset[int] | None  # line_no values covered; None = the whole order
    path: str

    def covers(self, line_no: int | None) -> bool:
        return self.lines is None or line_no is None or line_no in self.lines

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "number": self.number, "field": self.path}
        if self.lines is not None:
            out["lines"] = sorted(self.lines)
        return out


@dataclass(slots=True)
class LineFacts:
    index: int
    line_no: int
    sku: str
    hs_code: Fact | None
    texts: tuple[Fact, ...]
    attributes: Mapping[str, Fact]  # only the true ones
    origin_country: Fact | None
    qty: Fact
    value: Fact

    @property
    def prefix(self) -> str:
        return f"lines[{self.index}]"


@dataclass(slots=True)
class OrderFacts:
    ref: Mapping[str, Any]
    ordered_on: date | None
    direction: str  # import / export / other
    direction_inferred: bool
    trade_mode: str | None
    origin_country: str | None
    destination_country: str | None
    currency: str
    goods_value: Fact
    total_qty: Decimal
    parties: Mapping[str, Fact]
    party_countries: Mapping[str, Fact]
    documents: tuple[Document, ...]
    lines: tuple[LineFacts, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "direction_inferred": self.direction_inferred,
            "trade_mode": self.trade_mode,
            "origin_country": self.origin_country,
            "destination_country": self.destination_country,
            "currency": self.currency,
            "goods_value": str(self.goods_value.value),
            "documents": [d.as_dict() for d in self.documents],
        }


MAX_MAGNITUDE = 30  # digits before the point: far above any order, far below Decimal overflow


def money(value: Any, path: str) -> Decimal:
    """A non-negative finite Decimal from a Decimal, int or numeric string; floats refused.

    Values are bounded (:data:`MAX_MAGNITUDE` integer digits) so that the products and sums the
    engine forms (``unit_price × qty``, the order total) can never overflow the decimal
    context (IEEE 754-2008 decimal arithmetic signals ``Overflow`` past ``Emax``)."""
    if type(value) is not str:  # as an order's JSON has them: the common case first
        if isinstance(value, bool | float):
            raise OrderFactsError(
                path, "money and quantities must be strings or Decimals, not float"
            )
        if not isinstance(value, Decimal | int | str):
            raise OrderFactsError(path, "not a number")
    try:
        out = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError):
        raise OrderFactsError(path, "not a number") from None
    if not out.is_finite() or out < 0:
        raise OrderFactsError(path, "must be a finite, non-negative number")
    if out and out.adjusted() >= MAX_MAGNITUDE:
        raise OrderFactsError(path, f"must be below 10^{MAX_MAGNITUDE}")
    return out


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _dump(order: Any) -> Mapping[str, Any]:
    if isinstance(order, Mapping):
        return order
    dump = getattr(order, "model_dump", None)
    if callable(dump):
        return dump(mode="python")
    raise OrderFactsError("(order)", "expected a mapping or a pydantic model")


def _date_of(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise OrderFactsError("ordered_at", "not an ISO date-time") from None
    if not isinstance(value, datetime):
        raise OrderFactsError("ordered_at", "expected an ISO date-time")
    if value.tzinfo is None:
        raise OrderFactsError("ordered_at", "must carry a time zone")
    return value.astimezone(UTC).date()


def _attributes(raw: Any, path: str) -> dict[str, Fact]:
    if raw is None:
        return {}
    if isinstance(raw, Mapping):
        items = [(str(k), v) for k, v in raw.items()]
    elif isinstance(raw, Sequence) and not isinstance(raw, str):
        if not all(isinstance(k, str) for k in raw):
            raise OrderFactsError(path, "expected a list of attribute names")
        items = [(k, True) for k in raw]
    else:
        raise OrderFactsError(path, "expected a mapping of name to bool or a list of names")
    out: dict[str, Fact] = {}
    for name, flag in items:
        if not isinstance(flag, bool):
            raise OrderFactsError(f"{path}.{name}", "must be true or false")
        if name in ATTRIBUTES and flag:
            out[name] = Fact(f"{path}.{name}", True)
    return out


def _hs(value: Any, path: str) -> Fact | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise OrderFactsError(path, "an HS code is 2 to 10 digits")
    text = str(value).replace(".", "").replace(" ", "")
    if not _HS.fullmatch(text):
        raise OrderFactsError(path, "an HS code is 2 to 10 digits")
    return Fact(path, text)


_LINE_TEXTS = ("name", "name_en", "spec")
_PRODUCT_TEXTS = ("name_zh", "name_en", "spec")


def _line(
    index: int,
    raw: Mapping[str, Any],
    products: Mapping[str, Mapping[str, Any]],
    destination: str | None,
) -> LineFacts:
    prefix = f"lines[{index}]"
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise OrderFactsError(prefix, "expected an object")
    get = raw.get
    for key in ("sku", "name", "name_en", "spec", "origin_country"):
        found = get(key)
        if found is not None and type(found) is not str and not isinstance(found, str):
            raise OrderFactsError(f"{prefix}.{key}", "must be a string")
    sku = get("sku") or ""
    product = products.get(sku) if sku and products else None
    hs = _hs(get("hs_code"), f"{prefix}.hs_code")
    texts = [Fact(f"{prefix}.{k}", str(raw[k])) for k in _LINE_TEXTS if get(k)]
    line_attributes = get("attributes")
    origin = get("origin_country")
    origin_path = f"{prefix}.origin_country"
    attrs: dict[str, Fact] = {}
    if product is not None:
        ppath = f"products[{sku}]"
        if hs is None:
            for i, entry in enumerate(product.get("hs_codes") or ()):
                if entry.get("country") == destination:
                    hs = _hs(entry.get("code"), f"{ppath}.hs_codes[{i}].code")
                    break
            if hs is None:
                hs = _hs(product.get("hs_code"), f"{ppath}.hs_code")
        texts += [Fact(f"{ppath}.{k}", str(product[k])) for k in _PRODUCT_TEXTS if product.get(k)]
        attrs = _attributes(product.get("attributes"), f"{ppath}.attributes")
        if not origin:
            origin = product.get("origin_country")
            origin_path = f"{ppath}.origin_country"
    if line_attributes is not None:
        attrs.update(_attributes(line_attributes, f"{prefix}.attributes"))
        if attrs and isinstance(line_attributes, Mapping):  # an explicit false on the line wins
            for name, flag in line_attributes.items():
                if flag is False:
                    attrs.pop(str(name), None)
    if origin and not valid_country(origin):
        raise OrderFactsError(origin_path, "not an ISO 3166-1 alpha-2 code")
    if "qty" not in raw:
        raise OrderFactsError(f"{prefix}.qty", "is required")
    qty = money(raw["qty"], f"{prefix}.qty")
    if qty <= 0:
        raise OrderFactsError(f"{prefix}.qty", "must be positive")
    if (total := get("line_total")) is not None:
        value = Fact(f"{prefix}.line_total", money(total, f"{prefix}.line_total"))
    elif (unit := get("unit_price")) is not None:
        value = Fact(f"{prefix}.unit_price", money(unit, f"{prefix}.unit_price") * qty)
    else:
        raise OrderFactsError(f"{prefix}.line_total", "line_total or unit_price is required")
    line_no = get("line_no", index + 1)
    if type(line_no) is not int and (isinstance(line_no, bool) or not isinstance(line_no, int)):
        raise OrderFactsError(f"{prefix}.line_no", "must be an integer")
    return LineFacts(
        index,
        line_no,
        sku,
        hs,
        tuple(texts),
        attrs,
        Fact(origin_path, origin) if origin else None,
        Fact(f"{prefix}.qty", qty),
        value,
    )


_LINES: dict[tuple, tuple[LineFacts, Any]] = {}
_LINES_MOST = 4096


def _line_of(
    index: int,
    raw: Mapping[str, Any],
    products: Mapping[str, Mapping[str, Any]],
    destination: str | None,
) -> LineFacts:
    """:func:`_line`, remembered for a line of the same content at the same place: orders
    repeat their goods (the same product in the same quantity at the same price), and a
    line's facts were a sixth of deciding an order. The key is everything :func:`_line`
    reads — the line's items, its product (by identity, kept alive beside the answer so the
    identity cannot pass to another object) and the destination; a line holding anything
    unhashable (a list of attributes) is built afresh. Facts are never changed once built,
    so one serves every order that asks."""
    if type(raw) is not dict:
        return _line(index, raw, products, destination)
    sku = raw.get("sku")
    product = products.get(sku) if sku and products else None
    try:
        key = (index, destination, id(product), *raw.items())
        found = _LINES.get(key)
    except TypeError:  # an unhashable value
        return _line(index, raw, products, destination)
    if found is not None and found[1] is product:
        return found[0]
    facts = _line(index, raw, products, destination)
    if len(_LINES) >= _LINES_MOST:
        _LINES.clear()
    _LINES[key] = (facts, product)
    return facts


def _documents(raw: Any) -> tuple[Document, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise OrderFactsError("documents", "expected a list of {type, number}")
    out = []
    for i, doc in enumerate(raw):
        path = f"documents[{i}]"
        if not isinstance(doc, Mapping) or not doc.get("type") or not doc.get("number"):
            raise OrderFactsError(path, "a document needs a type and a number")
        if not isinstance(doc["type"], str) or not isinstance(doc["number"], str):
            raise OrderFactsError(path, "a document's type and number are strings")
        lines = doc.get("lines")
        if lines is not None and (
            not isinstance(lines, Sequence) or not all(isinstance(n, int) for n in lines)
        ):
            raise OrderFactsError(f"{path}.lines", "expected a list of line numbers")
        out.append(
            Document(
                str(doc["type"]),
                str(doc["number"]),
                frozenset(lines) if lines is not None else None,
                path,
            )
        )
    return tuple(out)


_COUNTRY_KEYS = tuple((role, f"{role}_country") for role in PARTY_COUNTRY_ROLES)


def order_facts(
    order: Mapping[str, Any] | Any, products: Mapping[str, Mapping[str, Any]] | None = None
) -> OrderFacts:
    """The facts of ``order`` (a dict as posted, or a :class:`cbec.trade.order.Order`), with
    ``products`` (sku → product dict) used to fill names, codes and attributes."""
    doc = _dump(order)
    products = products or {}
    raw_lines = doc.get("lines")
    if isinstance(raw_lines, str | bytes) or not isinstance(raw_lines, Sequence) or not raw_lines:
        raise OrderFactsError("lines", "an order needs at least one line")
    for i, raw in enumerate(raw_lines):
        if type(raw) is not dict and not isinstance(raw, Mapping):
            raise OrderFactsError(f"lines[{i}]", "a line is an object")
    origin = doc.get("origin_country")
    destination = doc.get("destination_country")
    for name, value in (("origin_country", origin), ("destination_country", destination)):
        if value is not None and not valid_country(value):
            raise OrderFactsError(name, "not an ISO 3166-1 alpha-2 code")
    direction = doc.get("direction")
    inferred = direction is None
    if direction is None:
        if destination == "CN":
            direction = "import"
        elif origin == "CN":
            direction = "export"
        else:
            direction = "other"
    elif direction not in ("import", "export"):
        raise OrderFactsError("direction", "must be import or export")
    mode = doc.get("trade_mode")
    if mode is not None:
        mode = str(mode) if isinstance(mode, int | str) and not isinstance(mode, bool) else ""
        if not _MODE.fullmatch(mode):
            raise OrderFactsError("trade_mode", "a customs supervision mode is 4 digits")
    currency = doc.get("currency")
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
        raise OrderFactsError("currency", "an ISO 4217 code is required")
    lines = tuple([_line_of(i, ln, products, destination) for i, ln in enumerate(raw_lines)])
    if doc.get("goods_value") is not None:
        goods = Fact("goods_value", money(doc["goods_value"], "goods_value"))
    else:
        goods = Fact("lines[*].line_total", sum([ln.value.value for ln in lines], Decimal(0)))
    parties = {r: Fact(r, str(doc[r])) for r in PARTY_ROLES if isinstance(doc.get(r), str)}
    countries: dict[str, Fact] = {}
    for role, key in _COUNTRY_KEYS:
        if found := doc.get(key):
            if not valid_country(found):
                raise OrderFactsError(key, "not an ISO 3166-1 alpha-2 code")
            countries[role] = Fact(key, found)
        elif destination and (role == "buyer" or role == "consignee"):
            countries[role] = Fact("destination_country", destination)
    ref = {  # as sent, when text: the decision echoes them, so nothing else may pass
        "platform": _text_or_none(doc.get("platform")),
        "order_no": _text_or_none(doc.get("order_no")),
        "seller": _text_or_none(doc.get("seller")),
        "currency": currency,
        "goods_value": str(goods.value),
    }
    return OrderFacts(
        ref=ref,
        ordered_on=_date_of(doc.get("ordered_at")),
        direction=direction,
        direction_inferred=inferred,
        trade_mode=mode,
        origin_country=origin,
        destination_country=destination,
        currency=currency,
        goods_value=goods,
        total_qty=sum([ln.qty.value for ln in lines], Decimal(0)),
        parties=parties,
        party_countries=countries,
        documents=_documents(doc.get("documents")),
        lines=lines,
    )
