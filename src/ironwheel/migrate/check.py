"""``migrate --check``: build the old way and the new way, each in a copy, and compare the wheels.

The old project is built by its own backend (``pip wheel --no-deps``,
isolated), the migrated one by ironwheel, from the sdist ironwheel makes of
it, so that a file missing from the new sdist shows up too. The comparison
covers the importable modules, the other files, the tags and the metadata;
modules the new wheel lacks fail the check.
"""

from __future__ import annotations

import email.parser
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from ironwheel._run import run
from ironwheel.errors import CommandError, PackagingError, ToolError
from ironwheel.migrate.plan import Migration

__all__ = ["check_migration", "compare_wheels", "wheel_modules"]

_EXTENSION = re.compile(r"\.(cpython-[^.]+|abi3|pypy[^.]*|cp\d+[^.]*)?\.?(so|pyd|dylib)$")
_IGNORED_FIELDS = frozenset(
    {
        "metadata-version",
        "home-page",
        "download-url",  # a Project-URL now
        "project-url",
        "license",
        "license-expression",
        "license-file",
        "dynamic",
        "platform",
        "description",
    }
)


def _copy(source: Path, destination: Path) -> Path:
    shutil.copytree(
        source,
        destination,
        symlinks=True,
        ignore=shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", ".tox", ".nox"),
    )
    return destination


def _build(project: Path, outdir: Path) -> Path:
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(outdir), str(project)])
    wheels = sorted(outdir.glob("*.whl"))
    if not wheels:
        raise PackagingError(f"pip made no wheel of {project}")
    return wheels[0]


def _module(name: str) -> str | None:
    if ".dist-info/" in name or ".data/" in name:
        return None
    if name.endswith(".py"):
        module = name[:-3]
    else:
        match = _EXTENSION.search(name)
        if not match:
            return None
        module = name[: match.start()]
    module = module.replace("/", ".")
    return module[: -len(".__init__")] if module.endswith(".__init__") else module


def _contents(wheel: Path) -> tuple[set[str], set[str], dict[str, list[str]], str]:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.BytesParser().parsebytes(archive.read(meta_name))
    modules = {m for m in (_module(n) for n in names) if m}
    files = {n for n in names if ".dist-info/" not in n and _module(n) is None}
    fields: dict[str, list[str]] = {}
    for key, item in metadata.items():
        name = key.lower()
        # Author and Author-email (setuptools) say what Author-email alone says (PEP 621).
        if name in ("author", "author-email", "maintainer", "maintainer-email"):
            tokens = re.findall(r"[^,<>]+", str(item))
            fields.setdefault(name.split("-")[0], []).extend(t.strip() for t in tokens if t.strip())
            continue
        fields.setdefault(name, []).append(str(item))
    tag = wheel.name[:-4].split("-", 2)[2]
    body = metadata.get_payload()
    fields["(long description)"] = [str(body).strip()] if body and str(body).strip() else []
    return modules, files, fields, tag


def _specifiers(text: str) -> str:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return str(SpecifierSet(text))
    except InvalidSpecifier:
        return text


def wheel_modules(wheel: Path) -> set[str]:
    """The importable modules of a wheel (packages, .py modules and extension modules)."""
    return _contents(wheel)[0]


