"""train.typed_args: dataclass options read as HfArgumentParser reads them, without transformers."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from typing import Literal

import pytest

from canbo.train.typed_args import DataclassArgumentParser


@dataclass
class _Opts:
    paths: list[str] = field(default_factory=lambda: ["a"], metadata={"help": "Paths."})
    extra: list[str] = field(default_factory=list, metadata={"help": "May be empty."})
    epochs: int = field(default=3, metadata={"help": "Epochs."})
    rate: float = 0.5
    name: str | None = None
    fast: bool = False
    progress: bool = True
    mode: Literal["x", "y"] = "x"


def _parse(argv):
    return DataclassArgumentParser([_Opts], prog="t").parse_args_into_dataclasses(args=argv)[0]


def test_defaults_and_typed_values():
    assert _parse([]) == _Opts()
    got = _parse(["--paths", "p", "q", "--epochs", "7", "--rate", "2", "--name", "n", "--mode", "y"])
    assert got == _Opts(paths=["p", "q"], epochs=7, rate=2.0, name="n", mode="y")
    assert _parse(["--paths", "only"]).paths == ["only"]


def test_a_list_that_may_be_empty_is_cleared_by_the_bare_flag():
    assert _parse(["--extra", "x", "--extra"]).extra == []
    with pytest.raises(SystemExit):  # a list that has a non-empty default needs a value
        _parse(["--paths"])


def test_bool_forms():
    assert _parse(["--fast"]).fast is True
    assert _parse(["--fast", "no"]).fast is False and _parse(["--fast", "T"]).fast is True
    assert _parse(["--no_progress"]).progress is False and _parse(["--no-progress"]).progress is False
    assert _parse(["--progress", "0"]).progress is False


def test_bad_values_and_unknown_arguments():
    with pytest.raises(SystemExit):
        _parse(["--fast", "maybe"])
    with pytest.raises(SystemExit):
        _parse(["--mode", "z"])
    with pytest.raises(ValueError, match="not used by the parser"):
        DataclassArgumentParser([_Opts], prog="t").parse_args_into_dataclasses(args=["stray"])


def test_other_options_come_back_as_a_namespace():
    parser = DataclassArgumentParser([_Opts], prog="t")
    parser.add_argument("--config")
    opts, extra = parser.parse_args_into_dataclasses(args=["--config", "c.yaml", "--epochs", "2"])
    assert opts.epochs == 2 and extra.config == "c.yaml"


def test_train_help_imports_neither_torch_nor_transformers():
    probe = (
        "import sys\nfrom canbo.model.cli import main\n"
        "try:\n    main(['train', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(('torch', 'transformers'))}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "--head_learning_rate" in out and out.strip().endswith("[]")
