"""Evaluation: span/relation scoring, error analysis and the rule baseline."""
