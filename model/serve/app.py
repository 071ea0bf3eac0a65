"""The FastAPI app: prediction API, directory API, and the web page that uses both.

The model is loaded once by the caller; one worker thread predicts (``batcher.Batcher``: requests
that arrive together share a ``predict_batch``), so the event loop keeps answering ``/health`` and
the page while a long text is read. The directory (thread-safe) is opened once and shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from canbo.model.cli import _version
from canbo.model.formats import COLORS, highlight
from canbo.model.officials import officials
from canbo.model.schema import Document, document_from_dict
from canbo.model.serve.batcher import Batcher
from canbo.model.serve.body import MAX_BODY_BYTES, body_text, check_length, too_large
from canbo.model.serve.errors import add_handlers

STATIC = Path(__file__).parent / "static"
WARM_UP = "Chủ tịch UBND tỉnh phát biểu."

TEXT_BODY = {  # the two bodies /api/predict and /api/view take, for the OpenAPI page
    "required": True,
    "content": {
        "application/json": {
            "schema": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
            "example": {"text": "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị."},
        },
        "text/plain": {
            "schema": {
                "type": "string",
                "description": "a text file: UTF-8 (BOM allowed) or UTF-16 with a BOM",
            }
        },
    },
}


class Service:
    """What the routes share: the model (behind its batcher) and the directory, if there is one."""

    def __init__(self, pipeline, directory, model_name: str, max_body: int):
        self.pipeline, self.directory, self.model_name, self.max_body = (
            pipeline,
            directory,
            model_name,
            max_body,
        )
        self.batcher = Batcher(pipeline)

    async def predict(self, text: str) -> Document:
        return await asyncio.wrap_future(self.batcher.submit(text))

    async def read_text(self, request: Request) -> str:
        """The body's text, refused (413) as soon as it passes ``max_body`` bytes, declared or streamed."""
        check_length(request.headers.get("content-length"), self.max_body)
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                raise too_large(self.max_body)
            chunks.append(chunk)
        return body_text(b"".join(chunks), request.headers.get("content-type"))

    def ask(self):
        """The directory; 503 when the server was started without one."""
        if self.directory is None:
            raise HTTPException(
                503, "this server has no directory (start canbo serve with --db directory.sqlite)"
            )
        return self.directory

    def close(self) -> None:
        self.batcher.close()
        if self.directory is not None:
            self.directory.close()


