"""Validate gold JSONL lines and say, in one sentence, what is wrong.

``validate_line`` never raises: it returns the parsed object and a list of
problems, so ``canbo data validate`` can report every bad line of every file.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from canbo.model.labels import ENTITY_LABELS, RELATION_LABELS, RELATION_SIGNATURES
from canbo.model.schema import jsonl_lines


def _is_punct_or_space(ch: str, closing: bool) -> bool:
    if ch.isspace():
        return True
    if closing and ch in "%‰":  # a closing % (or per mille) belongs to the number
        return False
    return unicodedata.category(ch).startswith("P")


def _check_entity(e: Any, text: str, k: int) -> list[str]:
    if not isinstance(e, dict):
        return [f"entity #{k} is not an object"]
    for key in ("id", "start", "end", "label"):
        if key not in e:
            return [f"entity #{k} has no '{key}'"]
    eid, start, end, label = e["id"], e["start"], e["end"], e["label"]
    if not isinstance(eid, str) or not eid:
        return [f"entity #{k} has an id that is not a non-empty string"]
    if not isinstance(label, str) or label not in ENTITY_LABELS:
        return [f"entity {eid} has unknown label {label!r} (allowed: {', '.join(ENTITY_LABELS)})"]
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        return [f"entity {eid} has non-integer offsets"]
    if not 0 <= start < end <= len(text):
        return [f"entity {eid} offsets [{start}, {end}) are out of range for a text of length {len(text)}"]
    span = text[start:end]
    if "text" in e and e["text"] != span:
        return [f"entity {eid} text {e['text']!r} does not match text[{start}:{end}] = {span!r}"]
    if _is_punct_or_space(span[0], closing=False) or _is_punct_or_space(span[-1], closing=True):
        return [f"entity {eid} span {span!r} starts or ends with whitespace or punctuation"]
    return []


def _check_relations(rels: Any, by_id: dict[str, dict]) -> list[str]:
    if not isinstance(rels, list):
        return ["'relations' is not a list"]
    seen = set()
    for k, r in enumerate(rels):
        if not isinstance(r, dict) or not {"head", "tail", "label"} <= set(r):
            return [f"relation #{k} needs 'head', 'tail' and 'label'"]
        if not isinstance(r["label"], str) or r["label"] not in RELATION_LABELS:
            return [f"relation #{k} has unknown label {r['label']!r} (allowed: {', '.join(RELATION_LABELS)})"]
        for end in ("head", "tail"):
            if not isinstance(r[end], str) or r[end] not in by_id:
                return [f"relation #{k} points at missing entity id {r[end]!r}"]
        want_head, want_tail = RELATION_SIGNATURES[r["label"]]
        got = (by_id[r["head"]]["label"], by_id[r["tail"]]["label"])
        if got != (want_head, want_tail):
            return [f"relation #{k} {r['label']} links {got[0]} -> {got[1]}, expected {want_head} -> {want_tail}"]
        key = (r["head"], r["tail"], r["label"])
        if key in seen:
            return [f"relation #{k} duplicates an earlier relation {r['head']} -> {r['tail']}"]
        seen.add(key)
    return []


def validate_record(obj: Any) -> list[str]:
    """Return the problems of one parsed record (empty when it is valid)."""
    if not isinstance(obj, dict):
        return ["the line is not a JSON object"]
    text = obj.get("text")
    if not isinstance(text, str):
        return ["'text' is missing or not a string"]
    ents = obj.get("entities", [])
    if not isinstance(ents, list):
        return ["'entities' is not a list"]
    by_id: dict[str, dict] = {}
    for k, e in enumerate(ents):
        problems = _check_entity(e, text, k)
        if problems:
            return problems
        if e["id"] in by_id:
            return [f"entity id {e['id']!r} is used twice"]
        by_id[e["id"]] = e
    ordered = sorted(ents, key=lambda e: (e["start"], e["end"]))
    for a, b in zip(ordered, ordered[1:]):
        if b["start"] < a["end"]:
            return [f"entities {a['id']} and {b['id']} overlap"]
    return _check_relations(obj.get("relations", []), by_id)


def validate_line(line: str) -> tuple[Any, list[str]]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, [f"bad JSON ({exc.msg} at column {exc.colno})"]
    except RecursionError:
        return None, ["bad JSON (nested too deeply)"]
    except ValueError as exc:  # e.g. an integer of thousands of digits
        return None, [f"bad JSON ({exc})"]
    return obj, validate_record(obj)


def validate_file(path: str | Path) -> tuple[int, list[str]]:
    """Validate a JSONL file; return (number of records, ["file:line: reason", ...])."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return 0, [f"{path}: cannot be read ({exc.strerror or exc})"]
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError:
        return 0, [f"{path}: is not UTF-8 text"]
    errors, count = [], 0
    for lineno, line in enumerate(jsonl_lines(content), start=1):
        if not line.strip():
            continue
        count += 1
        _, problems = validate_line(line)
        errors += [f"{path}:{lineno}: {p}" for p in problems]
    return count, errors
