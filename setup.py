"""The build: everything is in pyproject.toml but the compiled modules.

The engine, the scripted trainees and the scorer (``sim.compiled.MODULES``) are compiled with
mypyc where a C compiler is at hand, about twice as fast on a complete run; without one, or when
compiling fails, the install goes on and the same modules run from their sources.
``DESK_TRAINER_COMPILE=0`` installs without compiling.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent


def _compiled_module() -> ModuleType:
    """sim/compiled.py, loaded by path (the package itself is not imported at build time)."""
    spec = importlib.util.spec_from_file_location(
        "_desk_trainer_compiled", HERE / "sim" / "compiled.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMPILED = _compiled_module()


class BuildRecorded(build_ext):
    """Builds the compiled modules and, when every one of them is built, records the sources'
    hash beside them (sim/_compiled.json): without the record, or with another hash, the
    sources run (``sim.compiled``)."""

    def run(self) -> None:
        record = Path(self.get_ext_fullpath(f"{COMPILED.GROUP}__mypyc")).parent / COMPILED.RECORD
        record.unlink(missing_ok=True)  # a build that fails leaves no record of an older one
        super().run()
        if all(Path(self.get_ext_fullpath(ext.name)).exists() for ext in self.extensions):
            record.write_text(
                json.dumps(
                    {
                        "python": sys.implementation.cache_tag,
                        "modules": list(COMPILED.MODULES),
                        "sources": COMPILED.sources_hash(HERE),
                    },
                    indent=1,
                ),
                encoding="utf-8",
            )


def ext_modules() -> list[Extension]:
    if os.environ.get("DESK_TRAINER_COMPILE") == "0":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    paths = [name.replace(".", "/") + ".py" for name in COMPILED.MODULES]
    try:
        extensions = mypycify(paths, opt_level="3", group_name=COMPILED.GROUP)
    except Exception as exc:  # mypyc's own check refused: install the sources, and say why
        print(f"desk-trainer: not compiled ({exc}); the sources will run", file=sys.stderr)
        return []
    for ext in extensions:
        ext.optional = True  # no compiler: the sources run
    return extensions


setup(ext_modules=ext_modules(), cmdclass={"build_ext": BuildRecorded})
