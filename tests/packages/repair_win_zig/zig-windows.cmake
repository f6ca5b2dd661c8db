# Cross-compile for 64-bit Windows with zig cc ($ZIG_CC runs `zig cc -target x86_64-windows-gnu`).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(CMAKE_C_COMPILER "$ENV{ZIG_CC}")
