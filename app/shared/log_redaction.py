"""Tokens never reach the logs: uvicorn's lines have every `token` query parameter hidden."""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

QUERY_PARAMETER = re.compile(r"(?P<key>[^?&=\s\"']+)=(?P<value>[^&\s\"']*)")


def redact(text: str) -> str:
    """Every query parameter whose decoded name is `token` (%74oken, TOKEN too) as ***."""

    def hide(found: re.Match[str]) -> str:
        if unquote_plus(found["key"]).strip().lower() == "token":
            return f"{found['key']}=***"
        return found[0]

    return QUERY_PARAMETER.sub(hide, text) if "=" in text else text


class RedactToken(logging.Filter):
    """Hides token parameters in log lines (uvicorn logs a WebSocket's path with its query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def redact_tokens_in_logs() -> None:
    """Install RedactToken on uvicorn's loggers (once)."""
    for name in ("uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) for f in logger.filters):
            logger.addFilter(RedactToken())
