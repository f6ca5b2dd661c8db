"""Wheel tags: interpreter, ABI (abi3, free-threaded) and platform.

Platform wheels are always written with the plain platform tag
(``linux_x86_64``, ``macosx_11_0_arm64``, ``win_amd64``); only a repair tool
may claim manylinux. The platform and the Python come from the target model
(``ironwheel.target``), which decides them from the settings, the variables
and the interpreter; every input here can be passed in, so the logic is
unit-tested without the platform at hand.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import sys
import sysconfig
from collections.abc import Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ironwheel.target import WheelTarget

__all__ = [
    "StableABI",
    "WheelTag",
    "abi_tag",
    "compute_tag",
    "interpreter_tag",
    "is_free_threaded",
    "target_tag",
]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class WheelTag:
    """``interpreter-abi-platform``."""

    interpreter: str
    abi: str
    platform: str

    def __str__(self) -> str:
        return f"{self.interpreter}-{self.abi}-{self.platform}"

    @property
    def is_pure(self) -> bool:
        return self.platform == "any"


@dataclasses.dataclass(frozen=True)
class StableABI:
    """The limited API a wheel targets, e.g. ``3.9`` for ``cp39-abi3``."""

    major: int
    minor: int

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}"


def is_free_threaded(config: Mapping[str, object] | None = None) -> bool:
    """Whether this is a free-threaded (no-GIL) CPython."""
    value = (config or sysconfig.get_config_vars()).get("Py_GIL_DISABLED")
    return bool(value)


def interpreter_tag(name: str | None = None, version: tuple[int, int] | None = None) -> str:
    """``cp311``, ``pp310``: the interpreter family and its version."""
    name = name or sys.implementation.name
    major, minor = version or sys.version_info[:2]
    short = {"cpython": "cp", "pypy": "pp", "ironpython": "ip", "jython": "jy"}.get(name, name)
    return f"{short}{major}{minor}"


def abi_tag(
    name: str | None = None,
    version: tuple[int, int] | None = None,
    config: Mapping[str, object] | None = None,
) -> str:
    """``cp311``, ``cp313t`` (free-threaded), ``cp311d`` (debug), ``pypy310_pp73``."""
    name = name or sys.implementation.name
    config = config if config is not None else sysconfig.get_config_vars()
    if name == "cpython":
        major, minor = version or sys.version_info[:2]
        debug = "d" if config.get("Py_DEBUG") else ""
        threading = "t" if config.get("Py_GIL_DISABLED") else ""
        return f"cp{major}{minor}{threading}{debug}"
    soabi = str(config.get("SOABI") or "")
    if soabi:
        parts = soabi.split("-")
        return re.sub(r"[^\w]", "_", "_".join(parts[:2]))
    return "none"


def compute_tag(
    *,
    native: bool,
    py_api: str,
    implementation: str | None = None,
    version: tuple[int, int] | None = None,
    config: Mapping[str, object] | None = None,
    platform: str,
) -> tuple[WheelTag, StableABI | None]:
    """The wheel's tag for ``platform`` and, for abi3 wheels, the limited API version.

    The platform, and for a target other than this interpreter its Python, come from
    the target model (:func:`target_tag`).
    """
    implementation = implementation or sys.implementation.name
    version = version or (sys.version_info[0], sys.version_info[1])
    config = config if config is not None else sysconfig.get_config_vars()
    if not native:
        if py_api.startswith("cp"):
            log.warning('wheel.py-api = "%s" has no effect: the project builds no native code', py_api)
        return WheelTag("py3", "none", "any"), None
    if py_api in ("py3", "py2.py3"):
        return WheelTag(py_api, "none", platform), None
    if py_api.startswith("cp"):
        wanted = (3, int(py_api[3:]))
        reason = ""
        if implementation != "cpython":
            reason = f"{implementation} has no stable ABI"
        elif is_free_threaded(config):
            reason = "free-threaded CPython has no stable ABI before 3.15"
        elif version < wanted:
            reason = f"Python {version[0]}.{version[1]} is older than {wanted[0]}.{wanted[1]}"
        if not reason:
            return WheelTag(py_api, "abi3", platform), StableABI(*wanted)
        log.info('building a version-specific wheel, not abi3 (wheel.py-api = "%s"): %s', py_api, reason)
    return WheelTag(
        interpreter_tag(implementation, version), abi_tag(implementation, version, config), platform
    ), None


def target_tag(target: WheelTarget, *, native: bool, py_api: str) -> tuple[WheelTag, StableABI | None]:
    """The wheel's tag for ``target``: its Python's interpreter and ABI, its platform; never the host's."""
    python = target.python
    config: dict[str, object] = {
        "SOABI": python.soabi,
        "Py_GIL_DISABLED": python.free_threaded,
        "Py_DEBUG": python.debug,
    }
    if native and py_api.startswith("cp") and not python.stable_abi_suffix and not python.free_threaded:
        log.info(
            'building a version-specific wheel, not abi3 (wheel.py-api = "%s"): %s has no stable ABI suffix',
            py_api,
            python.origin,
        )
        py_api = ""
    return compute_tag(
        native=native,
        py_api=py_api,
        implementation=python.implementation,
        version=python.version,
        config=config,
        platform=target.platform,
    )
