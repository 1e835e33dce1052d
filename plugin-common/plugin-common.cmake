# The policy both compiler plugins share (cprof-policy.h): plain C++17,
# compiled into each plugin with that plugin's own flags (-fno-rtti for
# GCC, hidden visibility for Clang), so it is sources, not a library.
set(CPROF_PLUGIN_COMMON_DIR ${CMAKE_CURRENT_LIST_DIR})

function(cprof_add_plugin_common target)
  target_sources(${target} PRIVATE
    ${CPROF_PLUGIN_COMMON_DIR}/options.cc
    ${CPROF_PLUGIN_COMMON_DIR}/select.cc
    ${CPROF_PLUGIN_COMMON_DIR}/line-range.cc
    ${CPROF_PLUGIN_COMMON_DIR}/line-flow.cc)
  target_include_directories(${target} PRIVATE ${CPROF_PLUGIN_COMMON_DIR})
endfunction()
