"""One report, two renderings: a list of blocks -> Markdown and self-contained HTML.

Blocks are tuples: ``("h", level, text)``, ``("p", text)``, ``("list", items)``,
``("table", header, rows)``, ``("img", file, alt)`` (a sibling PNG),
``("pre", text)`` and ``("example", item)`` (a worst-sentence record from
``eval.errors.worst_sentences``: gold and predicted spans side by side).
Text may use ``**bold**`` and ```code``` in both renderings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from canbo.model.formats import COLORS
from canbo.model.schema import Document

Block = tuple[Any, ...]


# ---------------------------------------------------------------- markdown


def _md_cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_spans(spans: Sequence[tuple]) -> str:
    """Spans as ``LABEL text``, those without an exact match on the other side marked ✗."""
    items = [f"{'' if ok else '✗ '}`{lab}` {txt}" for _, _, lab, txt, ok in spans]
    return "<br>".join(_md_cell(i) for i in items) or "—"


def _rels(rels: Sequence[tuple[str, bool]]) -> list[str]:
    """Relations as ``head → tail``, those without an exact match on the other side marked ✗."""
    return [f"{'' if ok else '✗ '}{text}" for text, ok in rels]


def to_markdown(blocks: Sequence[Block]) -> str:
    """The report as GitHub-flavoured Markdown."""
    out: list[str] = []
    for b in blocks:
        kind = b[0]
        if kind == "h":
            out.append(f"{'#' * b[1]} {b[2]}")
        elif kind == "p":
            out.append(b[1])
        elif kind == "list":
            out.append("\n".join(f"- {item}" for item in b[1]))
        elif kind == "table":
            header, rows = b[1], b[2]
            lines = ["| " + " | ".join(map(_md_cell, header)) + " |", "|" + "|".join("---" for _ in header) + "|"]
            lines += ["| " + " | ".join(map(_md_cell, r)) + " |" for r in rows]
            out.append("\n".join(lines))
        elif kind == "img":
            out.append(f"![{b[2]}]({b[1]})")
        elif kind == "pre":
            out.append(f"```\n{b[1]}\n```")
        elif kind == "example":
            ex = b[1]
            out.append(f"**{ex['id'] or ex['doc']}** ({ex['entity_errors']} entity errors, "
                       f"{ex['relation_errors']} relation errors)\n\n> {ex['text']}\n\n"
                       f"| | gold | predicted |\n|---|---|---|\n| entities | {_md_spans(ex['gold'])} | "
                       f"{_md_spans(ex['pred'])} |\n| relations | {_md_cell('<br>'.join(_rels(ex['gold_rels'])) or '—')} | "
                       f"{_md_cell('<br>'.join(_rels(ex['pred_rels'])) or '—')} |")
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------- html

_STYLE = """body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;border:1px solid #eee}code{background:#f4f4f4;padding:0 .2em}pre{background:#f7f7f7;padding:.6em}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em;line-height:2.1}.pair>div{border:1px solid #ddd;padding:.5em}
mark{padding:.1em .3em;border-radius:.3em}mark .lab{font-size:.6em;font-weight:bold;margin-left:.3em}
mark.err{outline:2px dashed #d62728}.example{margin-bottom:1.5em}.example h4{margin:.2em 0}"""


def _inline(text: str) -> str:
    """Escaped HTML of ``text`` with ``**bold**`` and ```code``` rendered."""
    s = html.escape(str(text))
    s = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", s)


def _num(cell: Any) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d.,]+( ± [\d.,]+)?( \[[\d., –-]+\])?%?", str(cell)))


def _table_html(header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{_inline(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if _num(c) else ""}>{_inline(c)}</td>' for c in r) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def highlight(doc: Document, others: set[tuple[int, int, str]]) -> str:
    """The sentence with its entities marked; those not in ``others`` (the other side) get a red dashed outline."""
    parts, pos = [], 0
    for e in sorted(doc.entities, key=lambda e: (e.start, -e.end)):
        if e.start < pos:
            continue  # nested spans cannot be drawn inline; the tables list them
        wrong = (e.start, e.end, e.label) not in others
        parts.append(html.escape(doc.text[pos : e.start]))
        parts.append(f'<mark class="{"err" if wrong else "ok"}" style="background:{COLORS.get(e.label, "#ddd")}" '
                     f'title="{e.label}">{html.escape(e.text)}<span class="lab">{e.label}</span></mark>')
        pos = e.end
    parts.append(html.escape(doc.text[pos:]))
    return "".join(parts)


def _rels_html(rels: Sequence[tuple[str, bool]]) -> str:
    if not rels:
        return ""
    return "<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in _rels(rels)) + "</ul>"


def _example_html(ex: dict[str, Any]) -> str:
    g, p = ex["gold_doc"], ex["pred_doc"]
    gk = {(e.start, e.end, e.label) for e in g.entities}
    pk = {(e.start, e.end, e.label) for e in p.entities}
    return (f'<div class="example"><h4>{html.escape(str(ex["id"] or ex["doc"]))} — {ex["entity_errors"]} entity '
            f'errors, {ex["relation_errors"]} relation errors</h4><div class="pair">'
            f"<div><b>gold</b><br>{highlight(g, pk)}{_rels_html(ex['gold_rels'])}</div>"
            f"<div><b>predicted</b><br>{highlight(p, gk)}{_rels_html(ex['pred_rels'])}</div>"
            "</div></div>")


def to_html(blocks: Sequence[Block], title: str) -> str:
    """The report as one HTML page; images are sibling PNG files."""
    out: list[str] = []
    for b in blocks:
        kind = b[0]
        if kind == "h":
            out.append(f"<h{b[1]}>{_inline(b[2])}</h{b[1]}>")
        elif kind == "p":
            out.append(f"<p>{_inline(b[1])}</p>")
        elif kind == "list":
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in b[1]) + "</ul>")
        elif kind == "table":
            out.append(_table_html(b[1], b[2]))
        elif kind == "img":
            out.append(f'<p><img src="{html.escape(b[1])}" alt="{html.escape(b[2])}"></p>')
        elif kind == "pre":
            out.append(f"<pre>{html.escape(b[1])}</pre>")
        elif kind == "example":
            out.append(_example_html(b[1]))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_STYLE}</style></head><body>\n" + "\n".join(out) + "\n</body></html>\n")
