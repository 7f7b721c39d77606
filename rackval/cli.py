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
        from .config import ConfigError
        from .errors import DesignError, DesignErrors, RackvalError

        try:
            return func(*args, **kwargs)
        except (DesignError, DesignErrors) as exc:
            for line in _design_error_lines(exc):
                _err(line)
            sys.exit(EXIT_ERROR)
        except ConfigError as exc:
            where = _rel(str(exc.file)) + (f":{exc.line}" if exc.line else "")
            _err(f"{where}: error: {exc.message}")
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


FORMATS = ("text", "json", "sarif", "junit", "github")


def _parse_outputs(values: Sequence[str]) -> list[tuple[str, Path]]:
    outputs = []
    for value in values:
        fmt, sep, file = value.partition("=")
        if not sep or not file or fmt not in FORMATS:
            raise click.UsageError(
                f"--output takes FORMAT=FILE with FORMAT one of {', '.join(FORMATS)}; got '{value}'"
            )
        outputs.append((fmt, Path(file)))
    return outputs


def _check_prefixes(prefixes: Iterable[str], source: str) -> None:
    from .rules import REDIRECTS, RULES

    for prefix in prefixes:
        prefix = REDIRECTS.get(prefix, prefix)
        if prefix != "ALL" and not any(r.startswith(prefix) for r in RULES):
            raise click.UsageError(f"{source}: no rule matches '{prefix}' (see: rackval rules)")


def _render(fmt: str, batch: Any, *, results: bool = False, color: bool = False) -> str:
    if fmt == "json":
        from .report.json import render_json

        return render_json(batch)
    if fmt == "sarif":
        from .report.sarif import render_sarif

        return render_sarif(batch)
    if fmt == "junit":
        from .report.junit import render_junit

        return render_junit(batch)
    if fmt == "github":
        from .report.github import render_github

        return render_github(batch)
    from .report.text import render_text

    return render_text(batch, results=results, color=color)


def _progress_bar(total: int) -> tuple[Any, Callable[[int, int], None] | None]:
    """A rich progress bar on stderr, only when stderr is a terminal.

    The bar starts (with its refresh thread) on the first update, after the worker
    processes of ``--jobs`` are forked; the caller stops it.
    """
    if total < 2 or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress(
        "validating",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("validating", total=total)

    def update(done: int, _total: int) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done)

    return bar, update


@cli.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *FORMATS]),
    default="auto",
    show_default=True,
    help="Output format on stdout (auto: github under GITHUB_ACTIONS, else text).",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FORMAT=FILE",
    help="Also write FORMAT to FILE (repeatable), e.g. --output sarif=rackval.sarif.",
)
@click.option("--select", multiple=True, help="Rule ID prefixes to run (comma-separated; ALL).")
@click.option("--ignore", multiple=True, help="Rule ID prefixes to skip.")
@click.option("--extend-select", multiple=True, help="Rule ID prefixes to add to --select.")
@click.option(
    "--scenarios",
    default=None,
    help="normal | n-1 | all | scenario names (comma-separated).  [default: n-1]",
)
@click.option(
    "--load",
    type=click.Choice(["max", "typical"]),
    default=None,
    help="Device power basis.  [default: max]",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Lowest severity that makes the exit code 1.  [default: error]",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings.")
