"""Every error a client sees is JSON ``{"error": "one sentence"}``; tracebacks stay in the server log."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from canbo.model.serve.body import BodyError

log = logging.getLogger("canbo.serve")


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def validation_message(exc: RequestValidationError) -> str:
    """The first problem FastAPI found, as "query parameter limit: Input should be ..."."""
    problems = exc.errors()
    if not problems:
        return "the request is not valid"
    first = problems[0]
    where = [str(p) for p in first.get("loc", ())]
    place = f"{where[0]} parameter {'.'.join(where[1:])}" if len(where) > 1 else "the request"
    return f"{place}: {first.get('msg', 'is not valid')}"


def add_handlers(app: FastAPI) -> None:
    """JSON errors for bad bodies, HTTP errors, invalid parameters and anything unexpected."""

    @app.exception_handler(BodyError)
    async def _body(request: Request, exc: BodyError) -> JSONResponse:
        return error(exc.status, str(exc))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error(422, validation_message(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error(500, "internal error while answering this request (the server log has the details)")
