"""Where an office stands in a text's tokens: the office words before a name ("Deputy Prime
Minister and Minister of Foreign Affairs", "ROK National Security Advisor"), where they
begin, and the role an apposition gives after the name (", National Security Advisor to the
Prime Minister of the Czech Republic")."""

from __future__ import annotations

from typing import Any

from .lexicon import NOT_NAMES, QUALIFIERS
from .name_runs import NameReader
from .tokens import CONNECTORS, FUNCTION_LIKE

#: Bound, in words, on an office and a role: text that runs on past it is no one's.
MAX_OFFICE = 30


class OfficeReader(NameReader):
    """One text's tokens, the names in them and the offices around the names."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._appositions: dict[int, tuple[int, int] | None] = {}

    # -- reading an office ---------------------------------------------------------------
    def read_office(self, i: int, head: bool = False, complement: bool = False
                    ) -> tuple[int, bool]:
        """(end, holds a head or honorific) of the office words starting at ``i`` (``head``,
        ``complement``: what the office read so far holds)."""
        toks, n, countries = self.toks, self.n, self.countries
        j = i
        while j < n and j - i < MAX_OFFICE:
            t = toks[j]
            if t.weak:
                if j + 1 < n and toks[j + 1].head_or_hon:
                    j += 1  # "His Excellency", "Her Majesty Queen ..."
                    continue
                break
            if t.head_or_hon:
                head, complement = True, False
                j += 1
                if t.possessive:  # "the President's Commitment": his, not a name
                    return j, False
                continue
            if t.qual or j in countries:
                j += 1
                continue
            if t.connector:
                # "Secretary of Energy", "Assistant to the President and Director of ...";
                # "on", "in", "at" after an institution only ("Council on Environmental
                # Quality"), never after an office ("the President on Withdrawal of ...").
                if t.text in ("on", "in", "at") and j > i and (
                        toks[j - 1].head or toks[j - 1].bare not in NOT_NAMES):
                    break
                if j + 1 < n and (toks[j + 1].cap or toks[j + 1].text == "the"):
                    complement = complement or t.text in ("of", "for", "to", "on", "in")
                    j += 1
                    continue
                break
            if t.text == "," and head and j + 1 < n:
                nxt = toks[j + 1] if toks[j + 1].text != "and" else (
                    toks[j + 2] if j + 2 < n else None)
                if nxt is not None and (nxt.head or nxt.qual):
                    j += 1  # "Assistant to the President, Senior Advisor ..."
                    continue
                if complement and j + 1 < n and toks[j + 1].cap and self.name_like(j + 1):
                    return j + 1, head  # "Finance Minister of Ukraine, Sergii Marchenko"
                break
            if t.plain_cap_word and (complement or not head):
                j += 1  # "of the Office of Personnel Management", "Centers ... Administrator"
                continue
            if t.alpha and t.inst:
                j += 1  # institution words: "Commission", "Council"
                continue
            break
        return j, head

    def _office_begin(self, start: int, j: int) -> int:
        """Where the office words before the name at ``j`` begin: at its first head or
        honorific, or before it at the qualifiers, countries and institution names chained
        to it ("ROK National Security Advisor", "Centers for Medicare and Medicaid Services
        Administrator"), never at words before an honorific ("... the Inauguration of His
        Excellency")."""
        toks, countries = self.toks, self.countries
        first = next((k for k in range(start, j) if toks[k].head_or_hon), start)
        if toks[first].honorific and not toks[first].head or toks[first].bare in ("his", "her"):
            return first
        k = first
        while k > max(start, first - MAX_OFFICE):
            t = toks[k - 1]
            if t.cap and (t.bare in QUALIFIERS or countries.get(k - 1) or t.inst
                          or self.name_like(k - 1) and not t.word):
                k -= 1
                continue
            if t.text in ("of", "for", "and", "the", "'s", "on") and k - 1 > start and (
                    toks[k - 2].cap or toks[k - 2].text in ("of", "for", "the")) \
                    and not toks[k].head or t.text == "'s":
                k -= 1
                continue
            if t.cap and t.word and k - 1 > start and \
                    toks[k - 2].text in ("of", "for", "and", "on") and \
                    (toks[k].head or toks[k].bare in QUALIFIERS):
                k -= 1  # "Office of Management and Budget Chief Economist"
                continue
            if t.cap and t.word and k < j and toks[k].text in ("of", "for", "and") and \
                    not (toks[k + 1] if k + 1 < j else toks[k]).head and \
                    toks[k + 1].text != "the" or t.cap and t.word and toks[k].inst:
                k -= 1  # "Centers for Medicare", "Personnel Management"
                continue
            if t.cap and t.word and not t.head and t.bare not in FUNCTION_LIKE:
                run = k - 1  # "Small Business Administrator": a list's item, whole
                while run > start and toks[run - 1].cap and toks[run - 1].word and \
                        toks[run - 1].bare not in FUNCTION_LIKE and not toks[run - 1].head:
                    run -= 1
                if run == 0 or toks[run - 1].text in (",", "and", ";", "(", ":"):
                    k = run
                break
            break
        while k < first and (toks[k].text in CONNECTORS or toks[k].bare in FUNCTION_LIKE):
            k += 1
        return k

    def _apposition(self, k: int) -> tuple[int, int] | None:
        """The role after a name: ", National Security Advisor to the Prime Minister of the
        Czech Republic" (character span), if one follows at token ``k``."""
        try:
            return self._appositions[k]
        except KeyError:
            found = self._appositions[k] = self._read_apposition(k)
            return found

    def _read_apposition(self, k: int) -> tuple[int, int] | None:
        toks, n = self.toks, self.n
        if k + 1 >= n or toks[k].text != ",":
            return None
        f = k + 1
        if toks[f].text == "the":
            if k + 2 >= n:
                return None
            f = k + 2
        first = toks[f]
        if not (first.head or first.qual or self.countries.get(f) is not None):
            return None
        j = f
        office_end, _ = self.read_office(j)
        if office_end < n and self.read_name(office_end, after_head=True) > office_end:
            return None  # ", Leader McConnell": the next person, not a role
        end = j
        while j < min(n, f + MAX_OFFICE):
            t = toks[j]
            if t.text == "," or t.text == "and" and j + 1 < n and self.starts_name(j + 1):
                nxt = j + 1 + (j + 1 < n and toks[j + 1].text == "and")
                if nxt < n:
                    office_end, has_head = self.read_office(nxt)
                    if has_head and office_end < n and office_end > nxt and \
                            self.read_name(office_end, after_head=True) > office_end:
                        break  # ", Foreign Secretary Harsh V. Shringla": the next person
                if t.text == "," and nxt < n and toks[nxt].appos_next:
                    j = nxt
                    continue
                break
            if t.cap and t.alpha and t.head and j + 1 < n and \
                    self.read_name(j + 1, after_head=True) > j + 1 and toks[j + 1].cap and \
                    not toks[j + 1].head:
                # "..., Foreign Minister and Alternate Prime Minister Lapid": an office and
                # a name, the next person's, run on without a comma.
                b = self._office_begin(f, j + 1)
                while b > f and toks[b - 1].text in ("and", ",", "the"):
                    b -= 1
                end = min(end, b) if b > f else f
                break
            if t.cap and t.alpha:
                if t.upper and not toks[k - 1].upper and len(t.text) > 3 and \
                        self.countries.get(j) is None:
                    break  # "SUBJECT:"
                if t.given and j + 1 < n and toks[j + 1].cap and \
                        not toks[j + 1].word and not toks[j + 1].head:
                    break  # the next person: "... Budget Kevin Hassett, Assistant ..."
                end = j + 1
                j += 1
                continue
            if t.text in CONNECTORS or t.text in ("-", "'"):
                j += 1
                continue
            break
        if end <= f:
            return None
        return self.starts[f], self.ends[end - 1]
