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
