"""Fixtures the integration tests share."""

from __future__ import annotations

import pytest

from tests.integration.cuda import cuda_environment


@pytest.fixture(scope="session")
def cuda(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """CUDACXX (and CUDAToolkit_ROOT) for an nvcc: the system's, else one from PyPI."""
    return cuda_environment(tmp_path_factory.getbasetemp() / "cuda")
