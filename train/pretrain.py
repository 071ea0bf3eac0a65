"""Masked-language-model pretraining of the PhoBERT-format encoder on raw text: ``canbo pretrain``.

``canbo pretrain --corpus data/unlabeled data/written/raw --output_dir runs/pretrained`` builds a
tiny PhoBERT-format backbone (BPE vocabulary learned from the corpus, random RoBERTa) and
trains it with HF's ``DataCollatorForLanguageModeling`` and ``Trainer`` (progress bars,
checkpoints, ``--resume_from_checkpoint last``). ``--backbone FOLDER`` continues from any
RoBERTa/PhoBERT folder instead (a previous ``canbo pretrain`` output, ``vinai/phobert-base``),
so an analyst can adapt the encoder to their own pages without annotation. The output folder is
a backbone: ``canbo train --backbone runs/pretrained`` fine-tunes from it.

Corpus files: ``.txt`` (one paragraph a line; site furniture skipped) and ``.jsonl`` (``text``
field). Paragraphs are cut into sentences and word-segmented as at training time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("canbo.pretrain")


@dataclass
class PretrainConfig:
    corpus: list[str] = field(
        default_factory=lambda: ["data/unlabeled"],
        metadata={"help": "Text files or folders (.txt one paragraph a line, .jsonl with 'text'), read recursively."},
    )
    output_dir: str = field(default="runs/pretrained", metadata={"help": "Where the pretrained backbone goes."})
    backbone: str | None = field(
        default=None,
        metadata={"help": "Continue from this RoBERTa/PhoBERT folder or hub id (default: a new tiny backbone)."},
    )
    tiny_hidden_size: int = field(default=128, metadata={"help": "New tiny backbone: hidden size."})
    tiny_layers: int = field(default=2, metadata={"help": "New tiny backbone: transformer layers."})
    tiny_heads: int = field(default=2, metadata={"help": "New tiny backbone: attention heads."})
    tiny_merges: int = field(default=4000, metadata={"help": "New tiny backbone: BPE merges learned from the corpus."})
    max_length: int = field(default=128, metadata={"help": "Subword tokens per sentence (longer ones are cut)."})
    mlm_probability: float = field(default=0.15, metadata={"help": "Share of tokens masked for prediction."})
    epochs: float = field(default=3, metadata={"help": "Passes over the corpus."})
    batch_size: int = field(default=32, metadata={"help": "Sentences per step."})
    learning_rate: float = field(default=5e-4, metadata={"help": "Peak learning rate (linear warm-up and decay)."})
    warmup_ratio: float = field(default=0.05, metadata={"help": "Warm-up share of all steps."})
    seed: int = field(default=13, metadata={"help": "Random seed."})
    save_total_limit: int = field(default=1, metadata={"help": "Checkpoints to keep."})
    resume_from_checkpoint: str | None = field(
        default=None, metadata={"help": "A checkpoint folder to resume from, or 'last' for the newest complete one."}
    )
    num_threads: int = field(default=0, metadata={"help": "torch CPU threads (0: library default)."})
    progress: bool = field(default=True, metadata={"help": "Show progress bars."})

    def __post_init__(self) -> None:
        if not self.corpus:
            raise ValueError("pretrain: 'corpus' needs at least one file or folder")
        if not 0.0 < self.mlm_probability < 1.0:
            raise ValueError("pretrain: mlm_probability must be in (0, 1)")
        if self.epochs <= 0 or self.batch_size <= 0 or not 8 <= self.max_length <= 256:
            raise ValueError("pretrain: epochs and batch_size must be positive, max_length between 8 and 256")


def corpus_sentences(paths: list[str]) -> list[str]:
    """Sentences of every paragraph of the corpus, in file order (furniture lines skipped)."""
    from canbo.model.text import iter_sentences
    from canbo.train.backbones import read_corpus

    out = []
    for paragraph in read_corpus(paths):
        out += [paragraph[s.start : s.end] for s in iter_sentences(paragraph)]
    if not out:
        raise ValueError(f"no text found in {', '.join(paths)}")
    return out


def run_pretraining(cfg: PretrainConfig) -> dict[str, float]:
    """Pretrain, save the backbone (weights with the MLM head, tokenizer) to ``output_dir``."""
    import torch
    from datasets import Dataset
    from transformers import (
        AutoModelForMaskedLM,
        AutoTokenizer,
        DataCollatorForLanguageModeling,
        Trainer,
        TrainingArguments,
    )

    from canbo.model.hub import quiet_transformers, resolve_model_path
    from canbo.train.backbones import build_tiny_backbone, segmented_corpus_texts
    from canbo.train.trainer import latest_complete_checkpoint

    if cfg.num_threads:
        torch.set_num_threads(cfg.num_threads)
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    sentences = corpus_sentences(cfg.corpus)
    log.info("pretraining corpus: %d sentences", len(sentences))
    segmented = segmented_corpus_texts(sentences)
    if cfg.backbone:
        start = resolve_model_path(cfg.backbone, flag="--backbone")
    else:
        start = build_tiny_backbone(
            segmented, out / "init", num_merges=cfg.tiny_merges, hidden_size=cfg.tiny_hidden_size,
            num_layers=cfg.tiny_layers, num_heads=cfg.tiny_heads, intermediate_size=2 * cfg.tiny_hidden_size,
            seed=cfg.seed,
        )  # fmt: skip
    tokenizer = AutoTokenizer.from_pretrained(start)
    with quiet_transformers():  # a RobertaModel folder has no MLM head yet: it is initialised here
        model = AutoModelForMaskedLM.from_pretrained(start)
    features = tokenizer(segmented, truncation=True, max_length=cfg.max_length)
    data = Dataset.from_dict({"input_ids": features["input_ids"], "attention_mask": features["attention_mask"]})
    args = TrainingArguments(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=cfg.epochs,
        per_device_train_batch_size=cfg.batch_size,
        learning_rate=cfg.learning_rate,
        warmup_steps=cfg.warmup_ratio,
        seed=cfg.seed,
        data_seed=cfg.seed,
        save_strategy="epoch",
        save_total_limit=cfg.save_total_limit,
        logging_steps=50,
        report_to=[],
        disable_tqdm=not cfg.progress,
        use_cpu=not torch.cuda.is_available(),
        dataloader_num_workers=0,
    )
    collator = DataCollatorForLanguageModeling(tokenizer, mlm=True, mlm_probability=cfg.mlm_probability)
    trainer = Trainer(model=model, args=args, train_dataset=data, data_collator=collator, processing_class=tokenizer)
    resume = cfg.resume_from_checkpoint
    if resume == "last":
        resume = latest_complete_checkpoint(out / "checkpoints")
    result = trainer.train(resume_from_checkpoint=resume)
    trainer.save_model(str(out))
    tokenizer.save_pretrained(out)
    return {"sentences": len(sentences), "train_loss": result.training_loss, "steps": result.global_step}
