"""Each file's preparation is an ordered list of named stages (ingest/stages.py): a failure is
reported with its stage's label, and statuses and progress kinds read as plain words."""

from __future__ import annotations

import json

import pytest

from archsearch import api
from archsearch.config import Settings
from archsearch.ingest import stages
from archsearch.ingest.progress import ProgressKind
from archsearch.ingest.stages import DESCRIBE, EXTRACT, LOOK_UP, Stage, Status

ALL_STAGES = LOOK_UP + EXTRACT + DESCRIBE
TEXT = "QUYẾT ĐỊNH\nVề việc bảo quản kho {word}\n"


def test_the_stage_list_names_the_flow_and_the_labels_reports_depend_on():
    # `index --report` files and scripts read these labels: changing one is a visible change.
    assert [(stage.label, stage.run.__name__) for stage in ALL_STAGES] == [
        ("read", "refuse_oversized"), ("read", "hash_content"), ("read", "skip_unchanged"),
        ("read", "reuse_cached_text"), ("detect", "detect_kind"), ("extract", "extract_text"),
        ("extract", "recheck_hash"), ("metadata", "describe"),
    ]


@pytest.mark.parametrize("position", range(len(ALL_STAGES)), ids=[s.run.__name__ for s in ALL_STAGES])
def test_a_stage_that_raises_fails_only_its_file_with_the_stage_label(tmp_path, monkeypatch, position):
    broken = ALL_STAGES[position]

    def boom(work):
        if work.task.source.path.name == "bad.txt":
            raise RuntimeError("boom")
        return broken.run(work)

    lists = {"LOOK_UP": LOOK_UP, "EXTRACT": EXTRACT, "DESCRIBE": DESCRIBE}
    for name, stage_list in lists.items():
        monkeypatch.setattr(stages, name, tuple(
            Stage(s.label, boom) if s is broken else s for s in stage_list))
    root = tmp_path / "kho"
    root.mkdir()
    (root / "bad.txt").write_text(TEXT.format(word="hỏng"), encoding="utf-8")
    (root / "good.txt").write_text(TEXT.format(word="tốt"), encoding="utf-8")
    summary = api.index(Settings.from_env(tmp_path / "home", jobs=1), [root])
    assert summary.failures == [{"path": str(root / "bad.txt"), "stage": broken.label,
                                 "reason": "unexpected RuntimeError: boom"}]
    assert summary.indexed == 1


def test_statuses_and_progress_kinds_are_plain_words_in_json_and_text(tmp_path):
    root = tmp_path / "kho"
    root.mkdir()
    (root / "a.txt").write_text(TEXT.format(word="một"), encoding="utf-8")
    (root / "b.pdf").write_text("not a pdf", encoding="utf-8")
    events = []
    settings = Settings.from_env(tmp_path / "home", jobs=1)
    summary = api.index(settings, [root], progress=events.append)
    kinds = [event.kind for event in events]
    assert ProgressKind.START in kinds and ProgressKind.INDEXED in kinds and ProgressKind.FAILED in kinds
    # str(), f-strings and JSON give the word, as before these were enums (a plain
    # `(str, Enum)` would print "ProgressKind.START").
    assert [str(kind) for kind in kinds] == [f"{kind}" for kind in kinds] == [kind.value for kind in kinds]
    assert json.dumps([Status.INDEXED, ProgressKind.COMMIT]) == '["indexed", "commit"]'
    written = json.dumps(summary.to_json(), ensure_ascii=False)
    assert '"stage": "detect"' in written and "Stage" not in written and "Status" not in written
