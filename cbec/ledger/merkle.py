"""Merkle tree hashing, proofs and proof verification — RFC 6962 §2.1 / RFC 9162 §2.1.

Pure functions over ``bytes``, no I/O. Three layers:

* **hashing** — ``leaf_hash(d) = H(0x00 ‖ d)``, ``node_hash(l, r) = H(0x01 ‖ l ‖ r)``, the
  empty tree's root is ``H("")``. The last node of an odd level is never duplicated
  (Bitcoin does that) and pairs are never sorted before hashing (QLDB did that): either
  would let two different trees share a root.
* **reference proofs** over an in-memory list of leaf hashes, written as the RFC's
  recursive definitions MTH, PATH (§2.1.1 of RFC 6962) and PROOF/SUBPROOF (§2.1.2). They are
  slow (O(n)) and exist to be obviously right.
* **fast proofs** over a :class:`NodeSource` that returns the hash of any *complete* subtree
  (level ``l``, index ``i`` covers leaves ``[i·2^l, (i+1)·2^l)``); the durable log stores
  exactly those. They cost O(log n) lookups and at most O(log n) hashes for the partial
  right edge, and tests check they agree with the reference for every small tree.
* **verifiers** (RFC 9162 §2.1.3.2 and §2.1.4.2) return ``None`` on success and raise
  :class:`ProofError` saying what was expected and what was found.

Policy where the RFC leaves room (the reference libraries differ):

* every hash handed to a verifier must be exactly ``digest_size`` bytes, even when sizes
  are equal (transparency-dev/merkle skips that check there; we do not);
* ``size1 == size2``: the proof must be empty and ``root1 == root2``;
* ``size1 == 0``: the empty tree is a prefix of every tree, so there is nothing to prove:
  the proof must be empty and ``root1`` must be the empty-tree hash. (transparency-dev/merkle
  rejects the call as meaningless; certificate-transparency's C++ verifier accepts it.
  Accepting it lets a monitor that first saw an empty log check the next checkpoint with
  the same code.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.hazmat.primitives import hashes


class ProofError(Exception):
    """A proof, index, size or hash does not check out; the message says why."""


@dataclass(frozen=True)
class Hasher:
    """A log hash function. The log's hasher is fixed at creation and named in its metadata.

    ``new``: a :mod:`hashlib` constructor for the same function where there is one, which
    the proof checks call directly — a verifier's time is its hashing, not Python calls
    around it (``bench/ledger.py`` compares it with bare ``hashlib`` calls)."""

    name: str
    digest: Callable[[bytes], bytes]
    digest_size: int = 32
    new: Callable[[bytes], Any] | None = None
    # The copy method of a hash object that has taken the interior-node prefix 0x01 (RFC
    # 6962 §2.1), which proof checks call per step; the object is never updated after, so
    # threads share it safely (a copy only reads it). None without ``new``.
    node_prefix: Callable[[], Any] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.new is not None:
            object.__setattr__(self, "node_prefix", self.new(b"\x01").copy)

    @property
    def empty_root(self) -> bytes:
        return self.digest(b"")

    def leaf(self, data: bytes) -> bytes:
        return self.digest(b"\x00" + data)

    def node(self, left: bytes, right: bytes) -> bytes:
        return self.digest(b"\x01" + left + right)


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


SHA256 = Hasher("sha256", _sha256, new=hashlib.sha256)
SM3 = Hasher("sm3", _sm3)  # GB/T 32905-2016, via cryptography (OpenSSL)
HASHERS = {h.name: h for h in (SHA256, SM3)}


def leaf_hash(data: bytes, hasher: Hasher = SHA256) -> bytes:
    return hasher.leaf(data)


def node_hash(left: bytes, right: bytes, hasher: Hasher = SHA256) -> bytes:
    return hasher.node(left, right)


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (``n >= 2``): where RFC 6962 splits."""
    return 1 << ((n - 1).bit_length() - 1)


