"""A compiler cache shared through a real Redis server: a fresh clone builds from the cache."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PACKAGES, copy_project, require_tool
from tests.integration.frontends import Result, pip_wheel, tail

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[str]:
    """A throw-away redis-server on localhost that keeps nothing on disk."""
    program = require_tool("redis-server")
    port = free_port()
    workdir = tmp_path / "redis"
    workdir.mkdir()
    server = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            assert server.poll() is None, "redis-server exited"
            assert time.monotonic() < deadline, "redis-server did not answer"
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def stats(cache_dir: Path) -> dict[str, int]:
    printed = subprocess.run(
        [require_tool("ccache"), "--print-stats"],
        env={**os.environ, "CCACHE_DIR": str(cache_dir)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {key: int(value) for key, value in (line.split("\t") for line in printed.splitlines())}


def test_a_fresh_clone_hits_the_teams_cache(redis: str, offline_pip: Path, tmp_path: Path) -> None:
    del offline_pip
    require_tool("ccache")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    # As documented: the remote storage, and a base directory holding every checkout.
    shared = {"CCACHE_REMOTE_STORAGE": redis, "CCACHE_BASEDIR": str(workspace)}

    def build(clone: Path, cache: Path, outdir: Path) -> Result:
        result = pip_wheel(clone, outdir, env={**shared, "CCACHE_DIR": str(cache)})
        assert result.returncode == 0, tail(result.output)
        return result

    first_clone = copy_project(PACKAGES / "incremental", workspace / "first")
    first = build(first_clone, tmp_path / "cache-1", tmp_path / "one")
    assert "ironwheel: compiler launcher: " in first.output
    counters = stats(tmp_path / "cache-1")
    assert counters["cache_miss"] == 3
    assert counters["remote_storage_write"] >= 3
    assert counters["remote_storage_error"] == counters["remote_storage_timeout"] == 0

    # Another machine: a new clone in another directory, an empty local cache.
    second_clone = copy_project(PACKAGES / "incremental", workspace / "second")
    second = build(second_clone, tmp_path / "cache-2", tmp_path / "two")
    counters = stats(tmp_path / "cache-2")
    assert counters["remote_storage_hit"] == 3, counters
    assert counters["cache_miss"] == counters["local_storage_hit"] == 0
    assert second.wheel.read_bytes() == first.wheel.read_bytes()
