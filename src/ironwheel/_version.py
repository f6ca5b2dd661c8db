"""ironwheel's version: read by the build (tool.ironwheel.metadata.version) and by the CMake package."""

__version__ = "0.1.0"
