"""A learned tagger for names and places, beside the rules of :mod:`.phi` (issue 14 item 7).

The rules find a facility or a clinician by the cues someone has written down; each new style of
note brings forms no rule has seen. This tagger reads every word with its neighbours (the word, its
shape, which of our word lists hold it, the words around it and what it tagged just before) and says
O (keep), FAC (a facility or organisation) or PER (a person). An averaged perceptron, trained by
``scripts/train_phi_tagger.py`` on the synthetic PHI parts in ``tests/data/phi`` and the coding notes
they are inserted into, shipped as weights in ``phi_data/tagger.json.gz``; decoded greedily left to
right. Pure Python: no model server, nothing leaves the process. Its places are added to the rules' spans
(never removed from them), only where it is sure (the margin in ``THRESHOLD``) and the words are no everyday or
clinical ones; its people are not used (:func:`tagged_spans`).
"""
from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from .phi_names import EPONYM_AFTER
from .phi_unknown import ACRONYMS, is_unknown
from .phi_words import MONTHS_DAYS, STOP_WORDS, lexicon, us_places

LABELS = ("O", "FAC", "PER")
Weights = dict[str, tuple[float, float, float]]     # feature -> its weight for each label
_MODEL = Path(__file__).with_name("phi_data") / "tagger.json.gz"
# A token is a run of letters and digits or one other visible character.
_TOKEN = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")
# Facility and organisation words: a strong cue for what stands before them.
_KIND = frozenset(re.findall(r"\S+", """
hospital hospitals clinic clinics center centre centers health healthcare medical university college school
institute foundation pharmacy laboratory laboratories lab labs imaging radiology associates group partners
physicians practice network system systems services agency department county state regional memorial
general community children's childrens womens women's rehab rehabilitation nursing home hospice care
campus hall society alliance plan insurance mutual cross shield blue program programme court
administration association agencies partnership office authority commission
bureau coalition ministries ministry council board district corporation inc llc pc pllc pa mammography
medicine pace infirmary sanatorium dispensary lab's
"""))
# Small words inside an organisation's name ("Centers for Medicare & Medicaid Services", "Area Agency on Aging").
_JOINERS = frozenset({"of", "for", "and", "&", "on", "the", "at", "in", "'", "s", "-", "/", "."})


def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if len(out) < 2 or not (out[-1] == c and out[-2] == c):
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=65536)
def _word_features(word: str) -> tuple[str, ...]:
    """What the word alone says (cached: most words repeat)."""
    low = word.lower()
    lex = lexicon()
    feats = [f"w={low}", f"s={_shape(word)}", f"p3={low[:3]}", f"x3={low[-3:]}"]
    if word.isalpha():
        feats.append(f"len={min(len(word), 8)}")
        known = [tag for tag, words in (("en", lex.english), ("cl", lex.clinical), ("cp", lex.clinical_proper),
                                        ("gv", lex.given)) if low in words]
        if low in lex.common_family:
            known.append("fc")
        elif low in lex.family:
            known.append("fa")
        known += [tag for tag, words in (("st", STOP_WORDS), ("md", MONTHS_DAYS), ("pl", us_places()),
                                         ("kind", _KIND)) if low in words]
        feats.append("k=" + "+".join(known) if known else "k=none")
        feats.extend(f"k1={k}" for k in known)
    return tuple(feats)


def _kinds(word: str) -> str:
    """Which lists hold the word ("k=en+fc"), or what it is when it is no word."""
    if not word.isalpha():
        return "k=digit" if word.isdigit() else "k=sym"
    return _word_features(word)[5]


def tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _runs(text: str, toks: list[tuple[int, int]], words: list[str]) -> list[str]:
    """Per token, what the run of capitalised words it stands in says ("Social Security Administration"): its
    length, whether a kind word is in it and where the token stands; small joining words do not end a run."""
    n = len(words)
    out = ["run=none"] * n
    i = 0
    while i < n:
        if not words[i][:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < n and (words[j][:1].isupper() or words[j][:1].isdigit()
                         or words[j].lower() in _JOINERS and j + 1 < n and words[j + 1][:1].isupper())\
                and "\n" not in text[toks[j - 1][1]:toks[j][0]]:
            j += 1
        caps = [w for w in words[i:j] if w[:1].isupper()]
        kind = any(w.lower() in _KIND for w in caps)
        size = min(len(caps), 5)
        for k in range(i, j):
            where = "first" if k == i else "last" if k == j - 1 else "mid"
            out[k] = f"run={size}|{'kind' if kind else 'nokind'}|{where}"
        i = j
    return out


# Where a neighbour stands (tokens before or after); what it says depends only on its word (:func:`_neighbour`).
_NEIGHBOURS = (-1, -2, 1, 2)


@lru_cache(maxsize=65536)
def _neighbour(word: str, at: int) -> tuple[str, ...]:
    """What the word at ``at`` tokens from the one tagged says of it; "" is past the text's start or end."""
    if not word:
        return (f"{at:+d}=<s>" if at < 0 else f"{at:+d}=</s>",)
    low = word.lower()
    if at == -1:
        return f"-1={low}", f"-1s={_shape(word)}", "-1" + _kinds(word)
    if at == 1:
        return f"+1={low}", f"+1s={_shape(word)}", "+1" + _kinds(word)
    return (f"{at:+d}={low}",) if at == -2 else (f"+2={low}", "+2" + _kinds(word))


def _surroundings(text: str, toks: list[tuple[int, int]], words: list[str]) -> list[list[str]]:
    """Per token, what no single word says: its run of capitalised words, the words beside it taken together, where
    it stands on its line and how far ahead the nearest kind word is."""
    n = len(toks)
    runs = _runs(text, toks, words)
    lows = [w.lower() for w in words]
    # the nearest kind word at or after each token ("Sheppard [Pratt] Hospital"), n where there is none
    next_kind = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_kind[i] = i if lows[i] in _KIND else next_kind[i + 1]
    out: list[list[str]] = []
    line_start, line_end = 0, text.find("\n")
    for i, w in enumerate(words):
        start = toks[i][0]
        if line_end >= 0 and start > line_end:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
        prev1 = lows[i - 1] if i > 0 else "<s>"
        prev2 = lows[i - 2] if i > 1 else "<s>"
        next1 = lows[i + 1] if i + 1 < n else "</s>"
        next2 = lows[i + 2] if i + 2 < n else "</s>"
        feats = [runs[i], f"{runs[i]}|{_kinds(w)}", f"-2-1={prev2}|{prev1}", f"+1+2={next1}|{next2}",
                 f"-1w={prev1}|{lows[i]}"]
        if start == line_start:
            feats.append("bol")
        elif text[line_start:start].strip() == "":
            feats.append("bol-indent")
        line_len = (line_end if line_end >= 0 else len(text)) - line_start
        feats.append(f"linelen={min(line_len // 20, 5)}")
        if line_start > 0 and text[line_start - 1] == "\n" and (line_start < 2 or text[line_start - 2] == "\n"):
            feats.append("para-start-line")
        # a kind word up to six tokens ahead, on the same line
        j = next_kind[i + 1]
        if j < n and j - i <= 6 and (line_end < 0 or toks[j][0] < line_end):
            feats.append(f"kind-ahead={j - i}")
        out.append(feats)
    return out


def contexts(text: str, toks: list[tuple[int, int]], words: list[str]) -> list[list[str]]:
    """Each token's features (what the trainer learns from): the word's own (:func:`_word_features`), its
    neighbours' (:func:`_neighbour`) and its surroundings (:func:`_surroundings`); ``words`` are the tokens' texts.
    The first is always the word itself ("w=...")."""
    n = len(words)
    return [[*_word_features(words[i]),
             *(f for at in _NEIGHBOURS for f in _neighbour(words[i + at] if 0 <= i + at < n else "", at)),
             *around]
            for i, around in enumerate(_surroundings(text, toks, words))]


@lru_cache(maxsize=1)
def _weights() -> Weights:
    with gzip.open(_MODEL, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    return {k: (v[0], v[1], v[2]) for k, v in raw["weights"].items()}


def available() -> bool:
    return _MODEL.exists()


def with_history(feats: list[str], prev: str, prev2: str) -> list[str]:
    """The features with what the tagger said of the two tokens before (the same in training and at run time)."""
    return [*feats, *_history(feats[0], prev, prev2)]


def _history(word_feature: str, prev: str, prev2: str) -> tuple[str, str, str]:
    return f"y-1={prev}", f"y-2={prev2}|{prev}", f"y-1w={prev}|{word_feature}"


def scores(feats: list[str], prev: str, prev2: str, weights: Weights) -> list[float]:
    """The three labels' scores of a token's features and the tagger's two labels before it (as in training)."""
    return _add([0.0, 0.0, 0.0], with_history(feats, prev, prev2), weights)


def _add(total: list[float], feats: Iterable[str], weights: Weights) -> list[float]:
    for f in feats:
        row = weights.get(f)
        if row is not None:
            total[0] += row[0]
            total[1] += row[1]
            total[2] += row[2]
    return total


_WORDS_KEPT = 50_000
Vector = tuple[float, float, float]


class _Scorer:
    """The tagger's arithmetic, arranged so that what a word decides is summed once per word, not once per token:
    the tagger reads every word of every note, and most words repeat ("the", "pt", "mg"). A word's part is its own
    features, its features as each neighbour (:data:`_NEIGHBOURS`) and, for each label the tagger may have given the
    token before, the history features that name the word; the rest (:func:`_surroundings`, the two labels before)
    is looked up per token."""

    def __init__(self, weights: Weights) -> None:
        self.weights = weights
        self._words: dict[str, tuple[Vector, ...]] = {}
        # "y-1=<prev>" and "y-2=<prev2>|<prev>" for every pair of labels (and the start)
        self._before = {(prev2, prev): self._sum((f"y-1={prev}", f"y-2={prev2}|{prev}"))
                        for prev2 in (*LABELS, "<s>") for prev in (*LABELS, "<s>")}

    def _sum(self, feats: Iterable[str]) -> Vector:
        total = _add([0.0, 0.0, 0.0], feats, self.weights)
        return total[0], total[1], total[2]

    def word(self, word: str) -> tuple[Vector, ...]:
        """(own, as -1, as -2, as +1, as +2, then "y-1w=<label>|w=<word>" for each of LABELS and the start)."""
        found = self._words.get(word)
        if found is None:
            if len(self._words) > _WORDS_KEPT:      # a worker runs for days: what it keeps has a bound
                self._words.clear()
            low = f"w={word.lower()}"
            found = self._words[word] = (
                self._sum(_word_features(word)) if word else (0.0, 0.0, 0.0),
                *(self._sum(_neighbour(word, at)) for at in _NEIGHBOURS),
                *(self._sum((f"y-1w={prev}|{low}",)) for prev in (*LABELS, "<s>")))
        return found

    def static(self, text: str, toks: list[tuple[int, int]], words: list[str]) -> list[list[float]]:
        """Each token's scores before the labels of the tokens before it are known."""
        rows = [self.word(w) for w in words]
        edge = self.word("")
        n = len(words)
        out = []
        for i, around in enumerate(_surroundings(text, toks, words)):
            own = rows[i][0]
            m1 = (rows[i - 1] if i > 0 else edge)[1]
            m2 = (rows[i - 2] if i > 1 else edge)[2]
            p1 = (rows[i + 1] if i + 1 < n else edge)[3]
            p2 = (rows[i + 2] if i + 2 < n else edge)[4]
            out.append(_add([own[0] + m1[0] + m2[0] + p1[0] + p2[0], own[1] + m1[1] + m2[1] + p1[1] + p2[1],
                             own[2] + m1[2] + m2[2] + p1[2] + p2[2]], around, self.weights))
        return out

    def labels(self, text: str) -> Iterator[tuple[int, int, str, float]]:
        toks = tokens(text)
        words = [text[s:e] for s, e in toks]
        static = self.static(text, toks, words)
        prev, prev2 = "<s>", "<s>"
        last = len(LABELS)      # the index of the label before, as word() orders them; LABELS' length is the start
        for i, (s, e) in enumerate(toks):
            # the labels the tagger gave the two tokens before are the only part that changes as it goes
            st, before, named = static[i], self._before[(prev2, prev)], self.word(words[i])[5 + last]
            sc = (st[0] + before[0] + named[0], st[1] + before[1] + named[1], st[2] + before[2] + named[2])
            best = 0 if sc[0] >= sc[1] and sc[0] >= sc[2] else 1 if sc[1] >= sc[2] else 2
            yield s, e, LABELS[best], sc[best] - sc[0]
            prev2, prev, last = prev, LABELS[best], best


@lru_cache(maxsize=1)
def _shipped_scorer() -> _Scorer:
    return _Scorer(_weights())


def tag(text: str, weights: Weights | None = None) -> Iterator[tuple[int, int, str, float]]:
    """Each token's label with its margin over O: (start, end, label, margin); the text is folded ASCII."""
    return (_Scorer(weights) if weights is not None else _shipped_scorer()).labels(text)


# How much surer than "keep" the tagger must be. Chosen on parts 60-63 with weights trained on parts up to 59:
# at 3 it redacted 24 fewer clinical words there than at 0 and missed one facility more.
THRESHOLD = 3.0


def tagged_spans(text: str, threshold: float | None = None) -> list[tuple[int, int, str]]:
    """Runs of tokens tagged FAC with a margin over ``threshold``: (start, end, "FACILITY"). The tagger's people
    are not used: on the parts it had not seen they added no clinician the rules missed, and a word of another
    language at a sentence's start ("Khám tại ...") looked like one."""
    if not available():
        return []
    cut = THRESHOLD if threshold is None else threshold
    out: list[tuple[int, int, str]] = []
    for s, e, label, margin in tag(text):
        if label != "FAC" or margin <= cut or text[s:e] in ".;:," and text[e:e + 1].isspace():
            continue        # a sentence's or a field's end is no part of a name
        if out and text[out[-1][1]:s].strip(" \t") == "":
            out[-1] = (out[-1][0], e, "FACILITY")
        else:
            out.append((s, e, "FACILITY"))
    # each side of a spaced dash stands on its own ("PINE RIDGE FAMILY MEDICINE - DICTATED OFFICE NOTE")
    pieces = []
    for s, e, k in out:
        at = s
        for m in _SPACED_DASH.finditer(text, s, e):
            pieces.append((at, m.start(), k))
            at = m.end()
        pieces.append((at, e, k))
    out = []
    for s, e, k in pieces:
        for count in _COUNT.finditer(text, s, e):     # a store number ends a place; "10 days" is no part of it
            if _LOWER_NEXT.match(text, count.end()):
                e = count.end() if text[count.start():count.end()].lstrip(" \t").startswith("#") else count.start()
                break
        edge = _EDGE.fullmatch(text, s, e)     # nor is a dash or a bracket at either end
        if not edge:
            continue
        s, e = edge.start(1), edge.end(1)
        room = _OR_END.search(text, s, e)       # "the Mercy Hospital OR suite": the room is no part of the name
        if room:
            e = room.start()
        last_word = re.search(r"[ \t]([A-Za-z]+)$", text[s:e]) if _DEPARTMENT_AFTER.match(text, e) else None
        if last_word and last_word.group(1).lower() in lexicon().clinical:
            e -= len(last_word.group(1)) + 1     # "St. Agnes [Emergency] Department": the service is no part of it
        tail = _STOP_TAIL.search(text, s, e)
        while tail and tail.group(1) in _SMALL_WORDS:    # "at [CVS] about once weekly": a small word ends no name
            e = tail.start()
            tail = _STOP_TAIL.search(text, s, e)
        last = re.search(r"[A-Za-z]+$", text[s:e])
        # an eponym or an organism's medium ("Columbia Agar", "Austin Flint murmur") is the rules' to judge
        if last and EPONYM_AFTER.match(" " + last.group()) or EPONYM_AFTER.match(text, e):
            continue
        if _names_something(text[s:e]):
            out.append((s, e, k))
    return out


_COUNT = re.compile(r"[ \t]*#[ \t]?\d+|[ \t]+\d+")
_LOWER_NEXT = re.compile(r"[ \t]+[a-z]")
_OR_END = re.compile(r"[ \t]+OR$")
_STOP_TAIL = re.compile(r"[ \t]+([a-z]+)$")
_DEPARTMENT_AFTER = re.compile(r"[ \t]+(?:Department|Dept\.?|Room|Services)(?![\w-])")
_SMALL_WORDS = frozenset(re.findall(r"\S+", """about once twice for to and or the a an at in on with by of from as is
was are be every each this that then when where which who daily weekly monthly today tonight yesterday tomorrow
last next since until after before x"""))
_EDGE = re.compile(r"[^A-Za-z0-9]*(.*?[A-Za-z0-9.)]?)[^A-Za-z0-9.)]*", re.DOTALL)


_SPACED_DASH = re.compile(r"[ \t]+[-\u2013\u2014|][ \t]+")


def _names_something(span: str) -> bool:
    """A span of everyday or clinical words only ("Good Morning", "Fever", "GERD") is the tagger's mistake; a name
    has a given or family name or a town that is no everyday word, a word no list knows, or a kind word beside
    another capitalised word that is no clinical word ("Area Agency on Aging", not "Cancer Center")."""
    lex = lexicon()
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", span)
    for w in words:
        low = w.lower()[:-2] if w.lower().endswith("'s") else w.lower()
        if w in ACRONYMS or low in lex.english or low in lex.clinical or low in MONTHS_DAYS:
            continue
        if w[0].isupper() and (low in lex.family or low in lex.given or low in us_places()):
            return True
        if is_unknown(w):       # "YNHH"
            return True
    caps = [w.lower() for w in words if w[0].isupper()]
    # a generic service is no name ("Physical Therapy Clinic", "Cancer Center"): some word besides the kind words
    # must be no clinical one ("Area Agency on Aging", "Social Security Administration")
    return len(caps) >= 2 and any(w in _KIND for w in caps) \
        and any(len(w) > 1 and w not in _KIND and w not in lex.clinical and w not in STOP_WORDS for w in caps)
