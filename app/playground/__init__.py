"""The playground: the /ws endpoint, its message table, sessions, the engine, frames out."""
