# Installing mxconform: `cmake --install build --prefix P` (or `make install PREFIX=P`) puts
#   P/bin/mxconform
#   P/lib/libmxref.a, libmxref.so.X.Y.Z (SONAME libmxref.so.X) — libmxref with the format
#     and knob tables (common/) inside, so a consumer links one library
#   P/include/mxconform/*.h        the public headers (mxref.h, target.h, ...)
#   P/lib/pkgconfig/mxref.pc       pkg-config --cflags --libs mxref
#   P/lib/cmake/mxconform/         find_package(mxconform): mxconform::mxref (shared),
#                                  mxconform::mxref_static, mxconform::mxconform (the program,
#                                  for a consumer's add_test)
#   P/share/mxconform/vectors/     the committed golden vectors (smoke, standard)
#   P/share/man/man1/mxconform.1
# Every installed path is relative to P, so the tree can be moved after installing.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The build's own mxref links mxcommon separately; the installed library carries both, from
# the objects already built for them (position-independent, so they serve both forms).
set(MXC_INSTALL_OBJECTS $<TARGET_OBJECTS:mxref> $<TARGET_OBJECTS:mxcommon>)
set(MXC_INSTALL_LIB_DIR ${CMAKE_BINARY_DIR}/installable)
add_library(mxref_shared SHARED ${MXC_INSTALL_OBJECTS})
add_library(mxref_static STATIC ${MXC_INSTALL_OBJECTS})
set_target_properties(mxref_shared PROPERTIES OUTPUT_NAME mxref EXPORT_NAME mxref
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}
  LIBRARY_OUTPUT_DIRECTORY ${MXC_INSTALL_LIB_DIR})
set_target_properties(mxref_static PROPERTIES OUTPUT_NAME mxref EXPORT_NAME mxref_static
  ARCHIVE_OUTPUT_DIRECTORY ${MXC_INSTALL_LIB_DIR})
foreach(t mxref_shared mxref_static)
  add_dependencies(${t} mxref mxcommon)
  set_target_properties(${t} PROPERTIES LINKER_LANGUAGE C)
  target_include_directories(${t} INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
endforeach()
target_link_libraries(mxref_shared PRIVATE Threads::Threads m)
target_link_libraries(mxref_static INTERFACE Threads::Threads m)

install(TARGETS mxconform mxref_shared mxref_static EXPORT mxconformTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/mxconform DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/vectors/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mxconform/vectors)
# the man page, written from the help texts of the program just built
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/mxconform.1
  COMMAND sh ${PROJECT_SOURCE_DIR}/scripts/gen_manpage.sh $<TARGET_FILE:mxconform> > ${CMAKE_BINARY_DIR}/mxconform.1
  DEPENDS mxconform ${PROJECT_SOURCE_DIR}/scripts/gen_manpage.sh VERBATIM)
add_custom_target(manpage ALL DEPENDS ${CMAKE_BINARY_DIR}/mxconform.1)
install(FILES ${CMAKE_BINARY_DIR}/mxconform.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# CMake package
set(MXC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mxconform)
install(EXPORT mxconformTargets NAMESPACE mxconform:: DESTINATION ${MXC_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mxconformConfig.cmake.in
  ${CMAKE_BINARY_DIR}/mxconformConfig.cmake INSTALL_DESTINATION ${MXC_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/mxconformConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/mxconformConfig.cmake ${CMAKE_BINARY_DIR}/mxconformConfigVersion.cmake
  DESTINATION ${MXC_CMAKE_DIR})

# pkg-config: the prefix is found from the .pc file's own place (${pcfiledir}), so the
# file stays right whatever --prefix the install is given.
file(RELATIVE_PATH MXC_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
configure_file(${PROJECT_SOURCE_DIR}/cmake/mxref.pc.in ${CMAKE_BINARY_DIR}/mxref.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/mxref.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Debian package: cpack -G DEB (from the build directory).
set(CPACK_PACKAGE_NAME mxconform)
set(CPACK_PACKAGE_CONTACT "mxconform maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "OCP MX formats conformance suite, exact oracle and reference library")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
