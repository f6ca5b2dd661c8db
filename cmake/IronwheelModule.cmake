#[=======================================================================[.rst:
IronwheelModule
---------------

Python extension modules, included by ``find_package(ironwheel CONFIG)``.

.. command:: ironwheel_add_module

  ::

    ironwheel_add_module(<target>
      SOURCES <source>...
      [LIMITED_API] [LIMITED_API_VERSION <major.minor>]
      [WITH_SOABI]
      [BINDING capi|pybind11|nanobind]
      [OUTPUT_NAME <name>]
      [DESTINATION <dir>])

  Build ``<target>``, a ``MODULE`` library that Python imports. Sources may
  be C, C++, Fortran or CUDA (enable the languages in ``project()``). Symbols
  are hidden except the module's init function.

  ``LIMITED_API``
    Build for the limited API (abi3) of ``IRONWHEEL_SABI_VERSION``, which
    ironwheel sets for an abi3 wheel (``wheel.py-api = "cp39"``). When it is
    empty (a version-specific build: free-threaded Python, PyPy, or no
    ``wheel.py-api``) the module uses the full API, so one CMakeLists.txt
    serves both. ``LIMITED_API_VERSION 3.9`` names the version instead.
    Windows needs CMake 3.26 or later for it.

  ``WITH_SOABI``
    Give the file the interpreter's suffix (``.cpython-311-x86_64-linux-gnu.so``,
    or ``.abi3.so`` for the limited API) instead of a plain ``.so``/``.pyd``.

  ``BINDING``
    ``capi`` (the default) uses the C API only. ``pybind11`` links
    ``pybind11::headers``; ``nanobind`` builds through ``nanobind_add_module``.
    Call ``find_package(pybind11 CONFIG REQUIRED)`` or
    ``find_package(nanobind CONFIG REQUIRED)`` first, in the directory.

  ``OUTPUT_NAME``
    The module's file name without suffix, when it differs from ``<target>``.

  ``DESTINATION``
    Install the module there (relative to the wheel root, e.g. ``mypkg``).

.. command:: ironwheel_link_numpy

  ::

    ironwheel_link_numpy(<target>)

  Add NumPy's C headers to ``<target>``. ironwheel passes their directory
  (``IRONWHEEL_NUMPY_INCLUDE_DIR``); outside ironwheel the Python found by
  ``find_package(Python)`` is asked.
#]=======================================================================]

include_guard(GLOBAL)
cmake_policy(VERSION 3.18...3.31)

# find_package(Python) in the caller's scope (a macro), with the stable ABI
# component when the limited API is wanted and this CMake knows it.
macro(_ironwheel_find_python _ironwheel_with_sabi)
  set(_ironwheel_components Interpreter Development.Module)
  if(${_ironwheel_with_sabi} AND CMAKE_VERSION VERSION_GREATER_EQUAL 3.26)
    list(APPEND _ironwheel_components Development.SABIModule)
  endif()
  find_package(Python 3 REQUIRED COMPONENTS ${_ironwheel_components})
endmacro()

# The limited API version a module is built for: "" for the full API.
function(_ironwheel_limited_version out limited version)
  set(result "")
  if(version)
    set(result "${version}")
  elseif(limited AND IRONWHEEL_SABI_VERSION)
    set(result "${IRONWHEEL_SABI_VERSION}")
  endif()
  if(result AND NOT result MATCHES "^3\\.[0-9]+$")
    message(FATAL_ERROR "ironwheel: limited API version \"${result}\" is not of the form 3.X")
  endif()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# Python_add_library with the limited API, also on CMake older than 3.26.
function(_ironwheel_python_library name limited_version with_soabi)
  set(soabi "")
  if(with_soabi)
    set(soabi WITH_SOABI)
  endif()
  if(NOT limited_version)
    _ironwheel_find_python(FALSE)
    Python_add_library(${name} MODULE ${soabi} ${ARGN})
    return()
  endif()
  _ironwheel_find_python(TRUE)
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.26)
    Python_add_library(${name} MODULE USE_SABI ${limited_version} ${soabi} ${ARGN})
    return()
  endif()
  if(WIN32)
    message(FATAL_ERROR
      "ironwheel: ${name}: the limited API on Windows needs CMake 3.26 or later "
      "(set tool.ironwheel.cmake.version = \">=3.26\")")
  endif()
  # Unix extensions do not link libpython, so the define and the suffix are all it takes.
  Python_add_library(${name} MODULE ${ARGN})
  string(REPLACE "." ";" parts "${limited_version}")
  list(GET parts 0 major)
  list(GET parts 1 minor)
  math(EXPR hex "(${major} << 24) | (${minor} << 16)" OUTPUT_FORMAT HEXADECIMAL)
  target_compile_definitions(${name} PRIVATE Py_LIMITED_API=${hex})
  if(with_soabi)
    set_target_properties(${name} PROPERTIES SUFFIX ".abi3${CMAKE_SHARED_MODULE_SUFFIX}")
  endif()
endfunction()

