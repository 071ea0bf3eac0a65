"""Typed training configuration: a YAML file of flat keys, overridable on the command line.

``parse_config(argv)`` reads ``--config FILE`` (if given) as defaults and then
applies ``--key value`` overrides, HfArgumentParser style (``train.typed_args``).  Every field has
help text (``canbo train --help``) and ``__post_init__`` validation.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

AGPL_BACKBONES = ("vinai/phobert-base-v2", "vinai/phobert-large-v2")


@dataclass
class DataConfig:
    train: list[str] = field(
        default_factory=lambda: ["data/annotated"],
        metadata={"help": "Gold JSONL files or folders of them used for training."},
    )
    extra_train: list[str] = field(
        default_factory=list,
        metadata={"help": "More gold JSONL files/folders always in training and never a cross-validation fold "
                  "(e.g. the written corpus, data/written/annotated). '{fold}' in a path becomes the held-out "
                  "article, or 'full' without one (e.g. self-training labels made by each fold's own model)."},
    )
    augment: int = field(
        default=0, metadata={"help": "Mention-replacement copies of each training sentence to add (0: none)."}
    )
    dev: list[str] = field(
        default_factory=list,
        metadata={"help": "Gold JSONL files/folders for dev metrics and early stopping (none: no early stopping)."},
    )
    holdout_doc: str | None = field(
        default=None,
        metadata={"help": "Leave-one-article-out: move this article (e.g. '003') from train to dev."},
    )
    synthetic: int = field(
        default=0, metadata={"help": "Number of template sentences from train/synth to add to training (0: none)."}
    )

    def fold_paths(self, paths: list[str]) -> list[str]:
        """``paths`` with '{fold}' replaced by the held-out article ('full' when none)."""
        return [p.replace("{fold}", self.holdout_doc or "full") for p in paths]

    def __post_init__(self) -> None:
        if not self.train:
            raise ValueError("data: 'train' needs at least one file or folder")
        if self.synthetic < 0 or self.augment < 0:
            raise ValueError("data: 'synthetic' and 'augment' must be >= 0")


@dataclass
class ModelConfig:
    backbone: str = field(
        default="vinai/phobert-base",
        metadata={"help": "Hub id or local folder of a PhoBERT/RoBERTa encoder, or 'tiny' to build one offline."},
    )
    allow_agpl: bool = field(
        default=False, metadata={"help": "Allow AGPL-3.0 backbones such as vinai/phobert-base-v2 (opt-in)."}
    )
    max_length: int = field(default=256, metadata={"help": "Subword tokens per window, including <s> and </s>."})
    head_hidden_size: int = field(default=256, metadata={"help": "Width of the span/relation head."})
    head_dropout: float = field(default=0.1, metadata={"help": "Dropout in the heads."})
    relation_loss_weight: float = field(default=1.0, metadata={"help": "Weight of the relation loss."})
    rule_features: bool = field(
        default=False, metadata={"help": "Feed the rule/gazetteer tags of each word to the model as an extra input."}
    )
    rule_feature_dropout: float = field(
        default=0.2, metadata={"help": "Training-time probability of hiding a word's rule tag (0: never)."}
    )
    char_features: bool = field(
        default=False,
        metadata={"help": "Feed each word's shape (casing, syllables, digits, separators; model.features.word_shape) "
                  "to the model beside its subwords."},
    )
    gazetteer_features: bool = field(
        default=False,
        metadata={"help": "With char_features: each word's shape also says whether it starts or continues the name "
                  "of an administrative unit (model/lexicon/units.tsv)."},
    )
    modern_tone: bool = field(
        default=False,
        metadata={"help": "Give the tokenizer each word with modern tone placement ('Thuỵ' -> 'Thụy', 'hoà' -> 'hòa'), "
                  "as the rules read it: both spellings are one word to the model. Saved with the weights. Off by default: "
                  "on the CV folds it scored 0.917 against 0.932 without (eval/ablation, recipe g)."},
    )
    relation_threshold: float = field(default=0.5, metadata={"help": "Probability above which a pair is a relation."})
    relation_one_holder: bool = field(
        default=False,
        metadata={"help": "Each POSITION mention keeps only its best-scoring holder (model.decode.kept_relations). "
                  "Off by default: on the CV folds it picked the wrong one of two saturated scores (eval/ablation)."},
    )
    merge_policy: str = field(
        default="model",
        metadata={"help": "Which spans the model outputs (model.merge): model, rules, rules-first or model-first; "
                  "saved with the weights."},
    )
    rule_labels: list[str] = field(
        default_factory=list,
        metadata={"help": "Labels whose rule spans are kept before the model's (model.merge), under any merge "
                  "policy; e.g. METRIC. Saved with the weights."},
    )
    relation_merge: str = field(
        default="model",
        metadata={"help": "Which HAS_POSITION links are output between the merged spans (model.merge): model (the "
                  "relation head's), rules (the rules' links) or union. Decode-only; saved with the weights."},
    )
    tiny_hidden_size: int = field(default=128, metadata={"help": "'tiny' backbone: hidden size."})
    tiny_layers: int = field(default=2, metadata={"help": "'tiny' backbone: transformer layers."})
    tiny_heads: int = field(default=2, metadata={"help": "'tiny' backbone: attention heads."})
    tiny_merges: int = field(default=3000, metadata={"help": "'tiny' backbone: BPE merges learned from the corpus."})

    def __post_init__(self) -> None:
        if self.backbone in AGPL_BACKBONES and not self.allow_agpl:
            raise ValueError(f"{self.backbone} is AGPL-3.0 licensed; pass --allow_agpl true to use it")
        if not 8 <= self.max_length <= 256:
            raise ValueError("model: max_length must be between 8 and 256 (PhoBERT's position limit)")
        from canbo.model.labels import ENTITY_LABELS
        from canbo.model.merge import POLICIES, check_relation_merge, check_rule_labels

        if self.merge_policy not in POLICIES:
            raise ValueError(f"model: merge_policy must be one of {', '.join(POLICIES)}")
        check_relation_merge(self.relation_merge)
        check_rule_labels(self.rule_labels, ENTITY_LABELS)
        if self.gazetteer_features and not self.char_features:
            raise ValueError("model: gazetteer_features needs char_features (they share the word-shape input)")
        if not 0.0 < self.relation_threshold < 1.0:
            raise ValueError("model: relation_threshold must be in (0, 1)")
        if self.tiny_hidden_size % self.tiny_heads:
            raise ValueError("model: tiny_hidden_size must be divisible by tiny_heads")


@dataclass
class TrainConfig:
    output_dir: str = field(default="runs/model", metadata={"help": "Where the model, config and metrics go."})
    epochs: float = field(default=30, metadata={"help": "Maximum number of epochs."})
    batch_size: int = field(default=8, metadata={"help": "Sentences (windows) per device per step."})
    learning_rate: float = field(default=3e-5, metadata={"help": "Learning rate of the encoder."})
    head_learning_rate: float = field(default=1e-3, metadata={"help": "Learning rate of the tagging/relation heads."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay."})
    warmup_ratio: float = field(default=0.1, metadata={"help": "Linear warm-up fraction of all steps."})
    seed: int = field(default=13, metadata={"help": "Random seed (same seed + config = same metrics on CPU)."})
    relation_span_noise: float = field(
        default=0.0,
        metadata={"help": "Train the relation head also on spans like the tagger's: per gold span, the probability "
                  "of a copy with one edge moved by a word, and per window of a false span (0: gold spans only)."},
    )
    early_stopping_patience: int = field(
        default=5, metadata={"help": "Stop after this many evaluations without dev F1 gain (0: off)."}
    )
    select_best: bool = field(
        default=True,
        metadata={"help": "Keep the checkpoint with the best dev F1 at the end (crossval turns this off: its dev is the test)."},
    )
    resume_from_checkpoint: str | None = field(
        default=None, metadata={"help": "A checkpoint folder to resume from, or 'last' for the newest in output_dir."}
    )
    save_total_limit: int = field(default=1, metadata={"help": "Checkpoints to keep in output_dir."})
    logging_steps: int = field(default=10, metadata={"help": "Log the loss every N steps."})
    num_threads: int = field(default=0, metadata={"help": "torch CPU threads (0: library default)."})
    progress: bool = field(default=True, metadata={"help": "Show progress bars."})

    def __post_init__(self) -> None:
        if self.epochs <= 0 or self.batch_size <= 0:
            raise ValueError("train: epochs and batch_size must be positive")
        if self.learning_rate <= 0 or self.head_learning_rate <= 0:
            raise ValueError("train: learning rates must be positive")
        if not 0.0 <= self.relation_span_noise <= 1.0:
            raise ValueError("train: relation_span_noise must be between 0 and 1")


CONFIG_CLASSES = (DataConfig, ModelConfig, TrainConfig)


def field_names() -> set[str]:
    return {f.name for cls in CONFIG_CLASSES for f in dataclasses.fields(cls)}


PATH_FIELDS = ("train", "extra_train", "dev")  # data paths in a YAML file are relative to that file's folder


def read_yaml(path: str | Path) -> dict[str, Any]:
    """Flat ``key: value`` YAML; unknown keys and values of the wrong type are an error naming
    the key; ``train``/``dev`` paths are made relative to the YAML file's folder."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ValueError(f"config file {path} cannot be read ({exc.strerror or exc})") from None
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: a config is a mapping of 'key: value' lines")
    unknown = sorted(set(raw) - field_names())
    if unknown:
        raise ValueError(f"{path}: unknown config keys {', '.join(unknown)}")
    types = field_types()
    for key, value in raw.items():
        raw[key] = check_type(key, value, types[key], where=str(path))
    for key in PATH_FIELDS:
        if key in raw:
            raw[key] = [str(p) if Path(p).is_absolute() else str(path.parent / p) for p in raw[key]]
    return raw


