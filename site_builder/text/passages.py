"""Finding words in an article's normalised text, in time that grows with the article.

`Occurrences` finds every place of a quote's exact words: `str.find` for the
first few quotes, then (when an import checks thousands of quotes against a long
article) an index of the article's pairs of words, so that each quote costs the
places of its rarest pair rather than a scan of the whole text.

`closest_passage` finds, for a quote that is not in the article, the passage
most like it. Comparing the quote with every passage of its length by `difflib`
costs a minute on a long article; instead, every passage is scored by the words
(and the beginnings of words) it shares with the quote, in one pass, and only
the best-scored few are compared by `difflib`. `difflib` takes time that grows
with the product of the lengths it compares (on repetitive text, `the the the`, it
reaches it), so those lengths are bounded: a passage too long to be similar enough
is not compared, and of a quote of more than 300 words only the first and last 150
words are compared, with those of each passage.
"""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import accumulate, pairwise

SCANS_BEFORE_INDEX = 4  # full scans of the text with str.find before the word index pays
# difflib compares two strings of n characters in about n² steps: it compares as many
# passages as this budget allows, from 16 (long quotes) to 1024 (a few words).
COMPARED_COST = 5_000_000
MIN_COMPARED, MAX_COMPARED = 16, 1024
LONG_QUOTE = 300  # longer quotes (50 words or so) are compared word by word
EDGE_WORDS = 150  # of a quote of more words than twice this, its first and last are compared
MIN_RATIO = 0.4  # a passage less similar than this is not shown
PUNCTUATION = "\"'“”‘’,.;:!?()[]{}-–—…"


