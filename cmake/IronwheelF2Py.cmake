#[=======================================================================[.rst:
IronwheelF2Py
-------------

Fortran extension modules through NumPy's f2py, included by
``find_package(ironwheel CONFIG)``.

.. command:: ironwheel_add_f2py_module

  ::

    ironwheel_add_f2py_module(<target>
      SOURCES <source>...
      [MODULE_NAME <name>]
      [ONLY <routine>...]
      [F2PY_ARGS <argument>...]
      [WITH_SOABI]
      [OUTPUT_NAME <name>]
      [DESTINATION <dir>])

  Wrap the Fortran routines of ``SOURCES`` (``.f``, ``.f90``, ...; a
  ``.pyf`` signature file replaces the scan of the Fortran sources) into
  the module ``MODULE_NAME``, which Python then imports with NumPy arrays in
  and out. f2py runs at build time, in the build directory; the wrappers it
  writes are compiled with the sources, NumPy's headers and f2py's
  ``fortranobject.c``. C sources among ``SOURCES`` are compiled in too.

  ``MODULE_NAME``
    The name Python imports (``_fib`` for ``pkg._fib``); the ``python module``
    of a ``.pyf`` file; otherwise ``<target>``.

  ``ONLY``
    Wrap only these routines (f2py's ``only:``).

  ``F2PY_ARGS``
    More arguments for f2py. Names are lower-cased (``--lower``), as
    Fortran compilers spell them; ``F2PY_ARGS --no-lower`` keeps them.

  The project must enable C and Fortran: ``project(x LANGUAGES C Fortran)``;
  ``FC`` picks the Fortran compiler. ironwheel requests NumPy from the
  frontend when the project calls this function. f2py modules cannot use
  the limited API. See ``ironwheel_add_module`` for the other options.
#]=======================================================================]

include_guard(GLOBAL)
cmake_policy(VERSION 3.18...3.31)
include("${CMAKE_CURRENT_LIST_DIR}/IronwheelModule.cmake")

function(ironwheel_add_f2py_module name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG
    "WITH_SOABI" "MODULE_NAME;OUTPUT_NAME;DESTINATION" "SOURCES;ONLY;F2PY_ARGS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ironwheel_add_f2py_module(${name}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  foreach(language C Fortran)
    if(NOT language IN_LIST languages)
      message(FATAL_ERROR
        "ironwheel_add_f2py_module(${name}): enable ${language}: project(... LANGUAGES C Fortran)")
    endif()
  endforeach()

  set(fortran "")
  set(signature "")
  set(others "")
  foreach(source IN LISTS ARG_SOURCES)
    get_filename_component(source "${source}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(source MATCHES "\\.pyf$")
      if(signature)
        message(FATAL_ERROR "ironwheel_add_f2py_module(${name}): more than one .pyf file")
      endif()
      set(signature "${source}")
    elseif(source MATCHES "\\.([fF]|[fF]77|[fF]90|[fF]95|[fF]03|[fF]08|for|FOR)$")
      list(APPEND fortran "${source}")
    else()
      list(APPEND others "${source}")
    endif()
  endforeach()
  if(NOT fortran AND NOT signature)
    message(FATAL_ERROR "ironwheel_add_f2py_module(${name}): no Fortran sources and no .pyf file")
  endif()

  set(module "${ARG_MODULE_NAME}")
  if(signature)
    file(STRINGS "${signature}" declared REGEX "^[ \t]*python[ \t]+module[ \t]+[A-Za-z_][A-Za-z0-9_]*")
    list(GET declared 0 declared)
    string(REGEX REPLACE "^[ \t]*python[ \t]+module[ \t]+([A-Za-z0-9_]+).*$" "\\1" declared "${declared}")
    if(module AND NOT module STREQUAL declared)
      message(FATAL_ERROR
        "ironwheel_add_f2py_module(${name}): MODULE_NAME ${module} differs from \"python module "
        "${declared}\" in ${signature}")
    endif()
    set(module "${declared}")
  endif()
  if(NOT module)
    set(module "${name}")
  endif()
  if(NOT module MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "ironwheel_add_f2py_module(${name}): \"${module}\" is not a module name (set MODULE_NAME)")
  endif()

  _ironwheel_find_python(FALSE)
  _ironwheel_numpy_dirs(numpy_include f2py_include)
  set(directory "${CMAKE_CURRENT_BINARY_DIR}/${name}.f2py")
  # f2py writes the wrappers only when the routines need them; touching them
  # makes the outputs the same every time.
  set(outputs
    "${directory}/${module}module.c"
    "${directory}/${module}-f2pywrappers.f"
    "${directory}/${module}-f2pywrappers2.f90")
  if(signature)
    set(inputs "${signature}")
    set(naming "")
  else()
    set(inputs ${fortran})
    set(naming -m "${module}")
  endif()
  set(only "")
  if(ARG_ONLY)
    set(only only: ${ARG_ONLY} :)
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${directory}"
    COMMAND "${Python_EXECUTABLE}" -m numpy.f2py ${inputs} ${naming} --build-dir "${directory}"
            --lower --quiet ${ARG_F2PY_ARGS} ${only}
    COMMAND "${CMAKE_COMMAND}" -E touch ${outputs}
    DEPENDS ${inputs}
    COMMENT "Wrapping ${module} with f2py"
    VERBATIM)

  # The .pyf is listed too: IDEs show it, and ironwheel leaves it out of the wheel.
  _ironwheel_python_library(${name} "" "${ARG_WITH_SOABI}"
    ${outputs} "${f2py_include}/fortranobject.c" ${fortran} ${others} ${signature})
  if(signature)
    set_source_files_properties("${signature}" PROPERTIES HEADER_FILE_ONLY TRUE)
  endif()
  target_include_directories(${name} PRIVATE "${numpy_include}" "${f2py_include}" "${directory}")
  set(output_name "${ARG_OUTPUT_NAME}")
  if(NOT output_name)
    set(output_name "${module}")
  endif()
  _ironwheel_finish_module(${name} "${output_name}" "${ARG_DESTINATION}")
endfunction()
