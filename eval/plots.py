"""The report's PNG figures (matplotlib, headless): per-label F1, confusion matrix, learning curves,
reliability diagrams."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first

SYSTEM_COLORS = {"model": "#1f77b4", "rule": "#ff7f0e", "underthesea": "#2ca02c"}


def per_label_f1(
    scores: Mapping[str, Mapping[str, tuple[float, float | None]]],
    labels: Sequence[str],
    support: Mapping[str, int],
    path: Path,
    title: str,
) -> Path:
    """Grouped bars of F1 per label and system; ``scores[system][label] = (f1, error bar or None)``.

    A system without a label (it cannot produce it) has no bar there.
    """
    fig, ax = plt.subplots(figsize=(8, 4), dpi=120)
    n = max(len(scores), 1)
    width = 0.8 / n
    for k, (system, per_label) in enumerate(scores.items()):
        xs = [i + (k - (n - 1) / 2) * width for i, lab in enumerate(labels) if lab in per_label]
        ys = [per_label[lab][0] for lab in labels if lab in per_label]
        errs = [per_label[lab][1] or 0.0 for lab in labels if lab in per_label]
        has_err = any(per_label[lab][1] is not None for lab in labels if lab in per_label)
        ax.bar(xs, ys, width, label=system, color=SYSTEM_COLORS.get(system),
               yerr=errs if has_err else None, capsize=3)
        for x, y in zip(xs, ys):
            ax.text(x, y + 0.01, f"{y:.2f}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(labels)), [f"{lab}\n(n={support.get(lab, 0)})" for lab in labels])
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("strict span F1")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=max(n, 1), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def confusion(matrix: Mapping[str, Mapping[str, int]], labels: Sequence[str], path: Path, title: str) -> Path:
    """Heat map of overlapping gold/pred span pairs; "O" is the missing side (missed / spurious)."""
    axes = list(labels) + ["O"]
    counts = [[matrix.get(g, {}).get(p, 0) for p in axes] for g in axes]
    fig, ax = plt.subplots(figsize=(6.2, 5.2), dpi=120)
    shade = [[c / max(sum(row), 1) for c in row] for row in counts]
    ax.imshow(shade, cmap="Blues", vmin=0, vmax=1)
    for i, row in enumerate(counts):
        for j, c in enumerate(row):
            if i == j == len(axes) - 1:
                continue
            ax.text(j, i, str(c), ha="center", va="center", fontsize=9,
                    color="white" if shade[i][j] > 0.6 else "black")
    ax.set_xticks(range(len(axes)), axes, rotation=30, ha="right")
    ax.set_yticks(range(len(axes)), axes)
    ax.set_xlabel("predicted label (O = no overlapping prediction)")
    ax.set_ylabel("gold label (O = no overlapping gold span)")
    ax.set_title(title, fontsize=10)
    return _save(fig, path)


def learning_curves(curves: Mapping[str, Mapping], path: Path, no_relations: Collection[str] = ()) -> Path:
    """Held-out (dev) entity and relation F1 per epoch, one line per fold; a star marks the kept checkpoint.

    Folds in ``no_relations`` (no gold relation in the held-out article) get no relation line.
    """
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), dpi=120, sharey=True)
    for ax, key, name in zip(axes, ("ents_f", "rel_f"), ("entity micro-F1", "HAS_POSITION F1")):
        for i, (art, curve) in enumerate(curves.items()):
            pts = [(p["epoch"], p[key]) for p in curve["points"] if key in p]
            if not pts or (key == "rel_f" and art in no_relations):
                continue
            color = f"C{i % 10}"  # one colour per fold in both panels
            ax.plot(*zip(*pts), marker="o", markersize=3, color=color, label=f"held out {art}")
            best = [(x, y) for x, y in pts if x == curve.get("best_epoch")]
            if best:
                ax.plot(*best[0], marker="*", markersize=12, color=color)
        ax.set_xlabel("epoch")
        ax.set_title(f"dev {name} (star: selected checkpoint)", fontsize=9)
        ax.set_ylim(0, 1.05)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("strict F1 on the held-out article")
    axes[0].legend(fontsize=7)
    return _save(fig, path)


COUNTS = {"entity": "entities", "relation": "relations"}


def reliability(curves: Mapping[str, Mapping], path: Path) -> Path:
    """Reliability diagrams (share exactly right against mean score per score bin) of entity and
    relation scores, one line per score kind; the diagonal is perfect calibration."""
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), dpi=120)
    for ax, kind in zip(axes, ("entity", "relation")):
        ax.plot([0, 1], [0, 1], color="#999", lw=1, ls="--", label="perfect")
        for name, c in curves.items():
            bins = c[f"{kind}_bins"]
            ax.plot([b["mean_score"] for b in bins], [b["accuracy"] for b in bins], marker="o", ms=3,
                    label=f"{name} (ECE {c[f'{kind}_ece']:.3f}, n={c[COUNTS[kind]]})")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("mean score in bin")
        ax.set_ylabel("share exactly right")
        ax.set_title(f"{kind} scores", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    return _save(fig, path)


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
