# Debian 12 ships libfdt without a pkg-config file, so look for it directly.
find_path(LIBFDT_INCLUDE_DIR NAMES libfdt.h)
find_library(LIBFDT_LIBRARY NAMES fdt)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibFDT REQUIRED_VARS LIBFDT_LIBRARY LIBFDT_INCLUDE_DIR)
if(LibFDT_FOUND AND NOT TARGET LibFDT::LibFDT)
  add_library(LibFDT::LibFDT UNKNOWN IMPORTED)
  set_target_properties(LibFDT::LibFDT PROPERTIES
    IMPORTED_LOCATION "${LIBFDT_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LIBFDT_INCLUDE_DIR}")
endif()
mark_as_advanced(LIBFDT_INCLUDE_DIR LIBFDT_LIBRARY)
