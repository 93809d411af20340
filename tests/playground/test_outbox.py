"""The outbox: replies in order, one frame per lane, no frame of an older run."""

import asyncio
import json

import numpy as np

from app.playground.outbox import Outbox
from app.wire.frames import Frame


def frame(lane: int, costs: list[float], run: int = 1) -> Frame:
    """A minimal frame of a lane."""
    return Frame(lane, run, {"type": "frame", "lane": lane, "costs": np.array(costs)})


def drain(outbox: Outbox) -> list[dict]:
    """Every queued message, decoded."""

    async def take() -> list[dict]:
        return [json.loads(await outbox.get()) for _ in range(len(outbox.items))]

    return asyncio.run(take())


def test_an_unsent_frame_is_folded_into_the_next_one():
    outbox = Outbox()
    outbox.put(frame(0, [3.0, 2.0]))
    outbox.put({"type": "status"})
    outbox.put(frame(0, [1.0]))
    outbox.put(frame(1, [9.0]))
    sent = drain(outbox)
    assert [m["type"] for m in sent] == ["status", "frame", "frame"]
    assert sent[1]["costs"] == [3.0, 2.0, 1.0] and sent[2]["costs"] == [9.0]


def test_a_claimed_lane_waits_until_its_frame_is_sent():
    outbox = Outbox()
    outbox.claim(0)
    outbox.put(frame(0, [1.0]))
    assert outbox.waiting(0) and not outbox.waiting(1)
    drain(outbox)
    assert not outbox.waiting(0)


def test_a_new_run_drops_the_unsent_frames_of_older_runs_but_keeps_replies():
    outbox = Outbox()
    outbox.claim(1)
    outbox.put(frame(0, [5.0], run=1))
    outbox.put(frame(1, [6.0], run=1))
    outbox.put({"type": "configured"})
    outbox.put(frame(0, [], run=2))
    sent = drain(outbox)
    assert [(m["type"], m.get("costs")) for m in sent] == [("configured", None), ("frame", [])]
    assert not outbox.waiting(1)
