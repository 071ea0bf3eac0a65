"""A tiny PhoBERT-architecture backbone built offline from our own corpus.

The Hugging Face Hub is unreachable here, so instead of ``vinai/phobert-base`` we learn a small
BPE vocabulary in PhoBERT's own file format and pair it with a randomly initialised RoBERTa.

File formats (what ``PhobertTokenizer`` reads):

* ``vocab.txt``: one ``"<token> <count>"`` line per subword unit, ids 4.. in file order (0-3 are
  ``<s> <pad> </s> <unk>``, ``<mask>`` is appended after the file).  Non-final units of a word end
  with ``@@`` (``Chủ_@@``), word-final units do not (``tịch``).  Counts are occurrences in the
  BPE-segmented training corpus; coverage-only units (every character in both forms, every merge
  product) that never occur there have count 0.  Lines are sorted by count desc, then token.
* ``bpe.codes``: one ``"<a> <b> <count>"`` merge per line in rank order, ending with a newline;
  a word's last symbol carries the ``</w>`` end-of-word marker (``c h</w> 12``).  The count is the
  pair frequency when the merge was learned (the tokenizer ignores it).

CLI: ``python -m canbo.train.backbones --out DIR --from data/annotated/ [--from more.txt] --merges N``.
"""

from __future__ import annotations

import argparse
import heapq
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import torch
from transformers import PhobertTokenizer, RobertaConfig, RobertaModel

EOW = "</w>"
CONT = "@@"
SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
Pair = tuple[str, str]


def _initial_symbols(word: str) -> tuple[str, ...]:
    """Characters of ``word`` with the end-of-word marker glued to the last one."""
    return tuple(word[:-1]) + (word[-1] + EOW,)


