"""Evidence bundles in the c2sp.org/tlog-proof@v1 text format, plus the entry itself.

A bundle is what a regulator keeps and checks offline::

    c2sp.org/tlog-proof@v1
    extra <base64 of the entry bytes>
    index <decimal>
    <base64 inclusion-proof hash>      (zero or more lines, leaf to root)

    <the signed checkpoint note, verbatim>

The ``extra`` line carries the logged entry so the bundle is self-contained (the spec lists
"data necessary to reconstruct the record hash" as a use of ``extra``); it is not trusted by
itself — the verifier hashes it and proves that hash is in the signed tree. Pure functions;
the standalone verifier (:mod:`cbec.ledger.verify`) uses only this, the Merkle core and the
note module.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

HEADER = "c2sp.org/tlog-proof@v1"


class BundleError(Exception):
    """The bundle text is malformed; the message says where."""


@dataclass(frozen=True)
class Bundle:
    index: int
    proof: list[bytes]
    checkpoint: str  # the signed note, verbatim
    extra: bytes | None = None


def format_bundle(b: Bundle) -> str:
    lines = [HEADER]
    if b.extra is not None:
        lines.append("extra " + base64.b64encode(b.extra).decode())
    lines.append(f"index {b.index}")
    lines += [base64.b64encode(h).decode() for h in b.proof]
    return "\n".join(lines) + "\n\n" + b.checkpoint


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BundleError(f"{what} is not valid base64") from None


def parse_bundle(text: str) -> Bundle:
    head, sep, checkpoint = text.partition("\n\n")
    if not sep or not checkpoint:
        raise BundleError("missing the blank line before the checkpoint")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise BundleError(f"first line must be {HEADER!r}, found {lines[0][:40]!r}")
    pos, extra = 1, None
    if pos < len(lines) and lines[pos].startswith("extra "):
        extra = _b64(lines[pos][6:], "extra")
        pos += 1
    if pos >= len(lines) or not lines[pos].startswith("index "):
        raise BundleError("missing the 'index N' line")
    digits = lines[pos][6:]
    if not digits.isascii() or not digits.isdigit() or (digits != "0" and digits[0] == "0"):
        raise BundleError(f"index must be a decimal without leading zeros, found {digits!r}")
    proof = [_b64(line, f"proof line {i + 1}") for i, line in enumerate(lines[pos + 1 :])]
    return Bundle(int(digits), proof, checkpoint, extra)
