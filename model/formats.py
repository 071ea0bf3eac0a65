"""Output formats of ``canbo predict``: json, jsonl, conll, table and html (displaCy-like)."""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from canbo.model.schema import Document

FORMATS = ("json", "jsonl", "conll", "table", "html")

COLORS = {
    "PERSON": "#aa9cfc",
    "POSITION": "#feca74",
    "ORG": "#7aecec",
    "LOCATION": "#9cc9cc",
    "METRIC": "#e4e7d2",
}


@dataclass(frozen=True)
class Layout:
    """How a stream of items is written: ``head``, items separated by ``sep``, then ``tail``."""

    head: str
    item: Callable[[str, Any], str]
    sep: str = ""
    tail: str = ""


class StreamWriter:
    """Writes items to ``fh`` one at a time, so output never waits for (or holds) the whole run."""

    def __init__(self, fh: TextIO, layout: Layout):
        self.fh, self.layout, self.count = fh, layout, 0

    def write(self, source: str, obj: Any) -> None:
        self.fh.write(self.layout.head if self.count == 0 else self.layout.sep)
        self.fh.write(self.layout.item(source, obj))
        self.fh.flush()
        self.count += 1

    def close(self) -> None:
        if self.count == 0:
            self.fh.write(self.layout.head)
        self.fh.write(self.layout.tail)
        self.fh.flush()


def document_layout(fmt: str, single: bool = False) -> Layout:
    """The layout of ``canbo predict --format fmt``; ``single``: JSON of one input is one object."""
    if fmt == "json" and single:
        return Layout("", lambda s, d: json.dumps(d.to_dict(), ensure_ascii=False, indent=2) + "\n")
    if fmt == "json":
        item = lambda s, d: json.dumps({"source": s, **d.to_dict()}, ensure_ascii=False, indent=2)  # noqa: E731
        return Layout("[\n", item, ",\n", "\n]\n")
    if fmt == "jsonl":
        return Layout("", lambda s, d: json.dumps({"source": s, **d.to_dict()}, ensure_ascii=False) + "\n")
    if fmt == "conll":
        from canbo.model.conll import to_conll  # here: it imports the segmenter's code and numpy

        return Layout("", lambda s, d: f"# source = {s}\n{to_conll(d.text, d.entities)}", "\n")
    if fmt == "table":
        return Layout("", lambda s, d: table(d, s), "\n")
    if fmt == "html":
        return Layout(_HTML_HEAD, lambda s, d: f"<section><h2>{html.escape(s)}</h2>{highlight(d)}</section>", "\n", _HTML_TAIL)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def render_stream(items: Iterable[tuple[str, Any]], layout: Layout) -> str:
    """All items written with ``layout``, as one string."""
    buf = io.StringIO()
    writer = StreamWriter(buf, layout)
    for source, obj in items:
        writer.write(source, obj)
    writer.close()
    return buf.getvalue()


def render(docs: Sequence[Document], sources: Sequence[str], fmt: str) -> str:
    """All documents in one format; ``sources`` name each input (file path or '<text>')."""
    return render_stream(zip(sources, docs), document_layout(fmt, single=len(docs) == 1))


def norm_summary(norm: dict[str, Any] | None) -> str:
    """One short line for an entity's normalised reading (``model.normalise``): the office's parts,
    the place's unit, the figure's value, and the as-of date; "" when there is none."""
    if not norm:
        return ""
    parts = []
    if "office" in norm:
        o = norm["office"]
        where = o["unit"] or o["locality"] or "?"
        parts.append(f"{o['title'] or '?'} | {o['organ'] or '?'} | {o['level'] or '?'} | {where}{' (inferred)' if o['inferred'] else ''}")
    if "place" in norm:
        p = norm["place"]
        parts.append(p["unit"] or (f"ambiguous ({p['candidates']} units)" if p["ambiguous"] else p["status"]))
    if "figure" in norm:
        f = norm["figure"]
        if f["value"] is not None or f["low"] is not None:
            amount = f"{f['value']:g}" if f["value"] is not None else f"{f['low']:g}..{f['high']:g}"
            of = f" of {f['of']:g}" if f["of"] is not None else ""
            per = f" per {f['per']}" if f["per"] else ""
            parts.append(f"{amount}{of} {f['unit'] or ''}{per}".strip())
        else:
            parts.append("value not read")
    if norm.get("as_of"):
        parts.append(f"as of {norm['as_of']}")
    return "; ".join(parts)