# --- reference definitions (RFC 6962 §2.1), O(n) ---------------------------------------


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes], hasher: Hasher = SHA256) -> bytes:
    """MTH(D[n]) from the leaves' hashes."""
    n = len(leaf_hashes)
    if n == 0:
        return hasher.empty_root
    if n == 1:
        return leaf_hashes[0]
    k = _split(n)
    return hasher.node(
        root_from_leaf_hashes(leaf_hashes[:k], hasher),
        root_from_leaf_hashes(leaf_hashes[k:], hasher),
    )


def inclusion_proof(
    index: int, size: int, leaf_hashes: Sequence[bytes], hasher: Hasher = SHA256
) -> list[bytes]:
    """PATH(index, D[size]), leaf to root. Requires 0 <= index < size <= len(leaf_hashes)."""
    if not 0 <= index < size <= len(leaf_hashes):
        raise ProofError(f"index {index} must be in [0, size {size}), size <= {len(leaf_hashes)}")
    return _path(index, leaf_hashes[:size], hasher)


def _path(m: int, d: Sequence[bytes], hasher: Hasher) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*_path(m, d[:k], hasher), root_from_leaf_hashes(d[k:], hasher)]
    return [*_path(m - k, d[k:], hasher), root_from_leaf_hashes(d[:k], hasher)]


def consistency_proof(
    size1: int, size2: int, leaf_hashes: Sequence[bytes], hasher: Hasher = SHA256
) -> list[bytes]:
    """PROOF(size1, D[size2]). Requires 0 <= size1 <= size2 <= len(leaf_hashes); the proof
    is empty when size1 is 0 or equal to size2 (see the module's policy)."""
    if not 0 <= size1 <= size2 <= len(leaf_hashes):
        raise ProofError(f"need 0 <= size1 {size1} <= size2 {size2} <= {len(leaf_hashes)}")
    if size1 == 0 or size1 == size2:
        return []
    return _subproof(size1, leaf_hashes[:size2], True, hasher)


def _subproof(m: int, d: Sequence[bytes], complete: bool, hasher: Hasher) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if complete else [root_from_leaf_hashes(d, hasher)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, d[:k], complete, hasher), root_from_leaf_hashes(d[k:], hasher)]
    return [*_subproof(m - k, d[k:], False, hasher), root_from_leaf_hashes(d[:k], hasher)]


# --- fast proofs over stored complete subtrees ------------------------------------------


class NodeSource(Protocol):
    def node(self, level: int, index: int) -> bytes:
        """Hash of the complete subtree covering leaves [index·2^level, (index+1)·2^level)."""
        ...


def range_hash(begin: int, end: int, nodes: NodeSource, hasher: Hasher = SHA256) -> bytes:
    """MTH of leaves [begin, end), where ``begin`` is aligned as RFC 6962 splits make it
    (every call below satisfies that): complete subtrees are looked up, the partial right
    edge is hashed from them."""
    n = end - begin
    if n == 0:
        return hasher.empty_root
    if n & (n - 1) == 0 and begin % n == 0:
        level = n.bit_length() - 1
        return nodes.node(level, begin >> level)
    k = _split(n)
    return hasher.node(
        range_hash(begin, begin + k, nodes, hasher), range_hash(begin + k, end, nodes, hasher)
    )


def root_at(size: int, nodes: NodeSource, hasher: Hasher = SHA256) -> bytes:
    return range_hash(0, size, nodes, hasher)


def inclusion_proof_at(
    index: int, size: int, nodes: NodeSource, hasher: Hasher = SHA256
) -> list[bytes]:
    """PATH(index, D[size]) from stored nodes; same result as :func:`inclusion_proof`."""
    if not 0 <= index < size:
        raise ProofError(f"index {index} must be in [0, size {size})")
    out: list[bytes] = []
    begin, end = 0, size
    # Walk from the root down to the leaf, collecting the sibling of each step; the RFC's
    # path lists them leaf-first, so reverse at the end.
    while end - begin > 1:
        k = _split(end - begin)
        mid = begin + k
        if index < mid:
            out.append(range_hash(mid, end, nodes, hasher))
            end = mid
        else:
            out.append(range_hash(begin, mid, nodes, hasher))
            begin = mid
    out.reverse()
    return out


