"""Rotating the deployment's keys without stopping its answers (``cbec admin keys …``).

NIST SP 800-57 Part 1 Rev. 5 gives every key a cryptoperiod (§5.3) after which it stops
protecting new data, and a life in states (§7): *pre-activation* (made, not yet used),
*active*, *deactivated* (still processes what it protected, protects nothing new) and,
once nothing needs it, retired. The deployment records those states in
:data:`~cbec.store.tables.deployment_keys` (``active``, ``retired_at``), beside its keys'
fingerprints, and :func:`~cbec.services.deployment_keys.ensure_keys` holds every process to
them. Each of the three kinds of key rotates its own way:

**Data keys** (AES-256-GCM or SM4-GCM tokens that name their key,
:mod:`cbec.privacy.fieldcrypt`). :func:`add_data_key` makes one and adds it to the keys file
(pre-activation: processes hold it, the database records it when one starts, nothing is
sealed with it); :func:`activate` makes it the key new values are sealed with, in the
database and the keys file; :func:`re_encrypt` re-seals every stored value under another key
with the active one, a batch per transaction (tokens name their key, so it resumes by
finding what is left, and a second run finds nothing); :func:`retire` refuses while a stored
value is still sealed with the key, then records it retired, and processes no longer need
it. The associated data of each value (its document, field) is unchanged, so is every
document's content and its ledger entry: the entries commit to the values in clear, salted
(:mod:`cbec.ledger.entry`), not to ciphertext.

**The HMAC key** (document fingerprints, blind indexes: :mod:`cbec.privacy.vault`). What it
derived is stored for lookups and must be recomputed, and a lookup must never compare a
value of one key with a value of the other. So the rotation has three steps:
:func:`add_hmac_key` puts the next key beside the current one (keys file
``hmac_key_next``; the database records it inactive); :func:`recompute` computes, under the
next key, every stored value derived from the current one — documents' ``fingerprint``
(the "unchanged" test of a re-filing) and ``subject_ref`` (the buyer's blind index), older
versions' fingerprints, the annual-quota buyer keys (and the buyer ID sealed to its key) —
into :data:`~cbec.store.tables.hmac_rekey`, batch by batch, while the service goes on
answering with the current key and its values; :func:`switch_hmac_key` then, in one
transaction, recomputes what changed since, writes every recomputed value in place, records
the old key retired and the next one active, and makes the next key the keys file's
``hmac_key``. Before the switch every answer uses the old key and its values, after it the
new key and its values; processes that still hold the old key are refused from then on.
The switch is made with the servers stopped: a server still running with the old key
would go on storing values under it (``/readyz`` fails for such a process, whose keys the
database no longer records, but only a restart gives it the new key).

Pseudonyms (:mod:`cbec.privacy.pseudonym`: HMAC-SM3 under a purpose key derived from the
HMAC key, the ``analytics`` purpose naming a seller's customers) are not stored, so nothing
of them is recomputed: they change with the key at the switch, and a result exported before
it does not join one exported after — a rotation also ends old pseudonyms' linkability.

A poll's votes keep a hash of their buyer that cannot be recomputed (the buyer's account
id is not kept), so it is not derived from the HMAC key: each poll hashes under its own
random secret, sealed under the data key and re-sealed by :func:`re_encrypt` like any
sealed value (:mod:`cbec.services.polls`); a poll opened before polls had secrets takes no
more votes once an HMAC key was retired after it opened.

Two HMAC-derived values are not recomputed. Idempotency keys store a hash of the request,
which is not kept: a retry after the switch of a request made before it is compared under
the new key and answered as a different request. And the evidence ledger is never
rewritten: a screening entry commits to the listed entity with a blind index
(``entity``, :mod:`cbec.services.checks`) made by the key in force when it was logged. Such
an entry is still verified as every entry is — its leaf hash is in a signed tree, which the
HMAC key plays no part in — and the binding of its commitment to the stored screening
result is checked by recomputing the blind index with the key of its time: the entry's
``at`` falls between that key's ``added_at`` and ``retired_at`` in ``deployment_keys``, and
SP 800-57's post-operational phase (§7.3) is where that key is kept, archived with the
backups taken while it was active, for exactly this.

**The ledger's signer key** (c2sp.org/signed-note). :func:`rotate_ledger_key` makes a new
Ed25519 signer key, logs a statement entry that the new verifier key replaces the old one,
and signs the checkpoint that covers it with *both* keys — a signed note may carry several
signatures, and a verifier ignores the ones by keys it does not know — so an auditor who
trusts only the old key verifies the transition checkpoint, reads the statement it commits
to, and trusts the new key from there on. The old key is then recorded retired: it signs
nothing more, but the log's verifier keys are the recorded ones (the active key and the
retired ones), so every checkpoint it signed still verifies (``cbec ledger key`` prints
them all for auditors), and ``ensure_keys`` compares a process's signer key with the
recorded active one. Servers are restarted after it (or it runs with them stopped): a server
started before it goes on signing with the old key until then.

Keys are written only to the keys file (0600, replaced atomically:
:func:`~cbec.privacy.keyprovider.replace_keys_file`); a deployment that keeps its keys in
the environment or a secrets manager gets the lines to put there instead (``--format env``,
``to_file=False``), and a process holds a key being rotated in as ``CBEC_HMAC_KEY_NEXT`` /
``CBEC_LEDGER_SIGNER_KEY_NEXT`` (or the provider's ``hmac_key_next`` / ``ledger_skey_next``)
as it would hold the keys file's. The rules are the same: the next HMAC key is recorded
when made and used only by a process that holds it, and only if it is the recorded one; a
new ledger key is only made by a first run, and signs nothing until a process that reads it
from where the deployment keeps its keys runs the rotation — so that no key the deployment
does not keep ever signs its log.
"""

from __future__ import annotations

from cbec.services.key_rotation.common import BATCH, KEY_ROTATION_ENTRY_TYPE, KeyChange, Progress
from cbec.services.key_rotation.data_keys import (
    activate,
    add_data_key,
    re_encrypt,
    retire,
    sealed_with,
)
from cbec.services.key_rotation.hmac_key import add_hmac_key, recompute, switch_hmac_key
from cbec.services.key_rotation.ledger_key import LedgerRotation, rotate_ledger_key

__all__ = [
    "BATCH",
    "KEY_ROTATION_ENTRY_TYPE",
    "KeyChange",
    "LedgerRotation",
    "Progress",
    "activate",
    "add_data_key",
    "add_hmac_key",
    "re_encrypt",
    "recompute",
    "retire",
    "rotate_ledger_key",
    "sealed_with",
    "switch_hmac_key",
]