def table(doc: Document, source: str = "") -> str:
    """A readable fixed-width table of entities (with their normalised reading), then relations."""
    lines = [f"== {source}"] if source else []
    if doc.meta.get("date"):
        lines.append(f"date: {doc.meta['date']}")
    lines.append(f"{'#':>3}  {'label':<9} {'start':>6} {'end':>6} {'score':>5}  text")
    for i, e in enumerate(doc.entities):
        score = f"{e.score:.2f}" if e.score is not None else "  -  "
        summary = norm_summary(e.norm)
        lines.append(f"{i:>3}  {e.label:<9} {e.start:>6} {e.end:>6} {score:>5}  {e.text}" + (f"  => {summary}" if summary else ""))
    if doc.relations:
        lines.append("relations:")
        for r in doc.relations:
            score = f" ({r.score:.2f})" if r.score is not None else ""
            lines.append(f"  {doc.entities[r.head].text} -> {doc.entities[r.tail].text}  [{r.label}]{score}")
    if not doc.entities:
        lines.append("  (no entities)")
    return "\n".join(lines) + "\n"


def highlight(doc: Document, focus: tuple[int, int] | None = None) -> str:
    """The text as HTML with entities marked; relation ends are numbered and listed below.

    ``focus`` (start, end) wraps that stretch of text, widened to whole entities, in
    ``<span class="focus" id="focus">``: a sentence to show and scroll to. Built in one pass.
    """
    linked = {i for r in doc.relations for i in (r.head, r.tail)}
    cuts = _focus_cuts(doc, focus)
    parts, pos = [], 0
    for i, e in enumerate(doc.entities):
        parts.append(_plain(doc.text, pos, e.start, cuts))
        tag = f'<sup class="ref">{i}</sup>' if i in linked else ""
        summary = norm_summary(e.norm)
        title = f' title="{html.escape(summary)}"' if summary else ""
        note = f'<span class="norm">{html.escape(summary)}</span>' if summary else ""
        parts.append(
            f'<mark class="ent" data-ent="{i}" data-label="{e.label}"{title} style="background:{COLORS.get(e.label, "#ddd")}">'
            f'{html.escape(e.text)}<span class="lab">{e.label}</span>{note}{tag}</mark>'
        )
        pos = e.end
    parts.append(_plain(doc.text, pos, len(doc.text), cuts))
    body = "".join(parts).replace("\n", "<br>\n")
    rels = "".join(
        f'<li><span class="arrow" data-head="{r.head}" data-tail="{r.tail}">{html.escape(doc.entities[r.head].text)}'
        f"<sup>{r.head}</sup> &rarr; {html.escape(doc.entities[r.tail].text)}<sup>{r.tail}</sup></span> "
        f"<small>{r.label}{f' {r.score:.2f}' if r.score is not None else ''}</small></li>"
        for r in doc.relations
    )
    date = f'<p class="date">date: {html.escape(doc.meta["date"])}</p>' if doc.meta.get("date") else ""
    return date + f'<div class="doc">{body}</div>' + (f'<ol class="rels">{rels}</ol>' if rels else "")


_FOCUS_OPEN, _FOCUS_CLOSE = '<span class="focus" id="focus">', "</span>"


def _focus_cuts(doc: Document, focus: tuple[int, int] | None) -> dict[int, str]:
    """Where the focus tags go: its ends clamped to the text and moved out of any entity they cut."""
    if focus is None:
        return {}
    start, end = max(0, focus[0]), min(len(doc.text), focus[1])
    for e in doc.entities:
        if e.start < start < e.end:
            start = e.start
        if e.start < end < e.end:
            end = e.end
    return {start: _FOCUS_OPEN, end: _FOCUS_CLOSE} if start < end else {}


def _plain(text: str, start: int, end: int, cuts: dict[int, str]) -> str:
    """Escaped ``text[start:end]`` with the focus tags at their offsets (an entity's edges count as inside)."""
    inside = sorted(k for k in cuts if start <= k <= end)
    if not inside:
        return html.escape(text[start:end])
    out, pos = [], start
    for k in inside:
        out += [html.escape(text[pos:k]), cuts[k]]
        pos = k
    out.append(html.escape(text[pos:end]))
    return "".join(out)


_STYLE = """body{font-family:system-ui,sans-serif;line-height:2.2;max-width:60em;margin:2em auto;padding:0 1em}
mark.ent{padding:.2em .35em;border-radius:.35em;margin:0 .1em}
mark.ent .lab{font-size:.6em;font-weight:bold;margin-left:.4em;text-transform:uppercase;vertical-align:middle}
mark.ent .norm{font-size:.6em;margin-left:.4em;color:#444}
sup.ref{font-size:.6em;margin-left:.2em}ol.rels{line-height:1.6}h2{font-size:1em;color:#555}"""


_HTML_HEAD = (
    '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>canbo</title>'
    f"<style>{_STYLE}</style></head><body>\n"
)
_HTML_TAIL = "\n</body></html>\n"


def html_page(docs: Sequence[Document], sources: Sequence[str]) -> str:
    return render(docs, sources, "html")
