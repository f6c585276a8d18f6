"""How every command ends on bad input: the located problems (or the one-line message) on
stderr, and exit status 2. Shared by the command modules so they cannot drift apart.

A records file damaged in a way the store did not foresee (a page of garbage, a report that is
not JSON, a procedure that no longer reads) must not end in a traceback either: whatever fails
while a records file is open is one line naming the file and what to do.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import click

from sim.errors import DeskTrainerError, InputError

__all__ = ["bad_input_exits"]


def _through_the_records(err: BaseException) -> bool:
    """Whether ``err`` was raised while the records or the reports read stored content."""
    import records
    import reports

    packages = (Path(records.__file__).parent, Path(reports.__file__).parent)
    return any(
        any(p in Path(frame.filename).parents for p in packages)
        for frame in traceback.extract_tb(err.__traceback__)
    )


@contextlib.contextmanager
def bad_input_exits() -> Iterator[None]:
    from records.common import OPENED

    token = OPENED.set(None)
    try:
        yield
    except InputError as err:
        for p in err.problems:
            click.echo(str(p), err=True)
        sys.exit(2)
    except DeskTrainerError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    except Exception as err:
        # what damaged stored content raises (known to the store; imported only when something
        # has failed, so the light commands start without the store)
        from records.store.base import DAMAGE

        opened = OPENED.get()
        if not isinstance(err, DAMAGE) or opened is None or not _through_the_records(err):
            raise
        from records.words import tr

        said = f"{type(err).__name__}: {err}".splitlines()[0][:160]
        said = said.encode("utf-8", "replace").decode("utf-8")
        click.echo(tr("records.damaged", file=str(opened), error=said), err=True)
        sys.exit(2)
    finally:
        OPENED.reset(token)
