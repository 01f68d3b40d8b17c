"""How close a guess is to the prompt, in meaning: `similarity(prompt, guess) -> 0..100`.

100 means the same words (ignoring case, punctuation, plurals, articles and order);
95+ is reached only by near-exact guesses (typos); a synonym paraphrase lands around
75-92; opposites stay at or below 48; unrelated words, gibberish and function words alone
score 0. `explain` gives a short reason for the reveal. See docs/similarity.md.
"""

from __future__ import annotations

from typing import Any

from .reasons import reason
from .scoring import cached_similarity, score

__all__ = ["similarity", "explain", "details", "warm_up"]


def similarity(prompt: str, guess: str) -> int:
    """Score a guess against the prompt, 0..100; pure and deterministic."""
    return cached_similarity(prompt, guess)


def explain(prompt: str, guess: str) -> str:
    """Why the guess scored what it did, in a few words for players ("kitty ≈ cat,
    skateboard exact"); pure, never empty ("nothing matched" for a 0). It names prompt
    words, so show it at the reveal, not while the prompt is still secret."""
    return reason(score(prompt, guess))


def details(prompt: str, guess: str) -> dict[str, Any]:
    """The score, the reason, and per prompt word which guess word matched it and how."""
    result = score(prompt, guess)
    # dataclasses.asdict's field-by-field deep copy was half of this; the same dict by hand
    return {
        "similarity": result.similarity,
        "matches": [
            {
                "prompt_word": m.prompt_word,
                "guess_word": m.guess_word,
                "how": m.how,
                "score": m.score,
                "describing": tuple(m.describing),
            }
            for m in result.matches
        ],
        "extra_guess_words": list(result.extra_guess_words),
        "recall": result.recall,
        "precision": result.precision,
        "phrase": result.phrase,
        "list_like": result.list_like,
        "swapped": result.swapped,
        "reason": reason(result),
    }


def warm_up() -> None:
    """Load the word vectors and the WordNet lexicon and score once (about 0.2-0.3 s), so
    the first real guess does not pay for it."""
    from .embeddings import embed, load_model

    load_model()
    embed(["warm up"])
    similarity("a giraffe wearing a tuxedo", "girafe in a suit")