class Occurrences:
    """Every place of a needle in `text` (overlapping places too), in order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.scans = 0
        self.words: dict[int, list[int]] | None = None  # hash of a word -> its offsets
        self.pairs: dict[int, list[int]] | None = None  # hash of two words -> their offsets
        self.found: dict[str, list[int]] = {}

    def of(self, needle: str) -> list[int]:
        if needle not in self.found:
            self.found[needle] = self._search(needle)
        return self.found[needle]

    def _search(self, needle: str) -> list[int]:
        words = needle.split(" ")
        if len(words) < 3 or self.scans < SCANS_BEFORE_INDEX:
            self.scans += 1
            return _scan(self.text, needle)
        return self._indexed(needle, words)

    def _indexed(self, needle: str, words: list[str]) -> list[int]:
        """The places of a needle of three words or more.

        Its inner words are whole words of the text wherever it occurs, one after the
        other: the places of its rarest pair of inner words (of its one inner word, in
        a needle of three), less their offset in the needle, are the only places it can
        start. Keys are hashes: a place whose hash is the same by chance is checked too.
        """
        if len(words) == 3:
            if self.words is None:
                self.words = hash_index(self.text, 1)
            index, keys = self.words, [hash((words[1],))]
        else:
            if self.pairs is None:
                self.pairs = hash_index(self.text, 2)
            index, keys = self.pairs, [hash(pair) for pair in pairwise(words[1:-1])]
        offsets = accumulate(len(w) + 1 for w in words[:-2])
        _, offset, key = min((len(index.get(key, ())), offset, key)
                             for key, offset in zip(keys, offsets, strict=False))
        text = self.text
        return [start for start in (p - offset for p in index.get(key, ()))
                if start >= 0 and text.startswith(needle, start)]


def _scan(text: str, needle: str) -> list[int]:
    found = []
    start = text.find(needle) if needle else -1
    while start != -1:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def hash_index(text: str, size: int) -> dict[int, list[int]]:
    """The offsets of each run of `size` words of `text` (one or two), by the hash of the
    tuple of its words: a hash is smaller than the words it stands for."""
    starts, words = word_starts(text)
    runs = map(hash, zip(*(words[i:] for i in range(size)), strict=False))
    index: dict[int, list[int]] = {}
    for start, key in zip(starts, runs, strict=False):
        places = index.get(key)
        if places is None:
            index[key] = [start]
        else:
            places.append(start)
    return index


def word_starts(text: str) -> tuple[list[int], list[str]]:
    """The words of `text` (between spaces and line breaks), and the offset of each."""
    parts = text.replace("\n", " ").split(" ")
    starts = [before + i for i, before in enumerate(accumulate(map(len, parts), initial=0))]
    if "" not in parts:
        return starts[:-1], parts
    kept = [i for i, part in enumerate(parts) if part]
    return [starts[i] for i in kept], [parts[i] for i in kept]


def closest_passage(needle: str, text: str) -> tuple[int, int] | None:
    """The [start, end) of the passage of `text` most like `needle`, word-aligned.

    Passages are runs of as many words as the needle has. The best-scored ones
    (`_best_windows`) are compared with it by `difflib`, in reading order: the first of
    the most similar is chosen, if it is similar enough.
    """
    starts, words = word_starts(text)
    if not words:
        return None
    size = max(1, len(needle.split()))
    count = max(1, len(words) - size + 1)
    wanted = MIN_COMPARED if len(needle) > LONG_QUOTE else \
        max(MIN_COMPARED, min(MAX_COMPARED, COMPARED_COST // max(1, len(needle)) ** 2))
    windows = sorted(_best_windows(words, needle, size, wanted)) if count > wanted \
        else range(count)
    last = [min(i + size, len(words)) - 1 for i in windows]
    passages = [(starts[i], starts[j] + len(words[j])) for i, j in zip(windows, last, strict=True)]
    best = _most_similar(needle, [text[start:end] for start, end in passages])
    if best is None:
        return None
    first, end = _fit(needle.split(), text, starts, words, windows[best], last[best])
    return starts[first], starts[end] + len(words[end])


FIT_WORDS = 3  # how many words a passage's ends may move to line up with the quote's


def _fit(needle: list[str], text: str, starts: list[int], words: list[str], first: int,
         last: int) -> tuple[int, int]:
    """The first and last words of the passage `first`..`last`, each moved by up to
    `FIT_WORDS` words (within its paragraph) to where the most of the quote's first (last)
    words are found in a row: a quote with a word more or less than the article is matched
    by a passage of as many words as the article has there, not as the quote has. When the
    quote's first (last) word is found nowhere there, the passage starts (ends) one word
    before (after) the run of the words that follow (precede) it: that word is misspelt."""
    keys = [_word_key(w) for w in needle]
    low, high = max(0, first - FIT_WORDS), min(len(words) - 1, last + FIT_WORDS)
    while low < first and "\n" in text[starts[low]:starts[first]]:
        low += 1
    while high > last and "\n" in text[starts[last]:starts[high]]:
        high -= 1
    region = {i: _word_key(words[i]) for i in range(low, high + 1)}
    forward, backward = keys, keys[::-1]

    def run(at: int, step: int, skip: int) -> int:
        order = (forward if step > 0 else backward)[skip:]
        count, i = 0, at
        while count < len(order) and i in region and region[i] == order[count]:
            count, i = count + 1, i + step
        return count

    def best(candidates: range, step: int, near: int) -> int:
        for skip in (0, 1):
            found = max(candidates, key=lambda i: (run(i, step, skip), -abs(i - near)))
            if run(found, step, skip) and found - step * skip in region:
                return found - step * skip
        return near

    start = best(range(low, min(first + FIT_WORDS, last) + 1), 1, first)
    end = best(range(max(last - FIT_WORDS, first), high + 1), -1, last)
    return (start, end) if start <= end else (first, last)


def _most_similar(needle: str, passages: Sequence[str]) -> int | None:
    """The index of the first passage most similar to `needle`, if similar enough.

    A passage whose length alone keeps it below `MIN_RATIO` (over four times the quote's)
    is not compared: it could not be shown; nor is one the same as a passage compared
    before it (text that repeats itself has many): it could not be more similar.
    """
    best, best_score = None, 0.0
    if len(needle) > LONG_QUOTE:
        matcher = difflib.SequenceMatcher[str](b=_edges(needle.split()), autojunk=False)
        candidates: Iterator[Sequence[str]] = (tuple(_edges(p.split())) for p in passages)
    else:
        matcher = difflib.SequenceMatcher[str](autojunk=False)
        matcher.set_seq2(needle)
        candidates = iter(passages)
    seen: set[Sequence[str]] = set()
    for index, passage in enumerate(candidates):
        if passage in seen:
            continue
        seen.add(passage)
        matcher.set_seq1(passage)
        quick = matcher.real_quick_ratio()
        if quick < MIN_RATIO or quick <= best_score or matcher.quick_ratio() <= best_score:
            continue
        score = matcher.ratio()
        if score > best_score:
            best, best_score = index, score
    return best if best_score >= MIN_RATIO else None


def _edges(words: list[str]) -> list[str]:
    """The words `difflib` compares: all of them, or the first and last `EDGE_WORDS` of
    more than twice as many (a passage has as many words as the quote it is compared with)."""
    if len(words) <= 2 * EDGE_WORDS:
        return words
    return words[:EDGE_WORDS] + words[-EDGE_WORDS:]


def _best_windows(words: list[str], needle: str, size: int, wanted: int) -> list[int]:
    """The first words of the `wanted` runs of `size` words that share most with `needle`.

    A run scores two for each word it shares with the needle (as many times as the needle
    has it, whatever its capitals and the punctuation around it) and one for each beginning
    of a word (a misspelt word often keeps its first letters). Runs slide one word at a
    time: each step adds a word and drops one, so all runs are scored in one pass.
    """
    keys = _Keys(needle.split())
    codes = keys.codes(words)
    need, weight = keys.need, keys.weight
    have = [0] * len(need)
    scores = []
    score = 0
    for index, added in enumerate(codes):
        for code in added:
            have[code] += 1
            if have[code] <= need[code]:
                score += weight[code]
        if index >= size:
            for code in codes[index - size]:
                if have[code] <= need[code]:
                    score -= weight[code]
                have[code] -= 1
        if index >= size - 1:
            scores.append(score)
    if not scores:  # fewer words than the needle: the one run is all of them
        scores.append(score)
    return heapq.nlargest(wanted, range(len(scores)), key=lambda i: (scores[i], -i))


class _Keys:
    """What the needle's words are compared by: the word, and its first three letters.

    Each key has a number (its code), how many times the needle has it and its weight.
    """

    def __init__(self, words: list[str]) -> None:
        whole = Counter(_word_key(w) for w in words)
        starts = Counter(key[:3] for key in whole.elements())
        self.whole = {key: code for code, key in enumerate(whole)}
        self.starts = {key: code for code, key in enumerate(starts, start=len(whole))}
        self.need = [*whole.values(), *starts.values()]
        self.weight = [2] * len(whole) + [1] * len(starts)

    def codes(self, words: list[str]) -> list[tuple[int, ...]]:
        """For each word, the codes of the keys it has: none, its beginning's, or both."""
        by_word: dict[str, tuple[int, ...]] = {}
        for word in set(words):
            key = _word_key(word)
            found = self.whole.get(key), self.starts.get(key[:3])
            by_word[word] = tuple(c for c in found if c is not None)
        return [by_word[w] for w in words]


def _word_key(word: str) -> str:
    return word.strip(PUNCTUATION).lower()
