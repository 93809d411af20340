"""Frame pacing of one session: how many iterations a slice makes, when each lane's next
frame is due, at what resolution, and whether frames come late.

Alone, a session trains slices of up to slice_seconds. Among `busy` sessions, a round of every
busy session's slice plus its frames must fit one frame period: at the session's own rate
while the training left in its part of the round is at least what its frames cost, else at
the floor rate (busy_frames_per_second). The slice is this session's part of the round less
its frame cost: shorter while any of its frames come late, longer again while they do not.
A speed of k iterations per frame trains exactly k iterations between two frames (a
watchable pace); no speed trains as fast as the machine goes.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import Settings

TICK_ALLOWANCE_SECONDS = 0.003  # the engine charges every slice at least this (engine.py)
ROUND_LOAD = 0.8  # busy: the engine's share of a frame period (the event loop needs the rest)
MAX_CHUNK = 20_000


@dataclass
class FrameClock:
    """One lane's frame schedule: when the next is due, the last one, how many, late or not."""

    next_frame: float = 0.0
    last_frame: float = 0.0
    frames: int = 0
    late: bool = False


class Pacing:
    """Chunk size, slice length, frame rate and speed of one session (engine thread)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.fps = settings.frames_per_second
        self.speed: int | None = None  # iterations per frame; None: as fast as it goes
        self.budget = 0  # with a speed: iterations left before the next frame
        self.chunk = 8
        self.steady = 8  # iterations a slice's share holds, lateness aside (see iterations)
        self.slice_target = settings.slice_seconds
        self.frame_cost = 0.0  # seconds to build one running frame (moving average)

    @property
    def floor(self) -> float:
        """Frames per second a busy engine still gives every lane."""
        return min(self.fps, self.settings.busy_frames_per_second)

    def set_speed(self, iterations_per_frame: int | None) -> None:
        """k iterations between frames, or None for as fast as it goes."""
        self.speed = iterations_per_frame
        self.budget = iterations_per_frame or 0

    def paced_out(self, clock: FrameClock, now: float, waiting: bool) -> bool:
        """With a speed: this frame's iterations are done, and its frame is not yet due or
        not yet sent (a slow client slows the pace; it never skips iterations unseen)."""
        return self.speed is not None and self.budget == 0 and (now < clock.next_frame or waiting)

    def iterations(self, steps_left: int | None) -> int:
        """This slice's iterations: the chunk, within a step's remainder and the speed's budget
        (0 when only the frame of the iterations made is due)."""
        if self.speed is None:
            return self.chunk if steps_left is None else min(self.chunk, steps_left)
        # a frame's k iterations cost the same in one slice or in many, plus each slice's own
        # overhead: lateness shortens a slice no further than its share (or the engine's
        # allowance, which every slice is charged) holds them
        chunk = max(self.chunk, self.steady)
        n = chunk if steps_left is None else min(chunk, steps_left)
        return min(n, self.budget)

    def trained(self, n: int) -> None:
        """n iterations were made against the speed's budget."""
        if self.speed is not None:
            self.budget = max(self.budget - n, 0)

    def due(self, clock: FrameClock, now: float) -> bool:
        """Whether a running frame of this lane is due (with a speed: its iterations are done)."""
        if self.speed is not None and self.budget > 0:
            return False
        return now >= clock.next_frame

    def resolutions(self, busy: int, settled: bool, clock: FrameClock) -> tuple[int, int | None]:
        """(boundary r, neuron r or None): coarser and fewer neuron maps while many train."""
        settings = self.settings
        resolution, every = settings.boundary_resolution, settings.neuron_every
        if busy > settings.busy_sessions and not settled:
            resolution = min(resolution, settings.busy_boundary_resolution)
            every *= 2
        with_neurons = settled or clock.frames % every == 0
        return resolution, settings.neuron_resolution if with_neurons else None

    def framed(self, clock: FrameClock, now: float, running: bool) -> None:
        """A frame was built: is it late (gap over the floor's period), and when is the next."""
        if running:
            clock.late = now - clock.last_frame > 1.0 / self.floor
            self.budget = self.speed or 0
        clock.frames += 1
        clock.last_frame = now
        period = 1.0 / self.fps  # keeps the average rate; never two frames in half a period
        clock.next_frame = max(clock.next_frame + period, now + 0.5 * period)

    def frames_took(self, seconds_each: float) -> None:
        """Moving average of one running frame's cost."""
        self.frame_cost += 0.2 * (seconds_each - self.frame_cost)

    def share(self, busy: int, lanes: int) -> float:
        """Training seconds of this session's part of a round: ROUND_LOAD / (rate * busy) less
        its frames' cost, at its own rate while that leaves training at least the frames'
        cost (cheap frames: the full rate), else at the floor rate."""
        frames = self.frame_cost * lanes
        full = ROUND_LOAD / (self.fps * max(busy, 1)) - frames
        return full if full >= frames else ROUND_LOAD / (self.floor * max(busy, 1)) - frames

    def adapt(self, seconds_per_iteration: float, busy: int, lanes: int, late: bool) -> None:
        """Next slice's iterations, from the time one took and the share of a round it has."""
        settings = self.settings
        share = self.share(busy, lanes)
        longest = min(settings.slice_seconds, max(share, settings.min_slice_seconds))
        factor = 0.7 if late else 1.1
        self.slice_target = min(max(self.slice_target * factor, 1e-4), longest)
        target = self.slice_target / max(seconds_per_iteration, 1e-7)
        self.chunk = int(min(max(target, 1), 2 * self.chunk + 1, MAX_CHUNK))
        held = max(longest, TICK_ALLOWANCE_SECONDS)  # a shorter slice is charged that anyway
        self.steady = int(min(max(held / max(seconds_per_iteration, 1e-7), 1), MAX_CHUNK))
