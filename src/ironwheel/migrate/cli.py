"""``ironwheel migrate``: show, diff or write the migration, then the report (and the check)."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from ironwheel.errors import ConfigError

__all__ = ["run_migrate"]


def _diff(old: str, new: str, name: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    return "".join(lines)


def _write(root: Path, text: str) -> Path | None:
    """Write pyproject.toml, keeping the old one as pyproject.toml.orig; the backup's path."""
    target = root / "pyproject.toml"
    backup = root / "pyproject.toml.orig"
    if target.is_file():
        if backup.exists():
            raise ConfigError(
                f"{backup} already exists (the backup of an earlier migrate)",
                hint="move it away or delete it, then run ironwheel migrate --write again",
            )
        backup.write_bytes(target.read_bytes())
    temporary = target.with_name("pyproject.toml.ironwheel-tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)
    return backup if backup.exists() else None


def run_migrate(root: Path, *, diff: bool, write: bool, check: bool, run: bool, timeout: float) -> int:
    """The command; returns its exit code."""
    from ironwheel.migrate.plan import plan_migration

    migration = plan_migration(root, run=run, timeout=timeout)
    report = migration.report.render()
    if diff:
        sys.stdout.write(_diff(migration.old_text, migration.new_text, "pyproject.toml"))
        sys.stderr.write("\n" + report)
    elif write:
        backup = _write(migration.root, migration.new_text)
        kept = f" (the old one is {backup.name})" if backup else ""
        sys.stdout.write(f"wrote {migration.root / 'pyproject.toml'}{kept}\n\n{report}")
    else:
        sys.stdout.write(migration.new_text)
        sys.stderr.write("\n" + report)
    sys.stdout.flush()
    if check:
        from ironwheel.migrate.check import check_migration

        return check_migration(migration)
    return 0
