"""A package whose CMakeLists.txt was written for scikit-build-core."""

__version__ = "0.4.2"

from skcompat._native import build_state, project_version


def main() -> None:
    print(project_version())
