"""Frame pacing: the speed's iterations per frame, each lane's lateness, the slice length."""

import time

import pytest

from app.playground.pacing import FrameClock, Pacing
from app.settings import Settings
from app.wire.frames import Frame
from tests.playground.test_session import running_session


def frames_of(messages: list) -> list[Frame]:
    """The frames among a tick's messages."""
    return [m for m in messages if isinstance(m, Frame)]


def test_a_speed_trains_exactly_that_many_iterations_between_frames():
    session, outbox = running_session(Settings(frames_per_second=60))
    session.pacing.set_speed(7)
    seen = []
    deadline = time.monotonic() + 5
    while len(seen) < 4 and time.monotonic() < deadline:
        if not session.wants_slice():
            time.sleep(0.002)
            continue
        for frame in frames_of(session.tick(busy=1)):
            seen.append(frame.body["iteration"])
            outbox.unsent.clear()  # the client took it
    assert seen == [7, 14, 21, 28]


def test_with_a_speed_nothing_trains_while_the_frame_is_not_due():
    session, _ = running_session(Settings(frames_per_second=1))
    session.pacing.set_speed(5)
    session.lanes[0].clock.next_frame = time.monotonic() + 60
    session.pacing.budget = 0
    assert not session.wants_slice()


def test_without_a_speed_a_slice_grows_towards_the_slice_length():
    pacing = Pacing(Settings())
    for _ in range(20):
        pacing.adapt(1e-5, busy=1, lanes=1, late=False)
    assert pacing.chunk > 100


def test_a_late_frame_is_late_for_its_own_lane_only():
    pacing = Pacing(Settings(frames_per_second=20, busy_frames_per_second=12))
    on_time, behind = FrameClock(), FrameClock()
    now = time.monotonic()
    on_time.last_frame, behind.last_frame = now - 0.05, now - 1.0
    pacing.framed(on_time, now, running=True)
    pacing.framed(behind, now, running=True)
    assert (on_time.late, behind.late) == (False, True)


def test_lateness_shortens_the_next_slice():
    pacing = Pacing(Settings())
    pacing.slice_target = 0.01
    pacing.adapt(1e-5, busy=4, lanes=1, late=True)
    assert pacing.slice_target < 0.01


def test_cheap_frames_keep_the_full_rate_in_a_busy_round():
    pacing = Pacing(Settings(frames_per_second=20, busy_frames_per_second=12))
    pacing.frame_cost = 0.0002
    # 40 sessions: 0.8 / (20 * 40) s = 1 ms a round each, 0.8 ms of it training
    assert pacing.share(40, lanes=1) == pytest.approx(0.0008)


def test_costly_frames_fall_back_to_the_floor_rate():
    pacing = Pacing(Settings(frames_per_second=20, busy_frames_per_second=12))
    pacing.frame_cost = 0.0003
    # 100 sessions at 20/s leave 0.1 ms of training for 0.3 ms of frame: the floor's round
    assert pacing.share(100, lanes=1) == pytest.approx(0.8 / (12 * 100) - 0.0003)


def test_with_a_speed_lateness_does_not_split_a_frames_iterations_below_the_share():
    pacing = Pacing(Settings(frames_per_second=20, busy_frames_per_second=12))
    pacing.set_speed(10)
    for _ in range(30):  # every frame late: the slice target shrinks to its minimum
        pacing.adapt(1e-4, busy=4, lanes=1, late=True)
    assert pacing.chunk < 10
    assert pacing.iterations(None) == 10, "one slice makes the frame's 10 iterations"
    assert pacing.iterations(3) == 3
    pacing.set_speed(None)
    assert pacing.iterations(None) == pacing.chunk, "without a speed lateness still shortens"


def test_a_session_paced_by_its_speed_says_when_it_resumes_and_not_when_its_client_lags():
    session, _ = running_session(Settings(frames_per_second=20))
    session.pacing.set_speed(5)
    clock = session.lanes[0].clock
    clock.next_frame = time.monotonic() + 0.03
    assert session.resumes_at() == clock.next_frame, "the engine wakes for the frame"
    clock.next_frame = time.monotonic() - 0.01  # due: only the client can be holding it up
    assert session.resumes_at() is None
    session.pacing.set_speed(None)
    clock.next_frame = time.monotonic() + 0.03
    assert session.resumes_at() is None