# What every module gets: hidden symbols, its file name, its install rule.
function(_ironwheel_finish_module name output_name destination)
  set_target_properties(${name} PROPERTIES
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    CUDA_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(output_name)
    set_target_properties(${name} PROPERTIES OUTPUT_NAME "${output_name}")
  else()
    set(output_name "${name}")
  endif()
  # Hidden symbols would hide an init function declared without PyMODINIT_FUNC
  # (setuptools exports every symbol, so such modules work there): a header
  # included first declares it exported, whatever the source says.
  if(NOT MSVC AND output_name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    set(header "${CMAKE_CURRENT_BINARY_DIR}/${name}.export/ironwheel_export.h")
    set(text "/* Written by ironwheel: export the module's init function. */\n")
    string(APPEND text "#ifdef __cplusplus\nextern \"C\"\n#endif\n")
    string(APPEND text "__attribute__((visibility(\"default\"))) struct _object *PyInit_${output_name}(void);\n")
    if(EXISTS "${header}")
      file(READ "${header}" previous)
    else()
      set(previous "")
    endif()
    if(NOT previous STREQUAL text)
      file(WRITE "${header}" "${text}")
    endif()
    target_compile_options(${name} PRIVATE "$<$<COMPILE_LANGUAGE:C,CXX>:SHELL:-include \"${header}\">")
  endif()
  if(destination)
    install(TARGETS ${name} LIBRARY DESTINATION "${destination}" RUNTIME DESTINATION "${destination}")
  endif()
endfunction()

function(ironwheel_add_module name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG
    "LIMITED_API;WITH_SOABI" "LIMITED_API_VERSION;BINDING;OUTPUT_NAME;DESTINATION" "SOURCES")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ironwheel_add_module(${name}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "ironwheel_add_module(${name}): no SOURCES")
  endif()
  if(NOT ARG_BINDING)
    set(ARG_BINDING capi)
  endif()
  _ironwheel_limited_version(limited "${ARG_LIMITED_API}" "${ARG_LIMITED_API_VERSION}")
  if(ARG_BINDING STREQUAL "nanobind")
    if(NOT COMMAND nanobind_add_module)
      message(FATAL_ERROR
        "ironwheel_add_module(${name} BINDING nanobind): call find_package(nanobind CONFIG REQUIRED) first")
    endif()
    set(stable "")
    if(limited)
      set(stable STABLE_ABI)
    endif()
    nanobind_add_module(${name} NB_STATIC ${stable} ${ARG_SOURCES})
  elseif(ARG_BINDING STREQUAL "pybind11" OR ARG_BINDING STREQUAL "capi")
    _ironwheel_python_library(${name} "${limited}" "${ARG_WITH_SOABI}" ${ARG_SOURCES})
    if(ARG_BINDING STREQUAL "pybind11")
      if(NOT TARGET pybind11::headers)
        message(FATAL_ERROR
          "ironwheel_add_module(${name} BINDING pybind11): call find_package(pybind11 CONFIG REQUIRED) first")
      endif()
      target_link_libraries(${name} PRIVATE pybind11::headers)
    endif()
  else()
    message(FATAL_ERROR
      "ironwheel_add_module(${name}): unknown BINDING \"${ARG_BINDING}\" (capi, pybind11 or nanobind)")
  endif()
  _ironwheel_finish_module(${name} "${ARG_OUTPUT_NAME}" "${ARG_DESTINATION}")
endfunction()

# NumPy's and f2py's include directories, asked of Python once per configure.
function(_ironwheel_numpy_dirs numpy_out f2py_out)
  if(IRONWHEEL_NUMPY_INCLUDE_DIR)
    set(${numpy_out} "${IRONWHEEL_NUMPY_INCLUDE_DIR}" PARENT_SCOPE)
    set(${f2py_out} "${IRONWHEEL_F2PY_INCLUDE_DIR}" PARENT_SCOPE)
    return()
  endif()
  get_property(known GLOBAL PROPERTY _IRONWHEEL_NUMPY_DIRS SET)
  if(NOT known)
    _ironwheel_find_python(FALSE)
    execute_process(
      COMMAND "${Python_EXECUTABLE}" -c
        "import numpy, os; print(numpy.get_include()); print(os.path.join(os.path.dirname(numpy.__file__), 'f2py', 'src'))"
      RESULT_VARIABLE code OUTPUT_VARIABLE output ERROR_VARIABLE error OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT code EQUAL 0)
      message(FATAL_ERROR
        "ironwheel: NumPy is not installed for ${Python_EXECUTABLE}: add \"numpy\" to "
        "build-system.requires\n${error}")
    endif()
    string(REPLACE "\n" ";" output "${output}")
    set_property(GLOBAL PROPERTY _IRONWHEEL_NUMPY_DIRS "${output}")
  endif()
  get_property(dirs GLOBAL PROPERTY _IRONWHEEL_NUMPY_DIRS)
  list(GET dirs 0 numpy)
  list(GET dirs 1 f2py)
  file(TO_CMAKE_PATH "${numpy}" numpy)
  file(TO_CMAKE_PATH "${f2py}" f2py)
  set(${numpy_out} "${numpy}" PARENT_SCOPE)
  set(${f2py_out} "${f2py}" PARENT_SCOPE)
endfunction()

function(ironwheel_link_numpy name)
  _ironwheel_numpy_dirs(numpy f2py)
  target_include_directories(${name} PRIVATE "${numpy}")
endfunction()
