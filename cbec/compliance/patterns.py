"""Rule patterns, compiled by a linear-time engine.

A rule's ``regex`` is run against every line name of every order, and a rule is written by a
platform or a regulator, not by cbec — so a pattern must not be able to stall the checks.
Python's :mod:`re` backtracks: ``(x+x+)+y`` takes seconds on a 26-character name, and twice
as long for every character more (catastrophic backtracking, OWASP "ReDoS"). Patterns are
therefore compiled by RE2 (``google-re2``), which matches in time linear in the input
(Cox, "Regular Expression Matching Can Be Simple And Fast", 2007). RE2 does not take what
needs backtracking — backreferences (``(a)\\1``), lookaround (``(?=…)``, ``(?<!…)``) — and such
a pattern is refused when the rule is loaded, naming the rule and the field.

RE2's ``\\b``, ``\\w`` and ``\\d`` are ASCII (RE2 syntax, "Perl classes"): write ``[0-9]`` or
the characters themselves for Chinese text, whose characters are not word characters there.
"""

from __future__ import annotations

import re
from typing import Any

import re2

ENGINE = "re2"  # which engine rule patterns run on (what a decision's reader may ask)

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is reported to its author, not to stderr


class PatternRefused(ValueError):
    """A valid regular expression RE2 cannot run in linear time (it needs backtracking)."""


def compile_pattern(pattern: str) -> Any:
    """``pattern`` compiled by RE2 (an object with ``search`` and ``pattern``, as
    :class:`re.Pattern` has). Raises :class:`re.error` when it is no regular expression at
    all, :class:`PatternRefused` when only a backtracking engine could run it."""
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        re.compile(pattern)  # not a regular expression at all: re.error says where
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise PatternRefused(
            f"RE2, the linear-time engine rule patterns run on, refuses it ({detail}):"
            " backreferences and lookaround need backtracking, which can stall the checks"
        ) from None
