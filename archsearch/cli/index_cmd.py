"""`archsearch index` (indexing files, with its progress on stderr) and `archsearch cluster`."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import click

from archsearch import api
from archsearch.cli import render
from archsearch.cli.options import LevelType, ctx_settings, echo, emit_json, json_option
from archsearch.errors import ExitCode, UsageError


class IndexProgress:
    """Progress of an indexing run on stderr: a live bar in a terminal, a quiet line every
    ten seconds otherwise; failures always get their own line."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self.started = time.monotonic()
        self.last_line = 0.0

    def __call__(self, event) -> None:
        if event.kind == "start":
            self._line(f"archsearch: {event.detail}")
        elif event.kind == "failed":
            self._line(f"FAILED {event.path}: {event.detail}")
        elif event.kind in ("moved", "removed"):
            self._line(f"{event.kind} {event.path} {event.detail}".rstrip())
        elif event.kind in ("indexed", "unchanged", "commit") and event.total:
            elapsed = max(time.monotonic() - self.started, 1e-6)
            rate = event.done / elapsed
            eta = (event.total - event.done) / rate if rate else 0
            status = (f"[{event.done}/{event.total}] {event.pages} pages, {rate:.1f} files/s, "
                      f"ETA {eta:.0f} s  {Path(event.path).name if event.path else ''}")
            status = render.printable(status)
            if self.interactive:
                width = shutil.get_terminal_size((100, 20)).columns - 1
                self.stream.write("\r" + status[:width].ljust(width))
                self.stream.flush()
            elif time.monotonic() - self.last_line >= 10 or event.done == event.total:
                self._line(status)

    def _line(self, text: str) -> None:
        if self.interactive:
            self.stream.write("\r" + " " * (shutil.get_terminal_size((100, 20)).columns - 1) + "\r")
        self.stream.write(render.printable(text) + "\n")
        self.stream.flush()
        self.last_line = time.monotonic()


@click.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--default-classification",
    type=LevelType(),
    default="unclassified",
    show_default=True,
    help="Level of documents with no declared level and no stamp.",
)
@click.option("--collection", help="Collection name (default: the directory's name).")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: number of cores).")
@click.option("--full", is_flag=True, help="Rebuild everything into a new index, swapped in when complete.")
@click.option("--prune", is_flag=True, help="Remove documents whose files are gone from the scanned directories.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write every failure and warning as JSON lines to this file.")
@click.option("--cluster", "cluster_address", metavar="ADDRESS", envvar="ARCHSEARCH_CLUSTER",
              help="Extract on this Dask scheduler's workers (tls://HOST:8786; default $ARCHSEARCH_CLUSTER).")
@click.option("--cluster-tls", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Directory holding ca.pem, client.pem, client-key.pem for a tls:// cluster.")
@click.option("--shared-root", metavar="LOCAL=REMOTE", help="Workers open files under LOCAL at REMOTE on their own mount instead of receiving the bytes.")
@click.option("--insecure-cluster", is_flag=True, help="Allow tcp:// to a non-loopback scheduler (text crosses the network in clear).")
@json_option
@click.pass_context
def index_command(ctx, paths, default_classification, collection, jobs, full, prune, report,
                  cluster_address, cluster_tls, shared_root, insecure_cluster, as_json):
    """Index files and directories (recursively) into the index home.

    Only new and changed files are read again (unchanged ones are skipped by size, time and
    content hash); extracted text is cached, so nothing is OCR'd twice. Each file's failure is
    reported with its reason and the rest are indexed; the exit code is 1 when any file failed.

    \b
    Example:
      archsearch index sample_docs --default-classification mat
      archsearch index /kho/2024 --prune --report loi.jsonl
      archsearch index /kho/scan --cluster tls://10.0.0.5:8786 --cluster-tls /etc/archsearch/tls
    """
    settings = ctx_settings(ctx, **({"jobs": jobs} if jobs else {}))
    cluster = None
    if cluster_address:
        cluster = api.cluster_options(cluster_address, cluster_tls, insecure=insecure_cluster, shared_root=shared_root)
    elif cluster_tls or shared_root or insecure_cluster:
        raise UsageError("--cluster-tls, --shared-root and --insecure-cluster need --cluster ADDRESS")
    summary = api.index(settings, list(paths), default_classification, collection, IndexProgress(), full=full,
                        prune=prune, report=report, cluster=cluster)
    if as_json:
        emit_json(summary.to_json())
    for warning in summary.warnings:
        echo(f"warning {warning['path']}: {warning['warning']}", err=True)
    extras = [f"{n} {label}" for n, label in [(summary.moved, "moved"), (summary.removed, "removed"),
                                               (len(summary.missing), "missing (use --prune)")] if n]
    click.echo(
        f"indexed {summary.indexed}, unchanged {summary.unchanged}, failed {summary.failed}, "
        f"{summary.seconds:.1f} s" + ("".join(f", {e}" for e in extras)),
        err=as_json,
    )
    if summary.cluster:
        per_worker = ", ".join(f"{worker} {n}" for worker, n in sorted(summary.workers.items())) or "none"
        click.echo(f"extracted on {summary.cluster['address']}: {per_worker}", err=as_json)
    if summary.failed:
        ctx.exit(ExitCode.FAILURES)


@click.group("cluster")
def cluster_group():
    """Extraction on a Dask cluster (index --cluster)."""


@cluster_group.command("certs")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", "hosts", multiple=True, metavar="NAME", help="Host name or address to put in the node certificate (repeatable).")
@json_option
def cluster_certs(directory, hosts, as_json):
    """Make a CA, a scheduler/worker certificate and an indexer (client) certificate for
    mutual TLS in DIRECTORY (0700, files 0600). Give node.pem, node-key.pem and ca.pem to the
    scheduler and workers; keep ca-key.pem off the cluster.

    \b
    Example:
      archsearch cluster certs /etc/archsearch/tls --host scheduler.kho.lan
    """
    written = api.make_cluster_certificates(directory, list(hosts))
    if as_json:
        emit_json({"directory": str(directory), "files": [str(path) for path in written]})
    else:
        for path in written:
            click.echo(str(path))



COMMANDS = (index_command, cluster_group)
