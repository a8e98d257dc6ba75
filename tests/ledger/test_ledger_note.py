"""Signed notes and checkpoints (cbec.ledger.note) against the golang/mod vector, Go's own
rejection cases (golang/mod sumdb/note/note_test.go, sumdb/tlog/note_test.go) and properties."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec.ledger import note
from cbec.ledger.note import Checkpoint, NoteError
from tests.conftest import DATA

VECTORS = DATA / "vectors" / "signed_note_dev.json"


def _vector() -> dict:
    (vec,) = [v for v in json.loads(VECTORS.read_text())["vectors"] if v["kind"] == "signed-note"]
    return vec


VEC = _vector()
SKEY = VEC["skey"]
VKEY = VEC["vkeys"][0]
TEXT = VEC["expect"]["text"]
NOTE = VEC["note"]
PETER_SIG = NOTE[len(TEXT) + 1 :]  # the one signature line, with its newline


def _flip_signature_bit(sig_line: str, byte: int, bit: int = 0) -> str:
    """Flip one bit of the decoded ``key ID ‖ signature`` blob of a signature line."""
    prefix, b64 = sig_line.rstrip("\n").rsplit(" ", 1)
    blob = bytearray(base64.b64decode(b64))
    blob[byte] ^= 1 << bit
    return f"{prefix} {base64.b64encode(bytes(blob)).decode()}\n"


# --- the Go vector --------------------------------------------------------------------------


def test_vector_file_is_found():
    assert VECTORS.is_file(), VECTORS


def test_sign_reproduces_go_vector_byte_for_byte():
    assert note.sign(TEXT, SKEY) == NOTE
    assert note.sign(TEXT, SKEY).encode() == NOTE.encode()


def test_open_vector():
    assert note.open(NOTE, VEC["vkeys"]) == VEC["expect"]["verified_signers"] == ["PeterNeumann"]
    assert note.open_note(NOTE.encode(), VEC["vkeys"]) == ["PeterNeumann"]
    assert note.text_of(NOTE) == TEXT


def test_verifier_from_skey_matches_vector():
    assert note.verifier_from_skey(SKEY) == VKEY


def test_key_id_matches_vector():
    name, hex_id, key64 = VKEY.split("+", 2)
    assert note.key_id(name, base64.b64decode(key64)) == int(hex_id, 16) == 0xC74F20A3
    digest = hashlib.sha256(b"PeterNeumann\n\x01" + base64.b64decode(key64)[1:]).digest()
    assert digest[:4].hex() == hex_id
    assert note.parse_verifier(VKEY).key_id == note.parse_signer(SKEY).key_id == 0xC74F20A3


# --- keys -----------------------------------------------------------------------------------


def test_generated_keys_round_trip():
    skey, vkey = note.generate_signer_key("example.com/log42")
    assert skey.startswith("PRIVATE+KEY+example.com/log42+")
    assert note.verifier_from_skey(skey) == vkey
    assert note.open(note.sign("hi\n", skey), [vkey]) == ["example.com/log42"]
    signer = note.parse_signer(skey)
    assert signer.seed.hex() not in repr(signer)


def test_every_substring_and_bumped_byte_of_vkey_is_rejected():
    # Go's TestNewVerifier manglings.
    for i in range(len(VKEY) + 1):
        for j in range(i + 1, len(VKEY) + 1):
            if (i, j) != (0, len(VKEY)):
                with pytest.raises(NoteError):
                    note.parse_verifier(VKEY[i:j])
    for i in range(len(VKEY)):
        with pytest.raises(NoteError):
            note.parse_verifier(VKEY[:i] + chr(ord(VKEY[i]) + 1) + VKEY[i + 1 :])


def test_every_substring_and_bumped_byte_of_skey_is_rejected():
    # Go's TestNewSigner manglings.
    for i in range(len(SKEY) + 1):
        for j in range(i + 1, len(SKEY) + 1):
            if (i, j) != (0, len(SKEY)):
                with pytest.raises(NoteError):
                    note.parse_signer(SKEY[i:j])
    for i in range(len(SKEY)):
        with pytest.raises(NoteError):
            note.parse_signer(SKEY[:i] + chr(ord(SKEY[i]) + 1) + SKEY[i + 1 :])


@pytest.mark.parametrize(
    "vkey",
    [
        # Go: wrong length key and unknown algorithm, each with an adjusted key ID.
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_go_bad_verifier_keys(vkey):
    with pytest.raises(NoteError):
        note.parse_verifier(vkey)


def test_uppercase_hex_key_id_accepted_like_go():
    name, hex_id, key64 = VKEY.split("+", 2)
    assert note.parse_verifier(f"{name}+{hex_id.upper()}+{key64}") == note.parse_verifier(VKEY)


def test_signer_key_errors_do_not_leak_the_seed():
    seed64 = SKEY.rsplit("+", 1)[1]
    bad = SKEY.replace("c74f20a3", "c74f20a4")
    with pytest.raises(NoteError) as exc:
        note.parse_signer(bad)
    assert seed64 not in str(exc.value)
    assert "c74f20a3" in str(exc.value) and "c74f20a4" in str(exc.value)


@pytest.mark.parametrize(
    "name",
    ["", "a+b", "a b", "a\tb", "a\nb", "a\u00a0b", "a\u0085b", "a\u2003b", "a\u3000b", "a\ud800"],
)
def test_invalid_names_rejected(name):
    with pytest.raises(NoteError):
        note.validate_name(name)
    with pytest.raises(NoteError):
        note.generate_signer_key(name)


@pytest.mark.parametrize("name", ["PeterNeumann", "example.com/log42", "日本の税関", "a\x1cb"])
def test_valid_names_accepted(name):
    # U+001C is not Unicode White_Space, so Go's unicode.IsSpace (unlike str.isspace) allows it.
    assert note.validate_name(name) == name


# --- sign -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "abc", "line\nno final newline", "tab\tin text\n", "\x00\n"])
def test_sign_rejects_invalid_text(text):
    with pytest.raises(NoteError):
        note.sign(text, SKEY)


def test_sign_needs_a_key_and_rejects_duplicates():
    with pytest.raises(NoteError):
        note.sign(TEXT)
    with pytest.raises(NoteError):
        note.sign(TEXT, SKEY, SKEY)


def test_text_with_blank_lines_and_dash_lines_round_trips():
    # signed-note §Format: the text MAY contain empty lines; the last one separates.
    text = "a\n\n— fake AAAAAAAA\n\nb\n\n"
    skey, vkey = note.generate_signer_key("k")
    signed = note.sign(text, skey)
    assert note.open(signed, [vkey]) == ["k"]
    assert note.text_of(signed) == text


def test_seventeen_signers_accepted():
    keys = [note.generate_signer_key(f"witness{i}.example") for i in range(17)]
    signed = note.sign("checkpoint\n", *(s for s, _ in keys))
    assert note.open(signed, [v for _, v in keys]) == [f"witness{i}.example" for i in range(17)]


# --- open: rejections and unknown keys ------------------------------------------------------


def test_flipped_signature_bit_from_known_key_rejects():
    for byte in (4, 20, 67):  # first, middle and last byte of the Ed25519 signature
        bad = TEXT + "\n" + _flip_signature_bit(PETER_SIG, byte)
        with pytest.raises(NoteError, match="invalid signature for key PeterNeumann\\+c74f20a3"):
            note.open(bad, [VKEY])


def test_go_corrupted_signature_vector_uses_byte_offset():
    # Go inserts "ABCD" at *byte* offset 60 of the line; the em dash is 3 bytes in UTF-8.
    line = PETER_SIG.encode()
    bad = TEXT.encode() + b"\n" + line[:60] + b"ABCD" + line[60:]
    with pytest.raises(NoteError, match="invalid signature"):
        note.open(bad, [VKEY])


def test_flipped_key_id_bit_makes_the_key_unknown():
    bad = TEXT + "\n" + _flip_signature_bit(PETER_SIG, 0)
    with pytest.raises(NoteError, match="no verifiable signatures"):
        note.open(bad, [VKEY])


def test_bad_signature_by_known_key_rejects_even_next_to_a_good_one():
    bad = TEXT + "\n" + PETER_SIG + _flip_signature_bit(PETER_SIG, 30)
    with pytest.raises(NoteError, match="invalid signature"):
        note.open(bad, [VKEY])


def test_only_unknown_keys_rejected():
    other_skey, _ = note.generate_signer_key("EnochRoot")
    signed = note.sign(TEXT, other_skey)
    with pytest.raises(NoteError, match="no verifiable signatures"):
        note.open(signed, [VKEY])
    with pytest.raises(NoteError, match="no verifiable signatures"):
        note.open(NOTE, [])


def test_unknown_keys_ignored_next_to_a_good_one():
    enoch, _ = note.generate_signer_key("EnochRoot")
    same_name, _ = note.generate_signer_key("PeterNeumann")  # known name, unknown key ID
    both = note.sign(TEXT, SKEY, enoch, same_name)
    assert note.open(both, [VKEY]) == ["PeterNeumann"]
    # An unknown signature that would not verify at all is ignored too.
    garbage = "— Stranger " + base64.b64encode(b"\x00" * 68).decode() + "\n"
    assert note.open(NOTE + garbage, [VKEY]) == ["PeterNeumann"]


def test_duplicate_vkeys_and_signature_lines():
    assert note.open(NOTE, [VKEY, VKEY]) == ["PeterNeumann"]
    assert note.open(TEXT + "\n" + PETER_SIG * 3, [VKEY]) == ["PeterNeumann"]


def test_signature_line_limit_is_100():
    assert note.open(TEXT + "\n" + PETER_SIG * 100, [VKEY]) == ["PeterNeumann"]
    with pytest.raises(NoteError, match="at most 100 signature lines, found 101"):
        note.open(TEXT + "\n" + PETER_SIG * 101, [VKEY])
    with pytest.raises(NoteError, match="at most 100"):
        note.open(TEXT + "\n" + PETER_SIG * 101, [])


@pytest.mark.parametrize(
    "msg",
    [
        # Go's badMsgs in TestOpen.
        TEXT,  # no signatures, no blank line
        TEXT + "\n",  # blank line but no signatures
        TEXT + "\n" + PETER_SIG[:-1],  # last line not newline-terminated
        "\x01" + TEXT + "\n" + PETER_SIG,  # control character
        TEXT + "\n" + "— Bad Name " + PETER_SIG.split(" ")[-1].rstrip("\n"),
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        # More of the same family.
        TEXT.rstrip("\n") + " " + PETER_SIG,  # text not ending in newline: no blank line
        TEXT + "\n" + PETER_SIG.replace("— ", "- "),  # hyphen instead of em dash
        TEXT + "\n" + PETER_SIG.replace("— ", "—"),
        TEXT + "\n" + "— PeterNeumann\n",  # no signature
        TEXT + "\n" + "— PeterNeumann AAAA\n",  # only a key ID
        TEXT + "\n" + "— PeterNeumann x08g\n",
        TEXT + "\n" + "— Peter+Neumann " + PETER_SIG.split(" ")[-1],
        TEXT + "\n" + PETER_SIG.replace("=\n", "\n"),  # missing padding
        TEXT + "\n" + PETER_SIG.replace("=\n", "==\n"),  # excess padding
        TEXT + "\n" + PETER_SIG.rstrip("\n") + " \n",  # trailing space
        TEXT + "\n" + PETER_SIG.replace("\n", "\r\n"),
        TEXT + "\n" + PETER_SIG + "\n",  # trailing blank line: no signatures after it
        "tab\there\n\n" + PETER_SIG,
    ],
)
def test_malformed_notes_rejected(msg):
    with pytest.raises(NoteError):
        note.open(msg, [VKEY])
    with pytest.raises(NoteError):
        note.text_of(msg)


def test_shortest_signature_parses_but_does_not_verify():
    # Go needs at least 5 bytes (key ID + 1); "AAAAAAA=" is 5 bytes with key ID 00000000.
    short = TEXT + "\n" + "— PeterNeumann AAAAAAA=\n"
    assert note.text_of(short) == TEXT
    with pytest.raises(NoteError, match="no verifiable signatures"):
        note.open(short, [VKEY])


def test_invalid_utf8_rejected():
    with pytest.raises(NoteError, match="UTF-8"):
        note.open(b"\xff" + NOTE.encode(), [VKEY])
    with pytest.raises(NoteError, match="UTF-8"):
        note.open("\ud800" + NOTE, [VKEY])


def test_vkeys_must_be_a_collection_and_valid():
    with pytest.raises(TypeError):
        note.open(NOTE, VKEY)
    with pytest.raises(NoteError):
        note.open(NOTE, [VKEY[:-1]])


# --- checkpoints ----------------------------------------------------------------------------

ROOT = hashlib.sha256(b"\x00hello world").digest()
GO_TREE = "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"


def test_checkpoint_text_matches_go_tlog_golden():
    # golang/mod sumdb/tlog TestFormatTree: RecordHash("hello world") = SHA-256(0x00 ‖ data).
    cp = Checkpoint("go.sum database tree", 123456789012, ROOT)
    assert note.format_checkpoint(cp) == GO_TREE
    assert note.parse_checkpoint(GO_TREE) == cp


def test_c2sp_example_checkpoint_parses():
    example = (
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    )
    cp = note.parse_checkpoint(example)
    assert (cp.origin, cp.size, len(cp.root_hash), cp.extensions) == (
        "example.com/behind-the-sofa",
        20852163,
        32,
        (),
    )


def test_checkpoint_sign_open_round_trip():
    skey, vkey = note.generate_signer_key("cbec.example/ledger")
    witness, wvkey = note.generate_signer_key("witness.example")
    cp = Checkpoint("cbec.example/ledger", 8, ROOT, ("ext one", "ext-two"))
    signed = note.sign_checkpoint(cp, skey, witness)
    assert note.open_checkpoint(signed, [vkey, wvkey]) == (
        cp,
        ["cbec.example/ledger", "witness.example"],
    )
    assert note.open_checkpoint(signed, [wvkey]) == (cp, ["witness.example"])
    empty = Checkpoint("cbec.example/ledger", 0, hashlib.sha256(b"").digest())
    assert note.open_checkpoint(note.sign_checkpoint(empty, skey), [vkey])[0] == empty


def test_open_checkpoint_rejects_signed_non_checkpoint():
    with pytest.raises(NoteError, match="checkpoint"):
        note.open_checkpoint(NOTE, [VKEY])


B64_ROOT = base64.b64encode(ROOT).decode()


@pytest.mark.parametrize(
    "text",
    [
        f"o\n007\n{B64_ROOT}\n",  # leading zeros
        f"o\n00\n{B64_ROOT}\n",
        f"o\n-1\n{B64_ROOT}\n",  # negative
        f"o\n+1\n{B64_ROOT}\n",
        f"o\n 1\n{B64_ROOT}\n",
        f"o\n1 \n{B64_ROOT}\n",
        f"o\n1_000\n{B64_ROOT}\n",
        f"o\n0x10\n{B64_ROOT}\n",
        f"o\n\n{B64_ROOT}\n",
        f"o\n１\n{B64_ROOT}\n",  # fullwidth digit: int() would accept it
        f"o\n{2**64}\n{B64_ROOT}\n",  # beyond uint64
        f"o\n1\n{base64.b64encode(ROOT[:31]).decode()}\n",  # 31-byte root
        f"o\n1\n{base64.b64encode(ROOT + b'x').decode()}\n",  # 33-byte root
        f"o\n1\n{B64_ROOT[:-2]}B=\n",  # non-canonical base64 (unused bits set)
        f"o\n1\n{B64_ROOT.rstrip('=')}\n",  # missing padding
        f"o\n1\n{B64_ROOT.replace('+', '-')}\n",  # URL-safe alphabet
        "o\n1\n",  # missing root line
        "o\n",
        f"\n1\n{B64_ROOT}\n",  # empty origin
        f"o\n1\n{B64_ROOT}",  # no final newline
        f"o\n1\n{B64_ROOT}\n\n",  # empty extension line
        f"o\n1\n{B64_ROOT}\next\n\nmore\n",
        f"o\x01\n1\n{B64_ROOT}\n",  # control character
    ],
)
def test_parse_checkpoint_rejects(text):
    with pytest.raises(NoteError):
        note.parse_checkpoint(text)


def test_parse_checkpoint_size_bounds():
    assert note.parse_checkpoint(f"o\n0\n{B64_ROOT}\n").size == 0
    assert note.parse_checkpoint(f"o\n{2**64 - 1}\n{B64_ROOT}\n").size == 2**64 - 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"origin": ""},
        {"origin": "two\nlines"},
        {"size": -1},
        {"size": 2**64},
        {"size": True},
        {"size": 1.0},
        {"root_hash": ROOT[:31]},
        {"root_hash": B64_ROOT},
        {"extensions": ("",)},
        {"extensions": ("a\nb",)},
    ],
)
def test_checkpoint_constructor_validates(kwargs):
    fields = {"origin": "o", "size": 1, "root_hash": ROOT} | kwargs
    with pytest.raises(NoteError):
        Checkpoint(**fields)


# --- properties -----------------------------------------------------------------------------

# Valid note text: no surrogates, no control character but newline, ends with a newline.
note_chars = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(map(chr, range(0x20))).replace("\n", ""),
)
note_texts = st.text(note_chars, max_size=200).map(lambda s: s + "\n")
key_names = st.text(
    st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"), blacklist_characters="+"),
    min_size=1,
    max_size=20,
)


@settings(max_examples=200, deadline=None)
@given(text=note_texts, names=st.lists(key_names, min_size=1, max_size=3), data=st.data())
def test_signed_notes_open_and_any_text_byte_change_breaks_them(text, names, data):
    keys = [note.generate_signer_key(name) for name in names]
    signed = note.sign(text, *(s for s, _ in keys))
    vkeys = [v for _, v in keys]
    opened = note.open(signed, vkeys)
    assert len(opened) == len(keys) and set(opened) == set(names)
    assert note.text_of(signed) == text

    raw = bytearray(signed.encode())
    text_len = len(text.encode())
    i = data.draw(st.integers(0, text_len - 1), label="byte")
    new = data.draw(st.integers(0, 255).filter(lambda b: b != raw[i]), label="value")
    raw[i] = new
    with pytest.raises(NoteError):
        note.open(bytes(raw), vkeys)


@settings(max_examples=200, deadline=None)
@given(
    origin=st.text(note_chars.filter(lambda c: c != "\n"), min_size=1, max_size=40),
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(st.text(note_chars.filter(lambda c: c != "\n"), min_size=1), max_size=3),
)
def test_checkpoint_format_parse_round_trip(origin, size, root, extensions):
    cp = Checkpoint(origin, size, root, tuple(extensions))
    assert note.parse_checkpoint(note.format_checkpoint(cp)) == cp
