"""Terminal output in a real terminal (tmux): colours by level, highlighted matches, paging through
less, and plain text with --no-color or off a terminal. Skipped when tmux is not installed."""

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.cli.main import main
from archsearch.config import Settings
from archsearch.levels import Level

from .helpers import build_index, make_document

SNAPSHOT = Path(__file__).parent / "data" / "terminal_search.txt"
WIDTH, HEIGHT = 100, 30
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("less") is None,
                                reason="needs tmux and less")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    docs = []
    for i, level in enumerate([Level.UNCLASSIFIED, Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET] * 3):
        docs.append(make_document(
            f"doc{i:02d}", f"Báo cáo số {i} về kiểm tra kho thuốc phóng và thông gió. Nội dung khác {i}.", level,
            title=f"Báo cáo kiểm tra kho số {i}", doc_number=f"{i + 1}/BC-KT"))
    settings = Settings.from_env(tmp_path_factory.mktemp("terminal") / "home")
    build_index(settings.index_dir, docs)
    api.add_user(settings, "hoa", "top-secret")
    return settings


class Tmux:
    """One private tmux server (its own socket in the test's directory) with one window; killed
    at the end."""

    def __init__(self, tmp_path):
        self.socket = str(tmp_path / "tmux.sock")  # a private server, not the user's
        self.tmp = tmp_path

    def tmux(self, *args) -> str:
        return subprocess.run(["tmux", "-S", self.socket, *args], check=True, capture_output=True, text=True).stdout

    def run(self, argv: list[str], env: dict[str, str]) -> None:
        script = self.tmp / "run.sh"
        exports = "".join(f"export {k}='{v}'\n" for k, v in env.items())
        command = " ".join(f"'{a}'" for a in argv)
        script.write_text(f"unset PAGER LESS NO_COLOR\n{exports}{command}\necho EXIT=$?\nsleep 600\n", encoding="utf-8")
        self.tmux("new-session", "-d", "-s", "t", "-x", str(WIDTH), "-y", str(HEIGHT), f"sh {script}")

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "t")

    def wait_for(self, pattern: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if re.search(pattern, text, re.M):
                return text
            time.sleep(0.2)
        raise AssertionError(f"{pattern!r} never appeared on the screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path):
    session = Tmux(tmp_path)
    yield session
    session.close()


def styles_before(text: str, screen: str, after: str = "") -> set[str]:
    """The SGR codes in force where `text` first appears (after `after`) on the captured screen
    (tmux writes each attribute as its own escape sequence)."""
    at = screen.index(text, screen.index(after) if after else 0)
    codes: set[str] = set()
    for match in re.finditer(r"\x1b\[([0-9;]*)m", screen[:at]):
        for code in match.group(1).split(";"):
            if code in ("", "0"):
                codes.clear()
            elif code in ("39", "49", "22"):
                codes -= {"39": {c for c in codes if c.startswith("3") or c.startswith("9")},
                          "49": {c for c in codes if c.startswith("4")}, "22": {"1", "2"}}[code]
            else:
                codes.add(code)
    return codes


def _argv(settings, *args):
    return [sys.executable, "-m", "archsearch.cli.main", "--index-dir", str(settings.index_dir), *args]


def test_long_output_pages_through_less_with_colours(archive, terminal):
    terminal.run(_argv(archive, "search", "kho thuốc phóng", "--user", "hoa", "--limit", "12"),
                 {"TERM": "xterm-256color"})
    screen = terminal.wait_for(r"^:\s*$")  # less's prompt on the last line: the pager holds the output
    assert "EXIT=" not in screen
    coloured = terminal.screen(escapes=True)
    assert "\x1b[" in coloured
    lines = screen.rstrip("\n").split("\n")
    assert len(lines) == HEIGHT and lines[0].startswith("12 result(s) for 'kho thuốc phóng' as hoa")
    # Colour by level on the label, bold colour for matched words, no «» marks.
    assert styles_before("[THƯỜNG]", coloured) == {"32"}  # green
    assert styles_before("[MẬT]", coloured) == {"33"}  # yellow
    assert styles_before("kho", coloured, after="về kiểm tra") >= {"1", "36"} and "«" not in screen  # bold cyan
    expected = SNAPSHOT.read_text(encoding="utf-8")
    # Scores are the ranking's business (tests/test_query_ranking.py), not the layout's.
    unscored = [re.sub(r"score \d+(\.\d+)?", "score …", line.rstrip()) for line in lines]
    assert unscored == expected.rstrip("\n").split("\n"), "\n" + screen
    terminal.tmux("send-keys", "-t", "t", "G")  # the end of the output, as in less
    terminal.wait_for(r"\(END\)")
    end = terminal.screen(escapes=True)
    assert styles_before("[TỐI MẬT]", end) == {"1", "31"}  # bold red
    assert styles_before("[TUYỆT MẬT]", end) >= {"41"}  # on red
    terminal.tmux("send-keys", "-t", "t", "q")
    assert "EXIT=0" in terminal.wait_for(r"^EXIT=\d+")


def test_no_color_is_plain_and_short_output_is_not_paged(archive, terminal):
    terminal.run(_argv(archive, "search", "kho thuốc phóng", "--user", "hoa", "--limit", "2", "--no-color"),
                 {"TERM": "xterm-256color"})
    screen = terminal.wait_for(r"^EXIT=\d+")  # no pager: the command ended by itself
    assert "EXIT=0" in screen and "«kho thuốc phóng»" in screen  # adjacent marks are one run
    assert not re.search(r"\x1b\[[0-9;]*[1-9][0-9;]*m", terminal.screen(escapes=True))


def test_off_a_terminal_the_output_is_plain_and_the_json_snippet_unchanged(archive):
    args = ["--index-dir", str(archive.index_dir), "search", "kho thuốc phóng", "--user", "hoa", "--limit", "12"]
    text = CliRunner().invoke(main, args)
    assert text.exit_code == 0 and "\x1b[" not in text.stdout and "«kho thuốc phóng»" in text.stdout
    assert "[TUYỆT MẬT]" in text.stdout and "số 1/BC-KT" in text.stdout
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    assert all("«" in hit["snippet"] and "\x1b" not in hit["snippet"] for hit in data["hits"])
