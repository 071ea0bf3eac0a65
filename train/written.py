"""Build the written corpus (``data/written/``) from what the writers and annotators produced.

Inputs, all committed: ``raw/*.txt`` (articles written for the corpus, every line is body),
``raw/manifest_*.jsonl`` (region and event of each article), ``annotation/pass_a_raw`` and
``annotation/pass_b_raw`` (two independent annotators' batch files, simple and markup format)
and ``annotation/decisions`` (the adjudicator's records for the sentences the passes disagree
on) and ``annotation/review`` (an independent reviewer's corrections of agreed sentences, from a
sample). Everything else is derived, bit for bit, by ``build_written``:

* ``annotation/pass_a``, ``annotation/pass_b``: each pass as per-article simple files;
* ``annotation/disagreements.jsonl``: both versions of every sentence they disagree on;
* ``annotation/adjudicated``: agreed annotation, or the decision where they disagree;
* ``annotated/*.jsonl``: the gold files (offsets, validated);
* ``annotation/stats.json``: agreement before adjudication and counts per label and region.

Only articles annotated by both passes and fully adjudicated become gold.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from canbo.model.labels import ENTITY_LABELS
from canbo.model.schema import article_id, jsonl_lines, write_jsonl
from canbo.train.annotation import disagreements, import_pass, merge_adjudicated, to_simple
from canbo.train.corpus import body_sentences, load_pass, read_simple, resolve_simple


def read_records(folder: Path) -> dict[str, dict[str, Any]]:
    """Records by id from every ``*.jsonl`` of ``folder`` (later files win)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        out.update(read_simple(path))
    return out


def manifest(raw: Path) -> dict[str, dict[str, Any]]:
    """Article id -> its manifest record (province, region, event, peoples)."""
    out = {}
    for path in sorted(raw.glob("manifest_*.jsonl")):
        for line in jsonl_lines(path.read_text(encoding="utf-8")):
            if line.strip():
                rec = json.loads(line)
                out[article_id(rec["file"])] = rec
    return out


def build_written(root: str | Path = "data/written") -> dict[str, Any]:
    """Rebuild every derived file under ``root``; return the statistics written to stats.json."""
    from canbo.model.scoring import score_entities, score_relations

    root = Path(root)
    raw, ann = root / "raw", root / "annotation"
    sentences = body_sentences(raw)
    problems = {}
    for name in ("pass_a", "pass_b"):
        batches = sorted((ann / f"{name}_raw").glob("*.jsonl"))
        covered = {json.loads(line)["id"].split("-")[0] for b in batches for line in jsonl_lines(b.read_text("utf-8")) if line.strip()}
        shutil.rmtree(ann / name, ignore_errors=True)
        problems[name] = import_pass(batches, [s for s in sentences if article_id(s) in covered], ann / name)
    pass_a, pass_b = load_pass(raw, ann / "pass_a"), load_pass(raw, ann / "pass_b")
    both = {d.id for d in pass_a} & {d.id for d in pass_b}  # compare the passes on what both cover
    pass_a, pass_b = [d for d in pass_a if d.id in both], [d for d in pass_b if d.id in both]
    todo = disagreements(pass_a, pass_b)
    write_lines(ann / "disagreements.jsonl", todo)
    decisions = read_records(ann / "decisions")
    merged, missing = merge_adjudicated(pass_a, pass_b, decisions)
    review = read_records(ann / "review")  # an independent reviewer's corrections of agreed sentences
    merged = [to_simple(review[r["id"]]) if r["id"] in review else r for r in merged]
    done = {article_id(r["id"]) for r in merged} - {article_id(i) for i in missing}
    shutil.rmtree(ann / "adjudicated", ignore_errors=True)
    shutil.rmtree(root / "annotated", ignore_errors=True)
    (root / "annotated").mkdir(parents=True)
    by_id = {s.id: s for s in sentences}
    merged, trimmed = zip(*(apply_measure_words(r) for r in merged)) if merged else ((), ())
    gold_by_article: dict[str, list] = {}
    for rec in merged:
        stem = article_id(rec["id"])
        if stem in done:
            gold_by_article.setdefault(stem, []).append(rec)
    (ann / "adjudicated").mkdir(parents=True)
    gold = []
    for stem, recs in sorted(gold_by_article.items()):
        write_lines(ann / "adjudicated" / f"{stem}.jsonl", recs)
        docs = [resolve_simple(by_id[r["id"]], to_simple(r)) for r in recs]
        for d in docs:
            d.meta = {"doc": f"{stem}.txt", "start": d.meta["start"], "end": d.meta["end"]}
        write_jsonl(docs, root / "annotated" / f"{stem}.jsonl")
        gold.extend(docs)
    ents, rels = score_entities(pass_a, pass_b), score_relations(pass_a, pass_b)
    stats = {
        "agreement_before_adjudication": {
            "sentences": len(pass_a),
            "sentences_disagreeing": len(todo),
            "entity_micro_f1": round(ents["micro"]["f1"], 4),
            "entity_f1_per_label": {k: round(v["f1"], 4) for k, v in ents["per_label"].items()},
            "relation_f1": round(rels["f1"], 4),
        },
        "import_problems": {k: len(v) for k, v in problems.items()},
        "undecided_disagreements": len(missing),
        "review_corrections": sum(r["id"] in review for r in merged),
        "measure_word_trims": sum(trimmed),
        "gold": counts(gold, manifest(raw)),
    }
    (ann / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return stats


MEASURE_WORDS = set(  # decision (ee)/(rr): a METRIC ends with its classifier or measure word
    "con chiếc cuốn quyển bộ đôi suất lượt căn ca phần lô ngôi túi thùng lá cây tấm chuyến cái".split()
)


def apply_measure_words(record: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Decision (ee) applied to every METRIC, agreed ones included: "35 căn nhà" -> "35 căn"
    (the rule was written after the first passes; this keeps the corpus consistent with it)."""
    out, n = [], 0
    for label, text in to_simple(record)["entities"]:
        words = text.split(" ")
        if label == "METRIC" and len(words) >= 3 and words[1] in MEASURE_WORDS and "/" not in text:
            text, n = " ".join(words[:2]), n + 1
        out.append([label, text])
    return {**to_simple(record), "entities": out}, n


def counts(docs: list, meta: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Sentences, entities per label, relations, sentences with no entity; per region and in all."""

    def tally(ds: list) -> dict[str, int]:
        c = Counter(e.label for d in ds for e in d.entities)
        return {"articles": len({article_id(d) for d in ds}), "sentences": len(ds),
                "no_entity": sum(not d.entities for d in ds), **{lab: c[lab] for lab in ENTITY_LABELS},
                "HAS_POSITION": sum(len(d.relations) for d in ds)}

    regions: dict[str, list] = {}
    for d in docs:
        regions.setdefault(meta.get(article_id(d), {}).get("region", "unknown"), []).append(d)
    return {"all": tally(docs), "by_region": {r: tally(ds) for r, ds in sorted(regions.items())}}


def write_lines(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
