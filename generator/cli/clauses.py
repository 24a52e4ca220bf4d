"""``agreement clauses``: what the clause library holds and what each clause uses."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--template", default="after-sales", show_default=True, help="Template whose clauses to list.")
@click.option("--language", default="zh-CN", show_default=True, help="Clause language.")
@click.option(
    "--clauses",
    "clause_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="A user clause folder, as for generate (repeatable).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Check that every language is in step with zh-CN (counterparts, logic, source_sha, locale keys).",
)
def clauses(template: str, language: str, clause_dirs: tuple[Path, ...], check: bool) -> None:
    """List the clause library: section, clause, variant file, when it applies, parameters used.

    \b
    Example:
      agreement clauses
      agreement clauses --language en
      agreement clauses --check
      agreement clauses --clauses my-clauses/
    """
    from ..clauses.catalogue import catalogue

    if check:
        from ..clauses.library import languages
        from ..clauses.parity import check_languages

        found = tuple(languages(clause_dirs))
        check_languages(template, found, clause_dirs)
        click.echo(f"clauses in step: {', '.join(found)}")
        return

    for row in catalogue(template, language, clause_dirs):
        click.echo(
            f"{row.section:<4} {row.key:<22} {row.relpath:<36} "
            f"when: {row.when or 'always'}\n{'':<27}uses: {', '.join(row.uses) or '-'}"
        )
