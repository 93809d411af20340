"""The server around the parts: the CLI, processes, the HTTP protocol, health, docs, pages."""
