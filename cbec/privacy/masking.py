"""Display masks for personal information, in the forms Chinese platforms commonly show.

Masks keep the length of the value (so a masked document still has the shape of the
original) and reveal only the parts people use to recognise their own data: the region
prefix and last four characters of an ID number (``1101**********1234``), the carrier prefix
and last four digits of a phone (``138****5678``), the family name (``张**``) and the
start of an address.
"""

from __future__ import annotations

MASK = "*"


def _keep(value: str, head: int, tail: int) -> str:
    n = len(value)
    if n <= head + tail:
        # Too short to keep both ends: keep at most the first character.
        return value[:1] + MASK * (n - 1) if n > 1 else MASK * n
    return value[:head] + MASK * (n - head - tail) + value[n - tail :]


def mask_id_number(value: str) -> str:
    """``110105194912310021`` → ``1101**********0021``."""
    return _keep(value, 4, 4)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; ``+8613812345678`` → ``+86138****5678``."""
    digits_start = 3 if value.startswith("+86") else (1 if value.startswith("+") else 0)
    return value[:digits_start] + _keep(value[digits_start:], 3, 4)


def mask_name(value: str) -> str:
    """``张三丰`` → ``张**``; ``Alice Smith`` → ``A**********``."""
    return _keep(value, 1, 0)


def mask_address(value: str) -> str:
    """Keep the first third (province/city), mask the rest (street, number)."""
    head = max(1, len(value) // 3)
    return _keep(value, head, 0)


def mask_account(value: str) -> str:
    """Platform account ids: keep 2 + 2 characters."""
    return _keep(value, 2, 2)


MASKERS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "name": mask_name,
    "address": mask_address,
    "account": mask_account,
}


# Operators: what a reader who is not entitled to a clear value gets instead
# (GB/T 35273-2020 §6.2 and Annex A: de-identification for display). Which one a reader gets
# is rule data (:mod:`cbec.privacy.masking_policy`), never decided here.
CLEAR = "clear"  # the value itself: only for the filer, who supplied it
PARTIAL = "partial"  # the mask of the value's kind above (head/tail kept, length kept)
FULL = "full"  # every character masked, length kept
HASH = "hash"  # a keyed pseudonym: the same value gives the same text in every document
REDACT = "redact"  # the value removed: null in JSON, an empty cell in CSV
OPERATORS = (CLEAR, PARTIAL, FULL, HASH, REDACT)
PSEUDONYM_CHARS = 16  # 64 bits of the keyed hash: no collision in any realistic population


def mask_full(value: str) -> str:
    """``13812345678`` → ``***********``: nothing shown but the length."""
    return MASK * len(value)


MASK_PURPOSE = "mask"  # document fields and the free text of documents
TEXT_PURPOSE = "mask-text"  # texts a caller sends to be anonymized (POST /privacy/anonymize)


def reader_purpose(tenant_id: int) -> str:
    """The ``hash`` operator's purpose for what the tenant ``tenant_id`` reads: a pseudonym
    links one person across the documents one reader sees, never across readers — two
    tenants given the same person's pseudonym could otherwise join what each was allowed to
    see into what neither was (PIPL Art. 51(3), least privilege; GB/T 35273-2020 §3.15)."""
    return f"{MASK_PURPOSE}:{tenant_id}"


def pseudonym(key: bytes, value: str, purpose: str = MASK_PURPOSE) -> str:
    """The keyed pseudonym the ``hash`` operator shows: HMAC of the value under the
    deployment's keyed-hash key with a ``purpose`` of its own (so it equals no blind index
    or fingerprint), cut to :data:`PSEUDONYM_CHARS` hex digits. A pseudonym in the sense of
    PIPL Art. 73(3) and GB/T 35273-2020 §3.15: linkable across documents (the same buyer
    gives the same text), not reversible without the key. Texts a caller chooses are hashed
    under :data:`TEXT_PURPOSE`, never the documents' purpose: else anyone could hash a guess
    and compare it with a document's pseudonym. The one place the construction is chosen."""
    from cbec.privacy.pseudonym import keyed_hash

    return keyed_hash(key, purpose, value)[:PSEUDONYM_CHARS]


def apply(
    operator: str, mask: str, value: str, key: bytes, purpose: str = MASK_PURPOSE
) -> str | None:
    """``value`` as ``operator`` shows it; ``mask`` names the kind of value (a key of
    :data:`MASKERS`) for ``partial``, ``key`` and ``purpose`` key ``hash``. ``redact``
    gives None."""
    if operator == CLEAR:
        return value
    if operator == PARTIAL:
        return MASKERS[mask](value)
    if operator == FULL:
        return mask_full(value)
    if operator == HASH:
        return pseudonym(key, value, purpose)
    if operator == REDACT:
        return None
    raise ValueError(f"unknown masking operator {operator!r}")
