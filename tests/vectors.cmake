# Golden vectors: regeneration identity, and the reference passes every suite under every
# built-in profile (expected values recomputed by the oracle where a profile's knobs differ).
add_test(NAME vectors_regenerate_identically
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/vectors_regenerate_identically.sh ${MXC} ${PROJECT_SOURCE_DIR})
foreach(profile ocp nvidia-rceil torchao-ceil torchao-even microxcaling gfloat)
  add_test(NAME reference_passes_standard_tier_under_${profile}
           COMMAND ${MXC} run --target reference --profile ${profile} --tier standard -q)
endforeach()
add_test(NAME reference_passes_over_the_process_protocol
         COMMAND ${MXC} run --target "cmd:$<TARGET_FILE:mxconform> serve --reference" --tier smoke -q)
add_test(NAME vector_files_hold_each_case_once
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/vectors_hold_each_case_once.sh ${PROJECT_SOURCE_DIR}/vectors)
# Every vector family of issue 14 is in the standard tier, checked on the files by a reader
# that shares nothing with the generator.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND)
  add_test(NAME standard_tier_holds_every_vector_family
           COMMAND ${Python3_EXECUTABLE} -B ${CMAKE_CURRENT_SOURCE_DIR}/vectors_cover_families.py
                   ${PROJECT_SOURCE_DIR}/vectors/standard)
endif()
