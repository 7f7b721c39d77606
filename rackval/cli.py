"""The ``rackval`` command line.

Results go to stdout, chatter and errors to stderr. Exit codes (DESIGN §9):
0 — no finding at or above ``--fail-on``; 1 — findings; 2 — usage, invalid design or
internal error. Heavy modules are imported inside the commands so that
``rackval --version`` stays fast and ``rackval validate`` never imports textual.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _err(message: str) -> None:
    click.echo(message, err=True)


def _design_error_lines(exc: BaseException) -> list[str]:
    from .errors import DesignError, DesignErrors

    errors = exc.errors if isinstance(exc, DesignErrors) else [exc]
    lines = []
    for e in errors:
        if isinstance(e, DesignError):
            where = f"{_rel(str(e.location))}: " if e.location else ""
            field = f"{e.path}: " if e.path else ""
            lines.append(f"{where}error: {field}{e.message}")
        else:
            lines.append(f"error: {e}")
    return lines


def _rel(text: str) -> str:
    head, sep, tail = text.partition(":")
    try:
        rel = os.path.relpath(head)
    except ValueError:
        return text
    return (head if rel.startswith("..") else rel) + sep + tail


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn rackval errors into messages and exit code 2; never show a traceback."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import DesignError, DesignErrors, RackvalError

        try:
            return func(*args, **kwargs)
        except (DesignError, DesignErrors) as exc:
            for line in _design_error_lines(exc):
                _err(line)
            sys.exit(EXIT_ERROR)
        except RackvalError as exc:
            _err(f"error: {exc}")
            sys.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # an internal error: one line, exit 2
            if os.environ.get("RACKVAL_DEBUG") == "1":
                traceback.print_exc()
            else:
                _err(
                    f"internal error: {type(exc).__name__}: {exc} "
                    "(set RACKVAL_DEBUG=1 for the traceback)"
                )
            sys.exit(EXIT_ERROR)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _split_list(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return tuple(out)


def _design_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths or ["designs"]:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
            files += [p for p in found if _is_main_design(p)]
        elif path.exists():
            files.append(path)
        else:
            raise click.UsageError(f"no such file or directory: {raw}")
    return files


def _is_main_design(path: Path) -> bool:
    """Included fragments have no ``rackval:`` version key; only main designs are run."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("rackval:"):
                    return True
    except OSError:
        return True
    return False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="rackval")
def cli() -> None:
    """Validate AI rack builds before they are racked: fit, power, cooling, fabric."""


@cli.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--select", multiple=True, help="Rule ID prefixes to run (comma-separated; ALL).")
@click.option("--ignore", multiple=True, help="Rule ID prefixes to skip.")
@click.option("--extend-select", multiple=True, help="Rule ID prefixes to add to --select.")
@click.option(
    "--scenarios",
    default="n-1",
    show_default=True,
    help="normal | n-1 | all | scenario names (comma-separated).",
)
@click.option(
    "--load",
    type=click.Choice(["max", "typical"]),
    default="max",
    show_default=True,
    help="Device power basis.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings.")
@click.option("--results", is_flag=True, help="Text: add the table of loads and currents.")
@click.option(
    "--floorplan",
    type=click.Path(dir_okay=False),
    help="Write the floor plan of the design (one design only) as SVG to this file.",
)
@guarded
def validate(
    paths: tuple[str, ...],
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    scenarios: str,
    load: str,
    fail_on: str,
    exit_zero: bool,
    results: bool,
    floorplan: str | None,
) -> None:
    """Validate design files or directories (default: designs/)."""
    from .catalog import load_catalog
    from .design.resolve import load_design
    from .errors import DesignError, DesignErrors, ScenarioError, SolverError
    from .rules import RULES, severity_rank
    from .validate import validate_design

    selection = _split_list(select) or ("ALL",)
    ignored = _split_list(ignore)
    for prefix in (*selection, *ignored, *_split_list(extend_select)):
        if prefix != "ALL" and not any(r.startswith(prefix) for r in RULES):
            raise click.UsageError(f"no rule matches '{prefix}' (see: rackval rules)")
    names = _split_list([scenarios])
    scenario_arg: str | list[str] = names[0] if len(names) == 1 else list(names)
    catalog = load_catalog()
    reports = []
    errors: list[DesignError] = []
    invalid = 0
    files = _design_files(paths)
    if floorplan and len(files) != 1:
        raise click.UsageError(f"--floorplan draws one design; {len(files)} were given")
    for file in files:
        try:
            design = load_design(file, catalog)
            reports.append(
                validate_design(
                    design,
                    select=selection,
                    ignore=ignored,
                    extend_select=_split_list(extend_select),
                    scenarios=scenario_arg,
                    load=load,
                )
            )
        except (DesignError, DesignErrors) as exc:
            invalid += 1
            errors += exc.errors if isinstance(exc, DesignErrors) else [exc]
            for line in _design_error_lines(exc):
                _err(line)
        except SolverError as exc:  # a loop that cannot be solved: this design is invalid
            invalid += 1
            _err(f"{_rel(str(file))}: error: {exc}")
        except ScenarioError as exc:
            raise click.UsageError(str(exc)) from None
    if fmt == "json":
        from .report.json import render_json

        click.echo(render_json(reports, errors, invalid=invalid), nl=False)
    else:
        from .report.text import render_text

        click.echo(render_text(reports, results=results, invalid=invalid), nl=False)
    if floorplan and reports:
        _write_floorplan(reports[0], Path(floorplan))
    if invalid:
        sys.exit(EXIT_ERROR)
    threshold = severity_rank(fail_on)
    failing = any(severity_rank(f.severity) <= threshold for r in reports for f in r.findings)
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_OK)


