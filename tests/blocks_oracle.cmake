# Block layer (oracle side) and profiles: hand-checked worked examples and the profile
# file format. Included by tests/CMakeLists.txt.

add_executable(test_block_worked_examples ${CMAKE_CURRENT_SOURCE_DIR}/test_block_worked_examples.c)
target_link_libraries(test_block_worked_examples PRIVATE mxoracle mxref)
# the worked examples check libmxref as well as the oracle
target_compile_definitions(test_block_worked_examples PRIVATE MXC_HAVE_REF_BLOCKS)
add_test(NAME block_scale_worked_examples_from_spec COMMAND test_block_worked_examples scale)
add_test(NAME block_specials_and_overflow_knobs_worked_examples COMMAND test_block_worked_examples specials)
add_test(NAME block_dequantize_e8m0_extremes_and_overflow COMMAND test_block_worked_examples dequantize)
add_test(NAME block_packing_layouts_bit_exact COMMAND test_block_worked_examples pack)

add_executable(test_profiles ${CMAKE_CURRENT_SOURCE_DIR}/test_profiles.c)
target_link_libraries(test_profiles PRIVATE mxoracle)
add_test(NAME profile_builtins_have_documented_values COMMAND test_profiles builtins)
add_test(NAME profile_write_parse_round_trip_every_builtin COMMAND test_profiles roundtrip)
add_test(NAME profile_conditional_values_resolve_by_request COMMAND test_profiles conditional)
add_test(NAME profile_dot_line_parses_and_round_trips COMMAND test_profiles dot)
add_test(NAME profile_files_parse_and_reject_bad_lines
         COMMAND test_profiles files ${CMAKE_CURRENT_SOURCE_DIR}/data/profiles)