def create_app(
    pipeline, directory=None, model_name: str = "default", max_body: int = MAX_BODY_BYTES
) -> FastAPI:
    """The app over a loaded ``pipeline`` and an open ``canbo.model.directory.Directory`` (or None),
    which the app closes when it shuts down."""
    pipeline.predict(WARM_UP)  # the first prediction loads the word segmenter: not on a user's time
    service = Service(pipeline, directory, model_name, max_body)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        service.close()

    app = FastAPIOffline(  # /docs from files in the package, not a CDN
        title="canbo",
        version=_version(),
        description="Officials, positions, bodies, places and figures from Vietnamese local-government news. "
        'Errors are JSON `{"error": "..."}`.',
        lifespan=lifespan,
    )
    app.state.service = service
    add_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    page = (STATIC / "index.html").read_text(encoding="utf-8").replace("<!--legend-->", legend_html())

    @app.get("/health", summary="Liveness, the model and the directory in use")
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "version": _version(),
            "model": service.model_name,
            "directory": None if service.directory is None else str(service.directory.path),
            "max_body_bytes": service.max_body,
        }

    @app.post(
        "/api/predict",
        summary="Entities and relations of a text",
        description="The Document JSON of `canbo predict --format json`: `text`, `entities` "
        "(`start`, `end` character offsets, exclusive end; `text`, `label`, `score`, `source`) and `relations` "
        '(`head`, `tail` entity indices; `label`, `score`). Body: JSON `{"text": ...}` or a text file\'s bytes. '
        "Over the size limit: 413; not UTF-8, bad JSON or no `text`: 400.",
        openapi_extra={"requestBody": TEXT_BODY},
        response_class=Response,
        responses={200: {"content": {"application/json": {}}}},
    )
    async def predict(request: Request) -> Response:
        text = await service.read_text(request)
        doc = await service.predict(text)
        return Response(doc.to_json(), media_type="application/json")

    @app.post(
        "/api/view",
        summary="What the page shows for a text",
        description="`html`: the text with entities highlighted and relations listed (as `canbo predict --format html`); "
        "`officials`: person → positions (as `canbo officials`); counts and the prediction time. Same body as /api/predict.",
        openapi_extra={"requestBody": TEXT_BODY},
    )
    async def view(request: Request) -> JSONResponse:
        text = await service.read_text(request)
        began = time.perf_counter()
        doc = await service.predict(text)
        seconds = time.perf_counter() - began
        return JSONResponse(await run_in_threadpool(view_of, doc, seconds))  # a 1 MB page: off the event loop

    @app.get("/api/officials", summary="Search the directory by office, locality and person")
    def search(
        office: str | None = Query(None, description="words of the office, e.g. 'Bí thư'"),
        locality: str | None = Query(None, description="a province, district or commune"),
        person: str | None = Query(None, description="a name or part of one"),
        limit: int = Query(100, ge=1, le=1000),
    ) -> list[dict[str, Any]]:
        return service.ask().officials(
            office=office or None, locality=locality or None, person=person or None, limit=limit
        )

    @app.get(
        "/api/people/{person_id}",
        summary="A person's offices over time, with the evidence for merging mentions",
    )
    def person(person_id: int) -> dict[str, Any]:
        found = service.ask().person(person_id)
        if found is None:
            raise HTTPException(404, f"no person {person_id} in the directory")
        return found

    @app.get("/api/documents/{document_id}", summary="An indexed page: its text, entities and relations")
    def document(document_id: int) -> dict[str, Any]:
        return _document(service, document_id)

    @app.get("/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(document_id: int, start: int | None = None, end: int | None = None) -> HTMLResponse:
        found = _document(service, document_id)
        focus = (start, end) if start is not None and end is not None else None
        return HTMLResponse(document_html(found, focus))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(page)

    return app


def _document(service: Service, document_id: int) -> dict[str, Any]:
    found = service.ask().document(document_id)
    if found is None:
        raise HTTPException(404, f"no document {document_id} in the directory")
    return found


def view_of(doc: Document, seconds: float) -> dict[str, Any]:
    """The answer of /api/view for a predicted document."""
    return {
        "html": highlight(doc),
        "officials": officials(doc),
        "entities": len(doc.entities),
        "relations": len(doc.relations),
        "characters": len(doc.text),
        "seconds": round(seconds, 3),
    }


def legend_html() -> str:
    """One swatch per label, in the colours of ``canbo predict --format html``."""
    return "".join(
        f'<span class="swatch" style="background:{c}">{html.escape(label)}</span>'
        for label, c in COLORS.items()
    )


def document_html(found: dict[str, Any], focus: tuple[int, int] | None) -> str:
    """A directory page on its own: the source, the date, the text highlighted, the sentence in ``focus`` marked."""
    doc = document_from_dict(found)
    title = html.escape(str(found.get("source") or f"document {found.get('id')}"))
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f'<title>{title} · canbo</title><link rel="stylesheet" href="/static/app.css"></head><body class="page">'
        f'<p><a href="/">← canbo</a></p><h1>{title}</h1>{_original_link(found.get("source"))}'
        f'<p class="meta">{legend_html()}</p>'
        f"{highlight(doc, focus)}"
        '<script>document.getElementById("focus")?.scrollIntoView({block:"center"})</script></body></html>\n'
    )


def _original_link(source: Any) -> str:
    """A link to the page on the web when its source is a web address (nothing is loaded from it)."""
    if not isinstance(source, str) or not source.startswith(("http://", "https://")):
        return ""
    url = html.escape(source, quote=True)
    return f'<p class="meta">original: <a href="{url}" rel="noreferrer noopener">{url}</a></p>'
