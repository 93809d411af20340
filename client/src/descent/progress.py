"""A sweep's progress on stderr: a tqdm bar when tqdm is installed, else one rewritten line;
and the reading of Server-Sent Events."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO


class Progress:
    """Finished trials out of all, with the best value so far."""

    def __init__(self, total: int, label: str, enabled: bool = True) -> None:
        self.enabled = enabled
        self.total, self.label = total, label
        self.shown = 0
        self.bar: Any = None
        self.out: TextIO = sys.stderr
        if enabled:
            try:
                tqdm = importlib.import_module("tqdm").tqdm
                self.bar = tqdm(total=total, desc=label, unit="trial", file=sys.stderr)
            except ImportError:
                self.bar = None

    def update(self, view: Mapping[str, Any]) -> None:
        """Show a sweep view's progress."""
        if not self.enabled:
            return
        finished = int(view["progress"]["finished"])
        best = view.get("best")
        note = f"best {best['value']:.6g}" if best and best.get("value") is not None else ""
        if self.bar is not None:
            self.bar.update(max(0, finished - self.shown))
            self.bar.set_postfix_str(f"{view['status']} {note}".strip(), refresh=True)
        else:
            line = f"{self.label}: {finished}/{self.total} trials, {view['status']} {note}"
            self.out.write("\r" + line.strip().ljust(60))
            self.out.flush()
        self.shown = finished

    def close(self) -> None:
        """End the bar (or the line)."""
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.close()
        else:
            self.out.write("\n")
            self.out.flush()


class EventReader:
    """Server-Sent Events from lines: feed each line, get (event, data) when one is complete."""

    def __init__(self) -> None:
        self.name = "message"
        self.data: list[str] = []

    def feed(self, line: str) -> tuple[str, Any] | None:
        """One line of the stream (without its newline); an event at each blank line."""
        if not line:
            if not self.data:
                self.name = "message"
                return None
            event = (self.name, json.loads("\n".join(self.data)))
            self.name, self.data = "message", []
            return event
        if line.startswith(":"):  # a comment: the server's keep-alive
            return None
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            self.name = value
        elif field == "data":
            self.data.append(value)
        return None
