# install.cmake: what `cmake --install` puts where, besides the targets
# (installed next to their definitions: gidlint in client/, gidlintd in
# daemon/, libgidlint.a, libgidlint.so.0, the headers and gidlint.pc in
# engine/), and the Debian package CPack builds from it.
#
#   bin/gidlint  sbin/gidlintd  lib/libgidlint.{a,so.0}  include/gidlint/
#   lib/pkgconfig/gidlint.pc  share/man/man1/gidlint.1.gz  man8/gidlintd.8.gz
#   /etc/gidlint/gidlintd.conf (the example: every default)
#   systemd's unit directory: gidlintd.service, gidlintd@.service,
#   gidlint-broker.service (not enabled: `systemctl enable --now gidlintd`)
#
# The package is built with CMAKE_INSTALL_PREFIX=/usr (scripts/package-test.sh):
# GNUInstallDirs then puts the configuration in /etc, not /usr/etc.
#
# Not installed: include/gidlint/gl_producer.h.  Its library, the reliable
# producer (client/gl_producer.c), is built on the wire protocol's internal
# library (proto/, msgpack-c) and hands structures to the caller by value;
# until it has an ABI of its own to keep, intake systems build it from the
# source tree (it is one .c file plus proto/).

# Man pages are installed gzipped (Debian policy; man reads them as they
# are); -n keeps the name and time out, so the bytes depend on the page only.
find_program(GL_GZIP gzip REQUIRED)
set(GL_MAN_PAGES gidlint.1 gidlintd.8 gidlint-broker.8)
set(GL_MAN_GZ)
foreach(page IN LISTS GL_MAN_PAGES)
  set(gz ${PROJECT_BINARY_DIR}/man/${page}.gz)
  add_custom_command(OUTPUT ${gz}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    COMMAND ${GL_GZIP} -9nc ${PROJECT_SOURCE_DIR}/man/${page} > ${gz}
    DEPENDS ${PROJECT_SOURCE_DIR}/man/${page}
    COMMENT "gzip man/${page}" VERBATIM)
  list(APPEND GL_MAN_GZ ${gz})
  string(REGEX REPLACE ".*\\." "" section ${page})
  install(FILES ${gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
add_custom_target(gidlint_man ALL DEPENDS ${GL_MAN_GZ})
install(FILES ${PROJECT_SOURCE_DIR}/deploy/gidlintd.conf
              ${PROJECT_SOURCE_DIR}/deploy/gidlint-broker.conf
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/gidlint)

# systemd units: installing under /usr, where systemd.pc says (Debian 12:
# /lib/systemd/system); under another prefix (a user's, /usr/local), in
# PREFIX/lib/systemd/system, as /etc becomes PREFIX/etc: an install there
# writes nothing outside the prefix.  GIDLINT_SYSTEMD_UNITDIR overrides both.
pkg_get_variable(GL_PC_UNITDIR systemd systemdsystemunitdir)
if(GL_PC_UNITDIR AND CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(GL_UNITDIR_DEFAULT ${GL_PC_UNITDIR})
else()
  set(GL_UNITDIR_DEFAULT ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(GIDLINT_SYSTEMD_UNITDIR ${GL_UNITDIR_DEFAULT} CACHE PATH
    "Where the systemd units are installed")
file(GLOB GL_UNITS ${PROJECT_SOURCE_DIR}/deploy/systemd/*.service)
install(FILES ${GL_UNITS} DESTINATION ${GIDLINT_SYSTEMD_UNITDIR})

# The Debian package: cpack -G DEB in the build directory.
set(CPACK_PACKAGE_NAME gidlint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "gidlint")
set(CPACK_PACKAGE_CONTACT "gidlint maintainers <maintainers@gidlint.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "lint service for government information disclosure annual reports")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"gidlint checks Chinese government information disclosure annual reports
against the national format: the six sections, the statistical tables of
the 2019 and 2021 editions, their arithmetic, and the prose against the
tables.  The package holds the gidlint command-line client, the gidlintd
streaming daemon (ZeroMQ, MessagePack) with its systemd units and example
configuration, and the engine library libgidlint with its headers.
政府信息公开工作年度报告格式检查：命令行工具、流式服务与引擎库。")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# dpkg-shlibdeps computes the run-time dependencies (libzmq5, libev4, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The shared library's soname in the package's shlibs file, and ldconfig.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
# CPack does not mark /etc files as conffiles by itself: dpkg keeps a
# changed /etc/gidlint/gidlintd.conf across upgrades only when listed here.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_LIST_DIR}/conffiles)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
include(CPack)
