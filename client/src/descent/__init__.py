"""descent: the Python client of the Descent training playground.

```python
import descent

client = descent.Client("http://127.0.0.1:8000")
run = client.train(client.config(optimizer__learning_rate=0.5), iterations=2000)
for frame in client.stream(run.config, iterations=2000, speed=50):
    print(frame.iteration, frame.cost_train)
```
"""

from __future__ import annotations

from typing import Any

from descent.client import AsyncClient, Client
from descent.configs import points
from descent.errors import BusyError, DescentError, ValidationError
from descent.frames import Frame
from descent.room import AsyncRoom, Room
from descent.run import Run
from descent.stream import AsyncStream, Stream
from descent.sweep import AsyncSweep, Sweep

__version__ = "0.1.0"


def widget(config: Any = None, iterations: int | None = None, **options: Any) -> Any:
    """A live run shown in a notebook (descent.notebook.widget; needs the `widget` extra)."""
    try:
        from descent.notebook import widget as make
    except ImportError as error:
        message = "descent.widget needs anywidget: pip install 'descent-client[widget]'"
        raise ImportError(message) from error
    return make(config, iterations, **options)


__all__ = [
    "AsyncClient",
    "AsyncRoom",
    "AsyncStream",
    "AsyncSweep",
    "BusyError",
    "Client",
    "DescentError",
    "Frame",
    "Room",
    "Run",
    "Stream",
    "Sweep",
    "ValidationError",
    "__version__",
    "points",
    "widget",
]
