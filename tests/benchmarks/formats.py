"""Reading PDF and Word releases beside their text, in one run: speed, OCR, a folder of PDFs.

    python tests/benchmarks/formats.py [--releases 60] [--folder 1000] [--no-ocr]

- Parsing per release: the same releases (the seeds, then White House readouts from
  ../shared/corpora) as text, as PDF (the three layouts of tests/makedocs.py in turn) and as
  Word files, each parsed in this process (warm, imports done), ms per release.
- OCR: the five seeds set as PDFs (letterhead layout), scanned (tests/makedocs.py: rendered
  at 200 dpi, rotated, speckled, JPEG) and read back: word accuracy against the text
  version's paragraphs, seconds a page, and whether title, date and people survive.
- A folder of ``--folder`` PDFs (the readouts in turn, each in a layout, ids unique) indexed
  by ``searcher.build_index`` from scratch, beside the same releases as text: wall time, and
  CPU time of this process and its children over wall time (the cores the parse pool used).

Nothing is asserted: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.makedocs import LAYOUTS, encodable, make_docx, make_pdf, scan, twin_of  # noqa: E402

# ../shared beside the repository (CI's clone); a worktree's is one folder further up.
READOUTS = next((p for p in (ROOT.parent / "shared" / "corpora" / "whitehouse-readouts",
                             ROOT.parents[1] / "shared" / "corpora" / "whitehouse-readouts")
                 if p.is_dir()), ROOT.parent / "shared" / "corpora" / "whitehouse-readouts")
SEEDS = ROOT / "documents"
STYLES = list(LAYOUTS)


def sources(count: int) -> list[Path]:
    found = sorted(SEEDS.glob("*.txt"))
    if READOUTS.is_dir():
        found += sorted(READOUTS.rglob("*.md"))
    return found[:count] if count else found


def twins(paths: list[Path], count: int) -> list[tuple[Path, object]]:
    out = []
    for path in paths:
        twin = twin_of(path)
        if encodable(twin):
            out.append((path, twin))
        if len(out) == count:
            break
    return out


def cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


class Children:
    """CPU seconds of each process below this one, sampled from /proc while it runs (a pool
    worker's own time, which RUSAGE_CHILDREN sums with every other's)."""

    def __init__(self) -> None:
        import threading

        self.seconds: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Children":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _descendants(self, pid: int) -> list[int]:
        out = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    out += [int(c) for c in fh.read().split()]
        except OSError:
            return out
        return out + [d for c in out for d in self._descendants(c)]

    def _run(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        while not self._stop.wait(0.2):
            for pid in self._descendants(os.getpid()):
                try:
                    with open(f"/proc/{pid}/stat") as fh:
                        fields = fh.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.seconds[pid] = (int(fields[11]) + int(fields[12])) / tick


def timed_parse(paths: list[Path]) -> list[float]:
    import searcher

    out = []
    for path in paths:
        t = time.perf_counter()
        searcher.parse_file(path)
        out.append((time.perf_counter() - t) * 1000)
    return out


def parsing(made: list[tuple[Path, object]], tmp: Path) -> None:
    import searcher

    folder = tmp / "parse"
    folder.mkdir()
    text, pdf, word = [], [], []
    for i, (path, twin) in enumerate(made):
        text.append(path)
        p = folder / f"{i}.pdf"
        p.write_bytes(make_pdf(twin, STYLES[i % len(STYLES)])[0])
        pdf.append(p)
        w = folder / f"{i}.docx"
        w.write_bytes(make_docx(twin, heading_style=i % 2 == 1))
        word.append(w)
    for warm in (text[0], pdf[0], word[0]):
        searcher.parse_file(warm)
    pages = sum(searcher.ingest.readers.read_file(p).meta["pages"] for p in pdf)
    print(f"\nParsing per release ({len(made)} releases; the PDFs have {pages} pages):")
    print("| format | mean ms | median ms | p95 ms | vs text |")
    print("| --- | --- | --- | --- | --- |")
    base = None
    for name, paths in (("text (.txt/.md)", text), ("PDF", pdf), ("Word (.docx)", word)):
        ms = timed_parse(paths)
        mean = statistics.mean(ms)
        base = base or mean
        p95 = sorted(ms)[int(0.95 * (len(ms) - 1))]
        print(f"| {name} | {mean:.1f} | {statistics.median(ms):.1f} | {p95:.1f} | "
              f"{mean / base:.1f}x |")


def ocr_accuracy(tmp: Path) -> None:
    from difflib import SequenceMatcher

    import searcher
    from searcher.ingest.readers import ocr

    found = ocr.tesseract()
    if found is None:
        print("\nOCR: not installed (tesseract-ocr and pip install 'searcher[ocr]'); skipped")
        return
    print(f"\nOCR of scanned seeds (tesseract, languages {found[1]}); a clean copy (200 dpi, "
          "0.4 degrees, JPEG 75) and a rough one (150 dpi, 1.5 degrees, specks, blur, JPEG 30):")
    print("| release | copy | pages | s a page | word accuracy | title / date / people as text |")
    print("| --- | --- | --- | --- | --- | --- |")
    for rough in (False, True):
        words_right = words = 0
        for path in sorted(SEEDS.glob("*.txt")):
            data, _ = make_pdf(twin_of(path), "letterhead")
            scanned = tmp / f"{path.stem}-scan.pdf"
            scanned.write_bytes(scan(data, rough=rough))
            t = time.perf_counter()
            read = searcher.parse_file(scanned)
            seconds = time.perf_counter() - t
            text = searcher.parse_file(path)
            a, b = " ".join(read.paragraphs).split(), " ".join(text.paragraphs).split()
            right = sum(m.size for m in
                        SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
            words_right, words = words_right + right, words + len(b)
            pages = searcher.ingest.readers.read_file(scanned).meta["pages"]
            same = (read.title == text.title, read.release_date == text.release_date,
                    [p.name for p in read.participants] == [p.name for p in text.participants])
            print(f"| {path.stem} | {'rough' if rough else 'clean'} | {pages} | "
                  f"{seconds / pages:.1f} | {right / len(b):.4f} | "
                  f"{' / '.join('yes' if s else 'no' for s in same)} |")
        print(f"| all | {'rough' if rough else 'clean'} | | | {words_right / words:.4f} | |")


def folder(made: list[tuple[Path, object]], count: int, tmp: Path) -> None:
    import searcher

    pdfs, texts = tmp / "pdfs", tmp / "texts"
    pdfs.mkdir()
    texts.mkdir()
    t = time.perf_counter()
    for i in range(count):
        path, twin = made[i % len(made)]
        (pdfs / f"r{i:05d}.pdf").write_bytes(make_pdf(twin, STYLES[i % len(STYLES)])[0])
        shutil.copy(path, texts / f"r{i:05d}{path.suffix}")
    print(f"\nA folder of {count} PDFs ({time.perf_counter() - t:.0f} s to make), indexed from "
          f"scratch on {os.cpu_count()} cores, beside the same releases as text:")
    print("| folder | wall s | ms a release | CPU s, all processes | CPU s of each child "
          "process (parse pool, then writers) | failed |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, docs in (("text", texts), ("PDF", pdfs)):
        before, t = cpu(), time.perf_counter()
        with Children() as children:
            index, report = searcher.build_index(docs, tmp / f"index-{name}")
        wall = time.perf_counter() - t
        used = cpu() - before
        index.close()
        each = ", ".join(f"{s:.1f}" for s in children.seconds.values() if s >= 0.1)
        print(f"| {name} | {wall:.1f} | {1000 * wall / count:.1f} | {used:.1f} | {each} | "
              f"{len(report.failed)} |")
    print(f"(load average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--releases", type=int, default=60)
    parser.add_argument("--folder", type=int, default=1000)
    parser.add_argument("--no-ocr", action="store_true")
    parser.add_argument("--no-parse", action="store_true", help="skip the per-release table")
    args = parser.parse_args()
    made = twins(sources(0), max(args.releases, 60))
    print(f"{len(made)} releases (seeds and readouts whose text the standard PDF fonts show)")
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_parse:
            parsing(made[:args.releases], Path(tmp))
        if not args.no_ocr:
            ocr_accuracy(Path(tmp))
        if args.folder:
            folder(made, args.folder, Path(tmp))


if __name__ == "__main__":
    main()
