"""The private Whoosh names searcher uses (searcher/index/whoosh_private.py) are all there,
in the whoosh3 release pinned: another release fails here first, naming what to port."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import whoosh
from whoosh.filedb.structfile import BufferFile

import searcher
from searcher.index.segments import SegmentBuilder
from searcher.index.whoosh_private import PINNED, PRIVATE_NAMES

ROOT = Path(__file__).resolve().parents[1]


def test_the_installed_whoosh3_is_the_pinned_one():
    pin = re.search(r'"whoosh3==([^"]+)"', (ROOT / "pyproject.toml").read_text("utf-8"))
    assert pin and pin.group(1) == PINNED, "pyproject.toml and whoosh_private.PINNED differ"
    assert whoosh.versionstring() == PINNED, (
        f"whoosh3 {whoosh.versionstring()} is installed; searcher was written for {PINNED}. "
        "Go through searcher/index/whoosh_private.py before moving the pin.")


def _instances(tmp_path: Path) -> tuple[dict[str, list[object]], list[object]]:
    """Real objects of the classes whose private attributes are set per instance, from a
    small index (a release of three paragraphs); and what to close after."""
    index = searcher.Index.create(tmp_path / "ix")
    index.add([searcher.Release(id="r1", path="r1.txt", title="Talks", paragraphs=[
        "Talks on trade.", "Talks on climate.", "Talks on security."])])
    reader = index.searcher().leaf_searchers()[0][0].reader()
    matcher = reader._terms.matcher("doctype", b"para", reader.schema["doctype"].format)
    matcher._read_ids(), matcher._read_weights(), matcher._read_values()
    writer = SegmentBuilder(index._ix)
    fields = writer.fieldwriter
    fields.start_field("body", writer.schema["body"])
    fields.start_term(b"talk")
    found = {
        "whoosh.filedb.structfile.BufferFile": [BufferFile(b"", name="x")],
        "whoosh.writing.SegmentWriter": [writer],
        "whoosh.codec.whoosh3.W3FieldWriter": [fields],
        "whoosh.codec.whoosh3.W3PostingsWriter": [fields._postwriter],
        "whoosh.reading.SegmentReader": [reader],
        "whoosh.codec.whoosh3.W3PerDocReader": [reader._perdoc],
        "whoosh.codec.whoosh3.W3LeafMatcher": [matcher],
    }
    return found, [writer, index]


def test_every_private_whoosh_name_used_is_there(tmp_path: Path):
    instances, opened = _instances(tmp_path)
    missing = []
    try:
        for dotted, names in PRIVATE_NAMES.items():
            module, _, name = dotted.rpartition(".")
            cls = getattr(importlib.import_module(module), name, None)
            if cls is None:
                missing.append(dotted)
                continue
            objects = [o for o in instances.get(dotted, []) if isinstance(o, cls)]
            for private in names:
                if private.endswith("="):
                    ok = private[:-1] in inspect.signature(cls.__init__).parameters
                else:
                    ok = hasattr(cls, private) or any(hasattr(o, private) for o in objects)
                if not ok:
                    missing.append(f"{dotted}.{private.rstrip('=')}")
    finally:
        opened[0].cancel()
        opened[1].close()
    assert not missing, (f"whoosh3 {whoosh.versionstring()} lacks private names searcher "
                         f"uses (see searcher/index/whoosh_private.py): {', '.join(missing)}")


def test_the_list_holds_every_private_name_the_code_uses():
    """A private name of another object, used in a module of searcher/ that uses Whoosh,
    must be in the list: it stays the port's whole checklist. (Names our own classes define
    are ours.)"""
    listed = {n.rstrip("=") for names in PRIVATE_NAMES.values() for n in names}
    ours, used = set(), set()
    for path in (ROOT / "searcher").rglob("*.py"):
        text = path.read_text("utf-8")
        ours |= set(re.findall(r"(?:def|class)\s+(_\w+)", text))
        ours |= set(re.findall(r"(?m)^\s+(_\w+)\s*:", text))  # dataclass fields
        for targets in re.findall(r"(?m)^\s*(self\.\w+(?:\s*,\s*self\.\w+)*)\s*(?::[^=\n]+)?=(?!=)",
                                  text):
            ours |= set(re.findall(r"self\.(_\w+)", targets))
        if "whoosh" in text:
            used |= set(re.findall(r"\w\.(_[a-z]\w*)", text))
    unlisted = sorted(used - listed - ours - {"_exit"})  # os._exit
    assert unlisted == [], f"private names used but not in whoosh_private.py: {unlisted}"
