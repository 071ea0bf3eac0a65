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


def test_rule_labels_are_owned_by_the_rules():
    rules = [Candidate(0, 12, "METRIC"), Candidate(20, 30, "LOCATION")]
    model = [Candidate(0, 5, "METRIC", 0.9), Candidate(8, 16, "ORG", 0.8), Candidate(20, 26, "LOCATION", 0.7),
             Candidate(40, 44, "METRIC", 0.6)]  # fmt: skip
    got = [(m.start, m.end, m.label, m.source) for m in merge(rules, model, "model-first", rule_labels=["METRIC"])]
    # the rules' figure beats the tagger's shorter one and the ORG overlapping it; the tagger's
    # LOCATION still beats the rules' (LOCATION is not a rule label); its own figure elsewhere goes
    assert got == [(0, 12, "METRIC", "rules"), (20, 26, "LOCATION", "model")]


def test_rule_labels_keep_the_taggers_score_where_both_agree():
    rules = [Candidate(0, 12, "METRIC")]
    merged = merge(rules, [Candidate(0, 12, "METRIC", 0.4)], "model", rule_labels=["METRIC"])
    assert [(m.source, m.score) for m in merged] == [("both", 0.4)]


def test_rule_labels_under_the_model_policy_add_no_other_rule_spans():
    rules = [Candidate(0, 12, "METRIC"), Candidate(20, 30, "LOCATION")]
    got = [(m.label, m.source) for m in merge(rules, [], "model", rule_labels=("METRIC",))]
    assert got == [("METRIC", "rules")]


def test_rule_labels_under_the_rules_first_and_rules_policies():
    # the tagger's METRIC fills no gap when the rules own METRIC; its ORG still does under rules-first
    model = [*MODEL, Candidate(50, 55, "METRIC", 0.9)]
    got = [(m.start, m.end, m.label) for m in merge(RULES, model, "rules-first", rule_labels=["METRIC"])]
    assert (50, 55, "METRIC") not in got and (30, 36, "ORG") in got
    assert merge(RULES, model, "rules", rule_labels=["METRIC"]) == merge(RULES, model, "rules")


def test_relation_merges():
    from canbo.model.merge import merge_relations

    model = [((0, 1), 0.9), ((2, 3), 0.6)]
    rules = {(0, 1), (2, 4)}
    assert merge_relations(model, rules, "model") == [((0, 1), 0.9), ((2, 3), 0.6)]
    assert merge_relations(model, rules, "rules") == [((0, 1), 0.9), ((2, 4), 1.0)]  # the model's score where it agrees
    assert merge_relations(model, rules, "union") == [((0, 1), 0.9), ((2, 3), 0.6), ((2, 4), 1.0)]
    with pytest.raises(ValueError, match="relation merge"):
        merge_relations(model, rules, "both")


def test_rules_decide_all_only_when_both_spans_and_links_are_the_rules():
    from canbo.model.merge import rules_decide_all

    assert rules_decide_all("rules", "rules")
    assert not rules_decide_all("rules", "union") and not rules_decide_all("rules-first", "rules")
