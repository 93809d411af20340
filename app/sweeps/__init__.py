"""Sweeps: routes, request checks, the search space, Optuna storage, views, trial workers."""
