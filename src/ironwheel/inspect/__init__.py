"""``ironwheel inspect``: what a maintainer checks in a wheel or an sdist before publishing it.

:func:`~ironwheel.inspect.wheel.inspect_wheel` and
:func:`~ironwheel.inspect.sdist.inspect_sdist` read the archive through the
safe readers and return a :class:`~ironwheel.inspect.model.Report`;
:mod:`~ironwheel.inspect.render` turns it into a table, and
:meth:`Report.to_json` into the documented JSON (``schema.json`` beside this
module).
"""

from __future__ import annotations

__all__: list[str] = []
