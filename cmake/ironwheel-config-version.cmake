# The version of these helpers is ironwheel's own, read from the Python package: the one this
# directory is installed in (ironwheel/share/cmake/ironwheel), or the source tree's (cmake/ beside src/).
set(_ironwheel_version_file "${CMAKE_CURRENT_LIST_DIR}/../../../_version.py")
if(NOT EXISTS "${_ironwheel_version_file}")
  set(_ironwheel_version_file "${CMAKE_CURRENT_LIST_DIR}/../src/ironwheel/_version.py")
endif()
file(STRINGS "${_ironwheel_version_file}" _ironwheel_version_line
  REGEX "^__version__ = \"[^\"]+\"")
string(REGEX REPLACE "^__version__ = \"([^\"]+)\".*$" "\\1" PACKAGE_VERSION "${_ironwheel_version_line}")
unset(_ironwheel_version_line)
unset(_ironwheel_version_file)
if(PACKAGE_FIND_VERSION AND PACKAGE_VERSION VERSION_LESS PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
