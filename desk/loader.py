"""The scenario library as the desk sees it: read in the background, one on demand.

Reading every scenario file takes about a second: the window draws its first screen before
that, and the files are read on a thread started after the first frame (joined when the menu
first needs them). ``play SCENARIO`` needs only one, so ``load_one`` reads just that file.
No pygame here.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.scenario import LoadedScenario

__all__ = ["ScenarioLoader"]


class ScenarioLoader:
    """Every scenario the library holds, by id; a file that does not load is listed in
    ``broken`` (its located problems) and left out."""

    def __init__(
        self, clause_ids: set[str], scenarios: dict[str, LoadedScenario] | None = None
    ) -> None:
        self._clause_ids = clause_ids
        self.broken: list[str] = []
        self._scenarios: dict[str, LoadedScenario] | None = scenarios
        self._thread = threading.Thread(target=self._load_all, daemon=True)

    def _load_all(self) -> None:
        from sim.errors import InputError
        from sim.library import scenario_files
        from sim.scenario import load_scenario

        found: dict[str, LoadedScenario] = {}
        for path in scenario_files():
            try:
                loaded = load_scenario(path, self._clause_ids)
            except InputError as err:
                self.broken.extend(str(p) for p in err.problems)
                continue
            found[loaded.id] = loaded
        self._scenarios = found

    def in_background(self) -> None:
        """Start reading them all on a thread (once; not when they are already here)."""
        if self._scenarios is None and not self._thread.is_alive() and self._thread.ident is None:
            self._thread.start()

    @property
    def scenarios(self) -> dict[str, LoadedScenario]:
        if self._scenarios is None:
            if self._thread.ident is not None:
                self._thread.join()
            else:
                self._load_all()
        assert self._scenarios is not None
        return self._scenarios

    def load_one(self, name: str) -> LoadedScenario:
        """One scenario by id or path (what ``play SCENARIO`` needs, without reading them all)."""
        from sim.library import find_scenario

        if self._scenarios is not None and name in self._scenarios:
            return self._scenarios[name]
        return find_scenario(name, self._clause_ids)
