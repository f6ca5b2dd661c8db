"""Other tools' opinion of every wheel and sdist the test suite builds.

``check_archive`` holds a wheel or an sdist to what PyPI and installers
check: core metadata valid for ``packaging.metadata``, no duplicate member,
a RECORD that ``installer`` verifies (every member's hash and size), and,
when the metadata carries a description, ``twine check --strict``.

``tests/conftest.py`` runs it on every archive that ironwheel writes in-process
(through the writers' import sites); ``tests/integration/frontends.py`` runs
it on what a frontend left in its output directory.
"""

from __future__ import annotations

import email.parser
import tarfile
import warnings
import zipfile
from pathlib import Path

__all__ = ["check_archive"]


def _metadata(text: bytes, where: str) -> bool:
    """Validate core metadata; return whether it carries a description."""
    from packaging.metadata import ExceptionGroup, Metadata

    try:
        Metadata.from_email(text, validate=True)
    except ExceptionGroup as group:
        problems = "; ".join(str(error) for error in group.exceptions)
        raise AssertionError(f"{where}: invalid core metadata: {problems}") from None
    message = email.parser.BytesParser().parsebytes(text)
    return bool(message.get_payload() or message.get("Description"))


def _twine(path: Path) -> None:
    from twine.commands.check import check

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # twine's dependencies warn about their own deprecations
        failed = check([str(path)], strict=True)
    assert not failed, f"twine check --strict fails on {path.name} (its output is above)"


def _check_wheel(path: Path) -> None:
    from installer.sources import WheelFile

    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        duplicates = sorted({name for name in names if names.count(name) > 1})
        assert not duplicates, f"{path.name}: duplicate members {duplicates}"
        dist_info = {name.split("/", 1)[0] for name in names if name.split("/", 1)[0].endswith(".dist-info")}
        assert len(dist_info) == 1, f"{path.name}: .dist-info directories {sorted(dist_info)}"
        metadata = archive.read(f"{dist_info.pop()}/METADATA")
    with WheelFile.open(path) as source:
        source.validate_record(validate_contents=True)
    if _metadata(metadata, f"{path.name}/METADATA"):
        _twine(path)


def _check_sdist(path: Path) -> None:
    with tarfile.open(path) as archive:
        names = archive.getnames()
        duplicates = sorted({name for name in names if names.count(name) > 1})
        assert not duplicates, f"{path.name}: duplicate members {duplicates}"
        base = path.name[: -len(".tar.gz")]
        assert all(name.startswith(f"{base}/") for name in names), f"{path.name}: members outside {base}/"
        for member in archive.getmembers():
            assert member.isfile(), f"{path.name}: {member.name} is not a regular file"
        handle = archive.extractfile(f"{base}/PKG-INFO")
        assert handle is not None
        metadata = handle.read()
    if _metadata(metadata, f"{path.name}/PKG-INFO"):
        _twine(path)


def check_archive(path: Path) -> None:
    """Assert that other tools accept the wheel or sdist at ``path``."""
    if path.name.endswith(".whl"):
        _check_wheel(path)
    elif path.name.endswith(".tar.gz"):
        _check_sdist(path)
    else:  # pragma: no cover - a misuse of the helper
        raise AssertionError(f"{path} is neither a wheel nor an sdist")
