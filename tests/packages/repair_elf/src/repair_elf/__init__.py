from ._core import answer, sqlite_version, threads

__all__ = ["answer", "sqlite_version", "threads"]
