"""Checkpoints on the wire: a lane's Trainer state as JSON (arrays as base64 of little-endian
bytes, the generators' 128-bit integers as decimal strings, so JavaScript keeps them exact),
and back, validated like any input."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

import numpy as np
from pydantic import Field, StrictInt

from app.wire.config import Model, TrainConfig
from app.wire.errors import FieldError
from core import Trainer
from core.checkpoints import Checkpoint, capture, restore

FLOAT = "<f8"
INDEX = "<i4"
MAX_ITERATION = 10**12  # 58 days at the fastest pace (10,000 iterations x 20 frames a second)


def pack_array(values: np.ndarray, dtype: str) -> str:
    """base64 of the array's bytes in the given little-endian dtype."""
    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode("ascii")


def unpack_array(text: str, dtype: str, field: str) -> np.ndarray:
    """The array back; FieldError naming the field when it is not base64 of whole numbers."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise FieldError(field, "not base64") from None
    width = np.dtype(dtype).itemsize
    if len(raw) % width:
        raise FieldError(field, f"not a whole number of {width}-byte values")
    return np.frombuffer(raw, dtype=dtype).astype(np.float64 if dtype == FLOAT else np.int64)


def rng_view(state: dict[str, Any]) -> dict[str, Any]:
    """A PCG64 state with its big integers as strings."""
    inner = state["state"]
    return {
        "bit_generator": state["bit_generator"],
        "state": {"state": str(inner["state"]), "inc": str(inner["inc"])},
        "has_uint32": int(state["has_uint32"]),
        "uinteger": int(state["uinteger"]),
    }


class GeneratorState(Model):
    """numpy's PCG64 state, with the 128-bit integers as decimal strings."""

    bit_generator: Literal["PCG64"]
    state: dict[Literal["state", "inc"], str]
    has_uint32: StrictInt = Field(ge=0, le=1)
    uinteger: StrictInt = Field(ge=0, lt=2**32)

    def to_numpy(self, field: str) -> dict[str, Any]:
        """The state as numpy takes it."""
        try:
            inner = {k: int(v) for k, v in self.state.items()}
        except ValueError:
            raise FieldError(f"{field}.state", "integers must be decimal strings") from None
        if set(inner) != {"state", "inc"} or not all(0 <= v < 2**128 for v in inner.values()):
            raise FieldError(f"{field}.state", "needs 'state' and 'inc' in 0..2^128-1")
        return {"bit_generator": "PCG64", "state": inner, "has_uint32": self.has_uint32,
                "uinteger": self.uinteger}  # fmt: skip


class LaneState(Model):
    """One lane's checkpoint as the page keeps it."""

    iteration: StrictInt = Field(ge=0, le=MAX_ITERATION)
    epoch: StrictInt = Field(ge=0, le=MAX_ITERATION)  # and at most iteration (to_core)
    theta: str
    optimizer_t: StrictInt = Field(ge=0, le=MAX_ITERATION)
    learning_rate: float = Field(gt=0)
    base_learning_rate: float = Field(gt=0)
    buffers: list[str] = Field(max_length=2)
    batch_rng: GeneratorState
    dropout_rng: GeneratorState
    epoch_order: str | None
    batches_left: StrictInt = Field(ge=0, lt=2**31)
    running: str | None = None  # batch norm's running means and variances, layer by layer

    def to_core(self, field: str) -> Checkpoint:
        """The core checkpoint (shapes are checked when it is restored); an epoch ends after
        at least one iteration, so epoch <= iteration."""
        if self.epoch > self.iteration:
            reason = f"must not exceed iteration ({self.epoch} > {self.iteration})"
            raise FieldError(f"{field}.epoch", reason)
        order = self.epoch_order
        return Checkpoint(
            iteration=self.iteration,
            epoch=self.epoch,
            theta=unpack_array(self.theta, FLOAT, f"{field}.theta"),
            optimizer_t=self.optimizer_t,
            learning_rate=self.learning_rate,
            base_learning_rate=self.base_learning_rate,
            buffers={"theta": [unpack_array(b, FLOAT, f"{field}.buffers") for b in self.buffers]}
            if self.buffers
            else {},
            batch_rng=self.batch_rng.to_numpy(f"{field}.batch_rng"),
            dropout_rng=self.dropout_rng.to_numpy(f"{field}.dropout_rng"),
            epoch_order=None if order is None else unpack_array(order, INDEX, f"{field}.order"),
            batches_left=self.batches_left,
            running=None
            if self.running is None
            else unpack_array(self.running, FLOAT, f"{field}.running"),
        )


class ResumeLane(Model):
    """A lane to rebuild: its label, its (live) config and its state."""

    lane: StrictInt | None = Field(None, ge=0)  # as the checkpoint numbered it
    label: str = Field(max_length=60)
    config: TrainConfig
    state: LaneState


def lane_state(trainer: Trainer) -> dict[str, Any]:
    """A lane's checkpoint as JSON-ready data."""
    checkpoint = capture(trainer)
    buffers = checkpoint.buffers.get("theta", [])
    order = checkpoint.epoch_order
    return {
        "iteration": checkpoint.iteration,
        "epoch": checkpoint.epoch,
        "theta": pack_array(checkpoint.theta, FLOAT),
        "optimizer_t": checkpoint.optimizer_t,
        "learning_rate": checkpoint.learning_rate,
        "base_learning_rate": checkpoint.base_learning_rate,
        "buffers": [pack_array(b, FLOAT) for b in buffers],
        "batch_rng": rng_view(checkpoint.batch_rng),
        "dropout_rng": rng_view(checkpoint.dropout_rng),
        "epoch_order": None if order is None else pack_array(order, INDEX),
        "batches_left": checkpoint.batches_left,
        "running": None if checkpoint.running is None else pack_array(checkpoint.running, FLOAT),
    }


def restore_lane(trainer: Trainer, state: LaneState, field: str) -> None:
    """Restore a lane; FieldError naming what does not fit (a batch-norm lane needs its
    running averages: without them its inference would start over from 0 and 1)."""
    running = trainer.network.running
    if running is not None and state.running is None:
        raise FieldError(
            f"{field}.running", f"this network has batch norm: its {running.size} running averages"
        )
    try:
        restore(trainer, state.to_core(field))
    except ValueError as error:
        if isinstance(error, FieldError):
            raise
        raise FieldError(field, str(error)) from None
