"""Deterministic benchmark corpora built from real release text.

Sources: the five seed releases (``documents/``) and the 1,411 White House readouts in
``../shared/corpora/whitehouse-readouts`` (public domain). To reach a size, the sources are
replicated; copy ``k`` of a source release gets:

- a new id (``r000123.md``) and a marker sentence naming its copy number, so no two files are
  byte-identical and every copy is its own release;
- its years shifted by ``k mod 7`` (2021 -> 2024 ...), so dates and date queries spread out;
- its front matter date shifted the same way (White House files);
- every occurrence of a few frequent surnames replaced by a surname drawn by ``k`` from a fixed
  list, so participant names vary across copies.

Each source is read once by searcher's own reader to count its paragraphs (a copy adds one,
its marker); releases are added until the running count reaches the ``paragraphs`` target
(a 20,000 target gave 19,292 indexed paragraphs).

    python tests/benchmarks/corpus.py OUT_DIR --paragraphs 100000
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "documents"
# ../shared beside the repository (CI's clone); a worktree's is one folder further up (as
# in formats.py): without it, a corpus built in a worktree was the five seeds alone, copied.
READOUTS = next((p for p in (ROOT.parent / "shared" / "corpora" / "whitehouse-readouts",
                             ROOT.parents[1] / "shared" / "corpora" / "whitehouse-readouts")
                 if p.is_dir()), ROOT.parent / "shared" / "corpora" / "whitehouse-readouts")

_SURNAMES = ["Okafor", "Lindqvist", "Haddad", "Nakamura", "Fernandes", "Kowalski", "Mensah",
             "Petrov", "Sandoval", "Tanaka", "Van Dijk", "Abdullah", "Moreau", "Novak", "Reyes",
             "Schmidt", "Okonkwo", "Larsen", "Pham", "Ibrahim"]
_FREQUENT = re.compile(r"\b(Biden|Harris|Blinken|Sullivan|Trump|Vance|Rubio|Sokhonn|Huitfeldt|"
                       r"Chollet|Motegi|MOTEGI|Hayashi|HAYASHI)\b")
_YEAR = re.compile(r"\b(20[12]\d)\b")


def sources() -> list[tuple[str, str]]:
    """(suffix, text) of every source release, in a fixed order."""
    out = [(p.suffix, p.read_text("utf-8")) for p in sorted(SEEDS.iterdir()) if p.is_file()]
    if READOUTS.is_dir():
        out += [(".md", p.read_text("utf-8")) for p in sorted(READOUTS.rglob("*.md"))]
    return out


def paragraph_counts(base: list[tuple[str, str]]) -> list[int]:
    """How many paragraphs searcher's reader finds in each source (a copy adds one: its
    marker), so a corpus asked for N paragraphs holds about N."""
    import tempfile

    import searcher

    counts = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (suffix, text) in enumerate(base):
            path = Path(tmp) / f"s{n}{suffix}"
            path.write_text(text, "utf-8")
            try:
                counts.append(len(searcher.parse_file(path).paragraphs))
            except searcher.SearcherError:
                counts.append(0)
    return counts


def variant(text: str, copy: int) -> str:
    """Copy ``copy`` of a source text (copy 0 is the source itself)."""
    if copy == 0:
        return text
    shift = copy % 7
    text = _YEAR.sub(lambda m: str(2020 + (int(m.group(1)) - 2020 + shift) % 10), text)
    text = _FREQUENT.sub(lambda m: _SURNAMES[(copy + len(m.group(1))) % len(_SURNAMES)], text)
    marker = f"\n\nThis is copy {copy} of the release, kept for the record.\n"
    if text.startswith("---"):
        return text + marker
    cut = text.rfind("Phnom Penh, ")
    return text[:cut] + marker + "\n" + text[cut:] if cut > 0 else text + marker


def build(out: Path, releases: int | None = None, paragraphs: int | None = None) -> tuple[int, int]:
    """Write the corpus into ``out`` (created); returns (releases, paragraphs as the reader
    finds them in the sources)."""
    out.mkdir(parents=True, exist_ok=True)
    base = sources()
    sizes = paragraph_counts(base) if paragraphs is not None else [0] * len(base)
    count = total = 0
    while (releases is None or count < releases) and (paragraphs is None or total < paragraphs):
        suffix, text = base[count % len(base)]
        body = variant(text, count // len(base))
        (out / f"r{count:07d}{suffix}").write_text(body, "utf-8")
        total += sizes[count % len(base)] + (count >= len(base))
        count += 1
    return count, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--releases", type=int)
    parser.add_argument("--paragraphs", type=int)
    args = parser.parse_args()
    if args.releases is None and args.paragraphs is None:
        parser.error("give --releases or --paragraphs")
    count, total = build(args.out, args.releases, args.paragraphs)
    print(f"{count} releases, about {total} paragraphs, in {args.out}")


if __name__ == "__main__":
    main()
