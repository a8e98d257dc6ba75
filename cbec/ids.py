"""Document ids: version-4 UUIDs (RFC 9562 §5.4) as 32 hex digits, made from random bytes the
caller drew — a bulk import draws a chunk's ids (and salts) in one call to the OS instead of
one ``uuid.uuid4()`` a document (``tests/system/test_ids.py`` holds them equal to the
standard library's)."""

from __future__ import annotations

_VERSION_MASK, _VERSION_4 = 0xF000 << 64, 0x4000 << 64  # the version nibble: 4
_VARIANT_MASK, _VARIANT_RFC = 0xC000 << 48, 0x8000 << 48  # the variant bits: 10


def uuid4_hex(raw: bytes) -> str:
    """The version-4 UUID made of 16 random bytes, as 32 lowercase hex digits — what
    ``uuid.UUID(bytes=raw, version=4).hex`` gives, without building the object."""
    if len(raw) != 16:
        raise ValueError("a UUID is made of 16 bytes")
    n = int.from_bytes(raw)
    n = (n & ~_VERSION_MASK | _VERSION_4) & ~_VARIANT_MASK | _VARIANT_RFC
    return f"{n:032x}"
