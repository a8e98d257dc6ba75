"""Which text encoding a CSV import is in: the files sellers export are not all UTF-8.

Excel on a Chinese Windows saves "CSV" in the ANSI code page — GBK (code page 936), which
GB18030 extends — and "CSV UTF-8" with a byte-order mark; JSON Lines is UTF-8 by its
definition (RFC 8259 §8.1), so only CSV is detected. Detection looks at a bounded sample from
the start of the file (an upload may be 200 MB) and prefers rules that cannot guess wrong:

1. a byte-order mark names the encoding (UTF-8, UTF-16);
2. a sample that decodes as UTF-8 is UTF-8 (text in GBK or Big5 almost never does);
3. otherwise ``charset-normalizer`` chooses among :data:`DETECTABLE` — legacy encodings
   that look alike at the byte level (every Big5 byte string also decodes as GBK), so a
   statistical judge of the decoded text is needed; nothing plausible refuses the file.

GBK and GB2312 are read as GB18030, their superset: a GBK file decodes the same, and a
character GBK lacks (``𠀀`` U+20000) is still read. A caller that knows the encoding states
it and no detection is done. Bytes that do not decode further on are replaced by a marker a
decoder never produces (a lone surrogate), so the reader can refuse the file by line number
instead of by an offset into a block of the stream.
"""

from __future__ import annotations

import codecs
import io
from typing import IO

from cbec.errors import BadRequest

SAMPLE = 64 * 1024
"""Bytes read from the start of a file to detect its encoding."""

DETECTABLE = ("gb18030", "big5", "cp932")
"""What detection may answer besides UTF-8/UTF-16: Simplified Chinese (GBK, GB18030),
Traditional Chinese (Big5) and Japanese (Shift_JIS as Windows writes it, code page 932)."""

_AS_READ = {"gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932"}

UNDECODABLE = "\udcff"
"""What an undecodable byte sequence becomes in the decoded text (see the module doc)."""

ERRORS = "cbec.undecodable"


def _mark(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return UNDECODABLE, exc.end


codecs.register_error(ERRORS, _mark)


def canonical(name: str) -> str:
    """The codec's own name for an encoding (``GBK`` → ``gbk``, ``utf8`` → ``utf-8``)."""
    return codecs.lookup(name).name


def stated(name: str, parameter: str = "encoding") -> str:
    """An encoding the caller named, checked: an unknown name, or a codec that does not
    turn bytes into text (``rot13``, ``base64``), is refused naming the ``parameter``."""
    try:
        codec = canonical(name)
        io.TextIOWrapper(io.BytesIO(), encoding=codec).detach()
    except (LookupError, ValueError):
        raise BadRequest("unknown_encoding", {"parameter": parameter}) from None
    return _AS_READ.get(codec, codec)


def detect(upload: IO[bytes]) -> str:
    """The encoding of a CSV file, judged from its first :data:`SAMPLE` bytes (the file is
    left at its start); ``encoding_undetected`` when no rule and no candidate fits."""
    upload.seek(0)
    sample = upload.read(SAMPLE)
    whole = not upload.read(1)
    upload.seek(0)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(_decodable_lines(sample, whole), cp_isolation=list(DETECTABLE)).best()
    if best is None:
        raise BadRequest("encoding_undetected", {"parameter": "encoding"})
    codec = _AS_READ.get(canonical(best.encoding), canonical(best.encoding))
    # ASCII lines before a damaged one say nothing; the file is refused at that line anyway
    return codec if codec in DETECTABLE else DETECTABLE[0]


def _decodable_lines(sample: bytes, whole: bool) -> bytes:
    """The sample's first lines that some candidate decodes: not cut inside a character at
    the sample's end, nor holding a damaged line — one bad byte must not hide a GBK file's
    encoding, so that the file is refused at that byte's line, by number."""
    if not whole and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]
    longest = 0
    for codec in DETECTABLE:
        try:
            sample.decode(codec)
            return sample
        except UnicodeDecodeError as exc:
            longest = max(longest, sample.rfind(b"\n", 0, exc.start) + 1)
    return sample[:longest] if longest else sample
