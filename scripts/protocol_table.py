"""Write docs/protocol.md's table of client messages from the one table the server parses with.

Run `python scripts/protocol_table.py` after adding or changing a WebSocket message type;
tests/test_protocol_doc.py fails while the document and the table disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.main import socket_extensions  # noqa: E402
from app.playground.table import markdown_table, message_table  # noqa: E402

DOC = ROOT / "docs" / "protocol.md"
START = "<!-- message-table: made by scripts/protocol_table.py -->"
END = "<!-- /message-table -->"
SECTION = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)


def generated_section() -> str:
    """The markers and, between them, the table of every client message type."""
    return f"{START}\n{markdown_table(message_table(socket_extensions(None)))}\n{END}"


def main() -> int:
    """Replace the section in docs/protocol.md; exit 1 if the markers are missing."""
    text = DOC.read_text()
    if not SECTION.search(text):
        print(f"{DOC}: no {START} ... {END} section", file=sys.stderr)
        return 1
    DOC.write_text(SECTION.sub(lambda _: generated_section(), text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
