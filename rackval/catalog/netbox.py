"""Import NetBox devicetype-library files as rackval part files.

``rackval parts import DIR`` reads ``device-types/<Vendor>/*.yaml`` and
``rack-types/<Vendor>/*.yaml`` of a devicetype-library checkout (CC0) and writes one
``<slug>.yaml`` part file each: the NetBox keys exactly as in the library (comments and
key order kept) plus a ``rackval:`` block with

- ``kind`` guessed from the NetBox data (rack type → ``rack``; power outlets → ``pdu``;
  many or mostly high-speed interfaces → ``switch``; anything else → ``other``),
- ``source: "NetBox devicetype-library <path> [L]"`` and ``confidence: community``,
- only what maps without guessing: the PSU count is the number of power ports; the mass
  comes from ``weight``; rack dimensions from the rack-type keys.

Everything else stays missing, and each :class:`ImportResult` names the missing
figures (``incomplete``), so rules report RV-CAT-001 instead of guessing.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from ..design.parts import KINDS
from ..errors import DesignError, DesignErrors
from . import Catalog, load_catalog
from .build import build_part
from .figures import missing_figures
from .files import LazyLocator, parse_yaml, read_part_file

__all__ = [
    "ImportResult",
    "import_device_types",
    "guess_kind",
    "library_path",
    "slugify",
    "summarize",
]

_SECTIONS = ("device-types", "rack-types")
_HIGH_SPEED = re.compile(
    r"^(?:\d+(?:\.\d+)?t|[1-9]\d{1,2}g)base|^infiniband-|sfp|qsfp|osfp|cfp", re.IGNORECASE
)
_MANY_PORTS = 24
_SOME_PORTS = 8


@dataclass(frozen=True)
class ImportResult:
    """What happened to one library file."""

    source: Path  # the library file read
    library_path: str  # its path inside the library, e.g. device-types/APC/AP8888.yaml
    status: str  # "written" | "overwritten" | "exists" | "invalid"
    slug: str | None = None  # slug of the part file (after collision handling)
    dest: Path | None = None  # the part file written or found
    kind: str | None = None
    incomplete: tuple[str, ...] = ()  # missing figures (see missing_figures)
    renamed_from: str | None = None  # the library's slug, when it had to change
    errors: tuple[str, ...] = ()  # why the file was not imported

    @property
    def ok(self) -> bool:
        """True if a loadable part file exists for this library file."""
        return self.status in ("written", "overwritten", "exists")

    def summary(self) -> str:
        """One line for the CLI: status, library path, slug, kind and what is missing.

        >>> ImportResult(Path("x.yaml"), "device-types/X/x.yaml", "written", slug="x",
        ...              kind="other", incomplete=("power.max",)).summary()
        'written device-types/X/x.yaml -> x (other); incomplete: power.max'
        """
        if not self.ok:
            return f"{self.status} {self.library_path}: " + "; ".join(self.errors)
        text = f"{self.status} {self.library_path} -> {self.slug} ({self.kind})"
        if self.renamed_from:
            text += f", renamed from {self.renamed_from}"
        if self.incomplete:
            text += "; incomplete: " + ", ".join(self.incomplete)
        return text


def slugify(text: str) -> str:
    """A NetBox-style slug: lower case, ``[a-z0-9_-]``, words joined by ``-``.

    >>> slugify("Geist rPDU GI10022L")
    'geist-rpdu-gi10022l'
    """
    slug = re.sub(r"[^a-z0-9_]+", "-", text.casefold()).strip("-_")
    return slug or "part"


def library_path(path: Path) -> str:
    """The path of a library file from its ``device-types``/``rack-types`` folder on."""
    parts = path.parts
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in _SECTIONS:
            return "/".join(parts[i:])
    return path.name


def _high_speed(kind: Any) -> bool:
    return isinstance(kind, str) and bool(_HIGH_SPEED.search(kind))


def guess_kind(data: Mapping[str, Any], *, rack_type: bool = False) -> str:
    """Guess the rackval kind of a NetBox device or rack type.

    Rack type → ``rack``; any power outlets → ``pdu``; at least 24 data interfaces, or
    at least 8 of which most are 10G and faster (SFP/QSFP/OSFP, InfiniBand) →
    ``switch``; otherwise ``other`` (servers, storage and GPU nodes cannot be told
    apart from NetBox data alone — set the kind by hand).

    >>> guess_kind({"power-outlets": [{"name": "1"}]})
    'pdu'
    >>> ports = [{"name": f"p{i}", "type": "400gbase-x-osfp"} for i in range(64)]
    >>> guess_kind({"interfaces": ports})
    'switch'
    """
    if rack_type or "form_factor" in data:
        return "rack"
    if data.get("power-outlets"):
        return "pdu"
    ports = [
        i for i in data.get("interfaces") or () if isinstance(i, Mapping) and not i.get("mgmt_only")
    ]
    fast = sum(_high_speed(i.get("type")) for i in ports)
    if len(ports) >= _MANY_PORTS or (len(ports) >= _SOME_PORTS and fast * 2 > len(ports)):
        return "switch"
    return "other"


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _existing_source(path: Path) -> str | None:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, DesignError):
        return None
    block = data.get("rackval") if isinstance(data, Mapping) else None
    source = block.get("source") if isinstance(block, Mapping) else None
    return source if isinstance(source, str) else None


def _source_text(rel: str, today: datetime.date) -> str:
    return f"NetBox devicetype-library {rel} [L], imported {today.isoformat()}"


def _same_source(existing: str | None, rel: str) -> bool:
    return existing is not None and existing.startswith(f"NetBox devicetype-library {rel} [L]")


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _files(src_dir: Path) -> list[Path]:
    roots = [src_dir / s for s in _SECTIONS if (src_dir / s).is_dir()] or [src_dir]
    found: list[Path] = []
    for root in roots:
        found += [p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(found)


def _dump(tree: CommentedMap, header: str) -> str:
    out = io.StringIO()
    _round_trip().dump(tree, out)
    return f"# {header}\n" + out.getvalue()


def import_device_types(
    src_dir: Path,
    dest_dir: Path,
    *,
    kind_hint: str | None = None,
    overwrite: bool = False,
    catalog: Catalog | None = None,
    today: datetime.date | None = None,
) -> list[ImportResult]:
    """Write rackval part files for the NetBox device and rack types under `src_dir`.

    Parameters
    ----------
    src_dir : Path
        A devicetype-library checkout (with ``device-types/`` and/or ``rack-types/``)
        or any folder of its YAML files, e.g. ``device-types/APC``.
    dest_dir : Path
        Where the part files go (created if needed); use it as a catalog directory
        (``load_catalog([dest_dir])``).
    kind_hint : str, optional
        Use this kind for every file instead of guessing.
    overwrite : bool, optional
        Replace existing part files. Without it an existing file is never touched: a
        file from the same library path is reported as ``exists``, any other file
        keeps its slug and the import gets a new one (``<slug>-2`` ...).
    catalog : Catalog, optional
        Slugs that are taken (default: the built-in catalog); a library slug that is
        already in it is renamed.
    today : date, optional
        The import date written into ``source`` (default: today).

    Returns
    -------
    list of ImportResult
        One per library file, in path order; ``incomplete`` names the missing figures.
    """
    if kind_hint is not None and kind_hint not in KINDS:
        raise ValueError(f"kind_hint must be one of {', '.join(KINDS)}, got {kind_hint!r}")
    src_dir, dest_dir = Path(src_dir), Path(dest_dir)
    known = catalog if catalog is not None else load_catalog()
    here = dest_dir.resolve()
    # slugs defined elsewhere; a part file already in dest_dir is handled as a file
    taken = {s for s in known.slugs() if (p := known.path(s)) is None or p.parent.resolve() != here}
    assigned: set[str] = set()
    stamp = today or datetime.date.today()
    results = []
    for path in _files(src_dir):
        rel = library_path(path)
        if not rel.startswith(_SECTIONS):
            rel = path.relative_to(src_dir).as_posix()
        results.append(
            _import_one(path, rel, dest_dir, kind_hint, overwrite, taken, assigned, stamp)
        )
    return results


def _import_one(
    path: Path,
    rel: str,
    dest_dir: Path,
    kind_hint: str | None,
    overwrite: bool,
    taken: set[str],
    assigned: set[str],
    today: datetime.date,
) -> ImportResult:
    origin = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        tree = parse_yaml(text, origin, round_trip=True)
    except (OSError, UnicodeDecodeError) as exc:
        return ImportResult(path, rel, "invalid", errors=(f"{origin}: cannot read: {exc}",))
    except DesignError as exc:
        return ImportResult(path, rel, "invalid", errors=(str(exc),))
    if not isinstance(tree, CommentedMap) or not tree.get("manufacturer") or not tree.get("model"):
        return ImportResult(
            path,
            rel,
            "invalid",
            errors=(f"{origin}: not a NetBox device or rack type (no manufacturer and model)",),
        )
    rack_type = rel.startswith("rack-types/") or "form_factor" in tree
    kind = kind_hint or guess_kind(tree, rack_type=rack_type)

    library_slug = str(tree.get("slug") or "")
    slug = slugify(library_slug or f"{tree['manufacturer']}-{tree['model']}")
    source = _source_text(rel, today)
    candidate, n = slug, 1
    while True:
        target = dest_dir / f"{candidate}.yaml"
        clash = candidate in assigned or candidate in taken
        if not clash and target.exists() and not overwrite:
            if _same_source(_existing_source(target), rel):
                return _existing(path, rel, candidate, target, library_slug)
            clash = True
        if not clash:
            break
        n += 1
        candidate = f"{slug}-{n}"
    assigned.add(candidate)

    block = CommentedMap()
    block["kind"] = kind
    block["source"] = source
    block["confidence"] = "community"
    ports = tree.get("power-ports") or []
    if kind not in ("pdu", "rack", "rack-system", "cdu", "rdhx") and ports:
        block["power"] = CommentedMap([("psus", len(ports))])
    tree["slug"] = candidate
    tree.pop("rackval", None)
    tree["rackval"] = block
    name = f"{tree['manufacturer']} {tree['model']}"
    out = _dump(tree, f"{name} — imported from NetBox devicetype-library {rel} (CC0)")

    renamed = library_slug if library_slug != candidate else None
    try:
        part = build_part(
            parse_yaml(out, str(target)),
            origin=str(target),
            locate=LazyLocator(out, str(target)),
            path_prefix=f"parts[{candidate}]",
        )
    except DesignErrors as exc:
        return ImportResult(
            path,
            rel,
            "invalid",
            slug=candidate,
            kind=kind,
            renamed_from=renamed,
            errors=tuple(f"{origin}: {e.path}: {e.message}" for e in exc.errors),
        )
    status = "overwritten" if target.exists() else "written"
    _write_atomic(target, out)
    return ImportResult(
        path,
        rel,
        status,
        slug=candidate,
        dest=target,
        kind=kind,
        incomplete=tuple(missing_figures(part)),
        renamed_from=renamed,
    )


def _existing(path: Path, rel: str, slug: str, target: Path, library_slug: str) -> ImportResult:
    try:
        part = read_part_file(target)
    except DesignErrors as exc:
        return ImportResult(
            path, rel, "invalid", slug=slug, dest=target, errors=tuple(str(e) for e in exc.errors)
        )
    return ImportResult(
        path,
        rel,
        "exists",
        slug=slug,
        dest=target,
        kind=part.kind,
        incomplete=tuple(missing_figures(part)),
        renamed_from=library_slug if library_slug != slug else None,
    )


def summarize(results: Sequence[ImportResult]) -> dict[str, int]:
    """Counts by status, for the CLI's closing line."""
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return counts
