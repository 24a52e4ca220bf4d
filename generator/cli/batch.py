"""``agreement batch``: one contract per row of a spreadsheet, in parallel, resumable."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .options import (
    draft_option,
    editing_of,
    editing_options,
    language_options,
    output_options,
    parameter_options,
    pdf_extra_options,
    warn_if_pdf_is_slow,
)


@click.command()
@click.argument("table", type=click.Path(path_type=Path))
@parameter_options
@output_options("Folder for the contracts, manifest.json and failures.csv.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes. Default: the number of CPU cores.",
)
@click.option(
    "--name",
    "pattern",
    default="{contract_no}",
    show_default=True,
    metavar="PATTERN",
    help="File name from parameter keys, e.g. '{customer.name}-{contract_no}'.",
)
@click.option(
    "--shard",
    metavar="K/N",
    help="Make only the K-th, (K+N)-th, … contract row: job K of N parallel jobs.",
)
@click.option("--sheet", metavar="NAME", help="The Excel sheet to read. Default: the first.")
@click.option("--encoding", metavar="NAME", help="The CSV's encoding. Default: UTF-8, else GB18030.")
@click.option("--force", is_flag=True, help="Make every contract again; replace files no batch made.")
@draft_option
@language_options
@editing_options
@pdf_extra_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.pass_context
def batch(
    ctx: click.Context,
    table: Path,
    bases: tuple[Path, ...],
    sets: tuple[str, ...],
    clause_dirs: tuple[Path, ...],
    strict: bool,
    out_dir: Path,
    formats: tuple[str, ...],
    jobs: int | None,
    pattern: str,
    shard: str | None,
    sheet: str | None,
    encoding: str | None,
    force: bool,
    draft: bool,
    track_changes: bool,
    protect_tracking: bool,
    protect_password_file: Path | None,
    sign_fields: bool,
    pdf_a: bool,
    quiet: bool,
) -> None:
    """Make a contract from each row of TABLE (.xlsx, .csv, or a .yaml/.json list).

    Row 1 holds parameter keys as in --set (customer.name, timeliness.response_hours, …);
    each row's parameters are the --base files, then the row (an empty cell keeps the
    base value), then --set. A re-run makes only what is new or changed (see
    manifest.json); failed rows go to failures.csv, which can be fixed and run again.
    Exit code 1 if any row failed.

    \b
    Example:
      agreement batch clients.xlsx --base examples/company-standard.yaml -o output
      agreement batch clients.csv --base standard.yaml -f pdf --shard 2/4
    """
    from ..batch.naming import parse_pattern
    from ..batch.run import INTERRUPTED, Settings, run_batch
    from ..batch.shard import parse_shard
    from ..batch.table import read_table
    from ..params import file_layer, set_layers
    from ..pipeline import Options
    from .progress import Progress

    warn_if_pdf_is_slow(formats)
    chosen_shard = parse_shard(shard) if shard is not None else None
    rows = read_table(table, sheet=sheet, encoding=encoding)
    settings = Settings(
        source=rows.source,
        bases=tuple(file_layer(base, "base") for base in bases),
        sets=tuple(set_layers(sets)),
        options=Options(
            clause_dirs=clause_dirs,
            draft=draft,
            strict=strict,
            editing=editing_of(track_changes, protect_tracking, protect_password_file),
            sign_fields=sign_fields,
            pdf_a=pdf_a,
        ),
        formats=formats,
        out_dir=out_dir,
        pattern=parse_pattern(pattern),
        force=force,
    )
    progress = Progress(rows.source, quiet=quiet)
    try:
        summary = run_batch(rows, settings, jobs=jobs or _cores(), shard=chosen_shard, report=progress)
    except KeyboardInterrupt:
        # A second Ctrl-C while the first one waits for running contracts:
        # every file on disk is whole, and a re-run recognises it.
        click.echo("\ninterrupted; run the same command again to continue", err=True)
        ctx.exit(130)
    progress.finish(summary)
    if summary.stopped == INTERRUPTED:
        ctx.exit(130)
    if summary.failed or summary.stopped:
        ctx.exit(1)


def _cores() -> int:
    """The cores this process may use (a container or ``taskset`` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