def subtrees(begin: int, end: int) -> list[tuple[int, int]]:
    """The complete subtrees ``(level, index)`` whose MTH fold is MTH of leaves [begin, end),
    left to right, for ``begin`` aligned as RFC 6962's splits make it (RFC 6962 §2.1: the
    split is the largest power of two smaller than the range, so a range is cut into the
    powers of two of its length's binary digits, largest first)."""
    out: list[tuple[int, int]] = []
    while begin < end:
        k = 1 << ((end - begin).bit_length() - 1)  # largest power of two <= the rest
        level = k.bit_length() - 1
        out.append((level, begin >> level))
        begin += k
    return out


def inclusion_plan(index: int, size: int) -> list[list[tuple[int, int]]]:
    """Which stored complete subtrees PATH(index, D[size]) (RFC 6962 §2.1.1) is made of:
    for each proof hash, leaf first, the subtrees whose MTH fold (:func:`fold_subtrees`)
    it is. One subtree for every hash but the one sibling that straddles the tree's right
    edge (at most one per proof).

    It lets a store read every node a proof needs in one query and then assemble it
    (:func:`inclusion_proof_from_plan`), where :func:`inclusion_proof_at` asks a
    :class:`NodeSource` one node at a time; both give the same proof (tests check it
    against the reference :func:`inclusion_proof`)."""
    if not 0 <= index < size:
        raise ProofError(f"index {index} must be in [0, size {size})")
    plan: list[list[tuple[int, int]]] = []
    begin, end = 0, size
    while end - begin > 1:  # from the root down, as in inclusion_proof_at
        level = (end - begin - 1).bit_length() - 1
        mid = begin + (1 << level)  # begin + _split(end - begin)
        if index >= mid:  # the left sibling is complete
            plan.append([(level, begin >> level)])
            begin = mid
        elif (right := end - mid) & (right - 1):  # a partial right sibling: the right edge
            plan.append(subtrees(mid, end))
            end = mid
        else:
            level = right.bit_length() - 1
            plan.append([(level, mid >> level)])
            end = mid
    plan.reverse()
    return plan


def fold_subtrees(
    ids: Sequence[tuple[int, int]], nodes: Mapping[tuple[int, int], bytes], hasher: Hasher
) -> bytes:
    """MTH of adjacent complete subtrees given left to right as :func:`subtrees` cuts a
    range: RFC 6962 hashes the first against the MTH of the rest, so fold from the right.
    Raises :class:`KeyError` naming the first node ``nodes`` lacks."""
    h = nodes[ids[-1]]
    for i in range(len(ids) - 2, -1, -1):
        h = hasher.node(nodes[ids[i]], h)
    return h


def inclusion_proof_from_plan(
    plan: Sequence[Sequence[tuple[int, int]]],
    nodes: Mapping[tuple[int, int], bytes],
    hasher: Hasher = SHA256,
) -> list[bytes]:
    """PATH(index, D[size]) from :func:`inclusion_plan`'s plan and the nodes it names.
    Raises :class:`KeyError` naming the first node ``nodes`` lacks."""
    return [nodes[ids[0]] if len(ids) == 1 else fold_subtrees(ids, nodes, hasher) for ids in plan]


def consistency_proof_at(
    size1: int, size2: int, nodes: NodeSource, hasher: Hasher = SHA256
) -> list[bytes]:
    """PROOF(size1, D[size2]) from stored nodes; same result as :func:`consistency_proof`."""
    if not 0 <= size1 <= size2:
        raise ProofError(f"need 0 <= size1 {size1} <= size2 {size2}")
    if size1 == 0 or size1 == size2:
        return []
    out: list[bytes] = []
    begin, end, m, complete = 0, size2, size1, True
    while True:
        n = end - begin
        if m == n:
            if not complete:
                out.append(range_hash(begin, end, nodes, hasher))
            break
        k = _split(n)
        if m <= k:
            out.append(range_hash(begin + k, end, nodes, hasher))
            end = begin + k
        else:
            out.append(range_hash(begin, begin + k, nodes, hasher))
            begin, m, complete = begin + k, m - k, False
    out.reverse()
    return out


