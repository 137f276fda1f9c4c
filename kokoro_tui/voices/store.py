"""The voice store: ``HOME/voices/NAME.<fmt>`` plus an optional ``NAME.json`` sidecar.

The sidecar records where a voice came from (origin: stock, blended, imported, edited, trained),
its recipe (e.g. the blend weights) and when it was made, so every voice can be explained and remade.
A voice file without a sidecar counts as imported.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from kokoro_tui.atomic import atomic_write_text, exclusive, make_parent
from kokoro_tui.errors import KokoroError, MissingAssetError, path_error
from kokoro_tui.home import DataHome, resolve_home
from kokoro_tui.text.languages import LANGUAGES
from kokoro_tui.voices.blend import blend, is_blend_spec, parse_blend_spec
from kokoro_tui.voices.formats import FORMATS, read_voice_file, write_voice_file
from kokoro_tui.voices.listing import voice_files
from kokoro_tui.voices.names import (
    GENDERS,
    gender_of,
    language_of,
    match_ignoring_case,
    unknown_voice,
    validate_name,
)
from kokoro_tui.voices.recipe import blend_parts, recipe_problem

ORIGINS: tuple[str, ...] = ("stock", "blended", "imported", "edited", "trained")
UNKNOWN_ORIGIN = "unknown"  # shown for a voice whose sidecar cannot be read
LOCK_NAME = ".lock"  # hidden, and no voice suffix: never listed as a voice


@dataclass(frozen=True)
class VoiceInfo:
    """What the store knows about one voice, without loading its pack."""

    name: str
    lang: str | None  # language code a/b/e/f/h/i/j/p/z from the name prefix, else a made voice's recipe or parent
    language: str | None  # readable language name
    gender: str | None  # f or m from the name prefix, else a made voice's parent
    origin: str
    recipe: dict[str, Any] | None
    path: Path
    created: str | None = None
    problem: str | None = None  # what is damaged (voice file or sidecar); filled by checks (list, info(check=True))

    @property
    def gender_name(self) -> str | None:
        return GENDERS.get(self.gender) if self.gender else None

    @property
    def sidecar_readable(self) -> bool:
        """False when a check found the sidecar unreadable: origin and recipe are then unknown."""
        return self.origin != UNKNOWN_ORIGIN

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lang": self.lang,
            "language": self.language,
            "gender": self.gender,
            "origin": self.origin,
            "recipe": self.recipe,
            "path": str(self.path),
            "created": self.created,
            "problem": self.problem,
        }


def _looks_like_path(spec: str) -> bool:
    return os.sep in spec or "/" in spec or Path(spec).suffix.lower().lstrip(".") in FORMATS


class VoiceStore:
    """Every voice in one data home, addressed by name."""

    def __init__(self, home: DataHome | str | os.PathLike[str] | None = None) -> None:
        """``home`` as ``Pipeline`` takes it: a DataHome, a folder, or None for ``KOKORO_HOME`` or the default."""
        self.home = home if isinstance(home, DataHome) else resolve_home(home)
        self.root = self.home.voices

    def _locked(self, saving: Path) -> AbstractContextManager[None]:
        """Hold the store's inter-process lock, so that two saves cannot both find a name free; a store
        that cannot be made is the KokoroError a write of ``saving`` would give."""
        make_parent(saving)
        return exclusive(self.root / LOCK_NAME, f"the voice store {self.root}", saving)

    def _files(self) -> dict[str, Path]:
        """Name → voice file (see ``voice_files`` for which format wins)."""
        return voice_files(self.root)

    def names(self) -> list[str]:
        return sorted(self._files())

    def _lookup(self, name: str) -> tuple[str, Path]:
        """The stored name and file for ``name``; case is ignored when that leaves one voice."""
        files = self._files()
        stored = name if name in files else match_ignoring_case(name, files)
        if stored is not None:
            return stored, files[stored]
        if not files:
            raise MissingAssetError(f"no voices in {self.root}", hint="run `kokoro download`")
        raise unknown_voice(name, files)

    def _sidecar(self, name: str) -> dict[str, Any]:
        """The sidecar's contents; a KokoroError when it is not JSON or its recipe holds a number that is not one."""
        path = self.root / f"{name}.json"
        if not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise KokoroError(f"{path}: unreadable voice sidecar ({error})") from None
        meta = data if isinstance(data, dict) else {}
        problem = recipe_problem(meta.get("recipe"))
        if problem:
            raise KokoroError(f"{path}: unreadable voice sidecar ({problem})")
        return meta

    def _info(self, name: str, path: Path, check: bool = False) -> VoiceInfo:
        """What is known of one voice; ``check`` also reads its file, and records a damaged file or sidecar
        in ``problem`` instead of raising."""
        try:
            meta = self._sidecar(name)
        except KokoroError as error:
            if not check:
                raise
            return self._described(name, path, {"origin": UNKNOWN_ORIGIN}, _message(error))
        return self._described(name, path, meta, _file_problem(path) if check else None)

    def _described(self, name: str, path: Path, meta: dict[str, Any], problem: str | None) -> VoiceInfo:
        recipe = meta.get("recipe")
        parent = _parent_voice(recipe)
        lang = language_of(name) or _recipe_language(recipe) or (language_of(parent) if parent else None)
        return VoiceInfo(
            name=name,
            lang=lang,
            language=LANGUAGES[lang].name if lang in LANGUAGES else None,
            gender=gender_of(name) or (gender_of(parent) if parent else None),
            origin=str(meta.get("origin", "imported")),
            recipe=meta.get("recipe"),
            path=path,
            created=meta.get("created"),
            problem=problem,
        )

    def info(self, name: str, *, check: bool = False) -> VoiceInfo:
        """One voice's metadata; ``check`` reads its file too and records damage in ``problem``, as ``list`` does."""
        return self._info(*self._lookup(name), check)

    def list(self, lang: str | None = None, gender: str | None = None) -> list[VoiceInfo]:
        """Every voice, checked, optionally only one language code and/or gender (``f``/``m``, or female/male).

        Every voice file (size, shape, finite values; ~0.5 ms per raw ``.bin``) and sidecar is read, and
        what is damaged is recorded in ``problem`` rather than failing the listing.
        """
        if lang is not None and lang not in LANGUAGES:
            raise KokoroError(f"unknown language code '{lang}'; use one of {', '.join(LANGUAGES)}")
        if gender is not None:
            gender = {"female": "f", "male": "m"}.get(gender, gender)
            if gender not in GENDERS:
                raise KokoroError(f"unknown gender '{gender}'; use f or m")
        self._check_readable()
        voices = [self._info(name, path, check=True) for name, path in sorted(self._files().items())]
        return [
            voice
            for voice in voices
            if (lang is None or voice.lang == lang) and (gender is None or voice.gender == gender)
        ]

    def _check_readable(self) -> None:
        """Raise when the store's folder exists but cannot be read: listing it as empty would hide that."""
        try:
            os.scandir(self.root).close()
        except FileNotFoundError:
            return
        except OSError as error:
            raise path_error("read", self.root, error) from error

    def exists(self, name: str) -> bool:
        return name in self._files()

    def load(self, name_or_path: str | os.PathLike[str]) -> np.ndarray:
        """A voice's float32 ``[510, 1, 256]`` pack, by store name or by file path."""
        text = os.fspath(name_or_path)
        if isinstance(name_or_path, Path) or _looks_like_path(text):
            return read_voice_file(text)
        return read_voice_file(self._lookup(text)[1])

    def resolve(self, spec: str | os.PathLike[str]) -> np.ndarray:
        """A pack from a voice name, a voice file, or a blend spec like ``'af_heart:0.7,am_adam:0.3'``."""
        if isinstance(spec, os.PathLike) or Path(spec).is_file() or not is_blend_spec(spec):
            return self.load(spec)
        pairs = parse_blend_spec(spec)
        return blend([self.load(name) for name, _ in pairs], [weight for _, weight in pairs])

    def save(
        self,
        name: str,
        pack: np.ndarray,
        origin: str,
        recipe: dict[str, Any] | None = None,
        *,
        fmt: str = "npy",
        replace: bool = False,
    ) -> VoiceInfo:
        """Store ``pack`` as ``name`` atomically, with its sidecar; other formats of the same name go.

        An existing voice (stock or made) is never overwritten by accident: replacing one needs
        ``replace=True``.
        """
        validate_name(name)
        if origin not in ORIGINS:
            raise ValueError(f"origin must be one of {ORIGINS}, got {origin!r}")
        path = self.root / f"{name}.{fmt}"
        with self._locked(path):
            files = self._files()
            if name in files and not replace:
                existing = self._info(name, files[name]).origin
                raise KokoroError(
                    f"a voice named '{name}' already exists ({existing}) and is kept as is",
                    hint="choose another name, or --force",
                )
            target = write_voice_file(path, pack, fmt)
            created = datetime.now(timezone.utc).isoformat(timespec="seconds")
            sidecar = {"origin": origin, "recipe": recipe, "created": created}
            atomic_write_text(self.root / f"{name}.json", json.dumps(sidecar, indent=2) + "\n")
            for other in FORMATS:
                stale = self.root / f"{name}.{other}"
                if other != fmt and stale.exists():
                    stale.unlink()
        return self._info(name, target)

    def removable(self, name: str, *, stock: bool = False, stock_names: Collection[str] = ()) -> VoiceInfo:
        """The voice ``remove`` would delete, or the error it would give: unknown, or stock without ``stock``.

        A voice is stock by its sidecar, or, when the sidecar is gone or damaged, by its name being one of
        ``stock_names`` (the published voices, which this layer cannot import): losing a sidecar must not
        make a stock voice removable by accident.
        """
        info = self._info(*self._lookup(name), check=True)
        unsure = not info.sidecar_readable or not (self.root / f"{info.name}.json").is_file()
        if (info.origin == "stock" or (unsure and info.name in stock_names)) and not stock:
            raise KokoroError(
                f"'{info.name}' is a stock voice and is kept",
                hint=f"--force removes it; `kokoro download --voices {info.name}` fetches it again",
            )
        return info

    def remove(self, name: str, *, stock: bool = False, stock_names: Collection[str] = ()) -> VoiceInfo:
        """Delete a voice's files (every format) and its sidecar; what it was is returned.

        Stock voices (see ``removable``) are kept unless ``stock`` is set: `kokoro download` is what brings one back.
        """
        with self._locked(self.root / LOCK_NAME):
            info = self.removable(name, stock=stock, stock_names=stock_names)
            stored = info.name
            for suffix in (*FORMATS, "json"):  # the sidecar last: a failed removal leaves a described voice
                target = self.root / f"{stored}.{suffix}"
                try:
                    target.unlink(missing_ok=True)
                except OSError as error:
                    raise path_error("remove", target, error) from error
        return info


def _message(error: KokoroError) -> str:
    """An error's message without its hint: a damaged voice's fix comes from the caller."""
    return str(error.args[0])


def _file_problem(path: Path) -> str | None:
    """Why a voice file does not read as a sound pack, or None."""
    try:
        read_voice_file(path)
    except KokoroError as error:
        return _message(error)
    return None


def _recipe_language(recipe: Any) -> str | None:
    """The language a made voice was made for (``kokoro train voice`` records it): a blend of timbres may lean on
    another language's voices, so its heaviest part does not say which language it speaks."""
    lang = recipe.get("lang") if isinstance(recipe, dict) else None
    return lang if lang in LANGUAGES else None


def _parent_voice(recipe: Any) -> str | None:
    """The voice a made voice mostly comes from (edit source, or the heaviest blend part).

    A voice named freely (``my_narrator``) has no prefix; it inherits language and gender from
    its parent so `kokoro say --voice my_narrator` still picks the right G2P.
    """
    if not isinstance(recipe, dict):
        return None
    if isinstance(recipe.get("source"), str):
        return recipe["source"]
    parts = blend_parts(recipe)
    return max(parts, key=lambda part: part[1])[0] if parts else None
