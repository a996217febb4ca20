"""`archsearch index --cluster`: extraction on a real Dask cluster (LocalCluster, or `dask
scheduler` / `dask worker` processes), one writer, nothing lost.

Every cluster here listens on loopback only. OCR is slow on the shared 2 cores, so the archive is
a subset of sample_docs with a scan (and the fault tests use small text files plus scans)."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
import dask  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from archsearch import api  # noqa: E402
from archsearch.cli.main import main  # noqa: E402
from archsearch.ingest.cluster_certs import make_certificates  # noqa: E402
from archsearch.ingest.cluster import (ClusterError, ClusterOptions, check_address,  # noqa: E402
                                parse_shared_root)
from archsearch.config import Settings  # noqa: E402
from archsearch.errors import UsageError  # noqa: E402
from archsearch.engine.index import IndexHome  # noqa: E402
from archsearch.ingest.pipeline import document_id  # noqa: E402
from archsearch.levels import ALL_LEVELS  # noqa: E402

from .test_faults import committed  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DOCS = REPO / "sample_docs"
SUBSET = ["ban-scan/tb-48-1991.png", "ke-hoach/kh-212-2023.pdf", "ke-hoach/kh-212-2023.pdf.meta.json"]


def sample_subset(target: Path) -> Path:
    """A collection of sample_docs (text, TCVN3 text, HTML, DOCX, sidecars), a PDF, a scan, and
    the manifest, in sample_docs' layout."""
    shutil.copytree(SAMPLE_DOCS / "cong-van", target / "cong-van")
    for name in SUBSET:
        (target / name).parent.mkdir(exist_ok=True)
        shutil.copy2(SAMPLE_DOCS / name, target / name)
    shutil.copy2(SAMPLE_DOCS / "manifest.csv", target / "manifest.csv")
    return target


def text_files(target: Path, count: int) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (target / f"cv-{n:03d}.txt").write_text(
            f"BỘ QUỐC PHÒNG\nCÔNG VĂN\nV/v kiểm kê kho số {n}\n\nNội dung kiểm kê kho đạn số {n}.\n", encoding="utf-8")


def stored(index_dir: Path) -> tuple[dict, dict]:
    """(catalog entries, every stored field of every document by level), without time stamps."""
    home = IndexHome.open(index_dir)
    with home.catalog() as catalog:
        entries = {doc_id: dataclasses.replace(entry, indexed_at="") for doc_id, entry in catalog.entries().items()}
    fields = {}
    for level in ALL_LEVELS:
        with home.partition(level).searcher() as searcher:
            # Everything but the time of indexing, which differs between any two runs.
            fields[level.id] = sorted(({k: v for k, v in f.items() if k != "indexed_at"}
                                       for f in searcher.all_stored_fields()), key=lambda f: f["id"])
    return entries, fields


def ids_in_partitions(index_dir: Path) -> list[str]:
    home = IndexHome.open(index_dir)
    ids = []
    for level in ALL_LEVELS:
        with home.partition(level).searcher() as searcher:
            ids += [f["id"] for f in searcher.all_stored_fields()]
    return ids


