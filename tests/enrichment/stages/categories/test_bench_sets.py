"""The category bench's second labelled set (ECB+ rows) and its offset search (bench/_category_offsets.py)."""

import json

import numpy as np
from bench._category_offsets import cross_validated_gain, fit_offsets
from bench._category_sets import ECBPLUS_TOPICS, ecbplus_rows
from bench.categorize import macro_f1


def write_docs(path, docs):
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return path


def test_ecbplus_rows_skip_urls_and_datelines_and_unmapped_topics(tmp_path):
    docs = write_docs(
        tmp_path / "docs.jsonl",
        [
            {
                "doc_id": "20_1ecbplus",
                "topic": 20,
                "sentences": [
                    "http: / / www. example. com / quake",
                    "Last Updated: Monday, 28 November 2005, 02: 24 GMT",
                    "Quake hits island off south Iran",
                    "Five people were hurt.",
                    "Rescuers reached the villages.",
                ],
            },
            {"doc_id": "4_1ecb", "topic": 4, "sentences": ["A model has died.", "Her agent said so."]},
            {"doc_id": "7_2ecb", "topic": 7, "sentences": ["Friday, June 7, 2013", "Champion retains belts"]},
            {"doc_id": "11_3ecb", "topic": 11, "sentences": ["APR 28", "Voters elect a parliament", "Polls closed."]},
        ],
    )
    rows = ecbplus_rows(docs)
    assert rows == [
        {
            "id": "20_1ecbplus",
            "category": ECBPLUS_TOPICS[20],
            "title": "Quake hits island off south Iran",
            "text": "Five people were hurt.\nRescuers reached the villages.",
        },
        {
            "id": "11_3ecb",
            "category": ECBPLUS_TOPICS[11],
            "title": "Voters elect a parliament",
            "text": "Polls closed.",
        },
    ]  # topic 4 is left out (two categories fit); 7_2ecb has no text after its headline


def test_every_topic_maps_to_a_top_level_iptc_category():
    assert all(q.startswith("medtop:") and q.endswith("000000") for q in ECBPLUS_TOPICS.values())
    assert not {4, 8, 12, 21} & set(ECBPLUS_TOPICS)  # the ambiguous topics stay out


def test_fit_offsets_recovers_a_shifted_category_and_leaves_the_others_at_zero():
    codes = ["a", "b", "c"]
    rng = np.random.default_rng(3)
    gold = [codes[n % 2] for n in range(200)]  # the set labels a and b only
    scores = rng.dirichlet([1, 1, 1], size=200)
    for n, label in enumerate(gold):
        scores[n, codes.index(label)] += 0.5
    scores[:, 1] *= 0.3  # b is under-scored: it needs a positive offset to win its own rows
    scores /= scores.sum(axis=1, keepdims=True)
    grid = [x / 10 for x in range(-15, 16)]
    offsets = fit_offsets(scores, gold, codes, [0, 1], grid, macro_f1)
    assert offsets[1] - offsets[0] > 0.3
    assert offsets[2] == 0.0  # not a labelled column
    gain, error = cross_validated_gain(
        scores, gold, codes, lambda s, g: fit_offsets(s, g, codes, [0, 1], grid, macro_f1), macro_f1, (0,)
    )
    assert gain > 0.02 and error >= 0.0
