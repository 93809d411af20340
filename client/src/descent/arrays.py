"""NumPy when the notebook has it, nested lists otherwise; and the wire's grids decoded.

A grid travels as "u8-deflate-base64": row-major bytes, zlib-compressed, base64-encoded, each
byte standing for range[0] + (range[1] - range[0]) * byte / 255.
"""

from __future__ import annotations

import base64
import importlib
import zlib
from typing import Any


def numpy() -> Any:
    """The numpy module, or None when it is not installed."""
    try:
        return importlib.import_module("numpy")
    except ImportError:
        return None


def array(values: Any) -> Any:
    """Nested lists as a float64 NumPy array (None as NaN), or the lists themselves without
    NumPy."""
    np = numpy()
    if np is None:
        return values
    return np.array(values, dtype=float)


def arrays(named: dict[str, Any] | None) -> dict[str, Any]:
    """{"W1": [[...]], ...} with each value through array()."""
    return {name: array(values) for name, values in (named or {}).items()}


def grid_bytes(data: str) -> bytes:
    """The raw bytes of a u8-deflate-base64 text."""
    return zlib.decompress(base64.b64decode(data))


def decode_grids(data: str, low: float, high: float, count: int, resolution: int) -> Any:
    """`count` grids of resolution x resolution values: a NumPy array of shape
    (count, resolution, resolution), or nested lists of that shape without NumPy."""
    raw = grid_bytes(data)
    scale = (high - low) / 255.0
    np = numpy()
    if np is not None:
        values = low + scale * np.frombuffer(raw, dtype=np.uint8).astype(float)
        return values.reshape(count, resolution, resolution)
    flat = [low + scale * byte for byte in raw]
    rows = [flat[start : start + resolution] for start in range(0, len(flat), resolution)]
    return [rows[g * resolution : (g + 1) * resolution] for g in range(count)]
