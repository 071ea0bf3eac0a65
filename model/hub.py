"""Resolve a model name to a local folder, failing fast and clearly when the Hub is out of reach.

Order: an existing local path; the local Hugging Face cache; then - only
when the Hub can be reached at all - a download.  ``HF_HUB_OFFLINE=1`` or a
failed 2-second connection probe means "unreachable" at once, instead of
letting transformers retry for half a minute.
"""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse


@contextmanager
def quiet_transformers():
    """Silence transformers' load reports and progress bars (developer output) for a block."""
    from transformers.utils import logging as hf_logging

    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()


class ModelUnavailableError(RuntimeError):
    """A model or backbone cannot be found locally nor downloaded."""


def _offline_flag() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


@lru_cache(maxsize=1)
def hub_reachable(timeout: float = 2.0) -> bool:
    """One quick TCP probe of the Hub endpoint (cached for the process)."""
    if _offline_flag():
        return False
    from huggingface_hub import constants

    url = urlparse(constants.ENDPOINT)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


def unavailable_message(name: str, flag: str = "--model") -> str:
    return (
        f"Could not download '{name}' from the Hugging Face Hub (offline or unreachable); "
        f"download it on a connected machine and pass its local folder instead, e.g. {flag} /path/to/{Path(name).name}."
    )


def resolve_model_path(name_or_path: str | os.PathLike, flag: str = "--model") -> Path:
    """A local folder holding ``name_or_path``'s files (config, weights, tokenizer); ``flag`` is
    the option that names it in the caller's command, for the error message."""
    path = Path(name_or_path).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelUnavailableError(f"'{path}' is a file; a model is a folder with config.json and weights.")
        return path
    name = str(name_or_path)
    if name.startswith((".", "/", "~")) or name.count("/") != 1:
        raise ModelUnavailableError(f"Model folder '{name}' does not exist.")
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(name, local_files_only=True))
    except Exception:  # noqa: BLE001 - not in the cache: fall through to a download
        pass
    if not hub_reachable():
        raise ModelUnavailableError(unavailable_message(name, flag))
    try:
        return Path(snapshot_download(name))
    except Exception as exc:  # noqa: BLE001 - any hub failure gets the same clear sentence
        raise ModelUnavailableError(unavailable_message(name, flag)) from exc
