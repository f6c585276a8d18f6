"""What the command line calls to open the desk: ``run_app`` (the sign-in screen, straight
into a scenario, or back into an unfinished session), ``run_replay`` and ``run_drill``;
``has_display`` says whether a window can open at all.

Each returns the exit status and says what went wrong in one line on stderr. Importing this
module does not import pygame; the functions do, when called.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.app import App
from desk.i18n import t

if TYPE_CHECKING:
    from records.db import Records
    from records.service import ReplayCheck
    from scoring.procedure import Procedure
    from sim.drill import LoadedDrill

__all__ = [
    "run_app", "run_replay", "run_drill", "run_console", "has_display", "no_display_message"
]  # fmt: skip


def has_display() -> bool:
    """Whether a window can be opened here (a headless driver counts: it is asked for)."""
    driver = os.environ.get("SDL_VIDEODRIVER", "").lower()
    if driver in ("dummy", "offscreen"):
        return True
    if sys.platform.startswith(("win", "darwin", "cygwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def no_display_message(lang: str = "zh") -> str:
    """One line saying there is no display and how to run headless."""
    return t("app.no_display", lang)


def _open_records(db: str | Path | None) -> Records | None:
    """The records file, or None after one line on stderr saying what is wrong with it."""
    from records.db import Records, RecordsError

    try:
        return Records(db)
    except RecordsError as err:
        print(str(err), file=sys.stderr)
        return None


def _open_window(lang: str, *args: Any, **kw: Any) -> App | None:
    """The desk's window, or None after one line on stderr saying there is no display."""
    if not has_display():
        print(no_display_message(lang), file=sys.stderr)
        return None
    import pygame

    try:
        return App(lang, *args, **kw)
    except pygame.error:
        print(no_display_message(lang), file=sys.stderr)
        return None


def run_app(
    lang: str = "zh",
    trainee: str | None = None,
    scenario: str | None = None,
    mode: str = "training",
    seed: int | None = None,
    procedure: Procedure | None = None,
    db: str | Path | None = None,
    resume: str | None = None,
    text_size: str = "normal",
) -> int:
    """Open the desk trainer: the sign-in screen, straight into ``scenario``, or back into the
    incomplete session ``resume``; ``text_size`` "large" for larger text (the sign-in screen
    offers it too). Every session is recorded (in ``db``, or the default
    records file). Returns the exit status (1, with one line on stderr, when there is no
    display; 2 when the records cannot be used)."""
    if not has_display():
        print(no_display_message(lang), file=sys.stderr)
        return 1
    records = _open_records(db)
    if records is None:
        return 2
    row = None
    if resume is not None:
        from records.db import RecordsError
        from records.service import resumable

        try:
            row = resumable(records, resume)
        except RecordsError as err:
            print(str(err), file=sys.stderr)
            records.close()
            return 2
    app = _open_window(
        lang, trainee, mode, seed=seed, procedure=procedure, records=records, text_size=text_size
    )
    if app is None:
        records.close()
        return 1
    try:
        if row is not None:
            app.resume(row)
        elif scenario is not None:
            app.load_one(scenario)  # an unknown scenario raises the usual located error
            if app.trainee is None:
                app.trainee = "—"
            app.start(scenario)
        return app.run()
    finally:
        app.end_records()
        records.close()


def run_replay(check: ReplayCheck, lang: str = "zh", db: str | Path | None = None) -> int:
    """Open a recorded session in the replay screen (play, pause, 1×–16×, seek); a practice
    taken again from one of its moments (T) is recorded in ``db`` as a branch of it."""
    records = _open_records(db) if db is not None else None
    app = _open_window(lang, check.session.trainee_id, check.session.mode,
                       procedure=check.procedure, records=records)  # fmt: skip
    if app is None:
        if records is not None:
            records.close()
        return 1
    try:
        app.show_replay(check)
        return app.run()
    finally:
        app.end_records()
        if records is not None:
            records.close()


def run_drill(
    drill: LoadedDrill,
    trainee: str,
    lang: str = "zh",
    *,
    procedure: Procedure | None = None,
    db: str | Path | None = None,
) -> int:
    """Take a certification drill at the desk, in exam mode throughout, recorded and signed."""
    from records.db import RecordsError

    if not has_display():
        print(no_display_message(lang), file=sys.stderr)
        return 1
    records = _open_records(db)
    if records is None:
        return 2
    try:
        app = _open_window(lang, trainee, "exam", procedure=procedure, records=records)
        if app is None:
            return 1
        try:
            app.start_drill(drill)
        except RecordsError as err:  # no attempts left, or the records refused
            app.close()
            print(str(err), file=sys.stderr)
            return 2
        return app.run()
    finally:
        records.close()


def run_console(lang: str, procedure: Procedure, records: Records, who: str | None = None) -> int:
    """The instructor's station over ``records`` (the room's shared store): every desk
    recording into it, live, and injection. Returns the exit status (1, with one line on
    stderr, when there is no display)."""
    from records.room import Room

    app = _open_window(lang, who, "training", procedure=procedure, records=records)
    if app is None:
        return 1
    try:
        app.show_console(Room(records, app.procedure, lang), who)
        return app.run()
    finally:
        app.close()
