"""Batch prediction over a corpus with Ray Data: ``predict_corpus(inputs, output_dir)``.

Text files (``model.inputs.TEXT_SUFFIXES``, folders read recursively) are one document each;
JSONL files hold one ``{"url": ..., "text": ...}`` document a line.  Ray Data reads them,
``map_batches`` runs a ``Predictor`` actor per worker (the model is loaded once per actor) and
each batch is written by its actor as one JSONL shard in ``output_dir``: one line per document,
``{"source": ..., "text": ..., "entities": [...], "relations": [...]}`` as ``canbo predict
--format jsonl`` writes it (source = the file, or the record's url), plus ``model_version`` (as
``canbo index`` records it), so that ``canbo index --from DIR`` stores the shards as they are.  A document that cannot be
read or predicted is a line of ``errors.jsonl`` (``{"source", "error"}``) and costs nothing else.

``RAY_ADDRESS`` (or ``address=``) runs on an existing cluster (``ray start --head``); otherwise a
local Ray instance with ``workers`` CPUs is started.  On a cluster, ``output_dir`` must be a folder
every node can write (a shared file system).  Ray is the optional extra ``canbo[scale]``.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from canbo.model.inputs import TEXT_SUFFIXES, decode_bytes

DOCS_PER_BATCH = 16  # documents per map_batches call (and per shard)


class Predictor:
    """One Ray actor: a loaded pipeline that predicts batches of rows and writes them as shards."""

    def __init__(self, model: str | None, output_dir: str, batch_size: int = 32):
        import torch

        from canbo.model.directory.store import model_version
        from canbo.model.pipeline import load

        torch.set_num_threads(1)  # one actor per CPU: actors sharing cores must not oversubscribe them
        self.pipe = load(model)
        self.version = model_version(model)  # each line says which model made it (canbo index --from)
        self.pipe.workers = 0
        self.output_dir = Path(output_dir)
        self.batch_size = batch_size

    def __call__(self, batch: dict) -> dict:
        from canbo.model.normalise import with_page_date

        docs, dates, errors = [], {}, []
        for source, text, date, error in _documents(batch):
            if error is None:
                docs.append((source, text))
                dates[source] = date
            else:
                errors.append({"source": source, "error": error})
        lines = []
        for source, result in self._predict(docs):
            if isinstance(result, str):
                errors.append({"source": source, "error": result})
            else:  # a record's own date wins over the page's header lines, as in canbo index
                result = with_page_date(result, dates.get(source))
                record = {"source": source, **result.to_dict(), "model_version": self.version}
                lines.append(json.dumps(record, ensure_ascii=False))
        shard = ""
        if lines:
            path = self.output_dir / f"shard-{uuid.uuid4().hex}.jsonl"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            shard = path.name
        return {
            "shard": [shard],
            "documents": [len(lines)],
            "errors": [json.dumps(errors, ensure_ascii=False)],
        }

    def _predict(self, docs: list[tuple[str, str]]):
        """(source, Document or the error's message); a failing batch is redone document by document."""
        try:
            yield from zip(
                (s for s, _ in docs), self.pipe.predict_batch([t for _, t in docs], self.batch_size)
            )
            return
        except Exception:  # noqa: BLE001 - find which document failed, and keep the others
            pass
        for source, text in docs:
            try:
                yield source, self.pipe.predict(text)
            except Exception as exc:  # noqa: BLE001 - one failing document never loses the others
                yield source, f"prediction failed ({exc})"


def _documents(batch: dict):
    """(source, text, date, None) or (source, None, None, error) for each row: a text file's bytes or
    a JSONL line (whose optional ``date`` is the page date)."""
    from canbo.model.normalise.dates import is_iso_date

    if "bytes" in batch:
        for path, raw in zip(batch["path"], batch["bytes"]):
            try:
                yield str(path), decode_bytes(bytes(raw), str(path)), None, None
            except ValueError as exc:
                yield str(path), None, None, str(exc)
        return
    for path, line in zip(batch["path"], batch["text"]):
        if not str(line).strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield str(path), None, None, f"a line is not JSON ({exc.msg})"
            continue
        if not isinstance(record, dict):
            yield str(path), None, None, "a line is not a JSON object"
            continue
        source = str(record.get("url") or path)
        text, date = record.get("text"), record.get("date")
        if not isinstance(text, str):
            yield source, None, None, f"'text' must be a string, not {type(text).__name__}"
        elif date is not None and not is_iso_date(date):
            yield source, None, None, f"'date' must be a date written YYYY-MM-DD, not {date!r}"
        else:
            yield source, text, date, None


def corpus_files(inputs: list[str]) -> tuple[list[str], list[str]]:
    """(text files, JSONL files) of the inputs, folders expanded recursively; ValueError for a
    path that does not exist or a folder without inputs."""
    texts, jsonl = [], []
    for arg in inputs:
        path = Path(arg)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (*TEXT_SUFFIXES, ".jsonl")
            )
            if not found:
                raise ValueError(f"folder {path} has no text or JSONL files")
        elif path.is_file():
            found = [path]
        else:
            raise ValueError(f"{arg} is not a file or folder")
        for p in found:
            (jsonl if p.suffix.lower() == ".jsonl" else texts).append(str(p.resolve()))
    return texts, jsonl


