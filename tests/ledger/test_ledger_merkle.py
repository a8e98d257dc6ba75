"""Merkle core against the RFC 6962 golden vectors, the reference definitions against the fast
node-store versions for every small tree, negative probes, and Hypothesis properties."""

from __future__ import annotations

import array
import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec.ledger import merkle as m
from cbec.ledger.merkle import ProofError
from tests.conftest import DATA

VECTORS = json.loads((DATA / "vectors" / "rfc6962_dev.json").read_text())
LEAVES = [bytes.fromhex(x) for x in VECTORS["leaves"]]
LEAF_HASHES = [m.leaf_hash(x) for x in LEAVES]


class ListNodes:
    """A node source computed from leaf hashes with the reference MTH (for cross-checks)."""

    def __init__(self, leaf_hashes, hasher=m.SHA256):
        self.leaf_hashes = leaf_hashes
        self.hasher = hasher

    def node(self, level, index):
        lo, hi = index << level, (index + 1) << level
        assert hi <= len(self.leaf_hashes), "asked for an incomplete subtree"
        return m.root_from_leaf_hashes(self.leaf_hashes[lo:hi], self.hasher)


def h(x: str) -> bytes:
    return bytes.fromhex(x)


def test_leaf_hashes_and_node_hashes():
    assert [x.hex() for x in LEAF_HASHES] == VECTORS["leaf_hashes"]
    for level, row in enumerate(VECTORS["node_hashes"]):
        for index, expected in enumerate(row):
            assert ListNodes(LEAF_HASHES).node(level, index).hex() == expected


@pytest.mark.parametrize("size", range(9))
def test_roots(size):
    expected = VECTORS["roots"][str(size)]
    assert m.root_from_leaf_hashes(LEAF_HASHES[:size]).hex() == expected
    assert m.root_at(size, ListNodes(LEAF_HASHES)).hex() == expected
    assert m.SHA256.empty_root == hashlib.sha256(b"").digest()


@pytest.mark.parametrize(
    "v", VECTORS["inclusion"], ids=lambda v: f"{v['leaf_index']}@{v['tree_size']}"
)
def test_inclusion_vectors(v):
    i, n = v["leaf_index"], v["tree_size"]
    assert [x.hex() for x in m.inclusion_proof(i, n, LEAF_HASHES)] == v["path"]
    assert [x.hex() for x in m.inclusion_proof_at(i, n, ListNodes(LEAF_HASHES))] == v["path"]
    leaf = m.leaf_hash(h(v["leaf_data"]))
    assert m.verify_inclusion(leaf, i, n, [h(x) for x in v["path"]], h(v["root"])) is None


@pytest.mark.parametrize("v", VECTORS["consistency"], ids=lambda v: f"{v['size1']}-{v['size2']}")
def test_consistency_vectors(v):
    a, b = v["size1"], v["size2"]
    assert [x.hex() for x in m.consistency_proof(a, b, LEAF_HASHES)] == v["proof"]
    assert [x.hex() for x in m.consistency_proof_at(a, b, ListNodes(LEAF_HASHES))] == v["proof"]
    proof = [h(x) for x in v["proof"]]
    assert m.verify_consistency(a, b, proof, h(v["root1"]), h(v["root2"])) is None


