# Cross-compile for macOS on arm64 with zig cc ($ZIG_CC runs `zig cc -target aarch64-macos...`).
set(CMAKE_SYSTEM_NAME Darwin)
set(CMAKE_SYSTEM_PROCESSOR arm64)
set(CMAKE_C_COMPILER "$ENV{ZIG_CC}")
