# galleyAddTests.cmake: run by ctest, not by CMake: the file that
# galley_discover_tests() (galleyConfig.cmake) writes sets the _galley_*
# variables below and includes this one, which lists the project's tests
# with `galley run --list` and adds one CTest test for each.
#
#   _galley_command     the galley executable
#   _galley_dir         the project directory: where galley lists and runs
#   _galley_list_args   PATHS and --filter, for the listing
#   _galley_run_args    more arguments for each run
#   _galley_properties  CTest properties for each test
#   _galley_prefix, _galley_suffix   put around each name, FILE:TEST
#   _galley_timeout     seconds the listing may take

# Adds the CTest test for TEST of FILE: a galley run of that test alone,
# selected by name (a line would go stale as the file is edited). FILE is
# as galley spells it, so --filter matches it once its regex characters
# are escaped.
function(_galley_add_test file test)
  string(REGEX REPLACE "([][\\\\.^$|?*+(){}])" "\\\\\\1" file_re "${file}")
  set(name "${_galley_prefix}${file}:${test}${_galley_suffix}")
  add_test("${name}" "${_galley_command}" run --color=never
           ${_galley_run_args} "--filter=^${file_re}:${test}$")
  # One test run alone passes, fails or is skipped (inside #if 0), and
  # the summary says which. A test gone since the listing matches nothing,
  # which galley only warns about: that is a failure here.
  set_tests_properties("${name}" PROPERTIES
    WORKING_DIRECTORY "${_galley_dir}"
    RESOURCE_LOCK "galley:${_galley_dir}"
    SKIP_REGULAR_EXPRESSION "0 passed, 0 failed, 1 skipped"
    FAIL_REGULAR_EXPRESSION "galley: warning: no test matches --filter"
    ${_galley_properties})
endfunction()

# Lists the tests and adds them; when the listing fails (galley.conf
# wrong, no tests directory, galley gone), adds one test that lists them
# again, so that ctest runs it and shows galley's message.
function(_galley_add_tests)
  execute_process(
    COMMAND "${_galley_command}" run --list --color=never ${_galley_list_args}
    WORKING_DIRECTORY "${_galley_dir}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
    TIMEOUT "${_galley_timeout}")
  if(NOT rc STREQUAL "0")
    set(name "${_galley_prefix}galley_discovery${_galley_suffix}")
    add_test("${name}" "${_galley_command}" run --list --color=never
             ${_galley_list_args})
    set_tests_properties("${name}" PROPERTIES
      WORKING_DIRECTORY "${_galley_dir}")
    return()
  endif()
  # Each line is FILE:LINE: TEST.
  string(REGEX MATCHALL "[^\n]+" lines "${out}")
  foreach(line IN LISTS lines)
    if(line MATCHES "^(.+):[0-9]+: ([^ ]+)$")
      _galley_add_test("${CMAKE_MATCH_1}" "${CMAKE_MATCH_2}")
    endif()
  endforeach()
endfunction()

_galley_add_tests()