# --- verification (RFC 9162 §2.1.3.2, §2.1.4.2) ----------------------------------------


@dataclass(frozen=True)
class _Wrapped:
    """A digest function called the way a :mod:`hashlib` constructor is."""

    digest_fn: Callable[[bytes], bytes]

    def __call__(self, data: bytes) -> _Digest:
        return _Digest(self.digest_fn(data))


@dataclass(frozen=True)
class _Digest:
    value: bytes

    def digest(self) -> bytes:
        return self.value


def _check_hash(what: str, value: bytes, hasher: Hasher) -> None:
    if not isinstance(value, bytes | bytearray) or len(value) != hasher.digest_size:
        found = len(value) if isinstance(value, bytes | bytearray) else type(value).__name__
        raise ProofError(f"{what} must be {hasher.digest_size} bytes, found {found}")


def _proof_hash(i: int, value: object, hasher: Hasher) -> bytes:
    """Proof element ``i`` as bytes: any bytes-like object (buffer protocol) of the digest
    size, as ``hashlib`` itself takes; anything else is refused by name."""
    try:
        data = memoryview(value).tobytes()  # type: ignore[arg-type]
    except TypeError:
        found: object = type(value).__name__
    else:
        if len(data) == hasher.digest_size:
            return data
        found = len(data)
    raise ProofError(f"proof[{i}] must be {hasher.digest_size} bytes, found {found}")


def root_from_inclusion_proof(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], hasher: Hasher = SHA256
) -> bytes:
    """The root that ``proof`` implies for ``leaf`` at ``index`` in a tree of ``size``."""
    if not 0 <= index < size:
        raise ProofError(f"index {index} is not below tree size {size}")
    _check_hash("leaf hash", leaf, hasher)
    width = hasher.digest_size
    if not (set(map(type, proof)) <= {bytes} and set(map(len, proof)) <= {width}):  # in C
        # the slow path only names what is wrong; any bytes-like element is read as bytes
        proof = [_proof_hash(i, p, hasher) for i, p in enumerate(proof)]
    # The proof has one hash per level where the path to the leaf has a sibling.
    inner = (index ^ (size - 1)).bit_length()  # levels below the split from the right edge
    border = bin(index >> inner).count("1")  # levels along the right border
    if len(proof) != inner + border:
        raise ProofError(f"wrong proof size {len(proof)}, want {inner + border}")
    # RFC 9162 §2.1.3.2: below the split, the proof hash is the left sibling where the
    # index's bit is 1; along the right border every proof hash is a left sibling. Each
    # step is MTH = HASH(0x01 || left || right) (RFC 6962 §2.1), through hashlib directly
    # where the hasher has it: a verifier's time should be its hashing.
    r, fn = bytes(leaf), index
    new = hasher.new or _Wrapped(hasher.digest)
    for p in proof[:inner]:
        r = new(b"\x01" + p + r).digest() if fn & 1 else new(b"\x01" + r + p).digest()
        fn >>= 1
    for p in proof[inner:]:
        r = new(b"\x01" + p + r).digest()
    return r


