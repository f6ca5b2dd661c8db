"""CMake: the build directory, configure, build and install, the File API."""
