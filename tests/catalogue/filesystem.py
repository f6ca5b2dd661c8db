"""Bad file systems: a full disk, a read-only output directory, a read-only project.

Each runs ``python -m ironwheel build`` in its own mount namespace on a real
tmpfs or a read-only bind mount (see ``Case.mount``), so the errors come from
the kernel, not from injected faults.
"""

from __future__ import annotations

from tests.catalogue.harness import Case
from tests.catalogue.native import c_project

_HINT = (
    "check that the project and output directories are writable and the disk is not full "
    "(-C build.dir= builds in a temporary directory)"
)
# Random bytes do not compress: the wheel and the sdist outgrow a 64 kB disk.
_BIG = {
    "src/demo/__init__.py": "",
    "src/demo/blob.txt": "".join(f"{n * 7919 % 100003:x}" for n in range(40000)),
}

CASES: list[Case] = [
    Case(
        name="filesystem: full disk under the wheel",
        files=_BIG,
        mount="full-output",
        error="cannot write {out}/demo-1.0-py3-none-any.whl: No space left on device",
        hint=_HINT,
    ),
    Case(
        name="filesystem: full disk under the sdist",
        files=_BIG,
        mount="full-output",
        hook="sdist",
        error="cannot write {out}/demo-1.0.tar.gz: No space left on device",
        hint=_HINT,
    ),
    Case(
        name="filesystem: read-only output directory",
        mount="readonly-output",
        error="cannot write {out}/demo-1.0-py3-none-any.whl: Read-only file system",
        hint=_HINT,
    ),
    Case(name="filesystem: read-only project builds a pure wheel", mount="readonly-project"),
    Case(
        name="filesystem: read-only project with native code",
        files=c_project(),
        mount="readonly-project",
        slow=True,
        error="cannot write {root}/build: Read-only file system",
        hint=_HINT,
    ),
    Case(
        name="filesystem: read-only project, build directory elsewhere",
        files=c_project(),
        mount="readonly-project",
        config={"build.dir": ""},
        slow=True,
    ),
]
