"""Error listings for the report: the worst sentences and every relation error with its cause."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from canbo.model.schema import Document
from canbo.model.scoring import RelKey, SpanKey, entity_keys, relation_keys


def _span_text(doc: Document, key: SpanKey) -> str:
    return doc.text[key[0] : key[1]]


def relation_errors(gold: Sequence[Document], pred: Sequence[Document]) -> list[dict[str, Any]]:
    """Missed and spurious relations, each with the sentence and a cause.

    Causes: ``entity error`` when one of the pair's spans is not matched
    exactly on the other side (the tagger's fault), otherwise ``link`` (both
    spans are right; the relation head missed or invented the pair).
    """
    out = []
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        g_rel, p_rel = relation_keys(g), relation_keys(p)
        g_ent, p_ent = entity_keys(g), entity_keys(p)
        for kind, rels, others_ents in (("missed", g_rel - p_rel, p_ent), ("spurious", p_rel - g_rel, g_ent)):
            for head, tail, label in sorted(rels):
                cause = "link" if head in others_ents and tail in others_ents else "entity error"
                out.append({"doc": i, "id": g.id, "kind": kind, "cause": cause, "label": label,
                            "head": _span_text(g, head), "tail": _span_text(g, tail), "text": g.text})
    return out


def relation_error_counts(errors: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Counts of ``kind/cause`` combinations, e.g. ``missed/link``."""
    c = Counter(f"{e['kind']}/{e['cause']}" for e in errors)
    return {k: c[k] for k in ("missed/entity error", "missed/link", "spurious/entity error", "spurious/link")}


def sentence_error_counts(gold: Sequence[Document], pred: Sequence[Document]) -> list[tuple[int, int, int]]:
    """Per sentence: (entity errors = gold spans not predicted + predicted spans not in gold,
    relation errors, sentence index)."""
    out = []
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        gk, pk = entity_keys(g), entity_keys(p)
        gr, pr = relation_keys(g), relation_keys(p)
        out.append((len(gk ^ pk), len(gr ^ pr), i))
    return out


def worst_sentences(gold: Sequence[Document], pred: Sequence[Document], k: int = 10) -> list[dict[str, Any]]:
    """The ``k`` sentences with the most entity errors (then relation errors), worst first."""
    ranked = sorted(sentence_error_counts(gold, pred), key=lambda c: (-c[0], -c[1], c[2]))
    out = []
    for ent_err, rel_err, i in ranked[:k]:
        if ent_err + rel_err == 0:
            break
        g, p = gold[i], pred[i]
        gk, pk = entity_keys(g), entity_keys(p)
        gr, pr = relation_keys(g), relation_keys(p)
        out.append({
            "doc": i, "id": g.id, "text": g.text, "entity_errors": ent_err, "relation_errors": rel_err,
            "gold": [(s, e, lab, g.text[s:e], (s, e, lab) in pk) for s, e, lab in sorted(gk)],
            "pred": [(s, e, lab, g.text[s:e], (s, e, lab) in gk) for s, e, lab in sorted(pk)],
            "gold_rels": [(rel_key_text(g, r), r in pr) for r in sorted(gr)],
            "pred_rels": [(rel_key_text(g, r), r in gr) for r in sorted(pr)],
            "gold_doc": g, "pred_doc": p,
        })
    return out


def rel_key_text(doc: Document, key: RelKey) -> str:
    """``head -> tail`` text of a relation key."""
    return f"{_span_text(doc, key[0])} → {_span_text(doc, key[1])}"
