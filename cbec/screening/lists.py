"""Load any supported list file, telling the format from its content, not its name.

Operators download lists under whatever name their browser picks ("consolidated (3).xml",
"SDN.XML", "entities.ftm.json"), so :func:`detect_format` looks at the bytes: a JSON object
with ``id`` and ``schema`` is FollowTheMoney, an XML root ``sdnList`` is OFAC, an XML root
``CONSOLIDATED_LIST`` is the UN list, a 12-column CSV with a numeric first column is OFAC's
``sdn.csv`` (its ``alt.csv`` is picked up from the same folder).

Formats: ``ftm`` (:mod:`.ftm`), ``ofac_xml`` / ``ofac_csv`` (:mod:`.ofac`), ``un_xml``
(:mod:`.unsc`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cbec.screening.ftm import load_ftm
from cbec.screening.model import ListFileError, ScreeningList
from cbec.screening.ofac import is_sdn_csv, load_ofac_csv, load_ofac_xml
from cbec.screening.unsc import load_un_xml

FORMATS = ("ftm", "ofac_xml", "ofac_csv", "un_xml")
_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


def detect_format(path: Path | str) -> str:
    """One of FORMATS; :class:`ListFileError` if the file is none of them."""
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(65536)
    body = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if body.startswith(b"<"):
        for m in _XML_ROOT.finditer(body):
            name = m.group(1)
            if body[m.start() + 1 : m.start() + 2] in (b"?", b"!"):
                continue
            if name == b"sdnList":
                return "ofac_xml"
            if name == b"CONSOLIDATED_LIST":
                return "un_xml"
            root = name.decode("utf-8", "replace")[:100]
            raise ListFileError(f"unsupported XML list (root element {root})")
    if body.startswith(b"{"):
        line = body.split(b"\n", 1)[0]
        try:
            first = json.loads(line)
        except (ValueError, RecursionError):  # not JSON (or nested past the parser's limit)
            first = None
        if isinstance(first, dict) and "schema" in first and "id" in first:
            return "ftm"
    if is_sdn_csv(body):
        return "ofac_csv"
    raise ListFileError("not a FollowTheMoney, OFAC SDN or UN consolidated list file")


def load_list(path: Path | str, fmt: str | None = None) -> ScreeningList:
    """Load one list file (format detected unless ``fmt`` is given)."""
    fmt = fmt or detect_format(path)
    if fmt == "ftm":
        return load_ftm(path)
    if fmt == "ofac_xml":
        return load_ofac_xml(path)
    if fmt == "ofac_csv":
        return load_ofac_csv(path)
    if fmt == "un_xml":
        return load_un_xml(path)
    raise ListFileError(f"unknown list format {fmt!r}; expected one of {', '.join(FORMATS)}")