def _write_floorplan(report: Any, path: Path) -> None:
    from .report.floorplan import floorplan_svg

    try:
        svg = floorplan_svg(report.design, report.findings)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        path.write_text(svg, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot write the floor plan to {path}: {exc.strerror}") from None
    _err(f"floor plan written to {path}")


@cli.command()
@guarded
def rules() -> None:
    """List every rule: id, name, default severity, summary."""
    from .rules import RULES

    for r in RULES.values():
        click.echo(f"{r.id}  {r.name:<26} {r.severity:<8} {r.summary}")


@cli.command()
@click.argument("rule_id")
@guarded
def explain(rule_id: str) -> None:
    """Show a rule's documentation."""
    from .rules import REDIRECTS, RULES
    from .rules.docs import render_rule_doc

    key = REDIRECTS.get(rule_id.upper(), rule_id.upper())
    match = RULES.get(key) or next((r for r in RULES.values() if r.name == rule_id), None)
    if match is None:
        raise click.UsageError(f"unknown rule '{rule_id}' (see: rackval rules)")
    click.echo(render_rule_doc(match), nl=False)


@cli.command()
@click.argument("words", nargs=-1)
@click.option("--overwrite", is_flag=True, help="parts import: replace existing part files.")
@click.option(
    "--to",
    "dest",
    type=click.Path(file_okay=False),
    default="parts",
    show_default=True,
    help="parts import: directory to write part files to.",
)
@guarded
def parts(words: tuple[str, ...], overwrite: bool, dest: str) -> None:
    """Search the catalog: parts [QUERY] | parts show SLUG | parts import DIR."""
    from .catalog import load_catalog

    if words and words[0] == "show":
        if len(words) != 2:
            raise click.UsageError("usage: rackval parts show SLUG")
        _show_part(load_catalog(), words[1])
        return
    if words and words[0] == "import":
        if len(words) != 2:
            raise click.UsageError("usage: rackval parts import DIR [--to DIR]")
        _import_parts(Path(words[1]), Path(dest), overwrite)
        return
    catalog = load_catalog()
    found = catalog.search(" ".join(words)) if words else list(catalog)
    if not found:
        _err(f"no part matches '{' '.join(words)}'")
        sys.exit(EXIT_FINDINGS)
    for part in found:
        click.echo(f"{part.slug:<42} {part.kind:<12} {part.manufacturer} {part.model}")


def _show_part(catalog: Any, slug: str) -> None:
    from .report.parts import describe_part

    part = catalog.get(slug)
    if part is None:
        close = catalog.suggest(slug)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise click.UsageError(f"unknown part '{slug}'{hint}")
    click.echo("\n".join(describe_part(part)))


def _import_parts(src: Path, dest: Path, overwrite: bool) -> None:
    from .catalog.netbox import import_device_types

    if not src.is_dir():
        raise click.UsageError(f"not a directory: {src}")
    results = import_device_types(src, dest, overwrite=overwrite)
    for r in results:
        click.echo(r.summary() if hasattr(r, "summary") else str(r))


@cli.command()
@guarded
def schema() -> None:
    """Print the JSON Schema of the design format."""
    import json

    from .design.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``rackval`` script."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None, prog_name="rackval", standalone_mode=True
        )
    except SystemExit:
        raise


if __name__ == "__main__":
    main()
