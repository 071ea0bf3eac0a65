"""The merge policy, case by case: who wins where the rules and the tagger disagree."""

from __future__ import annotations

import pytest

from canbo.model.merge import Candidate, merge

RULES = [Candidate(0, 9, "PERSON"), Candidate(11, 26, "POSITION"), Candidate(40, 48, "LOCATION")]
MODEL = [Candidate(0, 9, "PERSON", 0.9), Candidate(11, 20, "POSITION", 0.8), Candidate(30, 36, "ORG", 0.7)]


def kept(policy):
    return [(m.start, m.end, m.label, m.source) for m in merge(RULES, MODEL, policy)]


def test_model_policy_keeps_the_tagger_and_marks_agreement():
    assert kept("model") == [(0, 9, "PERSON", "both"), (11, 20, "POSITION", "model"), (30, 36, "ORG", "model")]


def test_rules_policy_keeps_the_rules():
    assert kept("rules") == [(0, 9, "PERSON", "both"), (11, 26, "POSITION", "rules"), (40, 48, "LOCATION", "rules")]


def test_rules_first_adds_only_what_the_rules_missed():
    # the tagger's shorter POSITION overlaps the rules' one and loses; its ORG fills a gap and stays
    assert kept("rules-first") == [
        (0, 9, "PERSON", "both"), (11, 26, "POSITION", "rules"), (30, 36, "ORG", "model"), (40, 48, "LOCATION", "rules"),
    ]  # fmt: skip


def test_model_first_adds_only_what_the_tagger_missed():
    assert kept("model-first") == [
        (0, 9, "PERSON", "both"), (11, 20, "POSITION", "model"), (30, 36, "ORG", "model"), (40, 48, "LOCATION", "rules"),
    ]  # fmt: skip


def test_scores_come_from_the_component_that_decided():
    assert [m.score for m in merge(RULES, MODEL, "model-first")] == [0.9, 0.8, 0.7, 1.0]


def test_unknown_policy_is_one_sentence():
    with pytest.raises(ValueError, match="unknown merge policy 'union'"):
        merge(RULES, MODEL, "union")
