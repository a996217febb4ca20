"""`archsearch export` and `archsearch export verify`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archsearch import api
from archsearch.cli.options import ctx_settings, echo, emit_json, filter_options, filters_from, json_option, user_option
from archsearch.errors import ExitCode


class _ExportCommand(click.Command):
    """`export [QUERY] ...` itself, except that `export verify ...` runs the verify subcommand
    (a query that is literally "verify" goes after the options and `--`)."""

    subcommands: dict[str, click.Command] = {}

    def parse_args(self, ctx, args):
        if args and args[0] in self.subcommands:
            ctx.meta["export_subcommand"] = (args[0], list(args[1:]))
            return []
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        if "export_subcommand" in ctx.meta:
            name, args = ctx.meta.pop("export_subcommand")
            command = self.subcommands[name]
            # Parent is the top-level context, so usage reads "archsearch export verify".
            with command.make_context(f"{ctx.info_name} {name}", args, parent=ctx.parent) as sub:
                return command.invoke(sub)
        return super().invoke(ctx)

    def format_commands_section(self, formatter):
        rows = [(name, cmd.get_short_help_str()) for name, cmd in self.subcommands.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def format_help(self, ctx, formatter):
        super().format_help(ctx, formatter)
        self.format_commands_section(formatter)


@click.command("export", cls=_ExportCommand)
@click.argument("query", required=False)
@user_option
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help="Output file; the highest level is added before the extension (bundle.TOI-MAT.zip).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "zip"]), help="Default: from the extension of --out.")
@filter_options
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@json_option
@click.pass_context
def export_command(ctx, query, user, out, fmt, date_from, date_to, doc_type, issuer, collection, levels, force, as_json):
    """Export every matching document you may see, for an audit (csv, jsonl or zip bundle).

    With no QUERY, every document you may see (narrowed by the filters). The final path,
    which carries the highest level in the export, is printed on stdout; progress and
    warnings go to stderr. Exit 1 when a source file had changed or vanished since indexing
    (its original is left out of the bundle and listed in the cover).

    \b
    Example:
      archsearch export "kho đạn" --user hoa --from 2015-01-01 --to 2020-12-31 --out kiem-tra.zip
      archsearch export --user hoa --collection quyet-dinh --out danh-muc.csv
      archsearch export verify kiem-tra.TOI-MAT.zip
    """
    interactive = sys.stderr.isatty()

    def progress(step) -> None:
        if step.event == "warning":
            echo(f"warning {step.detail}", err=True)
        elif step.event == "document" and (interactive or step.done % 500 == 0):
            echo(f"exported {step.done} {step.detail}", err=True)

    filters = filters_from(date_from, date_to, doc_type, issuer, collection, levels)
    result = api.export(ctx_settings(ctx), query, user=user, out=out, fmt=fmt, filters=filters, force=force,
                        progress=progress)
    level = result.highest_level
    click.echo(
        f"exported {result.count} document(s), highest level {level.id if level is not None else '-'}"
        + (f" ({level.vietnamese})" if level is not None else "") + f", sha256 {result.sha256}",
        err=True,
    )
    if as_json:
        emit_json(result.to_json())
    else:
        echo(str(result.path))
    if result.warnings:
        ctx.exit(ExitCode.FAILURES)


@click.command("verify")
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def export_verify(ctx, bundle, as_json):
    """Check an export bundle: recompute every member's SHA-256 against EXPORT.json and name
    missing, extra or altered members; exit 1 on any problem. Needs no index.

    Compare the printed bundle SHA-256 with `export_sha256` in `archsearch audit show`.

    \b
    Example:
      archsearch export verify kiem-tra.TOI-MAT.zip
    """
    report = api.verify_export(bundle)
    if as_json:
        emit_json(report.to_json())
    else:
        for name in report.missing:
            echo(f"MISSING {name}")
        for name in report.extra:
            echo(f"EXTRA   {name}")
        for item in report.altered:
            echo(f"ALTERED {item['name']}: {item['reason']}")
        for problem in report.problems:
            echo(f"PROBLEM {problem}")
        state = "OK" if report.ok else "FAILED"
        echo(f"{state}: {report.checked} member(s) checked in {bundle}, bundle sha256 {report.sha256}")
    if not report.ok:
        ctx.exit(ExitCode.FAILURES)


_ExportCommand.subcommands = {"verify": export_verify}


COMMANDS = (export_command,)
