"""Limits and deployment settings, each overridable by a DESCENT_* environment variable."""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import HTTPConnection


class Limits(BaseModel):
    """The largest inputs the server accepts; sent to clients in /api/options and hello."""

    max_hidden_layers: int
    max_neurons: int
    max_samples: int
    max_iterations: int
    max_grid_resolution: int
    max_message_bytes: int
    max_lanes: int
    max_speed: int  # iterations per frame a client may ask for
    max_edit: float  # the largest |weight| a hand edit may set


class Settings(BaseSettings):
    """Server settings: DESCENT_MAX_SAMPLES=5000 overrides max_samples, and so on."""

    model_config = SettingsConfigDict(env_prefix="DESCENT_", extra="ignore")

    max_hidden_layers: int = Field(8, ge=0)
    max_neurons: int = Field(64, ge=1)
    max_samples: int = Field(2000, ge=2)
    max_iterations: int = Field(200_000, ge=1)
    max_grid_resolution: int = Field(200, ge=2)
    max_message_bytes: int = Field(65_536, ge=1024)
    max_lanes: int = Field(4, ge=1)
    max_speed: int = Field(10_000, ge=1)
    max_edit: float = Field(1e4, gt=0)

    frames_per_second: float = Field(20.0, gt=0, le=60)
    boundary_resolution: int = Field(100, ge=2)
    busy_boundary_resolution: int = Field(40, ge=2)  # while more than busy_sessions train
    busy_sessions: int = Field(8, ge=1)
    busy_frames_per_second: float = Field(12.0, gt=0)  # a busy server trades iterations for this
    min_slice_seconds: float = Field(0.0002, gt=0)
    neuron_resolution: int = Field(20, ge=2)
    neuron_every: int = Field(4, ge=1)
    slice_seconds: float = Field(0.01, gt=0)
    engine_threads: int = Field(1, ge=1)  # training threads per process (they share the GIL)
    max_pending_costs: int = Field(100_000, ge=1000)
    max_history_bytes: int = Field(8 << 20, ge=1 << 16)  # a session's replay checkpoints
    checkpoint_seconds: float = Field(3.0, gt=0)  # a running session's checkpoint interval
    max_resume_bytes: int = Field(4 << 20, ge=65_536)  # a session's checkpoints, as JSON
    max_outbox_bytes: int = Field(8 << 20, ge=65_536)  # replies waiting for one client
    stall_seconds: float = Field(30.0, gt=0)  # a client that takes nothing this long is let go
    max_history: int = Field(10_000, ge=1)  # history entries per REST run
    gradcheck_examples: int = Field(100, ge=1)
    max_landscape_resolution: int = Field(61, ge=3)  # r of POST /api/landscape's r x r plane
    max_landscape_work: float = Field(2e9, gt=0)  # its (3 iterations + r^2) x m x parameters
    max_surface_steps: int = Field(5000, ge=1)  # steps per lane of POST /api/surfaces/path
    gradcheck_max_parameters: int = Field(5000, ge=1)
    host: str = "127.0.0.1"  # defaults for `descent serve`
    port: int = Field(8000, ge=0, le=65535)
    workers: int = Field(1, ge=0)  # 0: one worker process per available CPU core
    ws_compression: bool = False  # permessage-deflate: ~45% fewer bytes for ~75 us a frame
    switch_interval: float | None = Field(0.001, gt=0)  # sys.setswitchinterval; None: leave
    # Stopping (app/server/cli.py, app/server/processes.py, app/sweeps/launch.py)
    shutdown_grace_seconds: float = Field(2.0, gt=0)  # uvicorn's graceful stop, then it cancels
    final_checkpoint_seconds: float = Field(0.8, gt=0)  # sessions send their checkpoints first
    worker_stop_seconds: float = Field(10.0, gt=0)  # a server worker process, then SIGKILL
    sweep_worker_stop_seconds: float = Field(5.0, gt=0)  # a trial worker, then SIGKILL
    # Classroom hardening (app/shared/security.py, app/playground/limits.py)
    max_sessions: int = Field(200, ge=1)  # WebSocket sessions per server process
    max_messages_per_second: float = Field(50.0, gt=0)  # per session, token bucket ...
    message_burst: int = Field(100, ge=1)  # ... holding this many messages
    abusive_messages: int = Field(1000, ge=1)  # dropped beyond the rate: close with 1008
    max_configures_per_second: float = Field(2.0, gt=0)  # configure/resume, per session ...
    configure_burst: int = Field(10, ge=1)  # ... in bursts of up to this many
    configure_seconds_per_second: float = Field(0.05, gt=0)  # share of a core a session's ...
    configure_burst_seconds: float = Field(0.5, gt=0)  # ... configures may take, past a burst
    max_sessions_per_client: int = Field(0, ge=0)  # per client address; 0: no cap (NAT)
    allowed_origins: str = ""  # WebSocket origins besides the page's own; "*" for any
    token: str | None = None  # when set, /api/* and /ws require it
    allowed_hosts: str = ""  # Host names besides localhost when bound to a loopback address
    max_body_bytes: int = Field(1_048_576, ge=1024)  # HTTP request bodies; past it 413
    max_run_seconds: float = Field(120.0, gt=0)  # estimated time of one REST run
    run_workers: int = Field(0, ge=0)  # REST runs at a time (0: one per available core)
    run_queue: int = Field(8, ge=0)  # REST runs waiting for a slot; past it 429
    run_retry_seconds: int = Field(5, ge=1)  # Retry-After of that 429
    # Classroom rooms (app/rooms/routes.py): Redis pub/sub across processes when a URL is given
    redis_url: str | None = None  # e.g. redis://redis:6379/0 or unix:///run/descent/redis.sock
    teacher_token: str | None = None  # when set, creating a room requires it
    max_room_students: int = Field(100, ge=1)
    # Sweeps (app/sweeps/routes.py, app/sweep_*.py)
    data_dir: str = ""  # embedded sweep storage lives here; "" means ~/.local/share/descent
    sweep_storage: str = ""  # an Optuna storage URL (postgresql://...); "" means SQLite in data_dir
    sweep_workers: int = Field(-1, ge=-1)  # trial workers `descent serve` starts; -1: one per core
    sweep_nice: int = Field(10, ge=0, le=19)  # their niceness, so classroom sessions come first
    sweep_heartbeat_seconds: int = Field(2, ge=1)  # a running trial's heartbeat ...
    sweep_grace_seconds: int = Field(10, ge=2)  # ... missing this long: the trial is retried
    max_sweep_trials: int = Field(1000, ge=1)
    max_sweep_space: int = Field(8, ge=1)  # config paths one sweep varies
    # Sweeps, rooms and HTTP against abuse (issue 21: app/sweeps, app/rooms, http_protocol)
    max_grid_points: int = Field(10_000, ge=1)  # points of a grid sweep (counted, never built)
    max_sweep_seconds: float = Field(3600.0, gt=0)  # estimated work of one sweep, all trials
    max_trial_seconds: float = Field(120.0, gt=0)  # estimated work of one trial
    max_open_sweeps: int = Field(20, ge=1)  # sweeps queued or running, in all; past it 429
    max_open_sweeps_per_client: int = Field(3, ge=1)  # ... per client address
    sweep_retry_seconds: int = Field(30, ge=1)  # Retry-After of those 429s
    max_sweeps_listed: int = Field(100, ge=1)  # GET /api/sweeps?limit= at most this
    max_rooms: int = Field(500, ge=1)  # rooms open in all
    max_rooms_per_client: int = Field(5, ge=1)  # rooms one address (or token holder) has open
    rooms_per_minute: float = Field(6.0, gt=0)  # room creations per client per minute ...
    room_burst: int = Field(5, ge=1)  # ... in bursts of up to this many
    room_idle_seconds: int = Field(4 * 3600, ge=60)  # a room without its teacher this long ends
    room_lookups_per_minute: float = Field(30.0, gt=0)  # failed code/key lookups per client ...
    room_lookup_burst: int = Field(20, ge=1)  # ... in bursts of up to this many; past it 429
    max_header_bytes: int = Field(65_536, ge=4096)  # request line + headers; past it 431

    def limits(self) -> Limits:
        """The client-visible limits."""
        return Limits(**{name: getattr(self, name) for name in Limits.model_fields})


def settings_of(request: HTTPConnection) -> Settings:
    """The settings of the app serving a request or a WebSocket."""
    return request.app.state.settings


@lru_cache
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings()
