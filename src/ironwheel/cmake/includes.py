"""The include directories of build requirements (``include-packages``), asked of the build's interpreter.

A table's ``include-packages = ["cppy"]`` means what ``cppy.get_include()``
meant in a setup.py: the directory that package installs its headers in.
Only the package can say where that is, so the build environment's
interpreter imports it and calls the function, once per build for every
entry, in a subprocess: the backend itself imports nothing of the project's
requirements.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from ironwheel._run import capture
from ironwheel.errors import CommandError, ConfigError, ToolError
from ironwheel.extensions.tables import include_requirement

__all__ = ["package_includes"]

# Run as `python -c`: each entry "module[:function]" -> its directories, or why not.
_SCRIPT = """\
import importlib, json, os, sys
sys.path[:] = [entry for entry in sys.path if entry not in ("", ".")]
found = {}
for entry in sys.argv[1:]:
    module, _, function = entry.partition(":")
    function = function or "get_include"
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name and module.startswith(error.name):
            found[entry] = {"missing": f"{type(error).__name__}: {error}"}
            continue
        found[entry] = {"problem": f"importing {module} failed: {type(error).__name__}: {error}"}
        continue
    except Exception as error:
        found[entry] = {"problem": f"importing {module} failed: {type(error).__name__}: {error}"}
        continue
    call = getattr(loaded, function, None)
    if not callable(call):
        found[entry] = {"function": f"{module} has no function {function}()"}
        continue
    try:
        value = call()
    except Exception as error:
        found[entry] = {"problem": f"{module}.{function}() failed: {type(error).__name__}: {error}"}
        continue
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    paths = [os.fspath(item) for item in values if isinstance(item, (str, os.PathLike))]
    good = [path for path in paths if os.path.isabs(path) and os.path.isdir(path)]
    if not values or len(good) != len(values):
        found[entry] = {"problem": f"{module}.{function}() returned {value!r}, not a directory"}
        continue
    found[entry] = {"dirs": paths}
print(json.dumps(found))
"""


def package_includes(
    entries: Sequence[str], python: Path, cwd: Path, where: Mapping[str, str]
) -> dict[str, tuple[Path, ...]]:
    """Each entry's include directories, from ``python`` run in ``cwd`` (away from the project's modules).

    ``where`` names, for messages, the table key that asked for each entry.
    A package that is not installed is a :class:`ToolError`; one without the
    function, or whose function gives no existing directory, a :class:`ConfigError`.
    """
    if not entries:
        return {}
    try:
        output = capture([python, "-c", _SCRIPT, *entries], cwd=cwd, timeout=300)
        # The last line: what a package prints while it is imported comes before.
        answers = json.loads((output.strip().splitlines() or [""])[-1])
    except (CommandError, ValueError) as error:
        raise ToolError(
            f"{python} could not report the include directories of {', '.join(entries)}: {error}",
            hint="check that the build environment's Python runs",
        ) from error
    found: dict[str, tuple[Path, ...]] = {}
    for entry in entries:
        answer = answers.get(entry, {})
        key = where.get(entry, "include-packages")
        if "missing" in answer:
            requirement = include_requirement(entry)
            raise ToolError(
                f"{key}: {requirement} is not installed in the build environment ({answer['missing']})",
                hint=f'add "{requirement}" to build-system.requires, or install it (pip install '
                f"{requirement}) for a build without isolation",
            )
        if "function" in answer:
            module = entry.partition(":")[0]
            raise ConfigError(
                f"{key}: {answer['function']}",
                hint=f'name the function that returns its header directory: "{module}:<function>"',
            )
        if "problem" in answer or "dirs" not in answer:
            raise ConfigError(
                f"{key}: {answer.get('problem', f'no answer for {entry}')}",
                hint="name a function that returns the path of the package's header directory "
                "(or a list of them)",
            )
        found[entry] = tuple(Path(item) for item in answer["dirs"])
    return found
