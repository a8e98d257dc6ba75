"""Which cipher a deployment's new data keys use: SM4-GCM for data kept in China, AES-256-GCM
elsewhere, unless the operator chooses.

China's commercial-cryptography rules (密码法 and GB/T 39786-2021, which asks that important
data at rest be protected with cryptography meeting the national standards) make SM4
(GB/T 32907-2016) the cipher a China deployment is assessed on; AES-256-GCM (NIST SP 800-38D)
is the usual choice everywhere else. cbec serves sellers into China, so a deployment that
says nothing is a China deployment: ``CBEC_DATA_REGION`` defaults to ``cn``, and the table
``data/field_ciphers.csv`` maps a region to its cipher (``*`` is every other region), dated,
with its source, as every rule table (:mod:`cbec.ruledata`). ``CBEC_FIELD_CIPHER`` overrides
the table. The choice applies to keys being made (``cbec admin keys init``,
``add-data-key``): a key's length fixes its algorithm (:class:`~cbec.privacy.fieldcrypt.DataKey`),
so keys of both kinds live in one ring and re-encryption moves values from one to the other.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from cbec import ruledata

TABLE = Path(__file__).with_name("data") / "field_ciphers.csv"
CIPHERS = ("aes-256-gcm", "sm4-gcm")
"""The field ciphers (:mod:`cbec.privacy.fieldcrypt`), as ``CBEC_FIELD_CIPHER`` names them."""
ALGORITHMS = {"aes-256-gcm": "a256gcm", "sm4-gcm": "sm4gcm"}
"""A cipher's name in the tokens it writes (``enc1.<alg>.…``)."""
CIPHER_OF = {alg: name for name, alg in ALGORITHMS.items()}
"""A token algorithm's cipher name (``sm4gcm`` → ``sm4-gcm``), as the key listings show it."""
DEFAULT_REGION = "cn"
_REGION = re.compile(r"[a-z]{2}|global")


class CipherPolicyError(ValueError):
    """A region or cipher name that is not one cbec knows."""


@lru_cache(maxsize=1)
def _rows() -> tuple[ruledata.Row, ...]:
    rows = ruledata.load(TABLE, required=("region", "field_cipher"))
    for row in rows:
        if row["field_cipher"] not in CIPHERS:
            raise ruledata.RuleDataError(TABLE, row.line, "field_cipher", "not a field cipher")
    return tuple(rows)


def check_region(region: str) -> str:
    """``region`` (an ISO 3166-1 alpha-2 code in lower case, or ``global``) as given, or
    :class:`CipherPolicyError`."""
    if not _REGION.fullmatch(region):
        raise CipherPolicyError(
            f"data region {region!r}: expected an ISO 3166-1 alpha-2 code in lower case"
            " (cn, de, us …) or global"
        )
    return region


def region_cipher(region: str, on: date) -> str:
    """The cipher the table gives ``region`` on ``on`` (its own row, else the ``*`` row)."""
    check_region(region)
    for wanted in (region, "*"):
        found = ruledata.in_force(_rows(), on, region=wanted)
        if found:
            return found[0]["field_cipher"]
    raise CipherPolicyError(f"no field cipher is in force for region {region!r} on {on}")


def choose(field_cipher: str | None, region: str, on: date) -> str:
    """The cipher of a key made now: ``field_cipher`` when the operator set one, else the
    region's."""
    if field_cipher:
        if field_cipher not in CIPHERS:
            raise CipherPolicyError(
                f"field cipher {field_cipher!r}: expected one of {', '.join(CIPHERS)}"
            )
        return field_cipher
    return region_cipher(region, on)
