"""Building a session's frames (engine thread): one per lane, with the costs since its last
frame, at the resolution the pacing allows, encoded once; a running frame claims its lane's
place in the outbox, so no second one is built before it is sent."""

from __future__ import annotations

import time

from app.playground.lanes import TrainingLane
from app.playground.outbox import Outbox
from app.playground.pacing import Pacing
from app.wire.frames import Frame, frame_body

BIG_NETWORK = 2000  # parameters above which running frames carry weights only with neurons


def build_frames(
    lanes: list[TrainingLane],
    run: int,
    pacing: Pacing,
    outbox: Outbox,
    *,
    settled: bool,
    busy: int = 0,
) -> list[Frame]:
    """One frame per lane of run `run`: exact when settled, float32 live otherwise."""
    frames: list[Frame] = []
    now = time.monotonic()
    for lane in lanes:
        boundary, neurons = pacing.resolutions(busy, settled, lane.clock)
        body = frame_body(
            lane.index,
            lane.pictures,
            lane.take_costs(),
            boundary_resolution=boundary,
            neuron_resolution=neurons,
            exact=settled,
            binary=outbox.binary,
        )
        if lane.parameters > BIG_NETWORK and neurons is None:
            del body["weights"]
        frame = Frame(lane.index, run, body, binary=outbox.binary)
        frame.encoded()
        if not settled:
            outbox.claim(lane.index)
        pacing.framed(lane.clock, now, running=not settled)
        frames.append(frame)
    return frames
