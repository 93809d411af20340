"""docs/protocol.md's message table is the server's own table, and every type is described."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from app.main import socket_extensions
from app.playground.table import message_table

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "protocol.md").read_text()


def load_script():
    """scripts/protocol_table.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "protocol_table", ROOT / "scripts/protocol_table.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_documented_table_is_the_one_the_server_dispatches_with():
    script = load_script()
    assert script.generated_section() in DOC, "run: python scripts/protocol_table.py"


def test_every_message_type_has_a_row_in_the_detailed_table():
    described = set(re.findall(r'^\| `\{"type": "([a-z_]+)"', DOC, flags=re.MULTILINE))
    assert described == set(message_table(socket_extensions(None)))


def resolve(dotted: str) -> object:
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name)
        return target
    raise LookupError(dotted)


def test_every_row_names_a_handler_that_exists():
    for kind, entry in message_table(socket_extensions(None)).items():
        assert callable(resolve(entry.handled_by)), kind
