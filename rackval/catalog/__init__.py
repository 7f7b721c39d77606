"""The parts catalog: real hardware with sourced figures, looked up by slug.

Parts live one per file in ``rackval/catalog/parts/<slug>.yaml`` (NetBox device-type
format plus a ``rackval:`` block, see ``docs/catalog.md``). A catalog knows its slugs
from the file names and parses a file only when its part is first asked for, so a
design that uses six parts reads six files.

>>> catalog = load_catalog()
>>> catalog.get("nvidia-dgx-h100").power.psus
6
"""

from __future__ import annotations

import difflib
import functools
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from ..design.parts import Part
from ..errors import CatalogError, DesignErrors
from .build import build_part, dotted
from .figures import missing_figures
from .files import read_part_file

__all__ = [
    "Catalog",
    "load_catalog",
    "build_part",
    "read_part_file",
    "missing_figures",
    "dotted",
    "PARTS_DIR",
]

PARTS_DIR = Path(__file__).parent / "parts"
"""Where the built-in part files are."""


def _catalog_error(errors: DesignErrors) -> CatalogError:
    error = CatalogError("invalid catalog part:\n" + "\n".join(f"  {e}" for e in errors.errors))
    error.errors = errors.errors  # type: ignore[attr-defined]
    return error


class Catalog:
    """Parts by slug: files read on first use, plus parts given directly.

    Parameters
    ----------
    files : Mapping of str to Path, optional
        Slug -> part file (the file's name must be ``<slug>.yaml``).
    parts : iterable of Part, optional
        Parts already built (tests, tools).

    Raises
    ------
    CatalogError
        A slug is given twice.
    """

    def __init__(self, files: Mapping[str, Path] | None = None, parts: Iterable[Part] = ()) -> None:
        self._files: dict[str, Path] = dict(files or {})
        self._parts: dict[str, Part] = {}
        self._lock = threading.Lock()
        for part in parts:
            if part.slug in self._files or part.slug in self._parts:
                raise CatalogError(f"duplicate part slug '{part.slug}'")
            self._parts[part.slug] = part
        self._slugs = sorted({*self._files, *self._parts})

    def slugs(self) -> list[str]:
        """Every slug, sorted (no file is read)."""
        return list(self._slugs)

    def path(self, slug: str) -> Path | None:
        """The file a part comes from, or None (unknown slug or a part given directly)."""
        return self._files.get(slug)

    def get(self, slug: str) -> Part | None:
        """The part with this slug, or None.

        Raises
        ------
        CatalogError
            The part's file is invalid (``.errors`` lists each problem with its
            file, line and field path).
        """
        part = self._parts.get(slug)
        if part is not None:
            return part
        path = self._files.get(slug)
        if path is None:
            return None
        try:
            part = read_part_file(path)
        except DesignErrors as exc:
            raise _catalog_error(exc) from exc
        with self._lock:
            self._parts[slug] = part
        return part

    def __contains__(self, slug: object) -> bool:
        return slug in self._files or slug in self._parts

    def __iter__(self) -> Iterator[Part]:
        for slug in self._slugs:
            part = self.get(slug)
            if part is not None:
                yield part

    def __len__(self) -> int:
        return len(self._slugs)

    def search(self, query: str) -> list[Part]:
        """Parts whose slug, manufacturer, model or kind contain every word of `query`.

        Case-insensitive; an empty query returns every part.

        >>> [p.slug for p in load_catalog().search("dgx b200")]
        ['nvidia-dgx-b200']
        """
        words = query.casefold().split()
        found = []
        for part in self:
            text = " ".join((part.slug, part.manufacturer, part.model, part.kind)).casefold()
            if all(word in text for word in words):
                found.append(part)
        return found

    def suggest(self, slug: str, n: int = 3) -> list[str]:
        """Known slugs close to `slug`, for "unknown part, did you mean ..."."""
        close = difflib.get_close_matches(slug, self._slugs, n=n, cutoff=0.6)
        if close:
            return close
        words = [w for w in slug.casefold().replace("_", "-").split("-") if len(w) > 2]
        scored = sorted(
            ((sum(w in s for w in words), s) for s in self._slugs),
            key=lambda pair: (-pair[0], pair[1]),
        )
        return [s for score, s in scored[:n] if score > 0]

    def merged(self, files: Mapping[str, Path]) -> Catalog:
        """A new catalog with more part files; parts already read are shared.

        Raises
        ------
        CatalogError
            A slug of `files` is already in this catalog.
        """
        for slug, path in files.items():
            if slug in self:
                where = self.path(slug) or "a part given directly"
                raise CatalogError(f"duplicate part slug '{slug}': {path} and {where}")
        merged = Catalog({**self._files, **files})
        merged._parts.update(self._parts)
        return merged


def _part_files(directory: Path) -> dict[str, Path]:
    if not directory.is_dir():
        raise CatalogError(f"catalog directory not found: {directory}")
    files: dict[str, Path] = {}
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        if path.stem in files:
            raise CatalogError(f"duplicate part slug '{path.stem}': {files[path.stem]} and {path}")
        files[path.stem] = path
    return files


@functools.cache
def _builtin() -> Catalog:
    return Catalog(_part_files(PARTS_DIR))


def load_catalog(extra_dirs: Sequence[Path] = ()) -> Catalog:
    """The built-in catalog, plus the part files of `extra_dirs`.

    The built-in catalog is created once per process; its parts are read on first use.

    Parameters
    ----------
    extra_dirs : sequence of Path
        Directories of more ``<slug>.yaml`` part files (e.g. NetBox imports).

    Raises
    ------
    CatalogError
        A directory is missing or a slug is defined twice.
    """
    catalog = _builtin()
    for directory in extra_dirs:
        catalog = catalog.merged(_part_files(Path(directory)))
    return catalog
