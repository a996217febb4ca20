"""Exit statuses live in one enum; their values are a contract with users' scripts."""

import re
from pathlib import Path

import archsearch
from archsearch.trust import audit
from archsearch import errors
from archsearch.export import bundle as export
from archsearch.errors import ExitCode


def test_the_values_never_change():
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0, "FAILURES": 1, "USAGE": 2, "UNKNOWN_USER": 3, "NOT_FOUND": 4,
        "INDEX_STATE": 5, "AUDIT": 6, "PERMISSION": 7, "EXPORT": 8, "UNSAFE_HOME": 9,
    }


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_error_exits_with_a_member_of_the_enum():
    assert audit.AuditError.exit_code is ExitCode.AUDIT
    assert export.ExportError.exit_code is ExitCode.EXPORT
    for cls in [errors.ArchsearchError, *_subclasses(errors.ArchsearchError)]:
        assert isinstance(cls.exit_code, ExitCode), cls


def test_no_exit_status_is_written_as_a_number():
    package = Path(archsearch.__file__).parent
    literal = re.compile(r"(?:ctx\.exit|sys\.exit|SystemExit)\(\s*\d|exit_code\s*=\s*\d")
    found = [f"{path.name}:{n}" for path in package.rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if literal.search(line)]
    assert found == []
