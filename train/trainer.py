"""The training run: backbone -> joint model -> HF Trainer with dev-F1 early stopping.

The HF ``Trainer`` provides the loop, progress bars, logging, checkpoints,
resume and distributed runs (``torchrun``); this module only supplies the
model, the features, per-group learning rates and an ``evaluate`` that scores
decoded spans and relations with ``model.scoring`` (the same functions as
``canbo eval``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import torch
from datasets import Dataset
from transformers import (
    AutoModel,
    AutoTokenizer,
    EarlyStoppingCallback,
    Trainer,
    TrainerCallback,
    TrainingArguments,
)

from canbo.model.architecture import CanboConfig, CanboModel, label_maps_checksum
from canbo.model.encoding import WordEncoder
from canbo.model.hub import quiet_transformers, resolve_model_path
from canbo.model.metrics import system_metrics
from canbo.model.pipeline import Pipeline
from canbo.model.rules import rules_version
from canbo.model.schema import Document, article_id, read_corpus
from canbo.train.config import DataConfig, ModelConfig, TrainConfig, config_dict
from canbo.train.dataset import Collator, build_features

log = logging.getLogger("canbo.train")


def split_data(data: DataConfig) -> tuple[list[Document], list[Document]]:
    """Train and dev Documents; ``holdout_doc`` moves one article from train to dev."""
    train_docs = read_corpus(data.train)
    dev_docs = read_corpus(data.dev) if data.dev else []
    if data.holdout_doc:
        held = [d for d in train_docs if article_id(d) == data.holdout_doc]
        if not held:
            raise ValueError(f"holdout_doc '{data.holdout_doc}' matches no training article")
        train_docs = [d for d in train_docs if article_id(d) != data.holdout_doc]
        dev_docs = dev_docs + held
    if data.extra_train:
        train_docs = train_docs + read_corpus(data.fold_paths(data.extra_train))
    if data.augment:
        from canbo.train.augment import replace_mentions

        train_docs = train_docs + replace_mentions(train_docs, seed=0, copies=data.augment)
    if data.synthetic:
        from canbo.train.synth import generate

        train_docs = train_docs + generate(data.synthetic, seed=0)
    return train_docs, dev_docs


def fingerprint(docs: list[Document]) -> str:
    """SHA-256 of the training records, so a run names exactly the data it saw."""
    h = hashlib.sha256()
    for d in docs:
        h.update(json.dumps(d.to_gold_dict(), ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()


def build_model(model_cfg: ModelConfig, train_docs: list[Document], work_dir: Path, seed: int):
    """The joint model and its tokenizer, from a tiny offline backbone or a PhoBERT folder/hub id."""
    if model_cfg.backbone == "tiny":
        from canbo.train.backbones import build_tiny_backbone, segmented_corpus_texts

        backbone_dir = build_tiny_backbone(
            segmented_corpus_texts([d.text for d in train_docs]),
            work_dir / "backbone",
            num_merges=model_cfg.tiny_merges,
            hidden_size=model_cfg.tiny_hidden_size,
            num_layers=model_cfg.tiny_layers,
            num_heads=model_cfg.tiny_heads,
            intermediate_size=2 * model_cfg.tiny_hidden_size,
            seed=seed,
        )
    else:
        backbone_dir = resolve_model_path(model_cfg.backbone, flag="--backbone")
    tokenizer = AutoTokenizer.from_pretrained(backbone_dir)
    with quiet_transformers():  # the pooler is dropped on purpose: no load report about it
        encoder = AutoModel.from_pretrained(backbone_dir, add_pooling_layer=False)
    config = CanboConfig(
        backbone_config=encoder.config.to_dict(),
        head_hidden_size=model_cfg.head_hidden_size,
        head_dropout=model_cfg.head_dropout,
        relation_loss_weight=model_cfg.relation_loss_weight,
        relation_threshold=model_cfg.relation_threshold,
        max_tokens=model_cfg.max_length,
        rule_features=model_cfg.rule_features,
        rule_feature_dropout=model_cfg.rule_feature_dropout,
        char_features=model_cfg.char_features,
        gazetteer_features=model_cfg.gazetteer_features,
        modern_tone=model_cfg.modern_tone,
        merge_policy=model_cfg.merge_policy,
        rule_labels=model_cfg.rule_labels,
        relation_one_holder=model_cfg.relation_one_holder,
        relation_merge=model_cfg.relation_merge,
        backbone_name=model_cfg.backbone,
    )
    torch.manual_seed(seed)
    return CanboModel(config, encoder=encoder), tokenizer


class CanboTrainer(Trainer):
    """Trainer whose evaluation decodes spans/relations on dev sentences and scores them."""

    def __init__(self, *args, dev_docs: list[Document], canbo_tokenizer, head_learning_rate: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.dev_docs = dev_docs
        self.canbo_tokenizer = canbo_tokenizer
        self.head_learning_rate = head_learning_rate

    def create_optimizer(self, model=None):
        if self.optimizer is None:
            model = model or self.model
            enc = [p for n, p in model.named_parameters() if n.startswith("encoder.") and p.requires_grad]
            head = [p for n, p in model.named_parameters() if not n.startswith("encoder.") and p.requires_grad]
            groups = [
                {"params": enc, "lr": self.args.learning_rate},
                {"params": head, "lr": self.head_learning_rate},
            ]
            self.optimizer = torch.optim.AdamW(groups, weight_decay=self.args.weight_decay)
        return self.optimizer

    def evaluate(self, eval_dataset=None, ignore_keys=None, metric_key_prefix: str = "eval") -> dict[str, float]:
        metrics = evaluate_docs(self.model, self.canbo_tokenizer, self.dev_docs, self.args.per_device_eval_batch_size)
        metrics = {f"{metric_key_prefix}_{k}": v for k, v in metrics.items() if isinstance(v, (int, float))}
        self.model.train()
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics


def evaluate_docs(model, tokenizer, docs: list[Document], batch_size: int = 32) -> dict[str, Any]:
    """Dev metrics of ``model`` on gold sentences, by the evaluation report's own function: strict
    character-span entity and relation scores, and seqeval strict IOB2 scores per type."""
    pipe = Pipeline(model, tokenizer)
    preds = pipe.predict_batch([d.text for d in docs], batch_size=batch_size, split=False)
    return system_metrics(docs, preds)


def run_training(data: DataConfig, model_cfg: ModelConfig, train_cfg: TrainConfig) -> dict[str, Any]:
    """Train, save the model + resolved config + data fingerprint + dev metrics; return the metrics."""
    if train_cfg.num_threads:
        torch.set_num_threads(train_cfg.num_threads)
    out = Path(train_cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    train_docs, dev_docs = split_data(data)
    if not train_docs:
        raise ValueError(f"no training sentences in {', '.join(data.train)}")
    has_dev = bool(dev_docs)
    if not has_dev and (train_cfg.early_stopping_patience > 0 or train_cfg.select_best):
        log.warning(
            "no dev set (--dev or --holdout_doc): early_stopping_patience and select_best do nothing; "
            "the model of the last epoch is saved and run_info.json has no dev metrics"
        )
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    args = TrainingArguments(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=train_cfg.epochs,
        per_device_train_batch_size=train_cfg.batch_size,
        per_device_eval_batch_size=32,
        learning_rate=train_cfg.learning_rate,
        weight_decay=train_cfg.weight_decay,
        warmup_steps=train_cfg.warmup_ratio,
        seed=train_cfg.seed,
        data_seed=train_cfg.seed,
        eval_strategy="epoch" if has_dev else "no",
        save_strategy="epoch",
        save_total_limit=train_cfg.save_total_limit,
        load_best_model_at_end=has_dev and train_cfg.select_best,
        metric_for_best_model="eval_ents_f" if has_dev and train_cfg.select_best else None,
        greater_is_better=True,
        logging_steps=train_cfg.logging_steps,
        report_to=[],
        disable_tqdm=not train_cfg.progress,
        remove_unused_columns=False,
        ddp_backend="gloo" if distributed and not torch.cuda.is_available() else None,
        use_cpu=not torch.cuda.is_available(),
        dataloader_num_workers=0,
    )
    with args.main_process_first(desc="building the model"):  # rank 0 builds the tiny backbone first
        model, tokenizer = build_model(model_cfg, train_docs, out, train_cfg.seed)
    enc = WordEncoder(tokenizer, max_length=model_cfg.max_length, modern_tone=model_cfg.modern_tone)
    rules = model.config.rule_features
    feats, report = build_features(
        train_docs, enc, model.config.tags, model.config.relation_signature, train_cfg.progress, rules,
        model.config.char_features, train_cfg.relation_span_noise, train_cfg.seed, model.config.gazetteer_features,
    )
    log.info("alignment: %s", report.summary())
    stop_early = has_dev and train_cfg.select_best and train_cfg.early_stopping_patience > 0
    start = StartStep()
    callbacks = [start] + ([EarlyStoppingCallback(train_cfg.early_stopping_patience)] if stop_early else [])
    trainer = CanboTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(feats),
        # evaluation decodes dev_docs itself; the features only satisfy the Trainer's checks
        eval_dataset=Dataset.from_list(build_features(
            dev_docs, enc, model.config.tags, model.config.relation_signature, False, rules, model.config.char_features,
            gazetteer_features=model.config.gazetteer_features,
        )[0])
        if has_dev
        else None,
        data_collator=Collator(tokenizer.pad_token_id),
        processing_class=tokenizer,  # saved in every checkpoint, so a checkpoint folder loads with load()
        callbacks=callbacks,
        dev_docs=dev_docs,
        canbo_tokenizer=tokenizer,
        head_learning_rate=train_cfg.head_learning_rate,
    )
    resume = train_cfg.resume_from_checkpoint
    if resume == "last":
        resume = latest_complete_checkpoint(out / "checkpoints")
        log.info("resuming from %s", resume or "scratch (no complete checkpoint)")
    trainer.train(resume_from_checkpoint=resume)
    trainer.save_state()  # the full log history (per-epoch dev scores) for learning curves
    metrics = evaluate_docs(trainer.model, tokenizer, dev_docs) if has_dev else {}
    if trainer.is_world_process_zero():
        steps = {"start_step": start.step, "end_step": trainer.state.global_step, "resumed_from": resume}
        save_run(trainer.model, tokenizer, out, config_dict(data, model_cfg, train_cfg), train_docs, metrics, report, steps)
    return metrics


class StartStep(TrainerCallback):
    """Remembers the step training began at: 0 for a fresh run, the checkpoint's step on resume."""

    step = 0

    def on_train_begin(self, args, state, control, **kwargs):
        self.step = state.global_step


