# oc_module(NAME n SOURCES … DEPS …): one static library per module, aliased oc::n. The link
# graph is the dependency rule: a module can only include what its DEPS give it.
function(oc_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(oc_${M_NAME} STATIC ${M_SOURCES})
  add_library(oc::${M_NAME} ALIAS oc_${M_NAME})
  target_include_directories(oc_${M_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(oc_${M_NAME} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
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
