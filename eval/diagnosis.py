"""Who is right where the model and the rules disagree: the diagnosis behind the model recipe.

``python -m canbo.eval.diagnosis --crossval runs/ablation/<recipe>/cv --model runs/ablation/<recipe>/full``
compares, per label, the model's spans with the rule component's on the CV folds (each fold
model's predictions for its held-out article) and on data/heldout (the full model), against
gold (strict spans): where the model overrides a correct rule span, where it corrects a wrong
one, and what both miss. It also counts rule spans whose edge falls inside a segmented word (a
tag the model could not see before words were cut at rule edges). Writes ``eval/diagnosis.md``.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from canbo.model.features import rule_spans
from canbo.model.labels import ENTITY_LABELS
from canbo.model.schema import Document, read_corpus, read_predictions
from canbo.model.text import segment_words

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("both right", "model corrects the rules", "model overrides a correct rule span", "both wrong")


def compare(gold: list[Document], pred: list[Document]) -> dict[str, Counter]:
    """Per label, each gold span sorted into KINDS by whether the model and the rules found it
    exactly; plus ``spurious``: wrong model spans where the rules had nothing or something else."""
    out = {lab: Counter() for lab in ENTITY_LABELS}
    for g, p in zip(gold, pred, strict=True):
        model = {(e.start, e.end, e.label) for e in p.entities}
        rules = {(e.start, e.end, e.label) for e in rule_spans(g.text)}
        truth = {(e.start, e.end, e.label) for e in g.entities}
        for key in truth:
            m, r = key in model, key in rules
            out[key[2]][KINDS[0] if m and r else KINDS[1] if m else KINDS[2] if r else KINDS[3]] += 1
        for key in model - truth:
            out[key[2]]["spurious model span (rules agree)" if key in rules else "spurious model span"] += 1
        for key in rules - truth:
            if key not in model:
                out[key[2]]["spurious rule span the model rejected"] += 1
    return out


def straddles(docs: list[Document]) -> tuple[int, int]:
    """(rule spans, rule spans with an edge inside a segmenter word)."""
    total = cut = 0
    for d in docs:
        words = segment_words(d.text)
        for e in rule_spans(d.text):
            total += 1
            cut += any(w.start < e.start < w.end or w.start < e.end < w.end for w in words)
    return total, cut


def table(counts: dict[str, Counter]) -> str:
    cols = list(KINDS) + ["spurious model span", "spurious model span (rules agree)", "spurious rule span the model rejected"]
    lines = ["| label | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for lab in ENTITY_LABELS:
        lines.append(f"| {lab} | " + " | ".join(str(counts[lab][c]) for c in cols) + " |")
    total = Counter()
    for c in counts.values():
        total.update(c)
    lines.append("| all | " + " | ".join(str(total[c]) for c in cols) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m canbo.eval.diagnosis", description=__doc__.split("\n")[0])
    ap.add_argument("--crossval", required=True, help="A canbo crossval folder (fold-*/heldout_predictions.jsonl).")
    ap.add_argument("--model", required=True, help="The recipe's model trained on all gold (for data/heldout).")
    ap.add_argument("--out", default=str(ROOT / "eval" / "diagnosis.md"))
    ap.add_argument("--merge_policy", default=None, help="Re-predict with this merge policy (model.merge; default: "
                    "the folds' saved predictions and the model's saved setting).")
    ap.add_argument("--rule_labels", nargs="*", default=None, help="With --merge_policy: labels the rules own.")
    args = ap.parse_args(argv)
    from canbo.model.pipeline import load

    def loaded(folder):
        return load(folder, merge_policy=args.merge_policy, rule_labels=args.rule_labels)

    gold = {d.id: d for d in read_corpus([ROOT / "data" / "annotated"])}
    cv_gold, cv_pred = [], []
    for f in sorted(Path(args.crossval).glob("fold-*/heldout_predictions.jsonl")):
        saved = read_predictions(f)
        fold = [gold[p.id] for p in saved]
        cv_gold += fold
        if args.merge_policy is None:
            cv_pred += saved
        else:  # the fold's model on its held-out article, decoded with the settings asked for
            cv_pred += loaded(f.parent).predict_batch([d.text for d in fold], split=False)
    held = read_corpus([ROOT / "data" / "heldout" / "annotated"])
    held_pred = loaded(args.model).predict_batch([d.text for d in held], split=False)
    written = read_corpus([ROOT / "data" / "written" / "annotated"])
    rows = [("the 4 gold articles", list(gold.values())), ("data/heldout", held), ("data/written (training data)", written)]
    st = [(name, *straddles(docs)) for name, docs in rows]
    text = "\n\n".join([
        "# Diagnosis: where the model and the rules disagree",
        f"Model: `{args.model}` (data/heldout) and the fold models of `{args.crossval}` (CV). Every gold span "
        "is sorted by whether the model and the rule component (`model/rules.py`) found it exactly (strict span "
        "and label); wrong spans of each are counted beside. Regenerate: `python -m canbo.eval.diagnosis "
        f"--crossval {args.crossval} --model {args.model}"
        + (f" --merge_policy {args.merge_policy} --rule_labels {' '.join(args.rule_labels or [])}" if args.merge_policy else "")
        + "`." + (f" Decoded with `merge_policy: {args.merge_policy}`, the rules owning "
                  f"{', '.join(args.rule_labels) if args.rule_labels else 'no label'}." if args.merge_policy else ""),
        "## Leave-one-article-out folds (4 gold articles; the rules were written on them)", table(compare(cv_gold, cv_pred)),
        "## data/heldout (pages nobody tuned on)", table(compare(held, held_pred)),
        "## Rule spans whose edge falls inside a segmenter word",
        "Before words were cut at rule span edges, such a span lost its tag on the straddling word "
        "(the tagger then saw part of the rule span, or none of it).",
        "| data | rule spans | edge inside a word |\n|---|---|---|\n"
        + "\n".join(f"| {n} | {t} | {c} ({c / t:.1%}) |" for n, t, c in st),
    ]) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
