"""Run by the build environment's interpreter, not imported: ``delocate_wheel()`` with ironwheel's options.

argv[1] is a JSON object of arguments; the last line printed is the JSON list
of the libraries copied into the wheel, or a line starting with
``ironwheel-delocate-error: `` when delocate refuses the wheel.
"""

from __future__ import annotations

import fnmatch
import json
import os
import sys
from typing import Any


def _copy_filter(exclude: list[str]) -> Any:
    def copy_filter(name: str) -> bool:
        if name.startswith(("/usr/lib", "/System")):
            return False
        base = os.path.basename(name)
        return not any(fnmatch.fnmatchcase(base, pattern) for pattern in exclude)

    return copy_filter


def main(argv: list[str]) -> int:
    from delocate import delocate_wheel
    from delocate.libsana import DelocationError
    from packaging.version import Version

    args = json.loads(argv[1])
    target = args["target"]
    try:
        copied = delocate_wheel(
            args["wheel"],
            args["out"],
            lib_sdir=".dylibs",
            copy_filt_func=_copy_filter(args["exclude"]),
            require_archs=args["archs"] or None,
            require_target_macos_version=Version(target) if target else None,
        )
    except DelocationError as error:
        print("ironwheel-delocate-error: " + " | ".join(str(error).splitlines()))
        return 3
    print(json.dumps(sorted(copied)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
