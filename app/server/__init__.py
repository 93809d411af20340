"""Server plumbing: the CLI, processes, the HTTP protocol, security, docs, pages, run pool."""
