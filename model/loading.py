"""Loading a canbo checkpoint folder (or hub id) as a ``model.pipeline.Pipeline``: the plain-torch
or transformers backend, the weights deferred when the rules decide every span and link, the
checks of ``run_info.json`` and the calibration. ``model.pipeline.load`` is this module's ``load``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from canbo.model.calibration import FILE as CALIBRATION_FILE
from canbo.model.calibration import Calibration
from canbo.model.hub import ModelUnavailableError, quiet_transformers, resolve_model_path
from canbo.model.merge import check_merge_policy, check_relation_merge, rules_decide_all

BACKENDS = ("auto", "torch", "transformers")


def load(
    path: str | os.PathLike | None = None,
    segmenter: Callable[[str], list[str]] | None = None,
    merge_policy: str | None = None,
    backend: str = "auto",
    rule_labels: Sequence[str] | None = None,
    relation_merge: str | None = None,
) -> Pipeline:  # noqa: F821 - model.pipeline imports this module
    """Load a canbo checkpoint folder or hub id; with no argument, the shipped default model.
    ``merge_policy``, ``rule_labels`` and ``relation_merge`` override the ones saved with the model (``model.merge``). Scores are
    calibrated when the folder has a ``calibration.json`` (``model.calibration``).

    ``backend`` "torch" runs the checkpoint in plain torch (``model.checkpoint``: no transformers
    modeling import, the fast cold start), "transformers" through ``CanboModel``; "auto" takes
    plain torch when the checkpoint allows it (a RoBERTa encoder in model.safetensors)."""
    from canbo.model.pipeline import DEFAULT_MODEL_DIR, Pipeline

    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r} (choose from {', '.join(BACKENDS)})")
    folder = resolve_model_path(path if path is not None else DEFAULT_MODEL_DIR)
    if not (folder / "config.json").is_file():
        raise ModelUnavailableError(f"'{folder}' is not a canbo model folder (no config.json).")

    def weights():
        model = None
        try:
            if backend != "transformers":
                model, tokenizer = _load_plain(folder, required=backend == "torch")
            if model is None:
                model, tokenizer = _load_transformers(folder)
        except ModelUnavailableError:
            raise
        except Exception as exc:  # noqa: BLE001 - corrupt or foreign checkpoints get one clear sentence
            hint = ""
            if not (folder / "tokenizer_config.json").is_file():
                hint = " (it has no tokenizer files: a checkpoint written before this version needs the run's tokenizer files copied in)"
            raise ModelUnavailableError(f"'{folder}' could not be loaded as a canbo model: {exc}{hint}") from exc
        return model, tokenizer

    config = _rules_only_config(folder, backend, merge_policy, relation_merge)
    model, tokenizer = (None, None) if config is not None else weights()
    config = config if model is None else model.config
    check_run_info(folder, config)
    try:
        calibration = Calibration.load(folder)
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelUnavailableError(f"'{folder}': its {CALIBRATION_FILE} cannot be read ({exc})") from exc
    return Pipeline(model, tokenizer, segmenter=segmenter, merge_policy=merge_policy, calibration=calibration,
                    rule_labels=rule_labels, relation_merge=relation_merge, config=config, loader=weights)


def _rules_only_config(folder: Path, backend: str, merge_policy: str | None, relation_merge: str | None):
    """The checkpoint's config when the rules will decide every span and link (saved settings or
    the overrides) and the weights could load later in plain torch; else None (load them now)."""
    from canbo.model.inference_config import NotPlain, read_config

    if backend == "transformers" or not (folder / "model.safetensors").is_file():
        return None
    try:
        config = read_config(folder)
    except (NotPlain, ValueError, KeyError, TypeError):
        return None  # loading the weights gives the clear error, or the transformers path
    policy = check_merge_policy(merge_policy or config.merge_policy)
    links = check_relation_merge(relation_merge or config.relation_merge)
    return config if rules_decide_all(policy, links) else None


def _load_plain(folder: Path, required: bool):
    """(model, tokenizer) in plain torch, or (None, None) when the checkpoint needs transformers."""
    from canbo.model.checkpoint import NotPlain, load_plain

    try:
        return load_plain(folder)
    except NotPlain as exc:
        if required:
            raise ModelUnavailableError(f"'{folder}' cannot run on the plain-torch backend: {exc}") from exc
        return None, None


def _load_transformers(folder: Path):
    from transformers import AutoTokenizer

    from canbo.model.architecture import CanboModel

    with quiet_transformers():  # load reports and bars are for developers, not for predict's users
        return CanboModel.from_pretrained(folder), AutoTokenizer.from_pretrained(folder)


def check_run_info(folder: Path, config) -> None:
    """Refuse a checkpoint whose label maps differ from the ones it was trained with; warn when the
    rules it reads have changed since training (both recorded in run_info.json)."""
    import json

    from canbo.model.labels import label_maps_checksum

    info_file = folder / "run_info.json"
    if not info_file.is_file():
        return
    info = json.loads(info_file.read_text(encoding="utf-8"))
    want = info.get("label_maps_sha256")
    if want and want != label_maps_checksum(config):
        raise ModelUnavailableError(
            f"'{folder}': the label maps in config.json differ from the ones the weights were trained with "
            "(run_info.json records their checksum); restore the original config.json"
        )
    uses_rules = (config.rule_features or getattr(config, "merge_policy", "model") != "model"
                  or bool(getattr(config, "rule_labels", None)))
    if uses_rules and info.get("rules_version"):
        from canbo.model.rules import rules_version

        if info["rules_version"] != rules_version():
            warnings.warn(
                f"'{folder}' was trained with rules version {info['rules_version']}, these rules are "
                f"{rules_version()}: its rule inputs have changed since training; retrain it", stacklevel=3
            )
