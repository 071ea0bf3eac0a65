"""Fixed prose of the evaluation report: metric definitions and how to regenerate the shipped report."""

from __future__ import annotations

DEFINITIONS = (
    "**Entity F1 (ours, strict character spans)** — the score that matters for users. A predicted entity is "
    "correct only if its start offset, end offset (exclusive) and label all equal those of a gold entity; no "
    "partial credit for overlaps. P = tp/(tp+fp), R = tp/(tp+fn), F1 = 2PR/(P+R); every ratio with a zero "
    "denominator is 0. **Micro** pools tp/fp/fn over the five labels; **macro** is the unweighted mean of the "
    "per-label F1 over the labels that occur in gold or predictions.",
    "**seqeval F1** — for comparison with published NER results: gold and predicted spans become word-level IOB2 "
    "tags over the same words (underthesea word segmentation, split at every gold and predicted span boundary so "
    "that no span is moved to fit a word), scored by seqeval's entity-level report in strict IOB2 mode "
    "(`mode='strict', scheme=IOB2`), micro-averaged. Because words are split at every boundary it should equal "
    "ours up to spans that differ only in surrounding whitespace.",
    "**PER/LOC/ORG F1** — strict micro-F1 with gold and predictions restricted to PERSON, LOCATION and ORG, the "
    "only labels underthesea's bundled NER (VLSP-2016 tags PER/LOC/ORG; MISC ignored) can produce; this is the "
    "one entity column in which it is compared. Its conventions differ from our guidelines (e.g. it includes "
    "the unit word in \"huyện Kiến Thụy\", which we annotate as LOCATION \"Kiến Thụy\"), so strict scores "
    "penalise convention as well as error; the error breakdown separates boundary errors.",
    "**HAS_POSITION F1 (end to end)** — a predicted relation is correct only if its head span (start, end, PERSON), "
    "its tail span (start, end, POSITION) and its label equal those of a gold relation.",
    "**HAS_POSITION F1, gold entities** — the gold entities are given and only relations are predicted: the "
    "model's relation head scores every gold PERSON × POSITION pair of a sentence (words split at gold span "
    "boundaries as in training; a pair is a relation at probability ≥ {threshold}); the rule baseline applies "
    "its apposition rules to the gold spans. This isolates relation classification from entity errors.",
    "**Cross-validation** — leave-one-article-out: for each of the articles, a model trained on the others "
    "predicts the held-out article's sentences; scores are computed per fold and reported as mean ± sample "
    "standard deviation (n − 1) over folds. `canbo crossval` trains a fixed number of epochs and scores the "
    "held-out article after every epoch only for the learning curve: no early stopping and no checkpoint "
    "selection on it. The recipe itself was chosen by comparing cross-validation means, so they are mildly "
    "optimistic; `data/heldout/` (pages nobody tuned on) is the untouched test.",
    "**Baselines** — the rule/gazetteer baseline (`model/rules.py`, title/organ lists, surname and honorific "
    "rules, METRIC regexes, apposition rules for HAS_POSITION) is run on each gold sentence as given, on the "
    "same sentences as the model. It has no training data to hold out, and its rules were written with this "
    "corpus in view, so its scores here are not held-out in the sense the model's cross-validation scores are.",
    "**95% CI** — percentile bootstrap of the checkpoint's entity micro-F1 over sentences (1000 resamples).",
    "**Error classes** — each gold span is *correct*, *type* (a prediction with the same offsets and another "
    "label), *boundary* (an overlapping prediction with the same label and other offsets), *boundary+type*, or "
    "*missed* (no overlapping prediction); each predicted span likewise, with *spurious* for no overlapping gold "
    "span. A span overlapping several others takes the first class that applies in this order.",
)

REGENERATE = (
    "The committed report of the shipped default model (`eval/reports/default/`) is regenerated with the "
    "command in `eval/reports/README.md`: cross-validate the default model's recipe, then "
    "`canbo eval --data data/annotated --crossval <run> --out eval/reports/default --name default` "
    "(without `--model`, the shipped model is evaluated)."
)
