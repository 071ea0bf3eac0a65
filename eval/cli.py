"""Subcommands added to ``canbo`` by the evaluation package (placeholder until the report lands)."""


def register(sub) -> None:
    """No evaluation subcommands yet."""
