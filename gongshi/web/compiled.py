"""Compiled templates kept between runs: Jinja2's own bytecode cache (`FileSystemBytecodeCache`), so that a build
or a `gongshi check` does not parse and compile every template again (about 2 s of a small site's build).

Jinja compiles a template again when its source changed (the cache entry holds a checksum of the source). What it
does not see is the environment the code was compiled for (autoescape, finalize, trim_blocks …): each cache is
therefore keyed by a tag made of those settings (`settings_tag`) and Jinja's version, and a change of either gives
new keys. The cache is Jinja's default per-user folder in the temporary directory (created private to the user, or
refused); where that folder cannot be made, templates are compiled as before."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import jinja2
from jinja2 import BytecodeCache, FileSystemBytecodeCache

log = logging.getLogger("mkdocs.plugins.gongshi")


class TaggedCache(FileSystemBytecodeCache):
    """Jinja's file cache with every key prefixed by the environment's tag."""

    def __init__(self, tag: str):
        super().__init__(pattern="gongshi-%s.cache")
        self.tag = hashlib.sha256(f"{tag}\n{jinja2.__version__}".encode()).hexdigest()[:16]

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return f"{self.tag}-{super().get_cache_key(name, filename)}"


COMPILE_SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
    "autoescape",
    "finalize",
)
"""The Environment's settings the compiled code of a template depends on (its lexer, its compiler's options)."""


def _named(value: Any) -> str:
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return repr(value)


def settings_tag(env: jinja2.Environment) -> str:
    """The environment's compile settings and extensions, as text: two environments with the same tag compile a
    template source to the same code."""
    parts = [f"{name}={_named(getattr(env, name, None))}" for name in COMPILE_SETTINGS]
    parts += sorted(env.extensions)
    return "\n".join(parts)


def keep_compiled(env: jinja2.Environment) -> None:
    """Give `env` a bytecode cache keyed by its compile settings (call it once the environment is set up)."""
    env.bytecode_cache = bytecode_cache(settings_tag(env))


def bytecode_cache(tag: str) -> BytecodeCache | None:
    """A bytecode cache for the environment named by `tag` (what its compiled code depends on besides the
    template sources), or None where no private cache folder can be made."""
    try:
        return TaggedCache(tag)
    except (OSError, RuntimeError) as exc:  # Jinja refuses a folder another user owns or can read
        log.debug("gongshi: templates are compiled on every run (no bytecode cache: %s)", exc)
        return None
