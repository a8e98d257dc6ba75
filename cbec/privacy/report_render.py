"""The privacy compliance report (:class:`~cbec.privacy.report_models.PrivacyReport`) as
Markdown (CommonMark with GFM pipe tables) and as a self-contained HTML page — no script, no
stylesheet or font to fetch, charts as inline SVG (:mod:`cbec.privacy.report_charts`), print
CSS so a browser's "Save as PDF" gives the paper copy — in English or Chinese.

Both come from one list of blocks per section (heading, paragraph, table, chart, a heading the
assessor fills), so they always say the same thing. Words come from
``cbec/privacy/data/report_labels.csv``: a report is a document handed to an assessor or a
regulator, so its vocabulary is one table reviewed whole, apart from the console's strings.
:data:`RENDERERS` has one function per section, in the report's order; a new section of the
model is one more entry."""

from __future__ import annotations

import base64
import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from cbec.privacy.report_charts import bar_svg
from cbec.privacy.report_models import PrivacyReport

LABELS = Path(__file__).parent / "data" / "report_labels.csv"
LANGS = ("en", "zh")


@cache
def labels() -> dict[str, dict[str, str]]:
    """key -> {"en": ..., "zh": ...}; a row missing a language is refused with its line."""
    with LABELS.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        out = {}
        for n, row in enumerate(rows, start=3):
            if not all((row.get(lang) or "").strip() for lang in LANGS) or row["key"] in out:
                raise ValueError(f"{LABELS.name} line {n}: a key once, with en and zh")
            out[row["key"]] = {lang: row[lang] for lang in LANGS}
    return out


@dataclass(frozen=True)
class Words:
    lang: str

    def __call__(self, key: str, **params: Any) -> str:
        text = labels()[key][self.lang]
        return text % params if params else text

    def value(self, raw: object) -> str:
        """A stored value's name in the language (``v_<value>``), else the value itself."""
        entry = labels().get(f"v_{raw}")
        return entry[self.lang] if entry else str(raw)


@dataclass(frozen=True)
class Block:
    kind: str  # h2 | h3 | p | fill | table | chart
    text: str = ""
    head: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    values: tuple[int, ...] = ()


def _table(head: list[str], rows: list[list[object]]) -> Block:
    return Block("table", head=tuple(head), rows=tuple(tuple(str(c) for c in r) for r in rows))


def _chart(title: str, pairs: list[tuple[str, int]]) -> list[Block]:
    if not pairs:
        return []
    names, values = zip(*pairs, strict=True)
    return [Block("chart", title, head=tuple(names), values=tuple(values))]


def _pia(r: PrivacyReport, w: Words) -> list[Block]:
    pia, m = r.pia, r.pia.protection
    fields = [
        [w.value(f.kind), f.field, w.value(f.pi), w.value(f.protection), f.mask]
        for f in [*pia.sensitive_fields, *pia.personal_fields]
    ]
    head = [w("c_kind"), w("c_field"), w("c_pi"), w("c_protection"), w("c_mask")]
    measures = [
        [w("m_encryption"), ", ".join(m.encryption)],
        [w("m_active_key"), m.active_key_id or ""],
        [w("m_key_ids"), ", ".join(m.key_ids)],
        [w("m_encrypted"), m.encrypted_fields],
        [w("m_masked"), m.masked_fields],
        [w("m_masks"), ", ".join(m.masks)],
        [w("m_pseudonyms"), m.pseudonyms],
    ]
    return [
        Block("h2", w("s_pia")),
        Block("p", w("draft")),
        Block("h3", w("pia_purpose")),
        Block("p", f"{w('pia_purposes')}: " + ", ".join(w.value(p) for p in pia.purposes)),
        Block("fill", w("pia_fill")),
        Block("h3", w("pia_pi")),
        Block(
            "p",
            f"{w('pia_sensitive')}: {len(pia.sensitive_fields)}; "
            f"{w('pia_abroad')}: {pia.transfers_abroad}",
        ),
        _table(head, fields),
        Block("h3", w("pia_impact")),
        Block("fill", w("pia_fill")),
        Block("h3", w("pia_measures")),
        _table([w("c_measure"), w("c_in_place")], measures),
        Block("fill", w("pia_fill")),
        Block("h3", w("pia_record")),
        Block("p", w("pia_record_text", years=pia.retention_years)),
    ]


def _counts(w: Words, title: str, counts: dict[str, int]) -> Block:
    return _table([title, w("c_count")], [[w.value(k), n] for k, n in counts.items()])


