"""Command-line options from dataclasses, read the way ``transformers.HfArgumentParser`` reads them.

Every field is ``--name`` (and ``--name-with-dashes``); its ``metadata["help"]`` is the help and its
default is shown.  ``X | None`` reads as X; a bool takes an optional yes/no, true/false, 1/0 value
(bare ``--flag`` is true) and a bool that defaults to true also gets ``--no_name``; a list takes one
or more values (none, to clear it, when its default is empty); a ``Literal`` its choices.  Written here because importing transformers for its
parser made ``canbo train --help`` take seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from collections.abc import Sequence
from typing import Any, Literal


def to_bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    low = value.lower()
    if low in ("yes", "true", "t", "y", "1"):
        return True
    if low in ("no", "false", "f", "n", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes/no, true/false, t/f, y/n or 1/0, not {value!r}")


def _unwrap_optional(hint: Any) -> Any:
    """``X | None`` (or ``Optional[X]``) -> X; other hints unchanged."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"only 'X | None' unions can be options, not {hint}")
        return args[0]
    return hint


class DataclassArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` with one option per field of each dataclass type."""

    def __init__(self, dataclass_types: Sequence[type], **kwargs: Any):
        kwargs.setdefault("formatter_class", argparse.ArgumentDefaultsHelpFormatter)
        super().__init__(**kwargs)
        self.dataclass_types = list(dataclass_types)
        for dtype in self.dataclass_types:
            hints = typing.get_type_hints(dtype)
            for f in dataclasses.fields(dtype):
                if f.init:
                    self._add_field(f, hints[f.name])

    def _add_field(self, f: dataclasses.Field, hint: Any) -> None:
        names = [f"--{f.name}"] + ([f"--{f.name.replace('_', '-')}"] if "_" in f.name else [])
        kwargs: dict[str, Any] = dict(f.metadata)
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        default = f.default if f.default is not dataclasses.MISSING else None
        if f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        kind = _unwrap_optional(hint)
        if typing.get_origin(kind) is Literal:
            kwargs.update(choices=typing.get_args(kind), type=type(typing.get_args(kind)[0]))
        elif kind is bool:
            kwargs.update(type=to_bool, nargs="?", const=True)
            default = False if f.default is dataclasses.MISSING else default
            has_default = True
        elif typing.get_origin(kind) is list:
            # a list that may be empty (its default is) can be cleared with the bare flag
            kwargs.update(type=typing.get_args(kind)[0], nargs="*" if has_default and not default else "+")
        else:
            kwargs["type"] = kind
        if has_default:
            kwargs["default"] = default
        else:
            kwargs["required"] = True
        self.add_argument(*names, **kwargs)
        if kind is bool and f.default is True:
            off = {k: v for k, v in f.metadata.items()}
            self.add_argument(f"--no_{f.name}", f"--no-{f.name.replace('_', '-')}", action="store_false",
                              dest=f.name, default=False, **off)  # fmt: skip

    def parse_args_into_dataclasses(self, args: Sequence[str] | None = None) -> tuple:
        """The dataclass instances in order, then a namespace of any other options (when there are any);
        an argument no option takes is an error."""
        namespace, rest = self.parse_known_args(args=args)
        if rest:
            raise ValueError(f"Some specified arguments are not used by the parser: {rest}")
        values = vars(namespace)
        out: list[Any] = []
        for dtype in self.dataclass_types:
            keys = [f.name for f in dataclasses.fields(dtype) if f.init]
            out.append(dtype(**{k: values.pop(k) for k in keys if k in values}))
        if values:
            out.append(argparse.Namespace(**values))
        return tuple(out)
