"""Exception handlers: every bad input becomes a 422 whose details name the field."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.errors import FieldError, readable


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


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(FieldError, field_error)  # type: ignore[arg-type]
    app.add_exception_handler(ValueError, value_error)  # type: ignore[arg-type]
