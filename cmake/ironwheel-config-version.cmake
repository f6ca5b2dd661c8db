# The version of these helpers is ironwheel's own, read from the package.
file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/../../_version.py" _ironwheel_version_line
  REGEX "^__version__ = \"[^\"]+\"")
string(REGEX REPLACE "^__version__ = \"([^\"]+)\".*$" "\\1" PACKAGE_VERSION "${_ironwheel_version_line}")
unset(_ironwheel_version_line)
if(PACKAGE_FIND_VERSION AND PACKAGE_VERSION VERSION_LESS PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