def _merge_symbols(symbols: tuple[str, ...], pair: Pair) -> tuple[str, ...]:
    """Merge every left-to-right occurrence of ``pair`` (same rule as ``PhobertTokenizer.bpe``)."""
    out, i = [], 0
    while i < len(symbols):
        if i < len(symbols) - 1 and (symbols[i], symbols[i + 1]) == pair:
            out.append(pair[0] + pair[1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


def _unit_token(symbol: str, final: bool) -> str:
    """Vocabulary form of a BPE symbol: ``x@@`` inside a word, ``x`` (marker stripped) at its end."""
    return symbol[: -len(EOW)] if final else symbol + CONT


def _learn(texts: Iterable[str], num_merges: int, min_count: int):
    """Greedy BPE with incremental pair counts; returns (vocab, merges, merge pair frequencies)."""
    word_counts = Counter(w for t in texts for w in t.split())
    words = [(_initial_symbols(w), c) for w, c in sorted(word_counts.items())]
    pair_counts: Counter[Pair] = Counter()
    where: defaultdict[Pair, set[int]] = defaultdict(set)
    for i, (syms, c) in enumerate(words):
        for p in zip(syms, syms[1:], strict=False):
            pair_counts[p] += c
            where[p].add(i)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)  # ties: lexicographically smallest pair first -> deterministic
    merges: list[Pair] = []
    freqs: list[int] = []
    while heap and len(merges) < num_merges:
        neg, pair = heapq.heappop(heap)
        if pair_counts.get(pair) != -neg:
            continue  # stale heap entry
        if -neg < min_count:
            break
        merges.append(pair)
        freqs.append(-neg)
        _apply_merge(words, pair, pair_counts, where, heap)
    return _vocab_from(words, word_counts, merges), merges, freqs


def _apply_merge(words, pair: Pair, pair_counts: Counter, where, heap: list) -> None:
    """Apply one merge to all words containing ``pair`` and update the pair statistics."""
    touched = set()
    for i in sorted(where.pop(pair, ())):
        syms, c = words[i]
        new = _merge_symbols(syms, pair)
        if new == syms:
            continue
        for p in zip(syms, syms[1:], strict=False):
            pair_counts[p] -= c
            touched.add(p)
        for p in zip(new, new[1:], strict=False):
            pair_counts[p] += c
            where[p].add(i)
            touched.add(p)
        words[i] = (new, c)
    for p in sorted(touched):
        if pair_counts[p] <= 0:
            del pair_counts[p]
        else:
            heapq.heappush(heap, (-pair_counts[p], p))


def _vocab_from(words, word_counts: Counter, merges: list[Pair]) -> dict[str, int]:
    """Segmented-corpus unit counts plus every character (both forms) and every merge product."""
    vocab: Counter[str] = Counter()
    for syms, c in words:
        for k, s in enumerate(syms):
            vocab[_unit_token(s, k == len(syms) - 1)] += c
    for ch in {ch for w in word_counts for ch in w}:
        vocab[ch + CONT] += 0
        vocab[ch] += 0
    for a, b in merges:
        unit = a + b
        vocab[_unit_token(unit, unit.endswith(EOW))] += 0
    items = [(t, c) for t, c in vocab.items() if t and t not in SPECIAL_TOKENS]
    return dict(sorted(items, key=lambda tc: (-tc[1], tc[0])))


def learn_bpe(
    segmented_texts: list[str], num_merges: int, min_count: int = 1
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Learn a PhoBERT-format BPE vocabulary ``{token: count}`` and ranked merges from segmented text.

    Stops after ``num_merges`` merges or when the best pair occurs fewer than ``min_count`` times.
    """
    vocab, merges, _ = _learn(segmented_texts, num_merges, min_count)
    return vocab, merges


def write_phobert_vocab(
    vocab: dict[str, int],
    merges: Sequence[tuple[str, str]],
    out_dir: str | Path,
    merge_counts: Sequence[int] | None = None,
) -> tuple[Path, Path]:
    """Write ``vocab.txt`` and ``bpe.codes`` (see module docstring); returns both paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = list(merge_counts) if merge_counts is not None else [0] * len(merges)
    vocab_path, codes_path = out / "vocab.txt", out / "bpe.codes"
    vocab_path.write_text("".join(f"{t} {c}\n" for t, c in vocab.items()), encoding="utf-8")
    codes_path.write_text(
        "".join(f"{a} {b} {n}\n" for (a, b), n in zip(merges, counts, strict=True)), encoding="utf-8"
    )
    return vocab_path, codes_path


def phobert_base_shape_config(vocab_size: int = 64001) -> RobertaConfig:
    """RobertaConfig with the exact architecture of ``vinai/phobert-base`` (for random-weight benchmarks)."""
    return _phobert_config(vocab_size, 768, 12, 12, 3072, 258)


def _phobert_config(
    vocab_size: int,
    hidden_size: int,
    num_layers: int,
    num_heads: int,
    intermediate_size: int,
    max_positions: int,
) -> RobertaConfig:
    """A RobertaConfig following PhoBERT's conventions (pad 1, bos 0, eos 2, one token type)."""
    return RobertaConfig(
        vocab_size=vocab_size,
        hidden_size=hidden_size,
        num_hidden_layers=num_layers,
        num_attention_heads=num_heads,
        intermediate_size=intermediate_size,
        hidden_act="gelu",
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
        max_position_embeddings=max_positions,
        type_vocab_size=1,
        initializer_range=0.02,
        layer_norm_eps=1e-5,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        tokenizer_class="PhobertTokenizer",
    )


def build_tiny_backbone(
    segmented_texts: list[str],
    out_dir: str | Path,
    *,
    num_merges: int = 4000,
    hidden_size: int = 128,
    num_layers: int = 2,
    num_heads: int = 2,
    intermediate_size: int = 256,
    max_position_embeddings: int = 258,
    seed: int = 0,
) -> Path:
    """Learn BPE on ``segmented_texts`` and save a PhobertTokenizer + random RobertaModel to ``out_dir``."""
    out = Path(out_dir)
    vocab, merges, freqs = _learn(segmented_texts, num_merges, 1)
    vocab_path, codes_path = write_phobert_vocab(vocab, merges, out, freqs)
    tokenizer = PhobertTokenizer(
        vocab_file=str(vocab_path), merges_file=str(codes_path), model_max_length=max_position_embeddings - 2
    )
    tokenizer.save_pretrained(out)
    config = _phobert_config(
        len(tokenizer), hidden_size, num_layers, num_heads, intermediate_size, max_position_embeddings
    )
    torch.manual_seed(seed)
    RobertaModel(config).save_pretrained(out)
    return out


def segmented_corpus_texts(texts: list[str]) -> list[str]:
    """Word-segment raw sentences with underthesea (syllables of a word joined by ``_``)."""
    from underthesea import word_tokenize

    return [word_tokenize(t, format="text") for t in texts if t.strip()]


def read_corpus(paths: Iterable[str | Path]) -> list[str]:
    """Texts from ``.jsonl`` files (``"text"`` field) and plain-text files (one text per line).

    A directory contributes its ``*.jsonl`` and ``*.txt`` files, recursively, in sorted order.
    """
    texts: list[str] = []
    for path in map(Path, paths):
        files = (
            sorted(f for ext in ("jsonl", "txt") for f in path.rglob(f"*.{ext}")) if path.is_dir() else [path]
        )
        for f in files:
            lines = f.read_text(encoding="utf-8").splitlines()
            if f.suffix == ".jsonl":
                texts += [json.loads(x).get("text", "") for x in lines if x.strip()]
            else:
                texts += lines
    return [t.strip() for t in texts if t and t.strip()]


def main(argv: list[str] | None = None) -> Path:
    """CLI: build a tiny backbone from corpus files and print what was written."""
    ap = argparse.ArgumentParser(prog="python -m canbo.train.backbones", description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--from", dest="sources", action="append", required=True, help="JSONL/text file or dir")
    ap.add_argument("--presegmented", action="store_true", help="texts are already word-segmented")
    sizes = {"merges": 4000, "hidden_size": 128, "layers": 2, "heads": 2, "intermediate_size": 256, "seed": 0}
    for name, default in sizes.items():
        ap.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    args = ap.parse_args(argv)
    texts = read_corpus(args.sources)
    if not texts:
        ap.error(f"no texts found in {args.sources}")
    segmented = texts if args.presegmented else segmented_corpus_texts(texts)
    out = build_tiny_backbone(
        segmented, args.out, num_merges=args.merges, hidden_size=args.hidden_size, num_layers=args.layers,
        num_heads=args.heads, intermediate_size=args.intermediate_size, seed=args.seed,
    )  # fmt: skip
    print(f"built backbone from {len(texts)} texts -> {out}")
    for f in sorted(out.iterdir()):
        print(f"  {f.name:28s} {f.stat().st_size:>10,d} bytes")
    return out


if __name__ == "__main__":
    main()
