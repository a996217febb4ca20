"""What every command shares: the index settings from the context, output helpers that keep
the terminal safe, and the options several commands take (--json, --user, the filters,
--no-color), so that each option reads and behaves the same in every command."""

from __future__ import annotations

import os
import shutil
import sys

import click

from archsearch.cli import render
from archsearch.config import Settings
from archsearch.engine.filters import SearchFilters
from archsearch.errors import ArchsearchError
from archsearch.levels import Level, parse_level


def ctx_settings(ctx: click.Context, **overrides) -> Settings:
    return Settings.from_env(ctx.obj.get("index_dir"), **overrides)


def emit_json(value) -> None:
    click.echo(render.terminal_json(value))


def echo(line: str, err: bool = False) -> None:
    """One line of text holding names or values from documents and files: made printable
    (render.printable) so that it cannot drive the terminal it is printed on."""
    click.echo(render.printable(line), err=err)


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")(func)


def user_option(func):
    return click.option("--user", "user", metavar="NAME", help="Registered user to act as (default: your OS account).")(func)


class LevelType(click.ParamType):
    name = "LEVEL"

    def convert(self, value, param, ctx):
        if isinstance(value, Level):
            return value
        try:
            return parse_level(value)
        except ArchsearchError as error:
            self.fail(str(error), param, ctx)



def filter_options(func):
    """--from/--to, --type, --issuer, --collection, --level: applied inside the search."""
    options = [
        click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Only documents dated on or after this day."),
        click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Only documents dated on or before this day."),
        click.option("--type", "doc_type", metavar="TYPE", help='Only this document type ("Quyết định", "QĐ").'),
        click.option("--issuer", metavar="BODY", help='Only this issuing body ("Bộ Quốc phòng", "BQP").'),
        click.option("--collection", metavar="NAME", help="Only this collection."),
        click.option("--level", "levels", type=LevelType(), multiple=True,
                     help="Only this level (repeatable; narrows within your clearance, never widens)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def filters_from(date_from, date_to, doc_type, issuer, collection, levels) -> SearchFilters:
    return SearchFilters(collection=collection, date_from=date_from, date_to=date_to, doc_type=doc_type,
                         levels=tuple(levels), issuer=issuer)


def color_option(func):
    return click.option("--no-color", "no_color", is_flag=True,
                        help="Plain text even in a terminal (also when NO_COLOR is set).")(func)


def use_color(no_color: bool) -> bool:
    return (not no_color and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
            and sys.stdout.isatty())


def page_lines(lines: list[str], color: bool) -> None:
    """Print the result; through the user's pager ($PAGER, else less) when stdout is a terminal
    and the text is longer than the screen, like `git log`."""
    text = "\n".join(lines)
    if sys.stdout.isatty() and sys.stdin.isatty() and len(text.splitlines()) >= shutil.get_terminal_size((80, 24)).lines:
        # color=None lets click keep colours for less (it adds LESS=-R when LESS is unset)
        # and strip them for a pager that would show the escapes as text.
        click.echo_via_pager(text + "\n", color=None if color else False)
    else:
        click.echo(text, color=color)

