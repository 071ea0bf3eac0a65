"""The text of a request body: bounded in size, strictly decoded, never a traceback.

A body is either JSON ``{"text": "..."}`` (``Content-Type: application/json``) or the raw
bytes of a text file (any other type), decoded like a file given to ``canbo predict``.
"""

from __future__ import annotations

import json

from canbo.model.inputs import decode_bytes

# A 1 MB page in UTF-8 (Vietnamese: ~1.4 bytes a character) with room to spare.
MAX_BODY_BYTES = 2 * 1024 * 1024


class BodyError(ValueError):
    """A request body that cannot be read; ``status`` is the HTTP code to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def check_length(header: str | None, limit: int) -> None:
    """Refuse a declared ``Content-Length`` over ``limit`` before reading anything."""
    if header is None:
        return
    try:
        declared = int(header)
    except ValueError:
        raise BodyError(400, f"the Content-Length header {header!r} is not a number") from None
    if declared > limit:
        raise too_large(limit)


def too_large(limit: int) -> BodyError:
    return BodyError(413, f"the request body is larger than the limit of {limit:,} bytes")


def is_json(content_type: str | None) -> bool:
    """``application/json`` (parameters such as charset ignored) and ``application/*+json``."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def body_text(raw: bytes, content_type: str | None) -> str:
    """The text a body carries; BodyError(400) for bytes that are not UTF-8, bad JSON or a wrong shape."""
    if is_json(content_type):
        return _json_text(raw)
    try:
        return decode_bytes(raw, "the request body")
    except ValueError as exc:
        raise BodyError(400, str(exc)) from None


def _json_text(raw: bytes) -> str:
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(400, f"the request body is not UTF-8 (bad byte at position {exc.start})") from None
    try:
        obj = json.loads(content[1:] if content.startswith("\ufeff") else content)
    except json.JSONDecodeError as exc:
        raise BodyError(
            400, f"the request body is not valid JSON ({exc.msg} at position {exc.pos})"
        ) from None
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise BodyError(400, 'the JSON body must be an object with a string field "text"')
    text = obj["text"]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # "\ud800" escapes decode to lone surrogates, which no text holds
        raise BodyError(400, f'"text" holds an unpaired surrogate escape at position {exc.start}') from None
    return text
