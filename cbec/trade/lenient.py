"""The rules that relate a document's fields, run even when some of its fields are invalid.

A row is shown with every error it has in one pass, so that an operator correcting a file
does not fix one column only to be told of a line total that never matched. Pydantic
reports every field that is missing or malformed, but a model that fails to validate gives
no document to run the kind's rules over. So the fields that did validate are read into a
*partial* document (:func:`partial`: the model built without validation, each invalid or
missing required field holding :data:`INVALID`), and the same rules run over it.

A rule must not report an error that only follows from another one — a sum over an amount
that is not a number has no meaning. :data:`INVALID` refuses every use (comparison,
arithmetic, attribute, iteration, hashing) by raising :class:`InvalidInput`, and
:func:`run` skips the rule that raised it: exactly the rules whose inputs are invalid are
skipped, with no list of inputs kept beside each rule to drift from its body. Over a valid
document :data:`INVALID` never appears, so the rules behave as they always did.

A kind's rules are written as small functions, one per relation (and, for a list's items,
one per item — :func:`each`), so that one invalid input skips only the relations it is part
of.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from cbec.errors import Violation

Loc = tuple[str | int, ...]


class InvalidInput(BaseException):  # a signal, not an error (see below)
    """A rule used a field that failed its own check: the rule has no meaning here.

    A :class:`BaseException`, as :class:`GeneratorExit` is: it is the rule runner's signal,
    and a library a rule calls must not turn it into its own error with ``except
    Exception`` (``stdnum`` reads any failure to iterate a number as an invalid format)."""


class _Invalid:
    """The value of a field that is missing or malformed in a partial document."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise InvalidInput

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse  # type: ignore[assignment]
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __neg__ = __abs__ = __format__ = _refuse
    __bool__ = __len__ = __iter__ = __contains__ = __getitem__ = __hash__ = _refuse  # type: ignore[assignment]
    __int__ = __float__ = __index__ = __str__ = _refuse  # type: ignore[assignment]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle and the like probe for hooks
            raise AttributeError(name)
        raise InvalidInput

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

Rule = Callable[..., list[Violation]]


def run(rules: Iterable[Rule], *args: Any) -> list[Violation]:
    """Every violation the rules find over ``args``; a rule that used an invalid field
    (raised :class:`InvalidInput`) finds none — its input's own error is already reported."""
    out: list[Violation] = []
    for rule in rules:
        try:
            out += rule(*args)
        except InvalidInput:
            continue
    return out


def each(items: Iterable[Any], rules: Iterable[Rule]) -> list[Violation]:
    """:func:`run` over every ``(index, item)`` of a list field, so that an invalid item
    skips its own rules only."""
    rules = tuple(rules)
    return [v for i, item in enumerate(items) for v in run(rules, i, item)]


def model_of(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (itself, optional, or as list items), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_of(arg)
        if found is not None:
            return found
    return None


def is_list(annotation: Any) -> bool:
    """Whether a field holds a list (possibly optional or annotated)."""
    origin = typing.get_origin(annotation)
    if origin is list:
        return True
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return any(is_list(a) for a in typing.get_args(annotation))
    return False


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """The validator of one field of ``model``, constraints and validators included."""
    return TypeAdapter(model.model_fields[name].rebuild_annotation())


def partial(model: type[BaseModel], raw: Any, bad: set[Loc], at: Loc = ()) -> Any:
    """``raw`` read as ``model`` without failing: each field Pydantic reported at (or under,
    for a plain value) a location in ``bad`` — or that is missing and required — is
    :data:`INVALID`, every other field its validated value, nested models partial too."""
    if at in bad or not isinstance(raw, dict):
        return INVALID
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        path = (*at, name)
        if name not in raw:
            required = info.is_required()
            values[name] = INVALID if required else info.get_default(call_default_factory=True)
        else:
            values[name] = _value(model, name, raw[name], bad, path)
    return model.model_construct(**values)


def _value(model: type[BaseModel], name: str, value: Any, bad: set[Loc], path: Loc) -> Any:
    if path in bad:
        return INVALID
    if value is None:
        return None  # Pydantic found nothing wrong with it: the field is optional
    annotation = model.model_fields[name].annotation
    inner = model_of(annotation)
    if inner is not None:
        if is_list(annotation):
            if not isinstance(value, list):
                return INVALID
            return [partial(inner, item, bad, (*path, i)) for i, item in enumerate(value)]
        return partial(inner, value, bad, path)
    if any(loc[: len(path)] == path for loc in bad):
        return INVALID  # an error under a plain value: a member of a union, say
    try:
        return _adapter(model, name).validate_python(value)
    except ValidationError:
        return INVALID