@click.option("--results", is_flag=True, help="Text: add the table of loads and currents.")
@click.option(
    "--floorplan",
    type=click.Path(dir_okay=False),
    help="Write the floor plan of the design (one design only) as SVG to this file.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="Only findings not in this baseline file count for the exit code.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    help="Write the findings of this run as a baseline file (then exit 0 unless invalid).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    help="Designs validated in parallel (0: one per CPU).  [default: 1]",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Configuration file (default: rackval.toml or pyproject.toml found upward).",
)
@click.option("--isolated", is_flag=True, help="Ignore configuration files.")
@click.option(
    "--only-designs",
    is_flag=True,
    help="Skip given files that are not designs (no 'rackval:' line), e.g. from pre-commit.",
)
@click.option(
    "--waivers",
    "waivers_file",
    type=click.Path(dir_okay=False),
    help="Waiver file (default: rackval.waivers.yaml next to the configuration).",
)
@guarded
def validate(
    paths: tuple[str, ...],
    fmt: str,
    outputs: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    scenarios: str | None,
    load: str | None,
    fail_on: str | None,
    exit_zero: bool,
    results: bool,
    floorplan: str | None,
    baseline: str | None,
    write_baseline: str | None,
    jobs: int | None,
    config_file: str | None,
    isolated: bool,
    only_designs: bool,
    waivers_file: str | None,
) -> None:
    """Validate design files or directories (default: designs/ or the configured paths).

    Settings: command line > [tool.rackval] in rackval.toml / pyproject.toml > defaults.
    """
    from .batch import Options, mark_baseline, run_batch
    from .config import Config, find_config, load_config
    from .waivers import WAIVERS_FILE, load_waivers_file

    if config_file:
        config = load_config(Path(config_file))
    elif isolated:
        config = Config()
    else:
        found = find_config()
        config = load_config(found) if found else Config()
    root = config.root
    source = f"{config.file}" if config.file else "configuration"
    selection = _split_list(select) or config.select or ("ALL",)
    ignored = _split_list(ignore) or config.ignore or ()
    extended = _split_list(extend_select) or config.extend_select or ()
    _check_prefixes(
        _split_list(select) + _split_list(ignore) + _split_list(extend_select), "option"
    )
    _check_prefixes(
        (*(config.select or ()), *(config.ignore or ()), *(config.extend_select or ())), source
    )
    for rules_ in config.per_file_ignores.values():
        _check_prefixes(rules_, f"{source}: per-file-ignores")
    names = _split_list([scenarios]) if scenarios else (config.scenarios or ("n-1",))
    scenario_arg: str | tuple[str, ...] = names[0] if len(names) == 1 else tuple(names)
    fail_on = fail_on or config.fail_on or "error"
    jobs = jobs if jobs is not None else (config.jobs if config.jobs is not None else 1)
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    written = _parse_outputs(outputs)
    baseline = baseline or (str(root / config.baseline) if config.baseline else None)
    if not paths and config.paths:
        paths = tuple(str(root / p) for p in config.paths)
    files = [str(f) for f in _design_files(paths) if not only_designs or _is_main_design(f)]
    if floorplan and len(files) != 1:
        raise click.UsageError(f"--floorplan draws one design; {len(files)} were given")
    waiver_path = (
        Path(waivers_file)
        if waivers_file
        else (root / config.waivers if config.waivers else root / WAIVERS_FILE)
    )
    if waivers_file and not waiver_path.is_file():
        raise click.UsageError(f"no such waiver file: {waivers_file}")
    waivers = tuple(load_waivers_file(waiver_path)) if waiver_path.is_file() else ()
    from .baseline import Baseline
    from .baseline import write_baseline as write_baseline_file

    old = Baseline.load(Path(baseline)) if baseline else None
    options = Options(
        select=tuple(selection),
        ignore=tuple(ignored),
        extend_select=tuple(extended),
        per_file_ignores=tuple(config.per_file_ignores.items()),
        config_root=str(root),
        scenarios=scenario_arg,
        load=load or config.load or "max",
        catalog=tuple(str(root / c) for c in config.catalog),
        waivers=waivers,
        waivers_base=str(waiver_path.parent),
    )
    bar, progress = _progress_bar(len(files))
    try:
        batch = run_batch(files, options, jobs=jobs, progress=progress)
    finally:
        if bar is not None:
            bar.stop()
    for result in batch.results:
        if result.usage:
            raise click.UsageError(result.usage)
        if result.errors:
            from .errors import DesignErrors

            for line in _design_error_lines(DesignErrors(result.errors)):
                _err(line)
        if result.failure:
            _err(f"{_rel(result.file)}: error: {result.failure}")
    if old is not None:
        mark_baseline(batch, old)
    color = fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    click.echo(_render(fmt, batch, results=results, color=color), nl=False)
    for out_fmt, out_path in written:
        try:
            out_path.write_text(_render(out_fmt, batch, results=results), encoding="utf-8")
        except OSError as exc:
            raise click.UsageError(f"cannot write {out_path}: {exc.strerror}") from None
    if fmt != "text":
        from .report.common import summary_line

        _err(summary_line(batch))
    if write_baseline:
        accepted = [(r.file, f) for r in batch.reports for f in r.findings]
        write_baseline_file(Path(write_baseline), accepted)
        count = len(accepted)
        _err(f"baseline of {count} finding{'s' if count != 1 else ''} written to {write_baseline}")
    if floorplan and batch.reports:
        _write_floorplan(batch.reports[0], Path(floorplan))
    if batch.invalid:
        sys.exit(EXIT_ERROR)
    if write_baseline:
        sys.exit(EXIT_OK)
    sys.exit(EXIT_FINDINGS if batch.failing(fail_on) and not exit_zero else EXIT_OK)


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


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the schedule to this file (default: stdout).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="Output format.",
)
@guarded
def cables(file: str, output: str | None, fmt: str) -> None:
    """Cable schedule: one row per link (generated and explicit), ends, media, length."""
    from .catalog import load_catalog
    from .design.resolve import load_design
    from .fabric.schedule import cable_schedule
    from .report.cables import render_cables_csv, render_cables_json

    if not Path(file).exists():
        raise click.UsageError(f"no such file: {file}")
    design = load_design(Path(file), load_catalog())
    rows = cable_schedule(design)
    text = render_cables_csv(rows) if fmt == "csv" else render_cables_json(design.name, rows)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot write {output}: {exc.strerror}") from None
    _err(f"{len(rows)} cables written to {output}")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--new", "new", is_flag=True, help="Create FILE from a template first.")
@click.option(
    "--template",
    default="empty-ab",
    show_default=True,
    help="Template for --new (empty-ab, dgx-h100).",
)
@guarded
def edit(file: str, new: bool, template: str) -> None:
    """Edit a design in the terminal UI (Textual)."""
    from .design.load import read_document
    from .tui.templates import TEMPLATES, template_text

    path = Path(file)
    if new:
        if template not in TEMPLATES:
            names = ", ".join(TEMPLATES)
            raise click.UsageError(f"unknown template '{template}' (templates: {names})")
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(template_text(template))
        except FileExistsError:
            raise click.UsageError(f"{file} exists; drop --new to edit it") from None
        except OSError as exc:
            raise click.UsageError(f"cannot create {file}: {exc.strerror}") from None
    elif not path.exists():
        raise click.UsageError(f"no such file: {file} (use --new to create it from a template)")
    doc = read_document(path)
    from .tui.app import RackvalApp

    app = RackvalApp(doc)
    app.run()
    if app.crash_message:
        _err(f"{app.crash_message} (set RACKVAL_DEBUG=1 for the traceback)")
        sys.exit(EXIT_ERROR)


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
