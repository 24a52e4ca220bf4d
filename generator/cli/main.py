"""The ``agreement`` command group, and the one place errors become messages.

Commands live in modules of their own and are imported only when run, so
``agreement --help`` and ``agreement validate`` never pay for WeasyPrint.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from ..errors import AgreementError

COMMANDS = {
    "init": "generator.cli.init:init",
    "generate": "generator.cli.generate:generate",
    "validate": "generator.cli.validate:validate",
    "clauses": "generator.cli.clauses:clauses",
    "batch": "generator.cli.batch:batch",
    "diff": "generator.cli.diff:diff",
    "flowchart": "generator.cli.flowchart:flowchart",
    "sign": "generator.cli.sign:sign",
    "verify": "generator.cli.verify:verify",
    "params": "generator.cli.params:params",
    "users": "generator.cli.store:users",
    "audit": "generator.cli.store:audit",
    "backup": "generator.cli.store:backup",
    "restore": "generator.cli.store:restore",
    "serve": "generator.cli.serve:serve",
}


class Commands(click.Group):
    """Loads each command's module on first use and turns our errors into clean exits."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AgreementError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="agreement", message="%(prog)s %(version)s")
def cli() -> None:
    """Generate after-sales service agreements, ready to sign, as DOCX and PDF.

    \b
    Example:
      agreement init -o client.yaml
      agreement validate client.yaml --base examples/company-standard.yaml
      agreement generate client.yaml --base examples/company-standard.yaml -o output
      agreement serve                  # the web page, on http://127.0.0.1:8000
    """


def main() -> None:
    cli(prog_name="agreement")
