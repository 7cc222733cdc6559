# Configures and builds a project from scratch, then runs its tests or installs it.
#
#   cmake -DSOURCE_DIR=<dir> -DBINARY_DIR=<dir> -DBUILD_TYPE=<cfg> [-DINSTALL=ON]
#         -P build_and_run.cmake -- <configure arguments...>
#
# With INSTALL=ON the build is installed (at the CMAKE_INSTALL_PREFIX given among
# the configure arguments, removed first); otherwise the project's own CTest
# tests run. The binary directory is removed first, so every run is a fresh
# configure, as a new user would meet it.

foreach(_var IN ITEMS SOURCE_DIR BINARY_DIR BUILD_TYPE)
  if(NOT ${_var})
    message(FATAL_ERROR "build_and_run.cmake: -D${_var}=... is required")
  endif()
endforeach()

set(_configure_args)
set(_after_separator FALSE)
math(EXPR _last "${CMAKE_ARGC} - 1")
foreach(_i RANGE ${_last})
  if(_after_separator)
    list(APPEND _configure_args "${CMAKE_ARGV${_i}}")
    if(CMAKE_ARGV${_i} MATCHES "^-DCMAKE_INSTALL_PREFIX=(.+)$")
      set(_prefix "${CMAKE_MATCH_1}")
    endif()
  elseif(CMAKE_ARGV${_i} STREQUAL "--")
    set(_after_separator TRUE)
  endif()
endforeach()

function(run_step)
  execute_process(COMMAND ${ARGV} COMMAND_ECHO STDOUT RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "step failed (exit ${_rc}): ${ARGV}")
  endif()
endfunction()

file(REMOVE_RECURSE "${BINARY_DIR}")
run_step("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}"
         "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}" ${_configure_args})
run_step("${CMAKE_COMMAND}" --build "${BINARY_DIR}" --config "${BUILD_TYPE}")
if(INSTALL)
  if(NOT _prefix)
    message(FATAL_ERROR "build_and_run.cmake: INSTALL=ON needs -DCMAKE_INSTALL_PREFIX=... after --")
  endif()
  file(REMOVE_RECURSE "${_prefix}")
  run_step("${CMAKE_COMMAND}" --install "${BINARY_DIR}" --config "${BUILD_TYPE}")
else()
  run_step("${CMAKE_CTEST_COMMAND}" --test-dir "${BINARY_DIR}" -C "${BUILD_TYPE}"
           --output-on-failure --no-tests=error)
endif()
