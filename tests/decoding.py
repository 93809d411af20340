"""Decoding what the server writes, as a client written in Python would (tests and bench)."""

from __future__ import annotations

import base64
import json
import struct
import zlib

import numpy as np


def unpack(text: str) -> bytes:
    """base64 -> bytes -> inflate: the inverse of app.wire.encoding.pack."""
    return zlib.decompress(base64.b64decode(text))


def decode_grid(text: str, low: float, high: float, shape: tuple[int, ...]) -> np.ndarray:
    """Bytes back to values: low + (high - low) * byte / 255."""
    raw = np.frombuffer(unpack(text), dtype=np.uint8).reshape(shape)
    return low + (high - low) * raw / 255.0


def decode_binary(data: bytes) -> dict:
    """A binary message (app.wire.encoding.encode_binary) as a dict: its JSON head, with each
    grid's bytes under "data" again (inflated when its encoding is u8-deflate)."""
    (size,) = struct.unpack_from(">I", data)
    tail = data[4 + size :]

    def attach(node: object) -> object:
        if isinstance(node, list):
            return [attach(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: attach(value) for key, value in node.items()}
        if "offset" in out and "size" in out:
            start, size = out.pop("offset"), out.pop("size")
            raw = tail[start : start + size]
            out["data"] = zlib.decompress(raw) if out.get("encoding") == "u8-deflate" else raw
        return out

    message = attach(json.loads(data[4 : 4 + size]))
    assert isinstance(message, dict)
    return message


def bytes_grid(data: bytes, low: float, high: float, shape: tuple[int, ...]) -> np.ndarray:
    """Raw grid bytes back to values: low + (high - low) * byte / 255."""
    return low + (high - low) * np.frombuffer(data, dtype=np.uint8).reshape(shape) / 255.0
