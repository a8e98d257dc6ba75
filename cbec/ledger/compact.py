"""The compact range: all a log needs in memory to keep appending — O(log n) hashes.

A tree of ``size`` leaves is, on its right edge, a run of complete subtrees whose sizes are
the powers of two in ``size``'s binary form (size 6 = 4 + 2: leaves 0–3 and 4–5). Appending
a leaf merges it with as many of those as ``size`` has trailing one bits, producing exactly
the new complete subtrees the log must store; the root is the right-to-left fold of the
range. This is the structure transparency-dev/merkle calls ``compact.Range`` (from 0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from cbec.ledger.merkle import SHA256, Hasher, ProofError

NodeSink = Callable[[int, int, bytes], None]  # (level, index, hash) of a new complete subtree


def frontier_ids(size: int) -> list[tuple[int, int]]:
    """(level, index) of the complete subtrees on the right edge of a tree of ``size``,
    largest first."""
    out = []
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            out.append((level, (size >> level) - 1))
    return out


class CompactRange:
    def __init__(
        self, size: int = 0, hashes: Sequence[bytes] = (), hasher: Hasher = SHA256
    ) -> None:
        if len(hashes) != bin(size).count("1"):
            raise ProofError(f"a range of size {size} needs {bin(size).count('1')} hashes")
        self.size = size
        self.hashes = list(hashes)
        self.hasher = hasher

    def append(self, leaf_hash: bytes, on_node: NodeSink | None = None) -> None:
        """Add the next leaf; ``on_node`` receives every complete subtree this completes
        (levels >= 1; the leaf itself is level 0 and is the caller's to store)."""
        node, level, index = leaf_hash, 0, self.size
        while self.size >> level & 1:
            node = self.hasher.node(self.hashes.pop(), node)
            level += 1
            if on_node is not None:
                on_node(level, index >> level, node)
        self.hashes.append(node)
        self.size += 1

    def extend(
        self, leaf_hashes: Iterator[bytes] | Sequence[bytes], on_node: NodeSink | None = None
    ) -> None:
        for h in leaf_hashes:
            self.append(h, on_node)

    def root(self) -> bytes:
        if not self.hashes:
            return self.hasher.empty_root
        acc = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            acc = self.hasher.node(h, acc)
        return acc
