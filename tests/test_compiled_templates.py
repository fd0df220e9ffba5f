"""Compiled templates kept between runs (gongshi/web/compiled.py): reused by an environment with the same
settings, never by one that compiles differently, and compiled again when the source changes."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from gongshi.web.compiled import keep_compiled, settings_tag


@pytest.fixture
def tmp_path(tmp_path: Path) -> Path:
    """A folder no earlier run used (the cache is per user and keyed by file path; --basetemp reuses paths)."""
    folder = tmp_path / uuid.uuid4().hex
    folder.mkdir()
    return folder


def _env(folder: Path, **settings) -> tuple[Environment, list[str]]:
    """An environment with a kept cache that records the templates it had to compile."""
    env = Environment(loader=FileSystemLoader(str(folder)), **settings)
    keep_compiled(env)
    compiled: list[str] = []
    compile_source = env.compile

    def counting(source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_source(source, name, filename, raw, defer_init)

    env.compile = counting  # type: ignore[method-assign]
    return env, compiled


def test_a_second_environment_with_the_same_settings_compiles_nothing(tmp_path: Path):
    (tmp_path / "page.j2").write_text("{{ title }}：{{ amount }} 万元", encoding="utf-8")
    first, compiled_first = _env(tmp_path, autoescape=True)
    assert first.get_template("page.j2").render(title="<b>", amount=1) == "&lt;b&gt;：1 万元"
    second, compiled_second = _env(tmp_path, autoescape=True)
    assert second.get_template("page.j2").render(title="<b>", amount=2) == "&lt;b&gt;：2 万元"
    assert compiled_first == ["page.j2"] and compiled_second == []


def test_an_environment_that_compiles_differently_does_not_reuse_the_code(tmp_path: Path):
    """Same file, autoescape off then on: Jinja's own key (the template's name and file) is the same, the code is
    not; the escaping environment must not print the markup the other one compiled for."""
    (tmp_path / "page.j2").write_text("{{ title }}\n", encoding="utf-8")
    plain, _ = _env(tmp_path, autoescape=False)
    assert plain.get_template("page.j2").render(title="<b>") == "<b>"
    escaping, compiled = _env(tmp_path, autoescape=True)
    assert escaping.get_template("page.j2").render(title="<b>") == "&lt;b&gt;"
    assert compiled == ["page.j2"]
    trimmed, compiled = _env(tmp_path, autoescape=False, keep_trailing_newline=True)
    assert trimmed.get_template("page.j2").render(title="<b>") == "<b>\n" and compiled == ["page.j2"]


def test_a_changed_template_is_compiled_again(tmp_path: Path):
    page = tmp_path / "page.j2"
    page.write_text("旧：{{ n }}", encoding="utf-8")
    assert _env(tmp_path)[0].get_template("page.j2").render(n=1) == "旧：1"
    page.write_text("新：{{ n }}", encoding="utf-8")
    env, compiled = _env(tmp_path)
    assert env.get_template("page.j2").render(n=1) == "新：1" and compiled == ["page.j2"]


def test_the_tag_names_every_setting_that_changes_the_code():
    base = settings_tag(Environment())
    for setting in (
        {"autoescape": True},
        {"trim_blocks": True},
        {"lstrip_blocks": True},
        {"keep_trailing_newline": True},
        {"finalize": str},
        {"extensions": ["jinja2.ext.i18n"]},
        {"block_start_string": "<%"},
    ):
        assert settings_tag(Environment(**setting)) != base, setting
    assert settings_tag(Environment()) == base
