"""The configure step: run CMake only when the plan says something relevant changed.

The plan (``cmake/plan.py``) carries two keys. A *fresh key* that differs
from the recorded one drops the cache (so does a compiler that was replaced
in place); an unchanged *configure key* with a generated tree skips
configuring altogether, and ninja alone runs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ironwheel._fs import write_if_changed
from ironwheel._records import file_stat
from ironwheel._run import run
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.fileapi import read_codemodel, write_query
from ironwheel.cmake.plan import Plan
from ironwheel.errors import CommandError

__all__ = ["configure"]

log = logging.getLogger("ironwheel")


def _changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


def _why_fresh(build_dir: BuildDir, plan: Plan, state: Mapping[str, Any]) -> str:
    if not (build_dir.path / "CMakeCache.txt").is_file():
        return ""
    if not state:
        return "no record of how it was configured"
    changed = _changed(state.get("fresh_key", {}), plan.fresh_key)
    if changed:
        environment = _changed(
            state.get("fresh_key", {}).get("environment", {}), plan.fresh_key["environment"]
        )
        names = [name for name in changed if name != "environment"] + environment
        return "changed: " + ", ".join(names)
    for _language, path, recorded in state.get("compilers", []):
        if file_stat(path) != recorded:
            return f"the compiler {path} changed"
    return ""


def configure(build_dir: BuildDir, plan: Plan) -> None:
    """Configure unless nothing relevant changed."""
    state = build_dir.read_state()
    reason = _why_fresh(build_dir, plan, state)
    if reason:
        log.info("configuring %s from scratch (%s)", build_dir.path, reason)
        build_dir.wipe_cache()
        state = {}
    generated = (build_dir.path / "CMakeCache.txt").is_file() and any(
        (build_dir.path / name).is_file() for name in ("build.ninja", "Makefile", "CMakeFiles/Makefile.cmake")
    )
    model = read_codemodel(build_dir.path, plan.build_type) if generated else None
    if state.get("configure_key") == plan.configure_key and model is not None:
        log.info("CMake configuration of %s is up to date", build_dir.path)
        return
    build_dir.write_state({"fresh_key": plan.fresh_key, "configure_key": None})
    for name, text in plan.files.items():
        write_if_changed(build_dir.cmake_file(name), text)
    for name, text in plan.programs.items():
        write_if_changed(build_dir.cmake_file(name), text, mode=0o755)
    write_query(build_dir.path)
    try:
        run(plan.command, env=plan.environment)
    except CommandError as error:
        from ironwheel.cmake.diagnose import configure_error  # only a failure pays for its patterns

        raise configure_error(error) from error
    model = read_codemodel(build_dir.path, plan.build_type)
    compilers = [
        [language, str(path), file_stat(path)] for language, path in (model.compilers if model else ())
    ]
    build_dir.write_state(
        {"fresh_key": plan.fresh_key, "configure_key": plan.configure_key, "compilers": compilers}
    )
