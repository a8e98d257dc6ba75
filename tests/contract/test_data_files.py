"""tests/data is what its README says: every data file is listed with its sha256 (and size,
where given), nothing is listed that is not there, and the extract of Online Retail is what
its script makes of the full file."""

from __future__ import annotations

import hashlib
import importlib.util
import re

from tests.conftest import DATA, needs_shared
from tests.retail_data import EXTRACT, FULL

README = (DATA / "README.md").read_text(encoding="utf-8")
#: ``| `file` | [bytes |] sha256 |`` rows, under a ``## `folder/` …`` heading.
SECTION = re.compile(r"^## `([^`]+)/`", re.M)
ROW = re.compile(r"^\| `([^`]+)` \|(?: ([\d,]+) \|)? ([0-9a-f]{64}) \|$", re.M)
UNLISTED = {"README.md", ".gitattributes"}  # the listing itself and its git settings


def listed() -> dict[str, tuple[int | None, str]]:
    out = {}
    heads = list(SECTION.finditer(README))
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        body = README[head.end() : nxt.start() if nxt else len(README)]
        for row in ROW.finditer(body):
            size = int(row[2].replace(",", "")) if row[2] else None
            out[f"{head[1]}/{row[1]}"] = (size, row[3])
    return out


def test_every_data_file_is_listed_with_its_sha256():
    files = {
        p.relative_to(DATA).as_posix()
        for p in DATA.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"
    } - UNLISTED
    table = listed()
    assert set(table) == files
    for name, (size, digest) in table.items():
        data = (DATA / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name
        assert size is None or len(data) == size, name


def test_data_stays_small():
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert total < 3_000_000


@needs_shared
def test_online_retail_extract_is_what_its_script_makes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "make_extract", DATA / "online_retail" / "make_extract.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "extract.csv.gz")
    module.main(FULL)
    assert (tmp_path / "extract.csv.gz").read_bytes() == EXTRACT.read_bytes()