def compare_wheels(old: Path, new: Path) -> tuple[list[str], list[str]]:
    """(problems, differences): problems fail the check (missing modules)."""
    old_modules, old_files, old_fields, old_tag = _contents(old)
    new_modules, new_files, new_fields, new_tag = _contents(new)
    problems: list[str] = []
    notes: list[str] = []
    missing = sorted(old_modules - new_modules)
    if missing:
        problems.append(f"modules missing from the ironwheel wheel: {', '.join(missing)}")
    if new_modules - old_modules:
        notes.append(f"modules only in the ironwheel wheel: {', '.join(sorted(new_modules - old_modules))}")
    if old_files - new_files:
        notes.append(f"files only in the old wheel: {', '.join(sorted(old_files - new_files)[:20])}")
    if new_files - old_files:
        notes.append(f"files only in the ironwheel wheel: {', '.join(sorted(new_files - old_files)[:20])}")
    if old_tag != new_tag:
        notes.append(f"tags differ: {old_tag} (old), {new_tag} (ironwheel)")
    for key in sorted(set(old_fields) | set(new_fields)):
        if key in _IGNORED_FIELDS:
            continue
        before = sorted(old_fields.get(key, []))
        after = sorted(new_fields.get(key, []))
        if key == "classifier":
            before = [c for c in before if not c.startswith("License ::")]
            after = [c for c in after if not c.startswith("License ::")]
        if key in ("author", "maintainer"):
            before, after = sorted({t.strip('" ') for t in before}), sorted({t.strip('" ') for t in after})
        if key == "keywords":
            before = sorted(k for item in before for k in re.split(r"[,\s]+", item) if k)
            after = sorted(k for item in after for k in re.split(r"[,\s]+", item) if k)
        if key == "requires-python":
            before, after = [_specifiers(item) for item in before], [_specifiers(item) for item in after]
        if key == "requires-dist":
            before = sorted(re.sub(r"\s+", "", r).replace('"', "'") for r in before)
            after = sorted(re.sub(r"\s+", "", r).replace('"', "'") for r in after)
        if before != after and key == "(long description)":
            notes.append("metadata: the long description differs")
        elif before != after:
            notes.append(f"metadata {key}: {before} (old) != {after} (ironwheel)")
    return problems, notes


def check_migration(migration: Migration) -> int:
    """Build both ways and print the comparison; the exit code."""
    with tempfile.TemporaryDirectory(prefix="ironwheel-check-") as scratch:
        base = Path(scratch)
        old_tree = _copy(migration.root, base / "old" / migration.root.name)
        # After --write the project holds the new file: the old build gets the old one back.
        (old_tree / "pyproject.toml.orig").unlink(missing_ok=True)
        if migration.old_text:
            (old_tree / "pyproject.toml").write_text(migration.old_text, encoding="utf-8")
        else:
            (old_tree / "pyproject.toml").unlink(missing_ok=True)
        new_tree = _copy(migration.root, base / "new" / migration.root.name)
        (new_tree / "pyproject.toml").write_text(migration.new_text, encoding="utf-8")
        try:
            old_wheel = _build(old_tree, base / "old-dist")
        except (CommandError, ToolError) as error:
            raise PackagingError(
                f"the old backend did not build the project: {error.message}",
                hint="fix the old build first (or compare by hand)",
            ) from error
        try:
            # From the sdist: a file the new sdist lacks fails here, not on PyPI.
            run(
                [
                    sys.executable,
                    "-m",
                    "ironwheel",
                    "build",
                    "--sdist",
                    "--no-isolation",  # this ironwheel, the one that migrated the project
                    "-o",
                    str(base / "sdist"),
                    str(new_tree),
                ]
            )
            sdist = next((base / "sdist").glob("*.tar.gz"))
            new_wheel = _build(sdist, base / "new-dist")
        except (CommandError, ToolError) as error:
            raise PackagingError(
                f"ironwheel did not build the migrated project: {error.message}",
                hint="fix the settings named above in pyproject.toml and run migrate --check again",
            ) from error
        problems, notes = compare_wheels(old_wheel, new_wheel)
    lines = [f"check: old wheel {old_wheel.name}, ironwheel wheel {new_wheel.name}"]
    lines += [f"check: {note}" for note in notes]
    sys.stdout.write("\n".join(lines) + "\n")
    if problems:
        raise PackagingError(
            problems[0],
            details=problems[1:],
            hint="add the missing extension tables or wheel.packages, then check again",
        )
    sys.stdout.write("check: every module of the old wheel is in the ironwheel wheel\n")
    return 0