def verify_inclusion(
    leaf: bytes,
    index: int,
    size: int,
    proof: Sequence[bytes],
    root: bytes,
    hasher: Hasher = SHA256,
) -> None:
    """Check that ``leaf`` (a leaf *hash*) is at ``index`` in the tree of ``size`` with
    ``root``. Requires 0 <= index < size.

    RFC 9162 §2.1.3.2, with the inner loop written for speed: a verifier's time should be
    its hashing (``bench/ledger.py`` holds it to 0.7 of bare ``hashlib`` calls). Each step
    is MTH = HASH(0x01 || left || right) (RFC 6962 §2.1), fed to a copy of a hash that has
    already taken the 0x01 prefix (no 65-byte message is built, no function is called per
    step but the hash's own methods).

    The fast path checks only what the hashing cannot: ints for ``index`` and ``size``,
    exact ``bytes`` of the digest size for ``leaf`` and ``root``, and a proof of the length
    the tree's shape gives. It does not check each proof element's type and length first
    (that was an eighth of a verification): an element that is not bytes-like stops the
    hash (``TypeError``), and one of another length makes that step's message other than
    65 bytes, so the result cannot reach ``root`` without a SHA-256 collision. Whatever does
    not reach ``root`` is checked again by :func:`root_from_inclusion_proof`, which raises
    :class:`ProofError` saying what is wrong — so the fast path changes no answer and no
    message, only the time to a success. (Both paths take any bytes-like element.)
    """
    prefixed = hasher.node_prefix
    if (
        prefixed is not None
        and type(index) is int
        and type(size) is int
        and 0 <= index < size
        and type(leaf) is bytes
        and type(root) is bytes
        and len(leaf) == hasher.digest_size == len(root)
    ):
        try:
            n = len(proof)
            inner = (index ^ (size - 1)).bit_length()  # levels below the split from the right
            if n == inner + (index >> inner).bit_count():  # + levels along the right border
                # Bit i set: proof[i] is the left sibling at step i. Below the split that is
                # the index's bit i; along the right border it always is (RFC 9162 §2.1.3.2).
                left = index | ((1 << n) - (1 << inner))
                r = leaf
                for p in proof:
                    h = prefixed()
                    if left & 1:
                        h.update(p)
                        h.update(r)
                    else:
                        h.update(r)
                        h.update(p)
                    r = h.digest()
                    left >>= 1
                if r == root:
                    return None
        except (TypeError, ValueError, BufferError):
            pass  # not bytes-like: the checked path below names the element
    _check_hash("root", root, hasher)
    got = root_from_inclusion_proof(leaf, index, size, proof, hasher)
    if got != root:
        raise ProofError(f"calculated root {got.hex()} does not match expected {bytes(root).hex()}")


def verify_consistency(
    size1: int,
    size2: int,
    proof: Sequence[bytes],
    root1: bytes,
    root2: bytes,
    hasher: Hasher = SHA256,
) -> None:
    """Check that the tree of ``size2`` with ``root2`` extends the tree of ``size1`` with
    ``root1``. Requires 0 <= size1 <= size2; see the module's policy for 0 and equality."""
    _check_hash("root1", root1, hasher)
    _check_hash("root2", root2, hasher)
    for i, p in enumerate(proof):
        _check_hash(f"proof[{i}]", p, hasher)
    if size1 < 0 or size2 < size1:
        raise ProofError(f"size2 {size2} is smaller than size1 {size1}")
    if size1 == size2 or size1 == 0:
        if proof:
            raise ProofError(f"wrong proof size {len(proof)}, want 0 for sizes {size1}, {size2}")
        if size1 == 0 and root1 != hasher.empty_root:
            raise ProofError("root1 of an empty tree must be the hash of the empty string")
        if size1 == size2 and root1 != root2:
            raise ProofError("equal sizes but different roots: the log forked")
        return
    expected = _consistency_len(size1, size2)
    if len(proof) != expected:
        raise ProofError(f"wrong proof size {len(proof)}, want {expected}")
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # size1 is a power of two: its root is the first node
        path.insert(0, bytes(root1))
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("proof is longer than the path")  # pragma: no cover - size check
        if fn & 1 or fn == sn:
            fr = hasher.node(c, fr)
            sr = hasher.node(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = hasher.node(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("proof is shorter than the path")  # pragma: no cover - size check
    if fr != root1:
        raise ProofError(
            f"calculated root1 {fr.hex()} does not match expected {bytes(root1).hex()}"
        )
    if sr != root2:
        raise ProofError(
            f"calculated root2 {sr.hex()} does not match expected {bytes(root2).hex()}"
        )


def _consistency_len(size1: int, size2: int) -> int:
    """Length of PROOF(size1, D[size2]) for 0 < size1 < size2, from the tree's shape."""
    n, m, complete, count = size2, size1, True, 0
    while m != n:
        k = _split(n)
        count += 1
        if m <= k:
            n = k
        else:
            m, n, complete = m - k, n - k, False
    return count + (0 if complete else 1)
