"""BIO decoding, spans <-> tags, relation candidates and subword windows."""

import numpy as np
import pytest

from canbo.model.decode import (
    WordSpan,
    distance_bucket,
    relation_candidates,
    spans_to_tags,
    tags_to_spans,
    viterbi_decode,
    viterbi_decode_batch,
)
from canbo.model.encoding import plan_windows
from canbo.model.labels import bio_tags

TAGS = bio_tags()


def logp(rows):
    """Log-probabilities that put most mass on the named tag of each row."""
    out = np.full((len(rows), len(TAGS)), np.log(0.01))
    for i, tag in enumerate(rows):
        out[i, TAGS.index(tag)] = np.log(0.9)
    return out


def test_viterbi_never_starts_with_inside_tag():
    best = [TAGS[i] for i in viterbi_decode(logp(["I-PERSON", "I-PERSON"]), TAGS)]
    assert best[0] != "I-PERSON" and not best[0].startswith("I-")


def test_viterbi_forbids_type_switch_inside_span():
    scores = logp(["B-PERSON", "I-POSITION"])
    best = [TAGS[i] for i in viterbi_decode(scores, TAGS)]
    assert best != ["B-PERSON", "I-POSITION"]
    for prev, cur in zip(best, best[1:]):
        assert not (cur.startswith("I-") and prev[2:] != cur[2:])


def test_viterbi_keeps_valid_argmax():
    rows = ["O", "B-POSITION", "I-POSITION", "B-PERSON", "I-PERSON", "O"]
    assert [TAGS[i] for i in viterbi_decode(logp(rows), TAGS)] == rows


def test_viterbi_empty():
    assert viterbi_decode(np.zeros((0, len(TAGS))), TAGS) == []


def test_batched_viterbi_decodes_each_sentence_as_alone():
    rows = ["O", "B-POSITION", "I-POSITION", "B-PERSON", "I-PERSON", "O"]
    hand = [logp(rows), logp(["I-PERSON", "I-PERSON"]), np.zeros((0, len(TAGS))), logp(["B-PERSON", "I-POSITION"]),
            np.full((4, len(TAGS)), -2.0, dtype=np.float32), logp(["B-ORG"])]  # fmt: skip
    got = viterbi_decode_batch(hand, TAGS, bucket=4)  # two buckets, lengths 0 to 6
    assert [TAGS[i] for i in got[0]] == rows and got[2] == [] and [TAGS[i] for i in got[5]] == ["B-ORG"]
    assert got[4] == [0, 0, 0, 0]  # all tied: the first allowed tag, as the one-sentence decoder does
    rng = np.random.default_rng(7)
    many = [
        np.log(rng.dirichlet(np.full(len(TAGS), 0.3), size=n)).astype(np.float32)
        for n in rng.integers(0, 90, 300)
    ]
    assert viterbi_decode_batch(hand + many, TAGS) == [viterbi_decode(x, TAGS) for x in hand + many]


def test_tags_spans_round_trip():
    spans = [WordSpan(1, 2, "POSITION"), WordSpan(3, 3, "PERSON")]
    tags = spans_to_tags(spans, 5)
    assert tags == ["O", "B-POSITION", "I-POSITION", "B-PERSON", "O"]
    assert [(s.start, s.end, s.label) for s in tags_to_spans(tags)] == [(1, 2, "POSITION"), (3, 3, "PERSON")]


def test_stray_inside_tag_starts_a_span_and_scores_are_means():
    spans = tags_to_spans(["I-ORG", "I-ORG", "O"], probs=[0.5, 1.0, 0.2])
    assert [(s.start, s.end, s.label) for s in spans] == [(0, 1, "ORG")]
    assert spans[0].score == pytest.approx(0.75)


def test_overlapping_spans_are_rejected():
    with pytest.raises(ValueError):
        spans_to_tags([WordSpan(0, 2, "ORG"), WordSpan(2, 3, "PERSON")], 4)


def test_relation_candidates_pairs_only_signature_labels():
    labels = ["PERSON", "ORG", "POSITION", "PERSON", "POSITION"]
    assert relation_candidates(labels, "PERSON", "POSITION") == [(0, 2), (0, 4), (3, 2), (3, 4)]


def test_distance_bucket_sign_and_log_scale():
    assert distance_bucket(0, 8) == 0 and distance_bucket(1, 8) == 1 and distance_bucket(4, 8) == 3
    assert distance_bucket(-1, 8) == 9 and distance_bucket(10_000, 8) == 7


def test_plan_windows_cover_every_word_once():
    counts = [3] * 100
    windows = plan_windows(counts, budget=30, overlap=4)
    owned = [i for _, _, a, b in windows for i in range(a, b)]
    assert owned == list(range(100))
    for a, b, oa, ob in windows:
        assert sum(counts[a:b]) <= 30 and a <= oa <= ob <= b


def test_plan_windows_single_window_when_short():
    assert plan_windows([1, 2, 3], budget=10, overlap=2) == [(0, 3, 0, 3)]


def test_relation_candidates_are_capped_by_word_distance():
    labels = ["PERSON", "POSITION", "POSITION", "PERSON"]
    starts = [0, 3, 100, 104]
    assert relation_candidates(labels, "PERSON", "POSITION", starts=starts, max_distance=10) == [(0, 1), (3, 2)]
    assert len(relation_candidates(labels, "PERSON", "POSITION")) == 4


def test_kept_relations_threshold_and_one_holder_per_position():
    from canbo.model.decode import kept_relations

    # "Phó Bí thư Thành ủy A, Bí thư Huyện ủy B": A (0) is also scored with B's title (3)
    scores = {(0, 1): 0.9, (0, 3): 0.6, (2, 3): 0.8, (2, 1): 0.2}
    assert kept_relations(scores, 0.5) == [((0, 1), 0.9), ((2, 3), 0.8)]
    assert kept_relations(scores, 0.5, one_holder=False) == [((0, 1), 0.9), ((0, 3), 0.6), ((2, 3), 0.8)]
    # a tie keeps the first head in the sentence
    assert kept_relations({(2, 3): 0.7, (0, 3): 0.7}, 0.5) == [((0, 3), 0.7)]
    # one person may still hold several titles
    assert kept_relations({(0, 1): 0.7, (0, 3): 0.9}, 0.5) == [((0, 1), 0.7), ((0, 3), 0.9)]