def field_types() -> dict[str, Any]:
    hints: dict[str, Any] = {}
    for cls in CONFIG_CLASSES:
        hints.update(typing.get_type_hints(cls))
    return hints


def _list_kind(key: str) -> str:
    return "labels" if key.endswith("labels") else "paths"


def check_type(key: str, value: Any, hint: Any, where: str = "config") -> Any:
    """``value`` as the type ``hint`` of config field ``key``, or ValueError naming both."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if value is None and type(None) in typing.get_args(hint):
        return None
    if typing.get_origin(hint) is list:
        if isinstance(value, str):  # "train: data/x" means one path, not its characters
            value = [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        raise ValueError(f"{where}: '{key}' must be a list of {_list_kind(key)}, not {value!r}")
    base = args[0] if args else hint
    ok = {
        bool: isinstance(value, bool),
        int: isinstance(value, int) and not isinstance(value, bool),
        float: isinstance(value, (int, float)) and not isinstance(value, bool),
        str: isinstance(value, str),
    }.get(base, True)
    if not ok:
        raise ValueError(f"{where}: '{key}' must be {getattr(base, '__name__', base)}, not {value!r}")
    return float(value) if base is float else value


def parse_config(argv: list[str] | None = None, prog: str = "canbo train") -> tuple[DataConfig, ModelConfig, TrainConfig]:
    """``--config FILE`` as defaults, then command-line overrides (``--epochs 3``)."""
    import argparse

    from canbo.train.typed_args import DataclassArgumentParser

    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    known, rest = pre.parse_known_args(argv)
    parser = DataclassArgumentParser(CONFIG_CLASSES, prog=prog, description=f"{prog}: options of the typed training config.")
    parser.add_argument("--config", help="YAML file of defaults (e.g. train/configs/default.yaml); data paths in it "
                        "are relative to its folder.")
    _annotate_help(parser)
    if known.config:
        parser.set_defaults(**read_yaml(known.config))
    data, model, train, _ = parser.parse_args_into_dataclasses(args=rest + ["--config", str(known.config)])
    return data, model, train


def _annotate_help(parser) -> None:
    """Show each option's type (the parser shows defaults); ``--no_X`` flags say what they turn off."""
    types = field_types()
    for action in parser._actions:
        name = action.dest
        if name not in types:
            continue
        if action.option_strings and all(o.startswith(("--no_", "--no-")) for o in action.option_strings):
            action.help = f"Turn '{name}' off (same as --{name} false)."
            continue
        hint = types[name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        kind = (f"list of {_list_kind(name)}" if typing.get_origin(hint) is list
                else getattr(args[0] if args else hint, "__name__", str(hint)))
        action.help = f"{action.help} [{kind}]"


def config_dict(*configs: Any) -> dict[str, Any]:
    """The resolved config as one flat dict (saved beside the weights)."""
    out: dict[str, Any] = {}
    for c in configs:
        out.update(dataclasses.asdict(c))
    return out