def _inventory(r: PrivacyReport, w: Words) -> list[Block]:
    inv = r.inventory
    return [
        Block("h2", w("s_inventory")),
        Block("p", f"{w('inv_on')}: {inv.on.isoformat()}; {w('inv_fields')}: {inv.fields}"),
        _counts(w, w("c_category"), inv.by_category),
        *_chart(w("ch_category"), [(w.value(k), n) for k, n in inv.by_category.items()]),
        _counts(w, w("c_grade"), inv.by_grade),
        _counts(w, w("c_pi"), inv.by_pi),
    ]


def _transfers(r: PrivacyReport, w: Words) -> list[Block]:
    t = r.transfers
    tally_head = [w("c_transfers"), w("c_individuals")]
    out = [
        Block("h2", w("s_transfers")),
        Block("p", w("t_total", transfers=t.transfers, individuals=t.individuals)),
    ]
    if not t.items:
        return [*out, Block("p", w("none"))]
    items = [
        [
            i.exporter,
            i.transferred_on.isoformat(),
            i.destination,
            i.recipient,
            w.value(i.purpose),
            w.value(i.route),
            i.individuals,
            "; ".join(_citation(a) for a in i.articles),
        ]
        for i in t.items
    ]
    return [
        *out,
        _table(
            [w("c_route"), *tally_head],
            [[w.value(x.key), x.transfers, x.individuals] for x in t.by_route],
        ),
        *_chart(w("ch_route"), [(w.value(x.key), x.transfers) for x in t.by_route]),
        _table(
            [w("c_destination"), *tally_head],
            [[x.key, x.transfers, x.individuals] for x in t.by_destination],
        ),
        *_chart(w("ch_destination"), [(x.key, x.transfers) for x in t.by_destination]),
        _table(
            [
                w("c_exporter"),
                w("c_date"),
                w("c_destination"),
                w("c_recipient"),
                w("c_purpose"),
                w("c_route"),
                w("c_individuals"),
                w("c_articles"),
            ],
            items,
        ),
    ]


def _citation(source: str) -> str:
    """A provision's citation without the text quoted after it (the JSON keeps both)."""
    return source.split(": ", 1)[0]


def _dsr(r: PrivacyReport, w: Words) -> list[Block]:
    d = r.dsr
    total = w("d_total", n=d.requests, access=d.access, erasure=d.erasure)
    rows = [
        [
            x.tenant,
            w.value(x.kind),
            w.value(x.found_by),
            w.value(x.status),
            x.received_at.strftime("%Y-%m-%d %H:%M"),
            x.completed_at.strftime("%Y-%m-%d %H:%M") if x.completed_at else "",
            x.documents,
            x.keys_shredded,
        ]
        for x in d.items
    ]
    head = [
        w("c_tenant"),
        w("c_request"),
        w("c_found_by"),
        w("c_status"),
        w("c_received"),
        w("c_completed"),
        w("c_documents"),
        w("c_keys_shredded"),
    ]
    pairs = [(w.value(k), n) for k, n in (("access", d.access), ("erasure", d.erasure)) if n]
    return [
        Block("h2", w("s_dsr")),
        Block("p", total),
        _table(head, rows) if rows else Block("p", w("none")),
        *_chart(w("ch_dsr"), pairs),
        Block("p", w("d_note")),
    ]


def _keys(r: PrivacyReport, w: Words) -> list[Block]:
    k = r.keys
    out = [Block("h2", w("s_keys")), Block("p", w("k_total", added=k.added, retired=k.retired))]
    rows = [
        [
            e.at.strftime("%Y-%m-%d %H:%M"),
            w.value(e.event),
            w.value(e.purpose),
            e.kid or "",
            e.fingerprint or "",
        ]
        for e in k.events
    ]
    head = [w("c_at"), w("c_event"), w("c_key_purpose"), w("c_kid"), w("c_fingerprint")]
    return [*out, _table(head, rows) if rows else Block("p", w("none"))]


def _access(r: PrivacyReport, w: Words) -> list[Block]:
    a = r.access
    reveals = [
        [
            x.tenant,
            w.value(x.role),
            x.user or "",
            x.key_id or "",
            x.reveals,
            x.documents,
            ", ".join(x.fields),
        ]
        for x in a.reveals
    ]
    head = [
        w("c_tenant"),
        w("c_role"),
        w("c_user"),
        w("c_api_key"),
        w("c_reveals"),
        w("c_documents"),
        w("c_fields"),
    ]
    by_role: dict[str, int] = {}
    for x in a.accounts:
        by_role[w.value(x.role)] = by_role.get(w.value(x.role), 0) + x.count
    return [
        Block("h2", w("s_access")),
        Block("h3", w("a_reveals")),
        Block("p", w("a_total", n=a.total_reveals)),
        _table(head, reveals) if reveals else Block("p", w("none")),
        Block("h3", w("a_accounts")),
        _table(
            [w("c_tenant"), w("c_tenant_role"), w("c_role"), w("c_count")],
            [[x.tenant, w.value(x.tenant_role), w.value(x.role), x.count] for x in a.accounts],
        ),
        *_chart(w("ch_access"), list(by_role.items())),
        Block("p", w("a_note")),
    ]


