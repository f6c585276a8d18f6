"""The trainee's desk: a pygame view that feeds timed actions into the engine.

This package is the only importer of pygame in the project, and it imports it lazily: the
modules that hold no drawing (``clock``, ``session``, ``hints``, ``controls``, ``i18n``) and
``desk.app`` itself can be imported without pygame being loaded.
"""

import os as _os

_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on the command line
