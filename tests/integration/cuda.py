"""nvcc for the CUDA tests: the system's CUDA toolkit, else NVIDIA's packages from PyPI."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import missing

__all__ = ["CUDA_PACKAGES", "cuda_environment", "system_nvcc"]

# nvcc, the CUDA runtime (headers and the static libcudart nvcc links by default), the C
# runtime headers, cicc (NVVM) and the CCCL headers the runtime headers include.
CUDA_PACKAGES = [
    "nvidia-cuda-nvcc>=13,<14",
    "nvidia-cuda-runtime>=13,<14",
    "nvidia-cuda-crt>=13,<14",
    "nvidia-nvvm>=13,<14",
    "nvidia-cuda-cccl>=13,<14",
]


def system_nvcc() -> str | None:
    """nvcc on PATH, or in the toolkit's default location (which CMake also looks in)."""
    found = shutil.which("nvcc")
    if found is None and os.access("/usr/local/cuda/bin/nvcc", os.X_OK):
        found = "/usr/local/cuda/bin/nvcc"
    return found


def cuda_environment(directory: Path) -> dict[str, str]:
    """Environment variables that point CMake at an nvcc: the system's, else PyPI's.

    NVIDIA publishes nvcc and the runtime as wheels for Linux only; they are installed into
    ``directory``. Elsewhere, or when they cannot be installed, the test is skipped (under CI
    it fails).
    """
    found = system_nvcc()
    if found is not None:
        return {"CUDACXX": found}
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "aarch64"):
        missing("nvcc is not installed (install the CUDA toolkit; PyPI has it for Linux only)")
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PIP_NO_INDEX", "PIP_FIND_LINKS", "PIP_CONFIG_FILE", "PIP_NO_CACHE_DIR")
    }
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(directory), *CUDA_PACKAGES]
    installed = subprocess.run(command, env=environ, capture_output=True, text=True, check=False)
    nvcc = sorted(directory.glob("nvidia/*/bin/nvcc"))
    if installed.returncode != 0 or len(nvcc) != 1:
        error = (installed.stderr.strip().splitlines() or ["no nvcc in them"])[-1]
        missing(f"nvcc is not installed, and NVIDIA's packages from PyPI could not be: {error}")
    # The packages lay out one toolkit: bin/, include/, lib/ and nvvm/ under nvidia/cu13.
    return {"CUDACXX": str(nvcc[0]), "CUDAToolkit_ROOT": str(nvcc[0].parent.parent)}
