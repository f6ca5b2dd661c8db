"""Calling a project's build hooks: in this process, or in an isolated environment.

The isolated environment is the one ``python -m build`` makes, through its
public library API (``build.env.DefaultIsolatedEnv`` and
``build.ProjectBuilder``): a virtual environment with ``[build-system]
requires`` and what ``get_requires_for_build_*`` returns installed by pip,
and the hooks run in a subprocess by ``pyproject_hooks``. ironwheel's own
dependencies stay as they are: ``build`` is needed only for isolated
builds, and its absence is an error that says so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal, Protocol

from ironwheel.errors import CommandError, ToolError
from ironwheel.request import RELEASE_VARIABLE

__all__ = ["HookError", "Hooks", "in_process", "isolated"]

log = logging.getLogger("ironwheel")

Distribution = Literal["sdist", "wheel"]
Settings = Mapping[str, "str | list[str]"]


class HookError(Exception):
    """A hook run in a subprocess failed; it printed its own error; ``output`` is what it printed."""

    def __init__(self, returncode: int, output: Sequence[str]) -> None:
        super().__init__(f"the build hook failed with exit code {returncode}")
        self.returncode = returncode
        self.output = tuple(output)


class Hooks(Protocol):
    def build(self, distribution: Distribution, outdir: Path, settings: Settings) -> Path:
        """Build one distribution of the project into ``outdir``; its path."""


class _InProcess:
    def __init__(self, root: Path) -> None:
        self.root = root

    def build(self, distribution: Distribution, outdir: Path, settings: Settings) -> Path:
        from ironwheel import _hooks

        previous = Path.cwd()
        os.chdir(self.root)  # the hooks build the project in the working directory
        try:
            if distribution == "sdist":
                name = _hooks.build_sdist(str(outdir), dict(settings))
            else:
                name = _hooks.build_wheel(str(outdir), dict(settings), release=True)
        finally:
            os.chdir(previous)
        return outdir / name


@contextlib.contextmanager
def in_process(root: Path) -> Iterator[Hooks]:
    """This interpreter's ironwheel and tools (``--no-isolation``)."""
    yield _InProcess(root)


def _runner(
    cmd: Sequence[str], cwd: str | None = None, extra_environ: Mapping[str, str] | None = None
) -> None:
    """pyproject_hooks' subprocess, run the ironwheel way: output streamed, the tail kept."""
    from ironwheel._run import run

    environ = {**(extra_environ or {}), RELEASE_VARIABLE: "1"}
    if log.isEnabledFor(logging.DEBUG):
        environ["IRONWHEEL_DEBUG"] = "1"
    elif not log.isEnabledFor(logging.INFO):
        environ["IRONWHEEL_QUIET"] = "1"
    try:
        run(cmd, cwd=Path(cwd) if cwd else None, env=environ)
    except CommandError as error:
        raise HookError(error.returncode, error.output) from None


class _Isolated:
    def __init__(self, root: Path) -> None:
        self.root = root

    def build(self, distribution: Distribution, outdir: Path, settings: Settings) -> Path:
        import build
        import build.env

        with build.env.DefaultIsolatedEnv() as env:
            try:
                builder = build.ProjectBuilder.from_isolated_env(env, self.root, runner=_runner)
                _install(env, builder.build_system_requires, "[build-system] requires")
                wanted = builder.get_requires_for_build(distribution, dict(settings))
                _install(env, wanted, f"get_requires_for_build_{distribution}")
                return Path(builder.build(distribution, outdir, dict(settings)))
            except build.BuildBackendException as error:
                if isinstance(error.exception, HookError):
                    raise error.exception from None
                raise ToolError(
                    f"the build backend could not run in the isolated environment: {error}",
                    hint="check [build-system] in pyproject.toml, and that pip can install its "
                    "requirements; --no-isolation builds in this environment",
                ) from None
            except build.BuildException as error:
                raise ToolError(
                    f"cannot build in an isolated environment: {error}",
                    hint="check [build-system] in pyproject.toml; --no-isolation builds in this environment",
                ) from None


def _install(env: object, requirements: set[str] | Sequence[str], source: str) -> None:
    if not requirements:
        return
    log.info("isolated environment: installing %s (%s)", ", ".join(sorted(requirements)), source)
    try:
        env.install(requirements)  # type: ignore[attr-defined]
    except subprocess.CalledProcessError as error:
        output = (error.stderr or error.stdout or b"").decode("utf-8", errors="replace").strip().splitlines()
        raise ToolError(
            f"pip could not install the build requirements ({', '.join(sorted(requirements))})",
            details=output[-15:],
            hint="check the requirements and that pip reaches the index (PIP_INDEX_URL, PIP_FIND_LINKS), "
            "or build with --no-isolation in an environment that has them",
        ) from None


@contextlib.contextmanager
def isolated(root: Path) -> Iterator[Hooks]:
    """A new virtual environment per distribution, as ``python -m build`` makes it."""
    try:
        import build.env  # noqa: F401
    except ImportError:
        raise ToolError(
            "an isolated build needs the build package, which is not installed",
            hint="pip install build, or pass --no-isolation to build in this environment",
        ) from None
    yield _Isolated(root)
