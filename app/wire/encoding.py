"""Wire encodings: grids as uint8 (+ deflate, + base64 in JSON text), floats and matrices as
JSON-safe lists, binary messages as a JSON head followed by the grids' bytes.

Messages are serialised by orjson: it writes NumPy arrays directly and NaN/inf as null.
"""

from __future__ import annotations

import base64
import json
import math
import struct
import zlib

import numpy as np
import orjson

Array = np.ndarray
GRID_ENCODING = "u8-deflate-base64"
RAW, DEFLATED = "u8", "u8-deflate"  # grids of binary messages
DEFLATE_FROM = 4096  # bytes: a smaller grid is sent raw (deflating it saves too little)
DEFLATE_PAYS = 0.75  # a deflated grid is sent only if at most this share of the raw bytes
SMALL = 64
HEAD = struct.Struct(">I")


def encode_message(message: dict) -> str:
    """Compact JSON text of a message; NumPy arrays become lists, NaN and inf become null."""
    try:
        return orjson.dumps(message, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    except TypeError:  # e.g. an error message echoing an integer beyond 64 bits
        return json.dumps(message, separators=(",", ":"), default=plain)


def plain(value: object) -> object:
    """What the standard json module cannot write itself: arrays as lists, the rest as text."""
    return value.tolist() if isinstance(value, np.ndarray) else str(value)


def quantise(values: Array, low: float, high: float) -> bytes:
    """byte = round(255 (v - low) / (high - low)), clipped to 0..255; NaN becomes 0."""
    span = high - low if high > low else 1.0
    scaled = values * (255.0 / span)
    scaled += 0.5 - low * (255.0 / span)
    if not np.isfinite(scaled).all():
        scaled = np.nan_to_num(scaled, nan=0.0, posinf=255.0, neginf=0.0)
    np.clip(scaled, 0.0, 255.0, out=scaled)
    return scaled.astype(np.uint8).tobytes()


def pack(data: bytes) -> str:
    """zlib-compress (deflate with header) and base64-encode."""
    return base64.b64encode(zlib.compress(data, 1)).decode("ascii")


def encode_grid(values: Array, low: float, high: float) -> str:
    """A grid (any shape, row-major) as u8-deflate-base64 text."""
    return pack(quantise(values, low, high))


def grid_bytes(values: Array, low: float, high: float, deflate: bool) -> tuple[str, bytes]:
    """(encoding, bytes) of a grid for a binary message: with `deflate` (smooth grids: it pays)
    deflated at level 1 if DEFLATE_FROM bytes or more and shrunk to at most DEFLATE_PAYS of
    them, else raw uint8."""
    raw = quantise(values, low, high)
    if not deflate or len(raw) < DEFLATE_FROM:
        return RAW, raw
    packed = zlib.compress(raw, 1)
    return (DEFLATED, packed) if len(packed) <= DEFLATE_PAYS * len(raw) else (RAW, raw)


def split_bytes(node: object, blobs: list[bytes], at: list[int]) -> object:
    """A copy of a message's dicts and lists in which every bytes value under "data" moved to
    `blobs`, its place taken by "offset" and "size" (bytes from the start of the tail)."""
    if isinstance(node, list):  # lists of numbers are left as they are
        return [split_bytes(item, blobs, at) for item in node] if has_dicts(node) else node
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "data" and isinstance(value, bytes):
            out["offset"], out["size"] = at[0], len(value)
            blobs.append(value)
            at[0] += len(value)
        elif isinstance(value, dict | list):
            out[key] = split_bytes(value, blobs, at)
        else:
            out[key] = value
    return out


def has_dicts(items: list) -> bool:
    """Whether a list holds dicts (judged by its first item: lists on the wire are uniform)."""
    return bool(items) and isinstance(items[0], dict)


def encode_binary(message: dict) -> bytes:
    """A binary message: a 4-byte big-endian length n, n bytes of JSON (as encode_message),
    then the tail of every grid's bytes in order (see split_bytes)."""
    blobs: list[bytes] = []
    head = orjson.dumps(split_bytes(message, blobs, [0]), option=orjson.OPT_SERIALIZE_NUMPY)
    return b"".join([HEAD.pack(len(head)), head, *blobs])


def value_range(values: Array) -> tuple[float, float]:
    """(min, max) of the finite values, widened to a non-empty interval."""
    if values.size == 0:
        return 0.0, 1.0
    low, high = float(values.min()), float(values.max())
    if not (math.isfinite(low) and math.isfinite(high)):  # only then pick the finite ones
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return 0.0, 1.0
        low, high = float(finite.min()), float(finite.max())
    return (low, high) if high > low else (low - 0.5, high + 0.5)


def finite(value: float | None) -> float | None:
    """The float, or None when it is missing, NaN or infinite (JSON has no NaN)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def matrix(values: Array, digits: int | None = None) -> list[list[float | None]]:
    """A 2-D array as nested lists (NaN/inf as None), optionally rounded to `digits` significant."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 1:
        array = array[:, None]
    if digits is not None:
        array = significant(array, digits)
    if np.isfinite(array).all():
        return array.tolist()
    return [[finite(v) for v in row] for row in array.tolist()]


def significant(values: Array, digits: int) -> Array:
    """Values rounded to `digits` significant figures (for compact JSON)."""
    with np.errstate(all="ignore"):
        magnitude = np.where(values == 0, 0, np.floor(np.log10(np.abs(values))))
        magnitude = np.nan_to_num(magnitude, nan=0.0, posinf=0.0, neginf=0.0)
        scale = 10.0 ** (digits - 1 - magnitude)
        return np.round(values * scale) / scale


def decimals_for(values: Array, digits: int) -> int:
    """Decimal places that keep `digits` significant digits of the largest finite |value|."""
    finite_values = np.abs(values[np.isfinite(values)])
    largest = float(finite_values.max()) if finite_values.size else 0.0
    if largest == 0.0:
        return digits
    return max(0, min(15, digits - 1 - math.floor(math.log10(largest))))


def float_list(values: Array, digits: int | None = None) -> list[float | None]:
    """A 1-D array as a list (NaN/inf as None), optionally rounded to significant figures."""
    array = np.asarray(values, dtype=np.float64).ravel()
    if digits is not None and array.size <= SMALL:  # formatting beats NumPy's call overhead
        return [finite(float(f"{v:.{digits}g}")) for v in array.tolist()]
    if digits is not None:
        array = significant(array, digits)
    if np.isfinite(array).all():
        return array.tolist()
    return [finite(v) for v in array.tolist()]
