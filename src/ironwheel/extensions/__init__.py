"""The extension tables: checked modules, the CMake project written for them, optional extensions."""
