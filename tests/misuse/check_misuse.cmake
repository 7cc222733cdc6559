# Checks one must-not-compile file: run as
#   cmake -DCOMPILER=<c++> -DINCLUDE_DIR=<dir> -DSOURCE=<file.cpp> [-DNAME=<name>]
#         [-DSTD_FLAG=-std=c++20] [-DSYSROOT=<dir>] -P check_misuse.cmake
#
# 1. SOURCE compiles (syntax only) without LOOM_MISUSE: the correct twin.
# 2. SOURCE fails to compile with -DLOOM_MISUSE: the mistake.
# 3. The first error line is loom's own (contains "loom: "), and every `// expect: <regex>`
#    line of SOURCE matches some line of that failing compile's output. The regexes are CMake
#    regular expressions, each matched against one line at a time, after two rewrites that
#    let one regex serve both GCC and Clang:
#      - Clang prints a string template argument as char codes, `{{98, 97, 116, 99, 104, 0}}`;
#        it becomes `"batch"`.
#      - GCC prints it as `loom::v0::fixed_string<6>{"batch"}` (Clang, where it names the
#        type, as `loom::fixed_string<6>{{...}}`); it becomes `"batch"` too.
#    So `tensor_has_no_axis<"kernel_y">` matches either compiler.
# 4. Prints "misuse <name>: N lines of diagnostics" (lines of the failing compile's output),
#    so that the suite shows how long each error is.

foreach(_var IN ITEMS COMPILER INCLUDE_DIR SOURCE)
  if(NOT DEFINED ${_var} OR "${${_var}}" STREQUAL "")
    message(FATAL_ERROR "check_misuse.cmake: pass -D${_var}=...")
  endif()
endforeach()
if(NOT DEFINED NAME)
  get_filename_component(NAME "${SOURCE}" NAME_WE)
endif()
if(NOT DEFINED STD_FLAG OR STD_FLAG STREQUAL "")
  set(STD_FLAG -std=c++20)
endif()

# Placeholders for the characters that CMake's list splitting treats specially, so that a
# text can be cut into lines whatever it contains.
string(ASCII 1 _semicolon)
string(ASCII 2 _open_bracket)
string(ASCII 3 _close_bracket)

# Sets `out` to the lines of `text`, each still escaped: pass one through _unescape before use.
function(_split_lines text out)
  string(REPLACE ";" "${_semicolon}" text "${text}")
  string(REPLACE "[" "${_open_bracket}" text "${text}")
  string(REPLACE "]" "${_close_bracket}" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(_unescape text out)
  string(REPLACE "${_semicolon}" ";" text "${text}")
  string(REPLACE "${_open_bracket}" "[" text "${text}")
  string(REPLACE "${_close_bracket}" "]" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Rewrites string template arguments to `"text"` (see 3. above).
function(_decode_names text out)
  # Clang: {{98, 97, 116, 99, 104, 0}}. Printable codes only, zero-terminated.
  while(text MATCHES "{{(([0-9]+, )+0)}}")
    set(_match "${CMAKE_MATCH_0}")
    string(REPLACE ", " ";" _codes "${CMAKE_MATCH_1}")
    set(_decoded "")
    foreach(_code IN LISTS _codes)
      if(_code GREATER_EQUAL 32 AND _code LESS 127 AND NOT _code EQUAL 34 AND NOT _code EQUAL 92)
        string(ASCII ${_code} _char)
        string(APPEND _decoded "${_char}")
      elseif(NOT _code EQUAL 0)
        string(APPEND _decoded "\\${_code}")
      endif()
    endforeach()
    string(REPLACE "${_match}" "\"${_decoded}\"" text "${text}")
  endwhile()
  # GCC's loom::v0::fixed_string<6>{"batch"} and Clang's loom::fixed_string<6>"batch" (left
  # by the step above) become "batch".
  string(REGEX REPLACE "(loom::)?(v0::)?fixed_string<[0-9]+>{?(\"[^\"]*\")}?" "\\3"
         text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(_compile out_result out_output)
  set(_cmd "${COMPILER}" ${STD_FLAG} -fsyntax-only -fdiagnostics-color=never
           "-I${INCLUDE_DIR}" ${ARGN})
  if(SYSROOT)
    list(APPEND _cmd -isysroot "${SYSROOT}")
  endif()
  execute_process(COMMAND ${_cmd} "${SOURCE}"
                  RESULT_VARIABLE _result OUTPUT_VARIABLE _output ERROR_VARIABLE _output)
  set(${out_result} "${_result}" PARENT_SCOPE)
  set(${out_output} "${_output}" PARENT_SCOPE)
endfunction()

# The expectations.
file(READ "${SOURCE}" _source)
_split_lines("${_source}" _source_lines)
set(_expects "")
foreach(_line IN LISTS _source_lines)
  if(_line MATCHES "^// expect: (.+)$")
    string(STRIP "${CMAKE_MATCH_1}" _regex)
    list(APPEND _expects "${_regex}")
  endif()
endforeach()
if(NOT _expects)
  message(FATAL_ERROR "misuse ${NAME}: ${SOURCE} has no `// expect: <regex>` line")
endif()

# 1. The correct twin compiles.
_compile(_result _output)
if(NOT _result EQUAL 0)
  message("${_output}")
  message(FATAL_ERROR "misuse ${NAME}: the correct twin (without LOOM_MISUSE) does not "
                      "compile (diagnostics above), so the misuse test proves nothing")
endif()

# 2. The mistake does not.
_compile(_result _output -DLOOM_MISUSE)
if(_result EQUAL 0)
  message(FATAL_ERROR "misuse ${NAME}: compiled with LOOM_MISUSE, but must not")
endif()

# 3. Its diagnostics say what the file expects.
_decode_names("${_output}" _decoded)
_split_lines("${_decoded}" _output_lines)
set(_missing "")
# The first error must be one of loom's own messages, not a failure deeper down that happens
# to mention the same words.
set(_first_error "")
foreach(_line_escaped IN LISTS _output_lines)
  if(_line_escaped MATCHES "error:")
    _unescape("${_line_escaped}" _first_error)
    break()
  endif()
endforeach()
if(NOT _first_error MATCHES "loom: ")
  string(APPEND _missing "  loom:  (in the first error line, which is: ${_first_error})\n")
endif()
foreach(_regex_escaped IN LISTS _expects)
  _unescape("${_regex_escaped}" _regex)
  set(_found FALSE)
  foreach(_line_escaped IN LISTS _output_lines)
    _unescape("${_line_escaped}" _line)
    if(_line MATCHES "${_regex}")
      set(_found TRUE)
      break()
    endif()
  endforeach()
  if(NOT _found)
    string(APPEND _missing "  ${_regex}\n")
  endif()
endforeach()

# 4. How long the diagnostics are.
string(REGEX MATCHALL "\n" _newlines "${_output}")
list(LENGTH _newlines _count)
if(NOT _output MATCHES "\n$" AND NOT _output STREQUAL "")
  math(EXPR _count "${_count} + 1")
endif()

if(_missing)
  message("${_decoded}")
  message(FATAL_ERROR "misuse ${NAME}: failed to compile as it should, but no line of its "
                      "${_count} lines of diagnostics (above, with names decoded) matches\n"
                      "${_missing}")
endif()
message("misuse ${NAME}: ${_count} lines of diagnostics")
