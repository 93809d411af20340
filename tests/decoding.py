"""Decoding what the server writes, as a client written in Python would (tests and bench)."""

from __future__ import annotations

import base64
import zlib

import numpy as np


def unpack(text: str) -> bytes:
    """base64 -> bytes -> inflate: the inverse of app.wire.encoding.pack."""
    return zlib.decompress(base64.b64decode(text))


def decode_grid(text: str, low: float, high: float, shape: tuple[int, ...]) -> np.ndarray:
    """Bytes back to values: low + (high - low) * byte / 255."""
    raw = np.frombuffer(unpack(text), dtype=np.uint8).reshape(shape)
    return low + (high - low) * raw / 255.0
