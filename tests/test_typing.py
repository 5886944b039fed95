"""The library's types as a user's script sees them: the README's examples pass
``mypy --strict`` (the package ships ``py.typed``), and they run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SEEDS

EXAMPLE = ROOT / "tests" / "typing" / "readme_examples.py"


def test_the_readme_examples_pass_mypy_strict(tmp_path: Path):
    # follow-imports=silent: the example is checked against searcher's annotations, and
    # searcher's own modules (which call untyped Whoosh) are not reported on.
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--cache-dir", str(tmp_path / "cache"), str(EXAMPLE.relative_to(ROOT))],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found in 1 source file" in done.stdout
    assert (ROOT / "searcher" / "py.typed").exists()


def test_the_readme_examples_run(tmp_path: Path):
    shutil.copytree(SEEDS, tmp_path / "documents")
    done = subprocess.run([sys.executable, str(EXAMPLE), str(tmp_path / "documents"),
                           str(tmp_path / "index")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 releases\n")  # "Five-point Consensus" in the seeds
    assert "not a date: '2022-13'" in done.stdout
