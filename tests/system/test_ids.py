"""Document ids drawn in bulk are the standard library's version-4 UUIDs (cbec.ids)."""

from __future__ import annotations

import os
import random
import uuid

import pytest

from cbec.ids import uuid4_hex


def test_equal_to_the_standard_librarys_uuid4_for_any_bytes():
    rng = random.Random(7)
    samples = [bytes(16), b"\xff" * 16, os.urandom(16)]
    samples += [rng.randbytes(16) for _ in range(2000)]
    for raw in samples:
        got = uuid4_hex(raw)
        want = uuid.UUID(bytes=raw, version=4)
        assert got == want.hex
        parsed = uuid.UUID(got)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_sixteen_bytes_or_nothing():
    for n in (0, 15, 17, 32):
        with pytest.raises(ValueError):
            uuid4_hex(bytes(n))
