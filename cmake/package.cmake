# What `cmake --install` adds beyond the targets' own rules (rt/, tools/,
# plugin-*/): pkg-config and CMake package files, man pages, docs, bash
# completion; and the Debian package (`cpack -G DEB`).
include(CMakePackageConfigHelpers)

set(CPROF_PLUGIN_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cprof)
set(CPROF_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cprof)
install(EXPORT cprof-targets NAMESPACE cprof:: DESTINATION ${CPROF_CMAKE_INSTALL_DIR})
configure_package_config_file(cmake/cprof-config.cmake.in
  ${PROJECT_BINARY_DIR}/cprof-config.cmake
  INSTALL_DESTINATION ${CPROF_CMAKE_INSTALL_DIR}
  PATH_VARS CPROF_PLUGIN_INSTALL_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cprof-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cprof-config.cmake
  ${PROJECT_BINARY_DIR}/cprof-config-version.cmake
  DESTINATION ${CPROF_CMAKE_INSTALL_DIR})

file(RELATIVE_PATH PC_PREFIX_FROM_PCDIR
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(cmake/cprof.pc.in ${PROJECT_BINARY_DIR}/cprof.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cprof.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES docs/man/cprof.1 docs/man/prstats.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
file(GLOB docs CONFIGURE_DEPENDS docs/*.md)
install(FILES README.md ${docs} DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES tools/cprof/cprof.bash-completion
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME cprof)

# The GCC plugin loads only into the GCC it was built for.
execute_process(COMMAND dpkg-query -W -f=\${Version} gcc-12
  OUTPUT_VARIABLE gcc_version ERROR_QUIET)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cprof)
set(CPACK_PACKAGE_CONTACT "cprof developers <cprof@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "deterministic profiler for C and C++ (GCC and Clang plugins, runtime, prstats)")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(gcc_version)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "gcc-12 (= ${gcc_version})")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "clang-14")
include(CPack)
