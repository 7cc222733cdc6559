# Compiles each public header alone (syntax only): every header includes what it uses.
# Inputs: CXX (compiler), INCLUDE_DIR, HEADERS (list relative to INCLUDE_DIR), EXTRA_INCLUDES.
set(failed "")
set(extra "")
foreach(dir IN LISTS EXTRA_INCLUDES)
  list(APPEND extra "-I${dir}")
endforeach()
foreach(header IN LISTS HEADERS)
  execute_process(
    COMMAND "${CXX}" -std=c++20 -fsyntax-only -I "${INCLUDE_DIR}" ${extra} -x c++ -
    INPUT_FILE "${INCLUDE_DIR}/${header}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    list(APPEND failed "${header}")
    message("${header} does not compile on its own:\n${out}")
  endif()
endforeach()
list(LENGTH HEADERS total)
if(failed)
  message(FATAL_ERROR "headers that do not compile on their own: ${failed}")
endif()
message("all ${total} public headers compile on their own")
