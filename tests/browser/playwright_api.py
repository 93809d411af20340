"""Playwright's sync API for the browser tests; without the package the importing test
module is skipped, except under CI=true, where that is an error."""

import os

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # a dev dependency
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

__all__ = ["Page", "expect"]