@pytest.fixture(scope="module")
def local_cluster():
    """Two worker processes of one thread each, as `dask worker --nworkers 2 --nthreads 1
    --memory-limit 300MiB`, on a scheduler that gives a task 2 workers' deaths (one retry)."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None, memory_limit="300MiB") as cluster:
        yield cluster


def test_a_cluster_indexes_exactly_what_local_workers_index(tmp_path, local_cluster):
    source = sample_subset(tmp_path / "kho")
    local = Settings.from_env(tmp_path / "local", jobs=2)
    on_cluster = Settings.from_env(tmp_path / "cluster", jobs=2)
    local_summary = api.index(local, [source])
    summary = api.index(on_cluster, [source], cluster=ClusterOptions(local_cluster.scheduler_address))
    assert summary.failed == 0 and local_summary.failed == 0, summary.failures
    assert summary.indexed == local_summary.indexed == 8
    assert summary.ocr_pages == local_summary.ocr_pages >= 1
    # Every file was extracted on a worker and counted against it.
    assert summary.extracted == summary.indexed
    assert sum(summary.workers.values()) == summary.indexed
    assert set(summary.workers) <= set(local_cluster.scheduler_info["workers"])
    assert summary.cluster["address"] == local_cluster.scheduler_address
    assert sorted(summary.warnings, key=str) == sorted(local_summary.warnings, key=str)
    cluster_entries, cluster_fields = stored(on_cluster.index_dir)
    local_entries, local_fields = stored(local.index_dir)
    assert cluster_entries == local_entries
    assert cluster_fields == local_fields
    # The indexer wrote the extraction cache: a rebuild sends nothing to the cluster.
    again = api.index(on_cluster, [source], full=True, cluster=ClusterOptions(local_cluster.scheduler_address))
    assert again.from_cache == again.indexed == summary.indexed and again.workers == {}
    assert stored(on_cluster.index_dir) == (local_entries, local_fields)


def test_shared_root_workers_open_the_file_and_check_its_hash(tmp_path, local_cluster):
    source = tmp_path / "kho"
    text_files(source, 3)
    mirror = tmp_path / "mount"  # what the workers see: one file differs, one is missing
    shutil.copytree(source, mirror)
    (mirror / "cv-001.txt").write_text("BỘ QUỐC PHÒNG\nmột bản khác\n", encoding="utf-8")
    (mirror / "cv-002.txt").unlink()
    settings = Settings.from_env(tmp_path / "home")
    options = ClusterOptions(local_cluster.scheduler_address, shared_root=parse_shared_root(f"{source}={mirror}"))
    summary = api.index(settings, [source], cluster=options)
    reasons = {Path(f["path"]).name: f["reason"] for f in summary.failures}
    assert summary.indexed == 1 and summary.failed == 2
    assert "differs from the indexer's file (content hash mismatch)" in reasons["cv-001.txt"]
    assert reasons["cv-002.txt"].startswith(f"the worker cannot read {mirror / 'cv-002.txt'} on its shared mount")


def test_files_over_the_size_limit_are_refused_before_anything_is_sent(tmp_path, local_cluster):
    from archsearch.ingest.extract import ExtractLimits

    source = tmp_path / "kho"
    text_files(source, 2)
    (source / "big.txt").write_text("kho đạn " * 100, encoding="utf-8")
    settings = Settings.from_env(tmp_path / "home", limits=ExtractLimits(max_file_bytes=500))
    summary = api.index(settings, [source], cluster=ClusterOptions(local_cluster.scheduler_address))
    assert summary.indexed == 2 and sum(summary.workers.values()) == 2
    assert [(Path(f["path"]).name, f["reason"]) for f in summary.failures] == [
        ("big.txt", f"file too large ({(source / 'big.txt').stat().st_size} bytes > limit 500)")]


def test_preflight_refuses_workers_without_tesseract_or_the_language(tmp_path, local_cluster):
    from archsearch.ingest.extract import ExtractLimits

    source = tmp_path / "kho"
    text_files(source, 1)
    for limits, expected in ((ExtractLimits(tesseract=str(tmp_path / "no-tesseract")), "has no Tesseract: apt-get install"),
                             (ExtractLimits(ocr_language="vie+xyz"), "without the 'xyz' language: apt-get install tesseract-ocr-xyz")):
        home = tmp_path / f"home-{len(expected)}"
        with pytest.raises(ClusterError) as refused:
            api.index(Settings.from_env(home, limits=limits), [source],
                      cluster=ClusterOptions(local_cluster.scheduler_address))
        message = str(refused.value)
        assert message.startswith("workers not fit to extract; nothing was indexed")
        assert message.count(expected) == len(local_cluster.scheduler_info["workers"]) == 2
        assert not home.exists()


def _executing(dask_worker) -> list[str]:
    return [str(task.key) for task in dask_worker.state.executing]


def test_a_worker_killed_while_it_ocrs_loses_nothing_and_duplicates_nothing(tmp_path, local_cluster):
    source = tmp_path / "kho"
    text_files(source, 6)
    for name in ("tb-48-1991.png", "luat-chan-nuoi-dieu-029.png"):
        shutil.copy2(SAMPLE_DOCS / "ban-scan" / name, source / name)
    scans = {document_id("kho", name) for name in ("tb-48-1991.png", "luat-chan-nuoi-dieu-029.png")}
    settings = Settings.from_env(tmp_path / "home", commit_every=3)
    result = {}
    indexer = threading.Thread(target=lambda: result.update(summary=api.index(
        settings, [source], cluster=ClusterOptions(local_cluster.scheduler_address))))
    killed = None
    with distributed.Client(local_cluster.scheduler_address, set_as_default=False) as observer:
        indexer.start()
        deadline = time.monotonic() + 60
        while killed is None and time.monotonic() < deadline and indexer.is_alive():
            for worker, keys in observer.run(_executing).items():
                ocr = [key for key in keys if any(doc_id in key for doc_id in scans)]
                if ocr:
                    pid = observer.run(os.getpid, workers=[worker])[worker]
                    os.kill(pid, signal.SIGKILL)
                    killed = (worker, ocr[0])
                    break
            time.sleep(0.05)
        indexer.join(120)
    assert killed is not None, "no worker was seen OCRing a scan"
    summary = result["summary"]
    assert summary.failed == 0, summary.failures
    assert summary.indexed == 8 and summary.ocr_pages == 2
    ids = ids_in_partitions(settings.index_dir)
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 8
    with IndexHome.open(settings.index_dir).catalog() as catalog:
        assert len(catalog.entries()) == 8


def test_a_file_that_kills_its_worker_every_time_fails_alone(tmp_path, local_cluster):
    """The poison: a scan within max_image_pixels whose decoded pixels (~430 MB with the
    grayscale and PPM copies) exceed the workers' memory limit, so the nanny kills the worker
    each time it is tried, as `dask worker --memory-limit` does on a small machine."""
    PIL = pytest.importorskip("PIL.Image")
    source = tmp_path / "kho"
    text_files(source, 4)
    PIL.new("RGB", (8000, 9000), "white").save(source / "big-scan.png")
    settings = Settings.from_env(tmp_path / "home")
    summary = api.index(settings, [source], cluster=ClusterOptions(local_cluster.scheduler_address))
    assert summary.indexed == 4
    assert [(Path(f["path"]).name, f["stage"]) for f in summary.failures] == [("big-scan.png", "extract")]
    assert summary.failures[0]["reason"].startswith("worker died 2 times while extracting")


@pytest.mark.parametrize("where", ["local", "cluster"])
def test_the_per_file_time_limit_stops_a_pdf_that_reads_slowly(tmp_path, where, request):
    """pdfminer reads this PDF's text for many seconds: it fails at max_seconds_per_file. Dask
    runs a task in a worker thread, where ingest's timer signal cannot fire; and pdf.py took the
    limit, raised inside a page, for a damaged page and went on."""
    from fpdf import FPDF

    from archsearch.ingest.extract import ExtractLimits

    source = tmp_path / "kho"
    text_files(source, 2)
    pdf = FPDF()
    pdf.set_font("Helvetica", size=8)
    for page in range(60):
        pdf.add_page()
        for line in range(60):
            pdf.cell(0, 4, f"kiem ke kho dan so {page} dong {line} " * 3, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(source / "slow.pdf"))
    settings = Settings.from_env(tmp_path / "home", jobs=1, limits=ExtractLimits(max_seconds_per_file=1.0))
    started = time.monotonic()
    cluster = None
    if where == "cluster":
        cluster = ClusterOptions(request.getfixturevalue("local_cluster").scheduler_address)
    summary = api.index(settings, [source], cluster=cluster)
    assert time.monotonic() - started < 15
    assert summary.indexed == 2
    assert [(Path(f["path"]).name, f["stage"], f["reason"]) for f in summary.failures] == [
        ("slow.pdf", "extract", "took longer than 1 s to extract (the per-file limit)")]


SCHEDULER_RUN = textwrap.dedent("""
    import sys
    from pathlib import Path
    from archsearch import api
    from archsearch.ingest.cluster import ClusterOptions
    from archsearch.config import Settings
    from archsearch.errors import ArchsearchError
    settings = Settings.from_env(Path(sys.argv[1]), commit_every=2)
    def progress(event):
        if event.kind == "commit":
            print("commit", event.done, flush=True)
    try:
        api.index(settings, [Path(sys.argv[2])], progress=progress, cluster=ClusterOptions(sys.argv[3]))
    except ArchsearchError as error:  # as the CLI does
        print(f"Error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    print("done", flush=True)
""")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _dask(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "distributed.cli." + args[0], *args[1:]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_the_scheduler_killed_mid_run_exits_5_and_keeps_committed_batches(tmp_path):
    source = tmp_path / "kho"
    text_files(source, 8)
    shutil.copy2(SAMPLE_DOCS / "ban-scan" / "tb-48-1991.png", source / "tb-48-1991.png")
    address = f"tcp://127.0.0.1:{_free_port()}"
    scheduler = _dask("dask_scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard")
    worker = _dask("dask_worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard")
    script = tmp_path / "run.py"
    script.write_text(SCHEDULER_RUN)
    index_dir = tmp_path / "home"
    try:
        run = subprocess.Popen([sys.executable, str(script), str(index_dir), str(source), address],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
        line = run.stdout.readline()  # the first commit
        assert line.startswith("commit"), (line, run.stderr.read() if run.poll() is not None else "")
        os.killpg(scheduler.pid, signal.SIGKILL)
        out, err = run.communicate(timeout=90)
    finally:
        for process in (scheduler, worker):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert run.returncode == 5, err
    assert "lost the Dask scheduler at " + address in err and "Every batch committed before stands" in err
    assert "Traceback" not in err
    found, redo = committed(index_dir)
    assert 2 <= len(found) < 9 and not redo
    assert sorted(ids_in_partitions(index_dir)) == sorted(found)
    summary = api.index(Settings.from_env(index_dir, jobs=2), [source])  # the next run, local
    assert summary.failed == 0 and summary.indexed + summary.unchanged == 9
    assert summary.unchanged == len(found)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tls") / "certs"


def _tls_cluster(certs: Path):
    security = distributed.Security(
        tls_ca_file=str(certs / "ca.pem"), require_encryption=True,
        tls_scheduler_cert=str(certs / "node.pem"), tls_scheduler_key=str(certs / "node-key.pem"),
        tls_worker_cert=str(certs / "node.pem"), tls_worker_key=str(certs / "node-key.pem"),
        tls_client_cert=str(certs / "node.pem"), tls_client_key=str(certs / "node-key.pem"))
    return distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                    protocol="tls://", security=security, dashboard_address=None)


def _tls_handshake(address: str, ca: Path, cert: Path | None = None, key: Path | None = None) -> str:
    """A bare TLS handshake with the scheduler, as a client without Dask would try it."""
    host, port = address.removeprefix("tls://").rsplit(":", 1)
    context = ssl.create_default_context(cafile=str(ca))
    context.check_hostname = False  # as Dask: the cluster's own CA, addresses not names
    # In TLS 1.2 the server checks the client's certificate inside the handshake itself.
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    if cert is not None:
        context.load_cert_chain(str(cert), str(key))
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        try:
            with context.wrap_socket(raw):
                return "accepted"
        except ssl.SSLError as error:
            return f"refused: {error}"


def test_mutual_tls_works_with_made_certificates_and_refuses_a_client_without_one(tmp_path):
    certs = tmp_path / "certs"
    written = make_certificates(certs, ["127.0.0.1"])
    assert {path.name for path in written} == {"ca.pem", "ca-key.pem", "node.pem", "node-key.pem", "client.pem", "client-key.pem"}
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in written) and certs.stat().st_mode & 0o777 == 0o700
    with pytest.raises(UsageError, match="already holds"):
        make_certificates(certs)
    stranger = tmp_path / "stranger"  # a client certificate from another CA
    make_certificates(stranger)
    shutil.copy2(certs / "ca.pem", stranger / "ca-trusted.pem")
    source = tmp_path / "kho"
    text_files(source, 3)
    with _tls_cluster(certs) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://127.0.0.1:")
        settings = Settings.from_env(tmp_path / "home")
        summary = api.index(settings, [source], cluster=ClusterOptions(address, tls_dir=certs))
        assert summary.indexed == 3 and summary.cluster["tls"] is True
        # No certificate at all (Dask's own client will not even try): the scheduler refuses.
        assert _tls_handshake(address, certs / "ca.pem", certs / "client.pem", certs / "client-key.pem") == "accepted"
        assert _tls_handshake(address, certs / "ca.pem").startswith("refused")
        # A certificate the cluster's CA did not sign: refused too, the run exits 5.
        os.replace(stranger / "ca-trusted.pem", stranger / "ca.pem")
        with pytest.raises(ClusterError, match="cannot connect to the Dask scheduler"):
            api.index(Settings.from_env(tmp_path / "other"), [source],
                      cluster=ClusterOptions(address, tls_dir=stranger, connect_timeout=5))
        # Plain tcp:// to a TLS scheduler gets nowhere either.
        with pytest.raises(ClusterError):
            api.index(Settings.from_env(tmp_path / "plain"), [source],
                      cluster=ClusterOptions(address.replace("tls://", "tcp://"), connect_timeout=5))
    assert not (tmp_path / "other" / "current.json").exists()


def test_addresses_beyond_loopback_must_be_tls_unless_insecure_is_asked_for(tmp_path):
    runner = CliRunner()
    source = tmp_path / "kho"
    text_files(source, 1)
    home = tmp_path / "home"
    # 192.0.2.0/24 is reserved for documentation: refused before any connection is tried.
    result = runner.invoke(main, ["--index-dir", str(home), "index", str(source), "--cluster", "tcp://192.0.2.7:8786"])
    assert result.exit_code == 2 and "refusing to send documents in clear to tcp://192.0.2.7:8786" in result.stderr
    assert not home.exists()
    result = runner.invoke(main, ["--index-dir", str(home), "index", str(source)], env={"ARCHSEARCH_CLUSTER": "192.0.2.7:8786"})
    assert result.exit_code == 2 and "refusing to send documents in clear" in result.stderr
    result = runner.invoke(main, ["--index-dir", str(home), "index", str(source), "--cluster", "tls://192.0.2.7:8786"])
    assert result.exit_code == 2 and "--cluster-tls DIR" in result.stderr
    for loopback in ("tcp://127.0.0.1:8786", "tcp://[::1]:8786", "localhost:8786", "tcp://127.8.9.10:1"):
        assert check_address(ClusterOptions(loopback)) is None
    # A name is never resolved to decide: "localhost.example" is not loopback.
    with pytest.raises(UsageError):
        check_address(ClusterOptions("tcp://localhost.example:8786"))
    assert "in clear" in check_address(ClusterOptions("tcp://192.0.2.7:8786", insecure=True))
    for bad in ("ws://127.0.0.1:1", "tcp://:8786"):
        with pytest.raises(UsageError):
            check_address(ClusterOptions(bad))


def test_insecure_cluster_runs_with_a_warning_in_the_summary_and_last_run(tmp_path, local_cluster):
    """This machine's own name resolves to loopback here, but only literal loopback addresses
    count as loopback, so reaching the scheduler by name needs --insecure-cluster."""
    name = socket.gethostname()
    try:
        resolved = socket.gethostbyname(name)
    except OSError:
        pytest.skip("this machine's name does not resolve")
    port = local_cluster.scheduler_address.rsplit(":", 1)[1]
    if resolved != "127.0.0.1":
        pytest.skip(f"{name} resolves to {resolved}, where the test cluster does not listen")
    source = tmp_path / "kho"
    text_files(source, 2)
    home = tmp_path / "home"
    runner = CliRunner()
    report = tmp_path / "report.jsonl"
    args = ["--index-dir", str(home), "index", str(source), "--cluster", f"tcp://{name}:{port}", "--json",
            "--report", str(report)]
    refused = runner.invoke(main, args)
    assert refused.exit_code == 2, refused.output
    result = runner.invoke(main, args + ["--insecure-cluster"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["indexed"] == 2 and summary["cluster"]["insecure"] is True
    assert sum(summary["workers"].values()) == 2
    assert [w["stage"] for w in summary["warnings"]] == ["cluster"]
    assert "in clear" in result.stderr
    reported = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [(r["kind"], r["stage"]) for r in reported] == [("warning", "cluster")] and "in clear" in reported[0]["warning"]
    last_run = IndexHome.open(home).last_run()
    assert "in clear" in last_run["warnings"][0]["warning"]
    status = runner.invoke(main, ["--index-dir", str(home), "status", "--json"])
    assert status.exit_code == 0


def test_without_dask_cluster_says_what_to_install(tmp_path):
    script = textwrap.dedent("""
        import sys
        sys.modules["distributed"] = None  # as if the extra were not installed
        from archsearch.cli.main import main
        main()
    """)
    source = tmp_path / "kho"
    text_files(source, 1)
    completed = subprocess.run(
        [sys.executable, "-c", script, "--index-dir", str(tmp_path / "home"), "index", str(source),
         "--cluster", "tcp://127.0.0.1:9"], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60)
    assert completed.returncode == 2
    assert "pip install 'archsearch[cluster]'" in completed.stderr
