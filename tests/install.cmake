# cmake --install: a program outside the tree builds against the installed libmxref with
# pkg-config and with find_package(mxconform). Sanitizer builds install instrumented
# libraries a plain consumer cannot link, so the test is left out there.
if(NOT MXC_SANITIZE)
  add_test(NAME installed_tree_builds_a_program_with_pkgconfig_and_cmake
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install.sh ${CMAKE_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${CMAKE_COMMAND})
endif()
