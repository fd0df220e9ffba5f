"""Look places up in the gazetteer: by code, by name, by the plan's spelling."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from gongshi.content.model import Gazetteer, Township, Village
from gongshi.content.unstated import Unstated


@dataclass(frozen=True)
class Place:
    """A township, or a village with its township."""

    township: Township
    village: Village | None = None

    @property
    def code(self) -> str:
        """The place's key on this site (addresses, lookups): its official code, or its id where that is not stated."""
        return self.village.key if self.village else self.township.key

    @property
    def official_code(self) -> str | Unstated:
        """The 12-digit 统计用区划代码, or UNSTATED."""
        return self.village.code if self.village else self.township.code

    @property
    def name(self) -> str:
        return self.village.name if self.village else self.township.name

    @property
    def full_name(self) -> str:
        """Township and village, as a reader needs them: 某某镇某某村."""
        return self.township.name + (self.village.name if self.village else "")

    @property
    def is_village(self) -> bool:
        return self.village is not None


class UnknownPlace(LookupError):
    """A reference that names no place; carries likely intended names."""

    def __init__(self, ref: str, suggestions: list[str], township: str | None):
        self.ref = ref
        self.suggestions = suggestions
        self.township = township
        super().__init__(ref)


class PlaceIndex:
    """Resolves what staff write ("某某镇某某村", "某某村", a 12-digit code) to one place."""

    def __init__(self, gazetteer: Gazetteer):
        self.by_code: dict[str, Place] = {}
        self._townships: dict[str, Township] = {}
        self._village_names: dict[str, list[Place]] = {}
        for township in gazetteer.townships:
            self.by_code[township.key] = Place(township)
            for name in (township.name, *township.aliases):
                self._townships[name] = township
            for village in township.villages:
                place = Place(township, village)
                self.by_code[village.key] = place
                for name in (village.name, village.official_name, *village.aliases):
                    self._village_names.setdefault(name, []).append(place)
        self._longest_first = sorted(self._townships, key=len, reverse=True)

    def resolve(self, ref: str) -> Place:
        """The place `ref` names; raises UnknownPlace with suggestions if none or several."""
        ref = ref.strip()
        if ref in self.by_code:
            return self.by_code[ref]
        compact = ref.replace(" ", "").replace("/", "").replace("　", "")
        if compact in self._townships:
            return Place(self._townships[compact])
        township, rest = self._split_township(compact)
        if township is not None:
            matches = [p for p in self._village_names.get(rest, []) if p.township.key == township.key]
            if matches:
                return matches[0]
            raise UnknownPlace(ref, self._suggest(rest, township), township.name)
        matches = self._village_names.get(compact, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise UnknownPlace(ref, [m.full_name for m in matches], None)
        raise UnknownPlace(ref, self._suggest(compact, None), None)

    def _split_township(self, text: str) -> tuple[Township | None, str]:
        for name in self._longest_first:
            if text.startswith(name) and len(text) > len(name):
                return self._townships[name], text[len(name) :]
        return None, text

    def _suggest(self, name: str, township: Township | None) -> list[str]:
        """Close names, from the same township when it is known."""
        pool: dict[str, Place] = {}
        for key, places in self._village_names.items():
            for place in places:
                if township is None or place.township.key == township.key:
                    pool.setdefault(key, place)
        close = difflib.get_close_matches(name, list(pool), n=3, cutoff=0.5)
        if not close and township is not None:
            # One wrong character in a three-character name scores below the cutoff.
            close = [k for k in pool if len(k) == len(name) and sum(a != b for a, b in zip(k, name)) <= 1]
        return list(dict.fromkeys(pool[c].full_name for c in close))
