"""Fixtures of the browser tests: a real server on a free loopback port and headless Chromium."""

from chromium import artifacts, browser, live_server

__all__ = ["artifacts", "browser", "live_server"]
