"""Exception handlers: every bad input becomes a 422 whose details name the field."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.wire.errors import FieldError, readable


async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    """FastAPI's detail list, each entry with a dotted "field" and a readable "message"."""
    return JSONResponse({"detail": [readable(e) for e in error.errors()]}, status_code=422)


async def field_error(request: Request, error: FieldError) -> JSONResponse:
    """A limit or consistency error found after parsing."""
    return JSONResponse({"detail": [error.as_detail()]}, status_code=422)


async def value_error(request: Request, error: ValueError) -> JSONResponse:
    """A ValueError from core: still the caller's input, so 422."""
    detail = {"type": "value_error", "loc": ["body"], "msg": str(error), "field": None,
              "message": str(error)}  # fmt: skip
    return JSONResponse({"detail": [detail]}, status_code=422)


async def http_error(request: Request, error: StarletteHTTPException) -> Response:
    """A body FastAPI could not even parse (400) as a whole-body 422-style detail list;
    other HTTP errors (404, 405, ...) keep Starlette's answer."""
    if error.status_code != 400:
        return await http_exception_handler(request, error)
    detail = {"type": "body_error", "loc": ["body"], "msg": str(error.detail), "field": None,
              "message": f"body: {error.detail}"}  # fmt: skip
    return JSONResponse({"detail": [detail]}, status_code=400)


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(FieldError, field_error)  # type: ignore[arg-type]
    app.add_exception_handler(ValueError, value_error)  # type: ignore[arg-type]
