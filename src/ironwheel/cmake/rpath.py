"""Room in every installed ELF binary's search path, so that relinking needs no patchelf.

A wheel's modules find the project's own shared libraries through relative
search paths (``$ORIGIN/...``) that only the final layout of the wheel
decides. CMake writes each installed binary's RUNPATH in place (it pads the
build tree's one to fit), and a new search path fits in place whenever it is
not longer than the old one (``repair/elfedit.py``). So ironwheel makes the
installed search path long enough for any relative path a wheel needs:

- the default ``CMAKE_INSTALL_RPATH`` is ``$ORIGIN`` and :data:`RESERVED`,
  an entry that can never exist (``/dev/null`` is no directory), so that a
  binary that is not relinked (in an editable install) still finds a library
  next to it;
- a project that sets its own install RPATH (``CMAKE_INSTALL_RPATH``, the
  ``INSTALL_RPATH`` property) gets :data:`RESERVED` put in front of it, at
  the end of the top-level CMakeLists.txt (``cmake_language(DEFER)``, CMake
  3.19 and later).

Relinking then writes exactly the project's own entries and what the wheel
needs: the reserved entry, and the ``$ORIGIN`` of the default before it, go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "RESERVED",
    "ROOM_INCLUDE",
    "SWITCHES",
    "default_install_rpath",
    "disables_install_rpath",
    "has_room",
    "project_entries",
]

# Long enough for several relative entries ("$ORIGIN/../../pkg.libs:$ORIGIN/sub").
RESERVED = "/dev/null/ironwheel-reserved-rpath-room/" + "_" * 160
_DEFAULT_ENTRY = "$ORIGIN"

ROOM_INCLUDE = f"""\
# Written by ironwheel: room in the install RPATH of every binary, so that the wheel's
# relative library search paths are written in place (no patchelf needed).
get_property(_ironwheel_room GLOBAL PROPERTY IRONWHEEL_RPATH_ROOM SET)
if(NOT _ironwheel_room AND NOT CMAKE_VERSION VERSION_LESS 3.19)
  set_property(GLOBAL PROPERTY IRONWHEEL_RPATH_ROOM TRUE)
  function(_ironwheel_rpath_room directory)
    get_property(_targets DIRECTORY "${{directory}}" PROPERTY BUILDSYSTEM_TARGETS)
    foreach(_target IN LISTS _targets)
      get_target_property(_type "${{_target}}" TYPE)
      if(_type MATCHES "^(SHARED_LIBRARY|MODULE_LIBRARY|EXECUTABLE)$")
        get_target_property(_rpath "${{_target}}" INSTALL_RPATH)
        if(NOT _rpath)
          set_property(TARGET "${{_target}}" PROPERTY INSTALL_RPATH "{RESERVED}")
        elseif(NOT _rpath MATCHES "/dev/null/ironwheel-reserved-rpath-room/")
          set_property(TARGET "${{_target}}" PROPERTY INSTALL_RPATH "{RESERVED};${{_rpath}}")
        endif()
      endif()
    endforeach()
    get_property(_subdirectories DIRECTORY "${{directory}}" PROPERTY SUBDIRECTORIES)
    foreach(_subdirectory IN LISTS _subdirectories)
      _ironwheel_rpath_room("${{_subdirectory}}")
    endforeach()
  endfunction()
  cmake_language(DEFER DIRECTORY "${{CMAKE_SOURCE_DIR}}" CALL _ironwheel_rpath_room "${{CMAKE_SOURCE_DIR}}")
endif()
"""

# Variables that leave installed binaries without any search path to rewrite.
SWITCHES = ("CMAKE_SKIP_RPATH", "CMAKE_SKIP_INSTALL_RPATH")
_SWITCHED = re.compile(r"\b(?:" + "|".join(SWITCHES) + r")\b")


def default_install_rpath(platform: str) -> str | None:
    """The ``CMAKE_INSTALL_RPATH`` ironwheel gives a project that sets none, for a wheel platform tag.

    On macOS it is ``@loader_path``: relinking (install_name_tool, which every
    macOS toolchain has) then rarely has anything left to change.
    """
    if has_room(platform):
        return f"{_DEFAULT_ENTRY};{RESERVED}"
    if platform.startswith("macosx"):
        return "@loader_path"
    return None


def has_room(platform: str) -> bool:
    """Whether binaries for a wheel platform tag get :data:`RESERVED` room (ELF ones do)."""
    return platform.startswith("linux")


def project_entries(rpath: Sequence[str]) -> tuple[str, ...]:
    """The entries of an installed search path that the project asked for (ironwheel's removed)."""
    kept = list(rpath)
    while RESERVED in kept:
        index = kept.index(RESERVED)
        start = index - 1 if index and kept[index - 1] == _DEFAULT_ENTRY else index
        del kept[start : index + 1]
    return tuple(kept)


def disables_install_rpath(text: str) -> bool:
    """Whether CMake code (without its comments) may leave installed binaries no search path."""
    return _SWITCHED.search(text) is not None