RENDERERS: dict[str, Callable[[PrivacyReport, Words], list[Block]]] = {
    "pia": _pia,
    "inventory": _inventory,
    "transfers": _transfers,
    "dsr": _dsr,
    "keys": _keys,
    "access": _access,
}


def blocks(report: PrivacyReport, lang: str) -> tuple[str, list[Block]]:
    """The report's title and its blocks, section by section in the model's order."""
    w = Words(lang)
    s = report.scope
    period = f"{s.year}-01-01 – {s.year}-12-31 (UTC+8)"
    head = [
        _table(
            ["", ""],
            [
                [w("year"), s.year],
                [w("period"), period],
                [w("scope"), s.tenant or w("scope_all")],
                [w("requested_by"), s.requested_by],
                [w("generated_at"), s.generated_at.strftime("%Y-%m-%d %H:%M UTC")],
            ],
        ),
    ]
    body = [
        b
        for name in type(report).model_fields
        if name in RENDERERS
        for b in RENDERERS[name](report, w)
    ]
    return f"{w('title')} {s.year}", head + body


def _md_cell(text: str) -> str:
    """A table cell: HTML characters as entities (a recipient's name is the exporter's text,
    and Markdown passes raw HTML through), pipes escaped, one line."""
    text = escape(text, quote=False).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r", " ").replace("\n", " ") or " "


def markdown(report: PrivacyReport, lang: str = "en") -> str:
    """The report as Markdown: headings, paragraphs and pipe tables (charts as their tables)."""
    title, items = blocks(report, lang)
    out = [f"# {title}", ""]
    for b in items:
        if b.kind in ("h2", "h3"):
            out += [f"{'#' * int(b.kind[1])} {b.text}", ""]
        elif b.kind == "p":
            out += [b.text, ""]
        elif b.kind == "fill":
            out += [f"> _{b.text}_", ""]
        elif b.kind == "table":
            out.append("| " + " | ".join(_md_cell(h) for h in b.head) + " |")
            out.append("|" + "---|" * len(b.head))
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
    return "\n".join(out)


CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a202c;line-height:1.45}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #cbd5e0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#edf2f7}.fill{border:1px dashed #a0aec0;padding:1.5rem .75rem;color:#4a5568}
figure{margin:.5rem 0 1rem}svg{max-width:100%;height:auto}
@page{size:A4;margin:18mm}
@media print{body{margin:0;max-width:none}h2{break-before:page}table,figure{break-inside:avoid}}
"""


def html_fragment(
    report: PrivacyReport, lang: str = "en", inline_svg: bool = True, title: bool = True
) -> str:
    """The report's body as HTML. Charts: inline ``<svg>`` (the standalone page), or
    ``<img>`` of a ``data:`` SVG (a page whose Content-Security-Policy refuses the SVG's
    inline styles, as the console's does). ``title``: with the report's ``<h1>``."""
    heading, items = blocks(report, lang)
    out = [f"<h1>{escape(heading)}</h1>"] if title else []
    charts = 0
    for b in items:
        if b.kind in ("h2", "h3"):
            out.append(f"<{b.kind}>{escape(b.text)}</{b.kind}>")
        elif b.kind == "p":
            out.append(f"<p>{escape(b.text)}</p>")
        elif b.kind == "fill":
            out.append(f'<p class="fill">{escape(b.text)}</p>')
        elif b.kind == "table":
            head = "".join(f'<th scope="col">{escape(h)}</th>' for h in b.head)
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in b.rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif b.kind == "chart":
            charts += 1
            svg = bar_svg(b.text, b.head, b.values, f"chart{charts}")
            if inline_svg:
                shown = svg
            else:
                data = base64.b64encode(svg.encode()).decode()
                shown = f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(b.text)}">'
            out.append(f"<figure>{shown}<figcaption>{escape(b.text)}</figcaption></figure>")
    return "\n".join(out)


def html_document(report: PrivacyReport, lang: str = "en") -> str:
    """A self-contained page: everything inline, nothing fetched, printable to PDF."""
    title, _ = blocks(report, lang)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!doctype html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{html_fragment(report, lang)}\n</main>\n</body>\n</html>\n"
    )
