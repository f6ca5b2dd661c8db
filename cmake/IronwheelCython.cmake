#[=======================================================================[.rst:
IronwheelCython
---------------

Cython extension modules, included by ``find_package(ironwheel CONFIG)``.

.. command:: ironwheel_add_cython_module

  ::

    ironwheel_add_cython_module(<target> <source.pyx>
      [SOURCES <source>...]
      [CXX]
      [MODULE_NAME <package.module>]
      [DIRECTIVES <name>=<value>...]
      [INCLUDE_DIRS <dir>...]
      [LIMITED_API] [LIMITED_API_VERSION <major.minor>]
      [WITH_SOABI]
      [OUTPUT_NAME <name>]
      [DESTINATION <dir>])

  Translate ``<source.pyx>`` to C (or C++ with ``CXX``) in the build
  directory at build time, and build it, with the optional extra
  ``SOURCES``, into a module as ``ironwheel_add_module`` does (see there for
  ``LIMITED_API``, ``WITH_SOABI``, ``OUTPUT_NAME`` and ``DESTINATION``).
  The generated file never lands in the source tree or the wheel, and the
  ``.pyx`` is not shipped either.

  Cython runs from the source's package root (the directory above the
  outermost directory holding an ``__init__.py``), so ``cimport`` finds the
  ``.pxd`` files of every package beside it; ``INCLUDE_DIRS`` adds more
  places to look (``-I``). The C compiler finds headers beside the
  ``.pyx`` as if the generated file were there. The ``.pxd`` and ``.pxi`` files a module uses are
  tracked: editing one rebuilds the modules that cimport it.

  ``MODULE_NAME``
    The module's full name. By default Cython derives it from the
    ``__init__.py`` files around the source.

  ``DIRECTIVES``
    Compiler directives, e.g. ``language_level=3 boundscheck=False``.

  ironwheel requests Cython from the frontend when a CMakeLists.txt (or a
  ``.cmake`` file) of the project calls this function; outside ironwheel
  Cython must be installed for the Python that ``find_package(Python)`` finds.
#]=======================================================================]

include_guard(GLOBAL)
cmake_policy(VERSION 3.18...3.31)
include("${CMAKE_CURRENT_LIST_DIR}/IronwheelModule.cmake")

set(_IRONWHEEL_CYTHON_RUNNER "${CMAKE_CURRENT_LIST_DIR}/ironwheel_cython.py")

# Fail at configure time, with the fix, when Cython is missing.
function(_ironwheel_check_cython)
  get_property(checked GLOBAL PROPERTY _IRONWHEEL_CYTHON_VERSION SET)
  if(checked)
    return()
  endif()
  _ironwheel_find_python(FALSE)
  execute_process(
    COMMAND "${Python_EXECUTABLE}" -c "import Cython; print(Cython.__version__)"
    RESULT_VARIABLE code OUTPUT_VARIABLE version ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR
      "ironwheel: Cython is not installed for ${Python_EXECUTABLE}: add \"cython>=3.0\" to "
      "build-system.requires")
  endif()
  if(version VERSION_LESS 3.0)
    message(FATAL_ERROR "ironwheel: Cython ${version} is too old, ironwheel needs Cython 3.0 or later")
  endif()
  set_property(GLOBAL PROPERTY _IRONWHEEL_CYTHON_VERSION "${version}")
endfunction()

function(ironwheel_add_cython_module name source)
  cmake_parse_arguments(PARSE_ARGV 2 ARG
    "CXX;LIMITED_API;WITH_SOABI"
    "MODULE_NAME;LIMITED_API_VERSION;OUTPUT_NAME;DESTINATION"
    "SOURCES;DIRECTIVES;INCLUDE_DIRS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ironwheel_add_cython_module(${name}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT source MATCHES "\\.(pyx|py)$")
    message(FATAL_ERROR "ironwheel_add_cython_module(${name}): \"${source}\" is not a .pyx file")
  endif()
  get_filename_component(source "${source}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  set(language C)
  set(suffix c)
  set(mode "")
  if(ARG_CXX)
    set(language CXX)
    set(suffix cpp)
    set(mode --cplus)
  endif()
  if(NOT language IN_LIST languages)
    message(FATAL_ERROR "ironwheel_add_cython_module(${name}): enable ${language} in project(... LANGUAGES ...)")
  endif()
  _ironwheel_check_cython()
  _ironwheel_find_python(FALSE)

  get_filename_component(stem "${source}" NAME_WE)
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${name}.cython/${stem}.${suffix}")
  set(arguments ${mode})
  if(ARG_MODULE_NAME)
    list(APPEND arguments --module-name "${ARG_MODULE_NAME}")
  endif()
  foreach(directive IN LISTS ARG_DIRECTIVES)
    list(APPEND arguments -X "${directive}")
  endforeach()
  foreach(directory IN LISTS ARG_INCLUDE_DIRS)
    get_filename_component(directory "${directory}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND arguments -I "${directory}")
  endforeach()
  file(RELATIVE_PATH shown "${PROJECT_SOURCE_DIR}" "${source}")
  if(shown MATCHES "^\\.\\./")
    set(shown "${source}")
  endif()
  # Ninja understands a dependency file in every CMake; Makefiles from 3.20 on.
  set(depfile "")
  if(CMAKE_GENERATOR MATCHES "Ninja" OR CMAKE_VERSION VERSION_GREATER_EQUAL 3.20)
    set(depfile DEPFILE "${output}.dep")
  endif()
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${Python_EXECUTABLE}" "${_IRONWHEEL_CYTHON_RUNNER}" "${output}" "${source}" ${arguments}
    DEPENDS "${source}" "${_IRONWHEEL_CYTHON_RUNNER}"
    ${depfile}
    COMMENT "Cythonizing ${shown}"
    VERBATIM)

  _ironwheel_limited_version(limited "${ARG_LIMITED_API}" "${ARG_LIMITED_API_VERSION}")
  # The .pyx is listed too: IDEs show it, and ironwheel leaves it out of the wheel.
  _ironwheel_python_library(${name} "${limited}" "${ARG_WITH_SOABI}" "${output}" ${ARG_SOURCES} "${source}")
  set_source_files_properties("${source}" PROPERTIES HEADER_FILE_ONLY TRUE)
  # The generated file is not beside the .pyx, but its #include "x.h" (cdef extern
  # from "x.h") means the .pyx's directory, as it does when Cython writes in place.
  get_filename_component(source_dir "${source}" DIRECTORY)
  target_include_directories(${name} PRIVATE "${source_dir}")
  if(ARG_CXX)
    set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CXX)
  endif()
  set(output_name "${ARG_OUTPUT_NAME}")
  if(NOT output_name)
    if(ARG_MODULE_NAME)
      string(REGEX REPLACE "^.*\\." "" output_name "${ARG_MODULE_NAME}")
    else()
      set(output_name "${stem}")
    endif()
  endif()
  _ironwheel_finish_module(${name} "${output_name}" "${ARG_DESTINATION}")
endfunction()
