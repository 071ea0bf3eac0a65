"""One command rebuilds every derived corpus file, bit for bit, from the committed inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from canbo.model.cli import main

DATA = Path(__file__).parents[1] / "data"
INPUTS = [  # what people wrote or annotated; everything else under these folders is derived
    "raw", "annotation/adjudicated", "heldout/raw", "heldout/annotation/adjudicated", "written/raw",
    "written/annotation/pass_a_raw", "written/annotation/pass_b_raw", "written/annotation/decisions",
    "written/annotation/review",
]  # fmt: skip
DERIVED = ["annotated", "heldout/annotated", "written/annotated", "written/annotation/adjudicated",
           "written/annotation/pass_a", "written/annotation/pass_b"]  # fmt: skip
DERIVED_FILES = ["written/annotation/disagreements.jsonl", "written/annotation/stats.json"]


@pytest.mark.slow
def test_rebuild_reproduces_every_derived_file(tmp_path, capsys):
    for rel in INPUTS:
        shutil.copytree(DATA / rel, tmp_path / rel)
    assert main(["corpus", "rebuild", "--data", str(tmp_path)]) == 0
    assert "written: 4367 sentences" in capsys.readouterr().out
    for rel in DERIVED:
        committed = sorted(p.relative_to(DATA / rel) for p in (DATA / rel).rglob("*") if p.is_file())
        rebuilt = sorted(p.relative_to(tmp_path / rel) for p in (tmp_path / rel).rglob("*") if p.is_file())
        assert committed == rebuilt, rel
        for name in committed:
            assert (DATA / rel / name).read_bytes() == (tmp_path / rel / name).read_bytes(), f"{rel}/{name}"
    for rel in DERIVED_FILES:
        assert (DATA / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel
