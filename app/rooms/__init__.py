"""Classroom rooms: routes, teacher socket, members wrapping sessions, tiles, broker, store."""
