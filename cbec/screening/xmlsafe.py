"""Reading list XML with lxml without trusting it.

Lists are downloaded files; an operator may also load a file someone sent them. The parser
therefore resolves no entities (no billion-laughs, no XXE file reads), loads no DTD, touches
no network, and refuses huge text nodes. Elements are found by local name, because OFAC has
published ``sdn.xml`` under more than one default namespace (``http://tempuri.org/
sdnList.xsd``, then the Sanctions List Service namespace) and the UN list has none.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from cbec.screening.model import ListFileError

PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def parse(raw: bytes) -> etree._Element:
    """Root element of ``raw``; :class:`ListFileError` (not an lxml type) if it is not
    well-formed XML 1.0 (§2.1) or uses what the parser refuses (entities, a DTD)."""
    try:
        return etree.fromstring(raw, PARSER)
    except etree.XMLSyntaxError as exc:
        raise ListFileError(f"not well-formed XML: {exc}") from None


def local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):  # comments / processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


def children(el: etree._Element | None, name: str) -> Iterator[etree._Element]:
    """Direct children called ``name`` (any namespace)."""
    if el is None:
        return
    for child in el:
        if local(child) == name:
            yield child


def child(el: etree._Element | None, name: str) -> etree._Element | None:
    return next(children(el, name), None)


def text(el: etree._Element | None, name: str) -> str | None:
    """Stripped text of the first child ``name``; None if absent or blank."""
    found = child(el, name)
    if found is None or found.text is None:
        return None
    value = " ".join(found.text.split())
    return value or None


def texts(el: etree._Element | None, path: str) -> list[str]:
    """Texts along a ``/``-separated path of local names, e.g. ``"NATIONALITY/VALUE"``."""
    nodes = [el] if el is not None else []
    for name in path.split("/"):
        nodes = [c for n in nodes for c in children(n, name)]
    out = []
    for node in nodes:
        if node.text and node.text.strip():
            out.append(" ".join(node.text.split()))
    return out
