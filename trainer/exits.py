"""How every command ends on bad input: the located problems (or the one-line message) on
stderr, and exit status 2. Shared by the command modules so they cannot drift apart."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import click

from sim.errors import DeskTrainerError, InputError

__all__ = ["bad_input_exits"]


@contextlib.contextmanager
def bad_input_exits() -> Iterator[None]:
    try:
        yield
    except InputError as err:
        for p in err.problems:
            click.echo(str(p), err=True)
        sys.exit(2)
    except DeskTrainerError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
