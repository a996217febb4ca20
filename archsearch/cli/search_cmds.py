"""The reading commands: search, similar, show and saved searches."""

from __future__ import annotations

from pathlib import Path

import click

from archsearch import api
from archsearch.cli import render
from archsearch.cli.options import (
    color_option, ctx_settings, emit_json, echo, filter_options, filters_from, json_option, page_lines, use_color,
    user_option,
)
from archsearch.engine.searcher import SORTS
from archsearch.errors import UsageError


@click.command("search")
@click.argument("query")
@user_option
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page of --limit hits.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="relevance, date (oldest first), -date (newest first) or number (số ký hiệu); undated last.")
@filter_options
@click.option("--facets", is_flag=True, help="Also count the matches by year, type, issuing body and level.")
@click.option("--explain", is_flag=True, help="Print the parsed query and the scope to apply; do not search.")
@color_option
@json_option
@click.pass_context
def search_command(ctx, query, user, limit, page, sort, date_from, date_to, doc_type, issuer, collection, levels,
                   facets, explain, no_color, as_json):
    """Search the documents you are cleared to see, best first.

    Filters work inside the search like your clearance, so totals, pages and facets count only
    documents you may see. In a terminal, hits are coloured by level and long output goes
    through your pager.

    \b
    Example:
      archsearch search "cong nghiep quoc phong" --user hoa --limit 5
      archsearch search 821/QĐ-BQP --json
      archsearch search "kho đạn" --from 2015-01-01 --type QĐ --sort -date --facets
      archsearch search "kho đạn" --issuer BQP --level mat --page 2 --explain
    """
    filters = filters_from(date_from, date_to, doc_type, issuer, collection, levels)
    if explain:
        plan = api.explain(ctx_settings(ctx), query, user=user, filters=filters, sort=sort)
        if as_json:
            emit_json({"explain": plan})
        else:
            page_lines(render.explain_lines(plan), color=False)
        return
    result = api.search(ctx_settings(ctx), query, user=user, limit=limit, offset=(page - 1) * limit,
                        filters=filters, sort=sort, facets=facets)
    _print_hits(result, page, as_json, no_color)


def _print_hits(result, page: int, as_json: bool, no_color: bool) -> None:
    """One page of a search's hits (search, saved run): JSON, or lines through the pager."""
    if as_json:
        emit_json(result.to_json())
        return
    color = use_color(no_color)
    page_lines(render.search_lines(result, color, page), color)


@click.command("similar")
@click.argument("doc_id", metavar="ID", required=False)
@click.option("--text", "text_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="FILE",
              help="Find documents like this text (a draft) instead of a document ID.")
@user_option
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=10, show_default=True)
@color_option
@json_option
@click.pass_context
def similar_command(ctx, doc_id, text_file, user, limit, no_color, as_json):
    """Documents like a document you may see (itself excluded), or like a text file.

    A document you may not see is reported exactly like one that does not exist.

    \b
    Example:
      archsearch similar 3f2a9c1d0b7e --user hoa --limit 5
      archsearch similar --text du-thao.txt --json
    """
    if (doc_id is None) == (text_file is None):
        raise UsageError("give a document ID or --text FILE (one of them)")
    text = None
    if text_file is not None:
        text = api.read_draft(ctx_settings(ctx), text_file)
    result = api.similar(ctx_settings(ctx), doc_id, user=user, limit=limit, text=text,
                         text_name=text_file.name if text_file else None)
    if as_json:
        emit_json(result.to_json())
        return
    color = use_color(no_color)
    page_lines(render.similar_lines(result, color, doc_id or str(text_file)), color)


@click.command("show")
@click.argument("doc_id", metavar="ID")
@click.option("--article", "article", type=click.IntRange(1, 999), metavar="N",
              help="Only Điều N of the document (its first Điều N, in text order).")
@click.option("--clause", "clause", type=click.IntRange(1, 99), metavar="M",
              help="With --article: only khoản M of it.")
@user_option
@json_option
@click.pass_context
def show_command(ctx, doc_id, article, clause, user, as_json):
    """Show one document's metadata and text (or one article of it).

    \b
    Example:
      archsearch show 3f2a9c1d0b7e --user hoa
      archsearch show 3f2a9c1d0b7e --article 5 --clause 2 --user hoa
    """
    if clause is not None and article is None:
        raise click.UsageError("--clause needs --article")
    doc = api.show(ctx_settings(ctx), doc_id, user=user, article=article, clause=clause)
    if as_json:
        emit_json(doc.to_json())
        return
    click.echo(render.document_text(doc))



@click.group("saved")
def saved_group():
    """Your saved searches: a name for a query and its filters, run again with your current clearance."""


@saved_group.command("add")
@click.argument("name")
@click.argument("query")
@user_option
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@filter_options
@json_option
@click.pass_context
def saved_add(ctx, name, query, user, sort, date_from, date_to, doc_type, issuer, collection, levels, as_json):
    """Save a search (query, filters, sort) under NAME; an existing NAME is replaced.

    Only what you typed is saved, never your clearance: `saved run` searches with the clearance
    you hold when you run it.

    \b
    Example:
      archsearch saved add kho-dan "kho đạn" --user hoa --from 2015-01-01 --type QĐ --sort -date
    """
    entry = api.saved_add(ctx_settings(ctx), name, query, user=user,
                          filters=filters_from(date_from, date_to, doc_type, issuer, collection, levels), sort=sort)
    if as_json:
        emit_json(entry)
    else:
        echo("saved " + render.saved_lines([entry])[0])


@saved_group.command("run")
@click.argument("name")
@user_option
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--facets", is_flag=True, help="Also count the matches by year, type, issuing body and level.")
@color_option
@json_option
@click.pass_context
def saved_run(ctx, name, user, limit, page, facets, no_color, as_json):
    """Run a saved search now, with your current clearance (audited like a search).

    \b
    Example:
      archsearch saved run kho-dan --user hoa --facets
    """
    result = api.saved_run(ctx_settings(ctx), name, user=user, limit=limit, offset=(page - 1) * limit, facets=facets)
    _print_hits(result, page, as_json, no_color)


@saved_group.command("list")
@user_option
@json_option
@click.pass_context
def saved_list(ctx, user, as_json):
    """List your saved searches.

    \b
    Example:
      archsearch saved list --user hoa
    """
    entries = api.saved_list(ctx_settings(ctx), user=user)
    if as_json:
        emit_json(entries)
    else:
        for line in render.saved_lines(entries):
            echo(line)



COMMANDS = (search_command, similar_command, show_command, saved_group)
