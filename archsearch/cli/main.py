"""The command line: parse options, call one API function, render. No logic lives here.

stdout carries only the result (text, or JSON with --json); progress and errors go to stderr.
This module holds the `archsearch` group, which maps library errors to exit codes; the
commands live by group in index_cmd, search_cmds, admin_cmds, export_cmd and serve_cmd.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from archsearch.cli import render
from archsearch.cli.options import echo
from archsearch.errors import ArchsearchError


# command -> the module of archsearch.cli that defines it. A command's module is imported only
# when that command runs (or help lists it): a search never loads what indexing or the web
# front end need, which is most of its start-up time (bench/cli.py).
COMMAND_MODULES = {
    "index": "index_cmd", "cluster": "index_cmd",
    "search": "search_cmds", "similar": "search_cmds", "show": "search_cmds", "saved": "search_cmds",
    "status": "admin_cmds", "cache": "admin_cmds", "users": "admin_cmds", "audit": "admin_cmds",
    "export": "export_cmd",
    "serve": "serve_cmd",
}


class Group(click.Group):
    """Loads each command from its module when it is asked for; turns library errors into a
    message on stderr and the error's exit code."""

    def list_commands(self, ctx):
        return sorted({*COMMAND_MODULES, *self.commands})

    def get_command(self, ctx, name):
        if name not in self.commands and name in COMMAND_MODULES:
            module = importlib.import_module(f"archsearch.cli.{COMMAND_MODULES[name]}")
            self.add_command(next(command for command in module.COMMANDS if command.name == name))
        return self.commands.get(name)

    def parse_args(self, ctx, args):
        # Bytes that are not UTF-8 reach click as lone surrogates, which no file, audit record
        # or terminal can take: refuse them here, before anything is read or written.
        for arg in args:
            if any("\ud800" <= c <= "\udfff" for c in arg):
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                raise click.UsageError(f"the argument {render.printable(shown)} is not valid UTF-8: retype it "
                                       "(or give a directory that contains the file)", ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ArchsearchError as error:
            echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except click.ClickException as error:
            # click repeats a bad value in its message: a file name from a glob can carry escapes
            error.message = render.printable(error.message)
            raise


@click.group(cls=Group)
@click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Index home (default: $ARCHSEARCH_INDEX_DIR, else ./indexes).",
)
@click.version_option(package_name="archsearch")
@click.pass_context
def main(ctx: click.Context, index_dir: Path | None) -> None:
    """Search a Vietnamese classified archive, within each user's clearance.

    \b
    Example:
      archsearch index sample_docs
      archsearch users add hoa --clearance "tối mật"
      archsearch search "bảo quản vũ khí" --user hoa
    """
    ctx.ensure_object(dict)
    ctx.obj["index_dir"] = index_dir


if __name__ == "__main__":
    main()