def _leaves(n: int) -> list[bytes]:
    return [m.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


def test_reference_and_fast_agree_for_every_index_and_size_up_to_64():
    leaves = _leaves(64)
    nodes = ListNodes(leaves)
    roots = [m.root_from_leaf_hashes(leaves[:n]) for n in range(65)]
    for size in range(1, 65):
        assert m.root_at(size, nodes) == roots[size]
        for index in range(size):
            proof = m.inclusion_proof(index, size, leaves)
            assert m.inclusion_proof_at(index, size, nodes) == proof
            m.verify_inclusion(leaves[index], index, size, proof, roots[size])
    for size2 in range(0, 65):
        for size1 in range(0, size2 + 1):
            proof = m.consistency_proof(size1, size2, leaves)
            assert m.consistency_proof_at(size1, size2, nodes) == proof
            m.verify_consistency(size1, size2, proof, roots[size1], roots[size2])


# --- negative probes -----------------------------------------------------------------

ROOT8 = h(VECTORS["roots"]["8"])
PATH_0_8 = [h(x) for x in VECTORS["inclusion"][1]["path"]]


@pytest.mark.parametrize(
    "leaf,index,size,proof,root,why",
    [
        (LEAF_HASHES[0], 8, 8, PATH_0_8, ROOT8, "not below tree size"),
        (LEAF_HASHES[0], -1, 8, PATH_0_8, ROOT8, "not below tree size"),
        (LEAF_HASHES[0], 0, 0, [], m.SHA256.empty_root, "not below tree size"),
        (LEAF_HASHES[1], 0, 8, PATH_0_8, ROOT8, "does not match"),
        (LEAF_HASHES[0], 1, 8, PATH_0_8, ROOT8, "does not match"),
        (LEAF_HASHES[0], 0, 8, PATH_0_8[:2], ROOT8, "wrong proof size 2, want 3"),
        (LEAF_HASHES[0], 0, 8, [*PATH_0_8, ROOT8], ROOT8, "wrong proof size 4, want 3"),
        (LEAF_HASHES[0], 0, 8, PATH_0_8[::-1], ROOT8, "does not match"),
        (LEAF_HASHES[0][:31], 0, 8, PATH_0_8, ROOT8, "leaf hash must be 32 bytes"),
        (
            LEAF_HASHES[0],
            0,
            8,
            [*PATH_0_8[:2], b"x" * 12],
            ROOT8,
            r"proof\[2\] must be 32 bytes, found 12",
        ),
        (LEAF_HASHES[0], 0, 8, PATH_0_8, ROOT8 + b"\0", "root must be 32 bytes"),
        (b"", 0, 1, [], b"", "must be 32 bytes"),  # the "empty root and leaf" probe
    ],
)
def test_inclusion_rejections(leaf, index, size, proof, root, why):
    with pytest.raises(ProofError, match=why):
        m.verify_inclusion(leaf, index, size, proof, root)


@pytest.mark.parametrize(
    "element,why",
    [
        ("ab" * 16, "found str"),
        (7, "found int"),
        (None, "found NoneType"),
        (PATH_0_8[1] + b"\0", "found 33"),  # the right hash with a byte more
        (PATH_0_8[1][:31], "found 31"),
        (b"", "found 0"),
    ],
)
def test_a_bad_proof_element_is_named_whatever_it_is(element, why):
    # The fast path does not check elements before hashing them; what it cannot verify is
    # checked again by the reference path, so the message names the element all the same.
    proof = [PATH_0_8[0], element, PATH_0_8[2]]
    with pytest.raises(ProofError, match=rf"proof\[1\] must be 32 bytes, {why}"):
        m.verify_inclusion(LEAF_HASHES[0], 0, 8, proof, ROOT8)


def _words(b: bytes) -> array.array:
    a = array.array("I")
    a.frombytes(b)  # 8 four-byte items, 32 bytes
    return a


@pytest.mark.parametrize(
    "as_bytes_like",
    [
        bytearray,
        memoryview,
        lambda b: array.array("B", b),
        _words,
        # not contiguous: hashlib refuses it, the reference path reads its bytes
        lambda b: memoryview(bytes(x for c in b for x in (c, 0)))[::2],
    ],
)
def test_any_bytes_like_proof_element_is_read_as_its_bytes(as_bytes_like):
    proof = [as_bytes_like(p) for p in PATH_0_8]
    assert [memoryview(p).tobytes() for p in proof] == PATH_0_8
    assert m.root_from_inclusion_proof(LEAF_HASHES[0], 0, 8, proof) == ROOT8
    assert m.verify_inclusion(LEAF_HASHES[0], 0, 8, proof, ROOT8) is None
    proof[2] = as_bytes_like(bytes(32))
    with pytest.raises(ProofError, match="does not match"):
        m.verify_inclusion(LEAF_HASHES[0], 0, 8, proof, ROOT8)


@settings(max_examples=300, deadline=None)
@given(
    size=st.integers(min_value=2, max_value=200),
    data=st.data(),
    element=st.one_of(
        st.binary(max_size=40),
        st.text(max_size=40),
        st.integers(),
        st.builds(bytearray, st.binary(max_size=40)),
    ),
)
def test_the_fast_path_answers_as_the_reference_for_any_element(size, data, element):
    # Oracle: the reference path, root_from_inclusion_proof, which checks every element
    # first. Replacing one element of a good proof by anything gives the same answer.
    leaves = _leaves(size)
    nodes = ListNodes(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    root = m.root_at(size, nodes)
    proof = list(m.inclusion_proof_at(index, size, nodes))
    k = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
    proof[k] = element
    try:
        expected = m.root_from_inclusion_proof(leaves[index], index, size, proof)
    except ProofError as e:
        with pytest.raises(ProofError) as got:
            m.verify_inclusion(leaves[index], index, size, proof, root)
        assert str(got.value) == str(e)
        return
    if expected == root:
        assert m.verify_inclusion(leaves[index], index, size, proof, root) is None
    else:
        with pytest.raises(ProofError, match="does not match"):
            m.verify_inclusion(leaves[index], index, size, proof, root)


def test_odd_node_is_never_duplicated_nor_pairs_sorted():
    a, b, c = _leaves(3)
    root = m.root_from_leaf_hashes([a, b, c])
    assert root == m.node_hash(m.node_hash(a, b), c)
    assert root != m.node_hash(m.node_hash(a, b), m.node_hash(c, c))  # Bitcoin style
    assert m.node_hash(a, b) != m.node_hash(b, a)  # QLDB sorted pairs would make these equal


def _roots():
    return [h(VECTORS["roots"][str(n)]) for n in range(9)]


@pytest.mark.parametrize(
    "size1,size2,proof,root1,root2,why",
    [
        (6, 8, [], 6, 8, "wrong proof size 0, want 3"),
        (
            6,
            8,
            ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"],
            6,
            8,
            "wrong proof size 1",
        ),
        (8, 6, [], 8, 6, "smaller than size1"),
        (6, 6, [], 6, 7, "forked"),
        (
            6,
            6,
            ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"],
            6,
            6,
            "want 0",
        ),
        (0, 5, [], 1, 5, "empty tree"),
        (
            0,
            5,
            ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"],
            0,
            5,
            "want 0",
        ),
        (6, 8, "swap", 6, 8, "does not match"),
        (6, 8, "ok", 5, 8, "root1"),
        (6, 8, "ok", 6, 7, "root2"),
    ],
)
def test_consistency_rejections(size1, size2, proof, root1, root2, why):
    roots = _roots()
    good = [h(x) for x in VECTORS["consistency"][2]["proof"]]  # (6, 8)
    if proof == "ok":
        proof = good
    elif proof == "swap":
        proof = [good[1], good[0], good[2]]
    else:
        proof = [h(x) for x in proof]
    with pytest.raises(ProofError, match=why):
        m.verify_consistency(size1, size2, proof, roots[root1], roots[root2])


def test_consistency_policy_for_zero_and_equal_sizes():
    roots = _roots()
    m.verify_consistency(0, 0, [], roots[0], roots[0])
    m.verify_consistency(0, 8, [], roots[0], roots[8])
    m.verify_consistency(5, 5, [], roots[5], roots[5])
    with pytest.raises(ProofError, match="must be 32 bytes"):  # stricter than transparency-dev
        m.verify_consistency(1, 1, [], b"don't care 1", b"don't care 1")


def test_reference_generators_refuse_bad_arguments():
    with pytest.raises(ProofError):
        m.inclusion_proof(3, 3, LEAF_HASHES)
    with pytest.raises(ProofError):
        m.consistency_proof(5, 9, LEAF_HASHES)


# --- SM3 as the log hash ----------------------------------------------------------------


def test_sm3_is_gbt32905():
    # GB/T 32905-2016 Appendix A example 1: SM3("abc")
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert m.SM3.digest(b"abc").hex() == expected
    assert m.SM3.leaf(b"abc") == m.SM3.digest(b"\x00abc")


def test_sm3_tree_proofs_verify_and_differ_from_sha256():
    leaves = [m.leaf_hash(bytes([i]), m.SM3) for i in range(13)]
    root = m.root_from_leaf_hashes(leaves, m.SM3)
    assert root != m.root_from_leaf_hashes([m.leaf_hash(bytes([i])) for i in range(13)])
    for i in range(13):
        m.verify_inclusion(leaves[i], i, 13, m.inclusion_proof(i, 13, leaves, m.SM3), root, m.SM3)
    with pytest.raises(ProofError):  # an SM3 proof is no SHA-256 proof
        m.verify_inclusion(leaves[3], 3, 13, m.inclusion_proof(3, 13, leaves, m.SM3), root)


# --- properties -------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    size=st.integers(min_value=1, max_value=300),
    data=st.data(),
)
def test_proofs_verify_and_any_flip_breaks_them(size, data):
    leaves = _leaves(size)
    nodes = ListNodes(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    root = m.root_at(size, nodes)
    proof = m.inclusion_proof_at(index, size, nodes)
    m.verify_inclusion(leaves[index], index, size, proof, root)
    if proof:
        k = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
        bit = data.draw(st.integers(min_value=0, max_value=255))
        bad = list(proof)
        bad[k] = bytes(x ^ (1 << (bit % 8)) if j == bit // 8 else x for j, x in enumerate(bad[k]))
        with pytest.raises(ProofError):
            m.verify_inclusion(leaves[index], index, size, bad, root)
    size1 = data.draw(st.integers(min_value=1, max_value=size))
    cproof = m.consistency_proof_at(size1, size, nodes)
    m.verify_consistency(size1, size, cproof, m.root_at(size1, nodes), root)
    if size1 < size:
        other = m.root_at(size1, ListNodes([*leaves[: size1 - 1], m.leaf_hash(b"forged")]))
        with pytest.raises(ProofError):
            m.verify_consistency(size1, size, cproof, other, root)
