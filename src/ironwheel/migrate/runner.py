"""Running setup.py (or a build hook) with recorders, for what the static reading left unknown.

The recorder (:mod:`ironwheel.migrate._record`) runs in a subprocess of the
interpreter running migrate, in the project directory, with a time limit;
its JSON comes back here as the same values the static reading produces.
This runs the project's code, once, on the maintainer's machine: migrate
does it, never a build.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import ironwheel
from ironwheel._run import capture
from ironwheel.errors import CommandError, ToolError
from ironwheel.migrate import values as v

__all__ = ["Recorded", "run_recorded"]

_SPECIALS = {str(item): item for item in (v.NUMPY_INCLUDE, v.PYBIND11_INCLUDE, v.VCS_VERSION)}


@dataclasses.dataclass(frozen=True)
class Recorded:
    """What running the file recorded."""

    calls: list[v.SetupCall]
    environ: list[str]
    notes: list[str]
    error: str  # "" when the file ran to its end (or to setup())


def _value(item: Any) -> Any:
    if isinstance(item, str):
        return _SPECIALS.get(item) or v.PackageInclude.parse(item) or item
    if isinstance(item, list):
        return [_value(element) for element in item]
    if isinstance(item, dict):
        if "__extension__" in item:
            arguments = {k: _value(val) for k, val in item["arguments"].items()}
            kind = item["__extension__"]
            return v.ExtensionCall(
                kind, arguments, 0, dict(item.get("cython") or {}), bool(item.get("cythonized"))
            )
        if "__class__" in item:
            return {
                "__class__": item["__class__"],
                "module": item.get("module", ""),
                "bases": item.get("bases", []),
            }
        if "__callable__" in item or "__object__" in item:
            return v.Unknown(
                f"a {'function' if '__callable__' in item else 'object'} made by running setup.py"
            )
        return {k: _value(val) for k, val in item.items()}
    return item


def run_recorded(root: Path, script: str, *, hook: str = "", timeout: float = 60.0) -> Recorded:
    """Run ``script`` (relative to ``root``) with recorders; errors are returned, not raised."""
    package_parent = str(Path(ironwheel.__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory(prefix="ironwheel-migrate-") as scratch:
        output = Path(scratch) / "recorded.json"
        environ = {
            "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")])),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        command = [sys.executable, "-m", "ironwheel.migrate._record", str(root), script, str(output)]
        if hook:
            command.append(hook)
        try:
            capture(command, cwd=root, env=environ, timeout=timeout)
        except ToolError as error:
            return Recorded([], [], [], f"running {script} failed: {error.message}")
        except CommandError as error:
            return Recorded([], [], [], f"running {script} failed: " + " | ".join(error.output[-5:]))
        try:
            data = json.loads(output.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            return Recorded([], [], [], f"running {script} left no record: {error}")
    calls = [v.SetupCall({k: _value(val) for k, val in call.items()}) for call in data.get("calls", [])]
    return Recorded(
        calls, list(data.get("environ", [])), list(data.get("notes", [])), str(data.get("error", ""))
    )
