"""What the records say about places, read straight from content/ with PyYAML (not through gongshi),
so that tests of the place pages, the map and the notices have an independent expectation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import ROOT

PLACE_FIELDS = (("places",), ("beneficiaries", "asset_villages"), ("beneficiaries", "villages"))


def records(root: Path = ROOT) -> dict[str, dict]:
    """Project id → front matter, read straight from content/projects/*.md."""
    out = {}
    for path in sorted((root / "content/projects").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        out[front["id"]] = front
    return out


def gazetteer(root: Path = ROOT) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Township name → code, and (township, village name or alias) → village code, from places.yml."""
    data = yaml.safe_load((root / "content/places.yml").read_text(encoding="utf-8"))
    townships, villages = {}, {}
    for t in data["townships"]:
        townships[t["name"]] = t["code"]
        for v in t.get("villages", []):
            for name in (v["name"], *v.get("aliases", [])):
                villages[(t["name"], name)] = v["code"]
    return townships, villages


def named_places(root: Path = ROOT) -> dict[str, set[str]]:
    """Place code → ids of the projects whose records name it (site, asset village or beneficiary)."""
    townships, villages = gazetteer(root)
    out: dict[str, set[str]] = {}
    for pid, front in records(root).items():
        for path in PLACE_FIELDS:
            value = front
            for key in path:
                value = (value or {}).get(key)
            for ref in value or []:
                if ref in townships:
                    code = townships[ref]
                else:
                    town = next(t for t in townships if ref.startswith(t))
                    code = villages[(town, ref[len(town) :])]
                out.setdefault(code, set()).add(pid)
    return out


def project_links(html: str) -> set[str]:
    """Project ids linked from the page's 相关项目 table."""
    table = re.search(r'<table class="gs-table gs-stack">(.*?)</table>', html, re.S)
    return set(re.findall(r'href="[./]*projects/([a-z0-9-]+)/"', table.group(1))) if table else set()


def asset_villages(root: Path = ROOT) -> list[tuple[str, str]]:
    """(township, village) as the plan writes them, for every asset village of every project."""
    townships, _ = gazetteer(root)
    out = []
    for front in records(root).values():
        for ref in (front.get("beneficiaries") or {}).get("asset_villages", []):
            town = next(t for t in townships if ref.startswith(t))
            out.append((town, ref[len(town) :]))
    return out


TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


def with_tiles(project: Path) -> Path:
    """Turn the tile layer on in the copy's site.yml."""
    config = project / "content/site.yml"
    text = config.read_text(encoding="utf-8")
    assert "  tiles:\n" in text
    config.write_text(
        text.replace("  tiles:\n", f"  tiles: {TILES}\n  tiles_attribution: 测试瓦片\n", 1), encoding="utf-8"
    )
    return project
