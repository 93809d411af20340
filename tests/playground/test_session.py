"""A session's run state and slices, driven directly (as the engine thread drives it)."""

from app.playground.lanes import build_lanes
from app.playground.outbox import Outbox
from app.playground.session import Session
from app.settings import Settings
from app.wire.config import TrainConfig
from app.wire.frames import Frame


def running_session(settings: Settings, lanes: int = 1) -> tuple[Session, Outbox]:
    """A session with trainers installed and running, outside any engine."""
    outbox = Outbox()
    session = Session(settings, outbox, engine=None)  # type: ignore[arg-type]
    session.install(build_lanes([TrainConfig()] * lanes, ["gd"] * lanes, None))
    session.state = "running"
    return session, outbox


def test_a_stalled_client_pauses_training_until_its_frame_is_sent():
    session, outbox = running_session(Settings(max_pending_costs=1000))
    outbox.claim(0)  # the client has not taken the last frame yet
    lane = session.lanes[0]
    while session.wants_slice():
        assert session.tick(busy=1) == [], "no new frame while one is unsent"
    assert lane.pending_count > 1000
    outbox.unsent.clear()  # sent at last
    assert session.wants_slice()
    lane.clock.next_frame = 0.0
    (frame,) = session.tick(busy=1)
    assert isinstance(frame, Frame)
    assert len(frame.body["costs"]) == frame.body["iteration"], "no cost was dropped"


def test_a_running_frame_claims_its_lane_and_a_settled_one_does_not():
    session, outbox = running_session(Settings())
    session.lanes[0].clock.next_frame = 0.0  # due
    (running,) = session.tick(busy=1)
    assert outbox.waiting(0) and running.run == session.run
    outbox.unsent.clear()
    settled = [m for m in session.stop()[0] if isinstance(m, Frame)]
    assert len(settled) == 1 and not outbox.waiting(0)


def test_each_configure_or_reset_starts_a_new_run():
    session, _ = running_session(Settings())
    first = session.run
    frames = [m for m in session.restart()[0] if isinstance(m, Frame)]
    assert session.run == first + 1 and {f.run for f in frames} == {first + 1}


def test_a_lane_config_follows_live_changes():
    from app.playground.messages import SetChanges

    session, _ = running_session(Settings(), lanes=2)
    session.change(SetChanges(type="set", changes={"learning_rate": 0.5}, lane=1))
    rates = [lane.config.optimizer.learning_rate for lane in session.lanes]
    assert rates == [TrainConfig().optimizer.learning_rate, 0.5]
