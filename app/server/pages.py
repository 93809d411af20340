"""Every HTML page of the product, from templates/: the playground, contours, sweeps and the
teacher's dashboard and spotlight; where the page's files (templates, static) are found, and
the one Assets (app/server/assets.py) that serves static/ and links it from the templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app import __version__
from app.server.assets import Assets

APP_DIR = Path(__file__).resolve().parent.parent


def asset_dir(name: str) -> Path:
    """The repo-level folder next to app/ when present, else the wheel's app/_assets copy."""
    checkout = APP_DIR.parent / name
    return checkout if checkout.is_dir() else APP_DIR / "_assets" / name


templates = Jinja2Templates(directory=str(asset_dir("templates")))
assets = Assets(asset_dir("static"))
templates.env.globals["static"] = assets.versioned  # static('css/x.css') -> css/x.css?v=<hash>
templates.env.globals["page_script"] = assets.page_script
router = APIRouter(include_in_schema=False)


def page(request: Request, name: str, **context: Any) -> HTMLResponse:
    """A template rendered with the server's version and the given context."""
    return templates.TemplateResponse(request, name, {"version": __version__, **context})


@router.get("/", response_class=HTMLResponse)
async def playground(request: Request) -> HTMLResponse:
    """The playground page."""
    return page(request, "index.html")


@router.get("/contours", response_class=HTMLResponse)
async def contours(request: Request) -> HTMLResponse:
    """Optimizers' paths on cost contours, and a trained network's loss landscape."""
    return page(request, "contours.html")


@router.get("/sweeps", response_class=HTMLResponse)
async def sweeps(request: Request) -> HTMLResponse:
    """The sweeps page: run a search, watch its trials, load one into the playground."""
    return page(request, "sweeps.html")


@router.get("/teach", response_class=HTMLResponse)
async def teach(request: Request) -> HTMLResponse:
    """The teacher's dashboard."""
    return page(request, "teach.html", root="", view="dashboard", code="")


@router.get("/teach/{code}/spotlight", response_class=HTMLResponse)
async def spotlight(request: Request, code: str) -> HTMLResponse:
    """The projector's view of the spotlighted student."""
    return page(request, "teach.html", root="../../", view="spotlight", code=code.upper()[:8])
