"""Descent's web server: FastAPI routes and the WebSocket playground session over core/."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("descent-playground")
except PackageNotFoundError:  # running from a checkout that was not pip-installed
    __version__ = "0.1.0"
