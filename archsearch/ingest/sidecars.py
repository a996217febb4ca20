"""Sidecars: `X.meta.json` beside a document `X`, one JSON object declaring its metadata.

Stage: metadata & classification (declared.py holds the field rules shared with manifests and
the precedence rule). A sidecar that exists but cannot be used (unreadable, over
MAX_SIDECAR_BYTES, not UTF-8, invalid JSON, duplicate keys, not an object, or a second spelling
of its name) fails its document with MetadataError: its declared level is unknown.

>>> import json, pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     document = pathlib.Path(folder, "qd.pdf")
...     _ = sidecar_path(document).write_text(json.dumps({"classification": "Mật", "date": "8/6/1987"}), encoding="utf-8")
...     declared = read_sidecar(document)
>>> declared.classification.id, declared.date
('confidential', datetime.date(1987, 6, 8))
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

from archsearch.ingest.declared import MetadataError, decode_declaration, declared_from_values
from archsearch.records import DeclaredMetadata

SIDECAR_SUFFIX = ".meta.json"
# A sidecar holds a few fields; anything bigger is not a sidecar (and is not read into memory).
MAX_SIDECAR_BYTES = 1 << 20


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of a document is.

    >>> sidecar_path(Path("/kho/qd.pdf")).as_posix()
    '/kho/qd.pdf.meta.json'
    """
    return path.with_name(path.name + SIDECAR_SUFFIX)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            # last-one-wins would let a second "classification" silently lower the level
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def read_sidecar(path: Path, names_in_directory: Iterable[str] | None = None) -> DeclaredMetadata | None:
    """The sidecar `X.meta.json` of the document `X`, or None when there is none.

    Raises MetadataError when the sidecar exists but cannot be used (unreadable, over 1 MiB,
    not UTF-8, invalid JSON, duplicate keys, not an object): its declared level is unknown.
    Also when a file named like it in another case exists (`X.META.JSON`): discovery skips it
    as a sidecar, so it must not be skipped as a declaration either. `names_in_directory`: the
    names in the document's directory, when the caller has listed it already.
    Field problems (unknown key, bad date, unknown level) are warnings on the result.
    """
    sidecar = sidecar_path(Path(path))
    name = sidecar.name

    def fail(problem: str) -> MetadataError:
        return MetadataError(f"sidecar {name}: {problem}")

    if names_in_directory is None:
        try:
            names_in_directory = os.listdir(sidecar.parent)
        except OSError:
            names_in_directory = [name] if os.path.lexists(sidecar) else []
    spellings = sorted(n for n in names_in_directory if n.casefold() == name.casefold() and n != name)
    if spellings:
        raise fail(f"also spelled {', '.join(spellings)} in the same directory; a sidecar is named "
                   f"exactly after its document: keep one {name}")
    if not os.path.lexists(sidecar):
        return None
    if not sidecar.is_file():  # a directory, a dangling link: declared but unreadable
        raise fail("not a regular file")
    try:
        with open(sidecar, "rb") as handle:
            data = handle.read(MAX_SIDECAR_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot read ({error.strerror or error})") from error
    if len(data) > MAX_SIDECAR_BYTES:
        raise fail(f"larger than {MAX_SIDECAR_BYTES} bytes")
    try:
        content = decode_declaration(data)
    except ValueError as error:
        raise fail(str(error)) from error
    try:
        values = json.loads(content, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise fail(f"invalid JSON at line {error.lineno} column {error.colno}") from error
    except ValueError as error:  # from _no_duplicate_keys
        raise fail(str(error)) from error
    if not isinstance(values, dict):
        raise fail(f"expected a JSON object, got {type(values).__name__}")
    return declared_from_values(values, f"sidecar {name}")