CHECKPOINT_FILES = ("trainer_state.json", "model.safetensors", "optimizer.pt", "scheduler.pt")


def latest_complete_checkpoint(folder: Path) -> str | None:
    """The newest ``checkpoint-N`` in ``folder`` that has every file a resume needs, or None
    (a run killed while saving leaves an incomplete newest checkpoint)."""
    steps = []
    for ckpt in folder.glob("checkpoint-*"):
        suffix = ckpt.name.rsplit("-", 1)[-1]
        if suffix.isdigit() and all((ckpt / f).is_file() for f in CHECKPOINT_FILES):
            steps.append((int(suffix), ckpt))
    return str(max(steps)[1]) if steps else None


def save_run(model, tokenizer, out: Path, resolved: dict, train_docs, metrics: dict, report, steps=None) -> None:
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    (out / "train_config.json").write_text(json.dumps(resolved, ensure_ascii=False, indent=2), encoding="utf-8")
    info = {
        "data_fingerprint": fingerprint(train_docs),
        "label_maps_sha256": label_maps_checksum(model.config),
        "rules_version": rules_version(),
        "train_sentences": len(train_docs),
        "alignment": report.summary(),
        "dev_metrics": metrics,
        "torch_threads": torch.get_num_threads(),
        "world_size": int(os.environ.get("WORLD_SIZE", "1")),
        **(steps or {}),
    }
    (out / "run_info.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
