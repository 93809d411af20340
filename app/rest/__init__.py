"""The REST API for scripted runs, datasets, options and lessons."""
