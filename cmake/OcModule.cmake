# oc_module(NAME n SOURCES … DEPS … [PCH header …]): one static library per module, aliased
# oc::n. The link graph is the dependency rule: a module can only include what its DEPS give it.
# PCH names heavy third-party headers (Boost) most of the module's files include, parsed once.
function(oc_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS;PRIVATE_DEPS;PCH" ${ARGN})
  add_library(oc_${M_NAME} STATIC ${M_SOURCES})
  add_library(oc::${M_NAME} ALIAS oc_${M_NAME})
  target_include_directories(oc_${M_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(oc_${M_NAME} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  if(M_PCH)
    target_precompile_headers(oc_${M_NAME} PRIVATE ${M_PCH})
  endif()
endfunction()

# oc_test(NAME n SOURCES … DEPS …): a GoogleTest binary whose tests CTest lists one by one.
function(oc_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT OC_BUILD_TESTS OR OC_FUZZ)
    return()
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${T_NAME} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS "${T_LABELS}")
endfunction()
