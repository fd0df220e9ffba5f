"""The browser helpers of the tests: the site gates' (gongshi.gates.browser), and what a test asserts of a visit."""

from __future__ import annotations

from gongshi.gates.browser import (  # noqa: F401 (re-exported for the tests)
    CHROMIUM_ARGS,
    Visit,
    _QuietHandler,
    chromium_path,
    open_page,
    require_cjk_font,
    serve,
)


def assert_clean(visit: Visit) -> None:
    """The page asked no other host, logged no console error and had no failed request."""
    assert visit.other_hosts == []
    assert visit.console_errors == []
    assert visit.failed_requests == []
