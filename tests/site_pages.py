"""The pages of a built site the gates look at (gongshi.gates.pages)."""

from gongshi.gates.pages import FIXED, all_pages, file_of, pattern_of, representative_pages  # noqa: F401
