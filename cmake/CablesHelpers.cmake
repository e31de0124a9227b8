# Project-wide compile flags and small helpers for targets and tests.

set(CABLES_WARNINGS -Wall -Wextra -Wpedantic)
if(CABLES_WERROR)
  list(APPEND CABLES_WARNINGS -Werror)
endif()

if(CABLES_SANITIZE)
  add_compile_options(-fsanitize=${CABLES_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${CABLES_SANITIZE})
endif()

# cables_target_defaults(TARGET): our warnings on our own code only
# (generated protobuf code is compiled without -Werror).
function(cables_target_defaults target)
  target_compile_options(${target} PRIVATE ${CABLES_WARNINGS})
endfunction()

# cables_add_test(NAME SOURCES... [LIBS ...] [LABELS ...] [WHOLE])
# Builds one gtest binary and registers each test case with CTest (WHOLE:
# the binary is one CTest test, for suites whose shared set-up -- e.g.
# loading the corpus into a database -- is too costly per case). Names
# ending in _pgtest need PostgreSQL: they get the "pg" label and the
# embedded-cluster fixture, which exports DATABASE_URL through a file.
function(cables_add_test name)
  cmake_parse_arguments(ARG "WHOLE" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  cables_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock
                        GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
      CABLES_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
      CABLES_BINARY_DIR="${CMAKE_BINARY_DIR}")
  set(labels ${ARG_LABELS})
  set(props "")
  if(name MATCHES "_pgtest$")
    list(APPEND labels pg)
    set(props FIXTURES_REQUIRED postgres RESOURCE_LOCK postgres_db)
  endif()
  if(ARG_WHOLE)
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES LABELS "${labels}" ${props} TIMEOUT 1200)
  else()
    gtest_discover_tests(${name}
        DISCOVERY_TIMEOUT 60
        PROPERTIES LABELS "${labels}" ${props})
  endif()
endfunction()
