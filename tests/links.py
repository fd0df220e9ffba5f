"""Resolve every link, anchor and asset of a built site: the links gate (gongshi.gates.links)."""

from gongshi.gates.links import broken_links, page_url, target_file  # noqa: F401 (re-exported for the tests)
