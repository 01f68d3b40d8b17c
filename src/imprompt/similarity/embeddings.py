"""Word-llama embeddings read straight from the files the `wordllama` wheel ships.

We do not go through `wordllama.WordLlama.load`: in 0.4.0 it looks for the tokenizer in
`wordllama/tokenizer/` (the wheel has `tokenizers/`) and then tries to download it, and
importing `wordllama.inference` calls `logging.basicConfig(level=INFO)` as a side effect.
The model is only a token-embedding table plus mean pooling, so we load the table with
safetensors and the tokenizer from its packaged JSON, both offline, and pool ourselves
(the same computation as `WordLlamaInference.embed`).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


@dataclass(frozen=True)
class Model:
    table: np.ndarray  # (vocab, dim) float32 token embeddings
    tokenizer: object  # tokenizers.Tokenizer

    @property
    def dim(self) -> int:
        return int(self.table.shape[1])

    def token_ids(self, text: str) -> list[int]:
        return self.tokenizer.encode(text, add_special_tokens=False).ids  # type: ignore[attr-defined]


def package_dir() -> Path:
    # find_spec locates the package without running its __init__ (see module docstring).
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the wordllama package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def load_model() -> Model:
    """Load the packaged word-llama model once; never touches the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from safetensors import safe_open
    from tokenizers import Tokenizer

    root = package_dir()
    with safe_open(str(root / WEIGHTS), framework="np", device="cpu") as f:
        table = np.ascontiguousarray(f.get_tensor("embedding.weight"), dtype=np.float32)
    tokenizer = Tokenizer.from_file(str(root / TOKENIZER))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    table.setflags(write=False)
    return Model(table=table, tokenizer=tokenizer)


def _normalise_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    np.divide(m, norms, out=m, where=norms > 0)
    return m


def embed(texts: Sequence[str]) -> np.ndarray:
    """Embed texts as (n, dim) float32 rows, each L2-normalised; empty texts give zero rows.

    Text is embedded as given (the tokenizer is case-sensitive); lower-case it first if
    case should not matter.
    """
    model = load_model()
    texts = [texts] if isinstance(texts, str) else list(texts)
    out = np.zeros((len(texts), model.dim), dtype=np.float32)
    if not texts:
        return out
    encodings = model.tokenizer.encode_batch(texts, add_special_tokens=False)  # type: ignore[attr-defined]
    lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(texts))
    keep = lengths > 0
    if keep.any():
        ids = np.fromiter((i for e in encodings for i in e.ids), dtype=np.int64, count=int(lengths.sum()))
        starts = np.concatenate(([0], np.cumsum(lengths[keep])[:-1]))
        # Mean pooling; the norm step makes the 1/len factor irrelevant, so a sum suffices.
        out[keep] = np.add.reduceat(model.table[ids], starts, axis=0)
    return _normalise_rows(out)


@lru_cache(maxsize=65536)
def word_tokens(word: str) -> tuple[int, ...]:
    return tuple(load_model().token_ids(word))


def pooled(ids: Sequence[int]) -> np.ndarray:
    """Unit vector of the summed token embeddings (zero when there are no tokens)."""
    model = load_model()
    if not ids:
        return np.zeros(model.dim, dtype=np.float32)
    v = model.table[list(ids)].sum(axis=0)
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


# word -> unit vector. numpy arrays hold no object references, so a dict of str -> ndarray
# is not tracked by the cyclic garbage collector (lru_cache's cells would be).
_vectors: dict[str, np.ndarray] = {}
_counts: dict[str, int] = {}  # word -> token count
_VECTORS_MAX = 16384  # 1 KiB a word


def word_vector(word: str) -> tuple[np.ndarray, int]:
    """(unit vector, token count) for one lower-case word; cached because guesses repeat words."""
    v = _vectors.get(word)
    if v is None:
        ids = word_tokens(word)
        v = pooled(ids)
        v.setflags(write=False)
        if len(_vectors) >= _VECTORS_MAX:
            # Emptied whole, not drained from the front: see cache.py on why that is slow.
            _vectors.clear()
            _counts.clear()
        _vectors[word] = v
        _counts[word] = len(ids)
    n = _counts.get(word)
    if n is None:
        n = _counts[word] = len(word_tokens(word))
    return v, n


@lru_cache(maxsize=65536)
def is_word_start(token_id: int) -> bool:
    """A token that begins a word and is a word of 3+ letters by itself ("▁horse")."""
    piece = load_model().tokenizer.id_to_token(token_id) or ""  # type: ignore[attr-defined]
    return piece.startswith("\u2581") and len(piece) >= 4


@lru_cache(maxsize=65536)
def is_vocab_word(word: str) -> bool:
    """True when the word is a single whole-word token: a common real word, not a typo."""
    return len(word_tokens(word)) == 1


def clear_caches() -> None:
    _vectors.clear()
    _counts.clear()
    word_tokens.cache_clear()
    is_vocab_word.cache_clear()