def check_output_dir(output_dir: str | os.PathLike) -> None:
    """InputError unless ``output_dir`` can take this run's shards: a folder (or a new path) that holds
    no shards of an earlier run, which ``canbo index --from`` would read with the new ones."""
    from canbo.model.inputs import InputError

    out = Path(output_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--output {output_dir} is a file; --engine ray needs a folder")
    if out.is_dir() and any(out.glob("shard-*.jsonl")):
        raise InputError(f"--output {output_dir} already holds shards of an earlier run: give an empty or new folder")


def predict_corpus(
    inputs: list[str],
    output_dir: str | os.PathLike,
    model: str | None = None,
    workers: int | None = None,
    batch_size: int = 32,
    docs_per_batch: int = DOCS_PER_BATCH,
    address: str | None = None,
) -> dict:
    """Predict every document of ``inputs`` on Ray; returns ``{"documents", "errors", "shards"}``
    (errors as ``{"source", "error"}``, also written to ``output_dir/errors.jsonl``)."""
    try:
        import ray
    except ImportError as exc:
        raise RuntimeError("the Ray engine needs Ray: pip install 'canbo[scale]'") from exc
    texts, jsonl = corpus_files(inputs)
    check_output_dir(output_dir)
    out = Path(output_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if model is not None and Path(model).exists():
        model = str(Path(model).resolve())  # actors may run in another folder
    address = address or os.environ.get("RAY_ADDRESS") or None
    import logging

    logging.getLogger("ray.data").setLevel(logging.WARNING)  # Ray Data's per-dataset plans and stats
    started = not ray.is_initialized()
    if started:
        local = {} if address else {"num_cpus": workers or None, "include_dashboard": False}
        ray.init(address=address, log_to_driver=False, configure_logging=False, **local)
    try:
        import ray.data

        ray.data.DataContext.get_current().enable_progress_bars = False
        parts = []
        # reading is light: it takes no CPU slot, so that actors holding every CPU cannot starve it
        if texts:
            parts.append(ray.data.read_binary_files(texts, include_paths=True, num_cpus=0))
        if jsonl:
            parts.append(ray.data.read_text(jsonl, include_paths=True, num_cpus=0))
        n_actors = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        kwargs = {"model": model, "output_dir": str(out), "batch_size": batch_size}
        results = []
        for ds in parts:  # text files and JSONL lines have different columns: one pass each
            results += ds.map_batches(
                Predictor, fn_constructor_kwargs=kwargs, batch_size=docs_per_batch, batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=n_actors), num_cpus=1,
            ).take_all()  # fmt: skip
    finally:
        if started:
            ray.shutdown()
    errors = [e for r in results for e in json.loads(r["errors"])]
    (out / "errors.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors), encoding="utf-8"
    )
    return {
        "documents": int(sum(r["documents"] for r in results)),
        "errors": errors,
        "shards": sorted(r["shard"] for r in results if r["shard"]),
    }
