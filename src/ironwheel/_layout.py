"""The names inside a build directory's ``.ironwheel/``, in one list.

:class:`ironwheel.cmake.builddir.BuildDir` turns them into paths for the
library. ``_requires.py`` answers ``get_requires_for_build_wheel`` without
importing ironwheel, so it takes the one name it needs from here: this
module imports nothing.
"""

STATE_DIR = ".ironwheel"

# Records: what earlier builds learnt, each read tolerantly and written atomically.
STATE = "state.json"  # how CMake was last configured (cmake/configure.py)
TOOLS = "tools.json"  # tool versions, and the last choice of cmake and ninja (toolcache.py)
METADATA = "metadata.json"  # the rendered core metadata with its inputs (metacache.py)
ENTRY_POINTS = "entry-points.json"  # CMake directories registered by installed packages
ENV_FILES = "env-files.json"  # hash and time of the environment files ninja read
REPAIR_CHECK = "repair-check.json"  # the report of the last repair check
REQUIRES = "requires.txt"  # the last answer of get_requires_for_build_wheel (_requires.py)
NEEDS_PATCHELF = "needs-patchelf"  # binaries of the last build that only patchelf could relink
INSTALL = "install.json"  # what the last cmake --install read and left (cmake/staged.py)
WHEEL = "wheel.json"  # the key and digests of the last wheel (builds/lastwheel.py)
REUSE = "reuse.json"  # what build_wheel must find unchanged to hand the last wheel out (_reuse.py)

# Files written for CMake on every configure.
INIT_CACHE = "init-cache.cmake"
REPRODUCIBLE = "reproducible.cmake"
RPATH_ROOM = "rpath-room.cmake"
EXTENSIONS_HOOK = "extensions.cmake"
PROJECT_INCLUDE = "project-include.cmake"
FIND_PYTHON = "findpython"  # a cross build's FindPython.cmake and FindPython3.cmake, in front of CMake's
ZIG = "zig"  # build.toolchain = "zig": the wrapper scripts CMake runs as its compilers

# Directories and other files.
LOCK = "lock"
GENERATED = "generated"  # the CMake project of the extension tables
ENV = "env"  # the view of the build environment (python launcher, site-<n>, stable programs)
STAGING = "staging"
OUTPUTS = "outputs"  # wheels being written, moved into the output directory when finished
REPAIR = "repair"  # work directory of the repair tool
TOOLS_DIR = "tools"  # kept copies of cmake, ninja and zig
MSVC = "msvc"  # the script that prints vcvarsall.bat's environment
LAST_WHEEL = "wheel"  # the last wheel written, handed out again while its entries are the same
EDITABLE = "editable"
EDITABLE_WATCH = "watch.txt"  # under EDITABLE: the files an editable rebuild watches
EDITABLE_STAMP = "stamp"  # under EDITABLE: its time is when the last successful build started
EDITABLE_GENERATED = "generated"  # under EDITABLE: [[generate]] files served to editable installs
