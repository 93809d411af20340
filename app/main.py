"""create_app(): settings, routers, error handlers, the page and its static files."""

from __future__ import annotations

import sys
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app import (
    __version__,
    api,
    apidocs,
    data,
    handlers,
    landscape,
    openapi,
    rooms,
    surfaces,
    sweeps,
    teaching,
    ws,
)
from app.executor import RunExecutor
from app.limits import SessionCount
from app.security import SecurityMiddleware, redact_tokens_in_logs
from app.settings import Settings, get_settings
from app.workers import available_cores

HERE = Path(__file__).resolve().parent


def asset_dir(name: str) -> Path:
    """The repo-level folder next to app/ when present, else the wheel's app/_assets copy."""
    checkout = HERE.parent / name
    return checkout if checkout.is_dir() else HERE / "_assets" / name


def create_app(settings: Settings | None = None) -> FastAPI:
    """The Descent application."""
    app = FastAPI(
        title="Descent",
        version=__version__,
        description="A visual training playground for small neural networks.",
        docs_url=None,  # served by app.apidocs from local files
        redoc_url=None,  # ReDoc exists only as a CDN script
    )
    app.state.settings = settings = settings or get_settings()
    if settings.switch_interval:  # the event loop waits less for the GIL behind trainers
        sys.setswitchinterval(settings.switch_interval)
    app.state.sessions = SessionCount(settings.max_sessions, settings.max_sessions_per_client)
    app.state.runs = RunExecutor(settings.run_workers or available_cores(), settings.run_queue)
    app.add_middleware(SecurityMiddleware, settings=settings)
    redact_tokens_in_logs()
    handlers.install(app)
    app.include_router(api.router)
    app.include_router(data.router)
    app.include_router(teaching.router)
    app.include_router(landscape.router)
    app.include_router(surfaces.router)
    app.include_router(sweeps.router)
    app.include_router(ws.router)
    apidocs.install(app)
    openapi.install(app, settings)
    templates = Jinja2Templates(directory=str(asset_dir("templates")))
    rooms.install(app, templates)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(request: Request) -> HTMLResponse:
        """The playground page."""
        return templates.TemplateResponse(request, "index.html", {"version": __version__})

    @app.get("/contours", response_class=HTMLResponse, include_in_schema=False)
    async def contours(request: Request) -> HTMLResponse:
        """Optimizers' paths on cost contours, and a trained network's loss landscape."""
        return templates.TemplateResponse(request, "contours.html", {"version": __version__})

    @app.get("/sweeps", response_class=HTMLResponse, include_in_schema=False)
    async def sweeps_page(request: Request) -> HTMLResponse:
        """The sweeps page: run a search, watch its trials, load one into the playground."""
        return templates.TemplateResponse(request, "sweeps.html", {"version": __version__})

    app.mount("/static", StaticFiles(directory=str(asset_dir("static"))), name="static")
    return app


app = create_app()
