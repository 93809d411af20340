"""create_app(): settings, services, every router and page in one place, the static files."""

from __future__ import annotations

import sys

from fastapi import FastAPI

from app import __version__
from app.contours import landscape, race_landscape, surfaces
from app.playground import endpoint
from app.playground.table import Extension
from app.rest import datasets, lessons, options, runs
from app.rooms import member, teacher_socket
from app.rooms import routes as rooms
from app.rooms.hub import Hub
from app.server import apidocs, handlers, health, openapi, pages
from app.server.assets import StaticAssets
from app.settings import Settings, get_settings
from app.shared.cores import available_cores
from app.shared.log_redaction import redact_tokens_in_logs
from app.shared.run_pool import RunExecutor
from app.shared.security import SecurityMiddleware
from app.sweeps import routes as sweeps

ROUTERS = (
    health.router,
    options.router,
    datasets.router,
    runs.router,
    lessons.router,
    landscape.router,
    surfaces.router,
    sweeps.router,
    rooms.router,
    teacher_socket.router,
    pages.router,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The Descent application."""
    app = FastAPI(
        title="Descent",
        version=__version__,
        description="A visual training playground for small neural networks.",
        docs_url=None,  # served by app.server.apidocs from local files
        redoc_url=None,  # ReDoc exists only as a CDN script
    )
    app.state.settings = settings = settings or get_settings()
    if settings.switch_interval:  # the event loop waits less for the GIL behind trainers
        sys.setswitchinterval(settings.switch_interval)
    app.state.runs = RunExecutor(settings.run_workers or available_cores(), settings.run_queue)
    app.add_middleware(SecurityMiddleware, settings=settings)
    redact_tokens_in_logs()
    handlers.install(app)
    rooms.install(app)  # the room service: its hub, errors and shutdown
    endpoint.install(app, extensions=socket_extensions(app.state.rooms))
    for router in ROUTERS:
        app.include_router(router)
    apidocs.install(app)
    openapi.install(app, settings)
    app.mount("/static", StaticAssets(pages.assets), name="static")
    return app


def socket_extensions(hub: Hub | None) -> tuple[Extension, ...]:
    """What other parts add to the playground socket: a room's `join`, a race's `landscape`."""
    return (member.extension(hub), race_landscape.extension())


app = create_app()
