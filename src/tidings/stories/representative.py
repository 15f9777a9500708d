"""Which article's headline heads a story: chosen, not generated.

The earliest article is the natural choice while a story has one or two articles (there is no centre to speak
of). From three on, the article closest to all the others (the highest mean cosine of its embedding to theirs)
heads it, so that an article that joined on weaker evidence never names the story just because it was published
first. Articles without an embedding take part only in the fallback; ties go to the earlier article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

MIN_FOR_CENTRE = 3


def representative(article_ids: Sequence[int], vectors: Mapping[int, np.ndarray]) -> int | None:
    """The id (from `article_ids`, earliest first) whose headline should head the story; None for no articles."""
    if not article_ids:
        return None
    with_vectors = [pk for pk in article_ids if pk in vectors]
    if len(with_vectors) < MIN_FOR_CENTRE:
        return article_ids[0]
    matrix = np.stack([np.asarray(vectors[pk], dtype=np.float64) for pk in with_vectors])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = matrix / np.where(norms == 0, 1.0, norms)
    total = matrix.sum(axis=0)
    # mean cosine to the others: (v . sum - v . v) / (n - 1), in O(n) rather than all pairs
    centrality = (matrix @ total - np.einsum("ij,ij->i", matrix, matrix)) / (len(with_vectors) - 1)
    best = int(np.argmax(np.round(centrality, 9)))  # argmax takes the first (earliest) of equal scores
    return with_vectors[best]
