"""PhoBERT's subword tokenizer (fastBPE codes + vocab.txt) without transformers.

It gives the same tokens and ids as transformers' ``PhobertTokenizer`` for what canbo feeds it
(one word at a time, syllables joined by "_"): special-token strings inside the text stay whole,
every other piece is split on whitespace and merged by the ranked BPE codes, with "@@" marking a
subword that the next one continues.  Importing transformers' tokenizer imports transformers
itself, a second of a cold start; this file needs nothing but the checkpoint's two text files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")  # ids 0..3, in this order, before vocab.txt's words
MASK = "<mask>"
_END = "</w>"


class PhobertBPE:
    """``tokenize`` and ``convert_tokens_to_ids`` plus the special-token ids that ``WordEncoder`` reads."""

    def __init__(
        self, vocab_file: str | Path, merges_file: str | Path, added_tokens: dict[str, int] | None = None
    ):
        self.encoder: dict[str, int] = {tok: i for i, tok in enumerate(SPECIALS)}
        for line in Path(vocab_file).read_text(encoding="utf-8").splitlines():
            word = line.strip()
            cut = word.rfind(" ")
            if cut < 0:
                raise ValueError(f"{vocab_file}: a vocabulary line is '<token> <count>', not {line!r}")
            self.encoder[word[:cut]] = len(self.encoder)
        self.added = dict(added_tokens or {MASK: len(self.encoder)})
        codes = Path(merges_file).read_text(encoding="utf-8").split("\n")[:-1]  # the file ends in a newline
        self.ranks = {tuple(line.split()[:-1]): rank for rank, line in enumerate(codes)}
        self.bos_token_id = self.cls_token_id = self.encoder["<s>"]
        self.pad_token_id = self.encoder["<pad>"]
        self.eos_token_id = self.sep_token_id = self.encoder["</s>"]
        self.unk_token_id = self.encoder["<unk>"]
        whole = sorted({*SPECIALS, *self.added}, key=len, reverse=True)
        self._whole = set(whole)
        self._split = re.compile("(" + "|".join(map(re.escape, whole)) + ")")
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def from_folder(cls, folder: str | Path) -> PhobertBPE:
        folder = Path(folder)
        added: dict[str, int] = {}
        config = folder / "tokenizer_config.json"
        if config.is_file():
            decoder = json.loads(config.read_text(encoding="utf-8")).get("added_tokens_decoder", {})
            added = {tok["content"]: int(i) for i, tok in decoder.items() if tok["content"] not in SPECIALS}
        extra = folder / "added_tokens.json"
        if extra.is_file():
            added.update(json.loads(extra.read_text(encoding="utf-8")))
        return cls(folder / "vocab.txt", folder / "bpe.codes", added or None)

    def tokenize(self, text: str) -> list[str]:
        out: list[str] = []
        for piece in self._split.split(text):
            if piece in self._whole:
                out.append(piece)
            elif piece:
                for word in re.findall(r"\S+\n?", piece):
                    out.extend(self.bpe(word))
        return out

    def bpe(self, word: str) -> list[str]:
        """Subwords of one whitespace-free word: merge the best-ranked adjacent pair until none is ranked."""
        done = self._cache.get(word)
        if done is not None:
            return done
        symbols = [*word[:-1], word[-1] + _END]
        while len(symbols) > 1:
            ranked = [(self.ranks[p], p) for p in zip(symbols, symbols[1:]) if p in self.ranks]
            if not ranked:
                break
            first, second = min(ranked)[1]
            merged, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and symbols[i] == first and symbols[i + 1] == second:
                    merged.append(first + second)
                    i += 2
                else:
                    merged.append(symbols[i])
                    i += 1
            symbols = merged
        pieces = [s + "@@" for s in symbols[:-1]] + [symbols[-1][: -len(_END)]]  # the last one ends in </w>
        self._cache[word] = pieces
        return pieces

    def convert_tokens_to_ids(self, tokens: list[str]) -> list[int]:
        return [self.added.get(t, self.encoder.get(t, self.unk_token_id)) for t in tokens]
