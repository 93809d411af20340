"""Plumbing every part leans on: security checks, core count, the REST run pool, work budgets."""
