"""Share images as files in the build cache (`<cache_dir>/share/`), each named by the hash of its card and of how
cards are drawn (this drawing code, the fonts, Pillow and segno): a build draws only the images whose card changed
since the last one, and none is held in memory, MkDocs copies the files into the site. Files no card of this build
names are removed, so the cache holds one site's images.

Many missing images (each ~30 ms to draw) are drawn in forked worker processes, one per CPU, when the process
runs no other thread (`mkdocs serve` does; forking it is unsafe)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import PIL
import segno

from gongshi.web import parallel, share_image
from gongshi.web.fonts import MISSING_GLYPH, YI_SOURCE, FontMissing, cjk_font, lacking_glyphs

log = logging.getLogger("mkdocs.plugins.gongshi")

POOL_MIN = 200
"""From this many images to draw on, they are drawn in worker processes."""


@functools.cache
def drawing_key() -> str:
    """What an image depends on besides its card: the drawing code, the font files, Pillow's and segno's versions."""
    digest = hashlib.sha256(Path(share_image.__file__).read_bytes())
    for path in sorted({cjk_font(False)[0], cjk_font(True)[0], str(YI_SOURCE)}):
        digest.update(Path(path).read_bytes())
    digest.update(f"{PIL.__version__} {segno.__version__}".encode())
    return digest.hexdigest()


def card_key(card: share_image.Card) -> str:
    text = json.dumps(dataclasses.asdict(card), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{drawing_key()}\n{text}".encode()).hexdigest()


def share_pngs(cards: list[share_image.Card], cache_dir: Path, pool_min: int = POOL_MIN) -> list[Path]:
    """The files of the cards' share images, in their order, drawing those the cache does not hold yet."""
    try:
        return _share_pngs(cards, cache_dir, pool_min)
    except FontMissing as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None


def drawable(card: share_image.Card) -> share_image.Card:
    """The card with each Chinese character the font cannot draw replaced by 〓 (said once per card in the log,
    at INFO: the build goes on, the page shows the character)."""
    lacking = lacking_glyphs(share_image.chinese_text(card))
    if not lacking:
        return card
    log.info(
        "分享图片“%s”：字体没有“%s”的字形，图中以 %s 代替 / share image of %s: the font has no glyph for %s, drawn as %s",
        card.title,
        lacking,
        MISSING_GLYPH,
        card.title,
        lacking,
        MISSING_GLYPH,
    )
    table = {ord(c): MISSING_GLYPH for c in lacking}
    return dataclasses.replace(
        card,
        kicker=card.kicker.translate(table),
        title=card.title.translate(table),
        amount=card.amount.translate(table),
        amount_note=card.amount_note.translate(table),
        facts=tuple((name.translate(table), value.translate(table)) for name, value in card.facts),
        hotline=card.hotline.translate(table),
        footer=card.footer.translate(table),
        amount_label=card.amount_label.translate(table),
    )


def _share_pngs(cards: list[share_image.Card], cache_dir: Path, pool_min: int) -> list[Path]:
    cards = [drawable(card) for card in cards]
    folder = cache_dir / "share"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{card_key(card)}.png" for card in cards]
    todo = list({path: card for card, path in zip(cards, paths) if not path.is_file()}.items())
    workers = parallel.worker_count(0)
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    if len(todo) < pool_min or workers < 2 or not forkable:
        for item in todo:
            _draw(item)
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_draw, todo, chunksize=32))
    wanted = set(paths)
    for old in folder.glob("*.png"):
        if old not in wanted:
            old.unlink(missing_ok=True)
    return paths


def _draw(item: tuple[Path, share_image.Card]) -> None:
    path, card = item
    data = share_image.render(card)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")  # a killed build leaves no half image
    partial.write_bytes(data)
    partial.replace(path)
