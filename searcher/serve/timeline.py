"""Matching releases per month as a bar chart: the geometry of an SVG drawn by the server
(no script needed), each bar a link narrowing the search to its month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
#: The chart's drawing box (the SVG scales to the page's width).
WIDTH, HEIGHT, AXIS = 600, 80, 14


def month_name(month: str) -> str:
    """ "2022-05" -> "May 2022"."""
    year, _, number = month.partition("-")
    try:
        return f"{MONTHS[int(number) - 1]} {year}"
    except (ValueError, IndexError):
        return month


def _months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` ("YYYY-MM"), both included."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class Bar:
    month: str
    count: int
    x: float
    y: float
    width: float
    height: float
    href: str
    label: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    years: list[tuple[float, str]]  # (x, label) where each year starts
    width: int = WIDTH
    height: int = HEIGHT
    axis: int = AXIS
    peak: int = 0

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)


def chart(counts: dict[str, int], link: Callable[[str, str], str]) -> Chart | None:
    """The bars for ``counts`` (month -> releases), every month between the first and the
    last drawn, empty ones too; ``link(from, to)`` is the address of a month's search.
    None when there is nothing to draw."""
    months = sorted(m for m in counts if len(m) == 7 and m[4] == "-" and m[:4].isdigit())
    if not months:
        return None
    span = _months(months[0], months[-1])
    if len(span) > 1200:  # a century of months: dates gone wrong, keep the chart readable
        span = months
    peak = max(counts[m] for m in months)
    step = WIDTH / len(span)
    gap = min(1.0, step * 0.15)
    bars, years = [], []
    for i, month in enumerate(span):
        n = counts.get(month, 0)
        if month.endswith("-01") or i == 0:
            years.append((i * step, month[:4]))
        if not n:
            continue
        h = max(2.0, (HEIGHT - AXIS - 4) * n / peak)
        bars.append(Bar(month, n, round(i * step + gap / 2, 2), round(HEIGHT - AXIS - h, 2),
                        round(max(step - gap, 0.5), 2), round(h, 2), link(month, month),
                        f"{month_name(month)}: {n} release{'s' if n != 1 else ''}"))
    if len(years) > 1 and years[1][0] - years[0][0] < 36:
        years = years[1:]  # the first month's year would run into the next January's
    # Year labels need room: every year when there is, else every few.
    every = max(1, int(len(years) * 36 // WIDTH) + 1) if years else 1
    return Chart(bars, years[::every], peak=peak)
