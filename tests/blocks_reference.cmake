# Block layer, reference side (libmxref): N-version proofs against the oracle's block layer,
# the matrix API, and the quantize / dequantize command line. Included by tests/CMakeLists.txt.
# `prove --sample N` hands N/10 to the block proofs: N = 10000000 is 10^6 random blocks per
# f32 format x rule.

add_test(NAME block_scale_reference_equals_oracle_every_16bit_amax_and_rule_boundaries
         COMMAND ${MXC} prove --op scale --sample 10000000)
add_test(NAME block_quantize_reference_equals_oracle_million_blocks_per_format_and_rule
         COMMAND ${MXC} prove --op quantize --sample 10000000)
add_test(NAME block_pack_reference_equals_oracle_and_round_trips
         COMMAND ${MXC} prove --op pack --sample 1000000)

add_executable(test_matrix_axis ${CMAKE_CURRENT_SOURCE_DIR}/test_matrix_axis.c)
target_link_libraries(test_matrix_axis PRIVATE mxref m)
add_test(NAME matrix_blocking_axis_matters_and_matches_per_block COMMAND test_matrix_axis)

# Bad arguments: one line naming the problem, exit status 2.
function(mxc_cli_usage_error name)
  add_test(NAME ${name}
           COMMAND sh -c "out=$(\"$0\" \"$@\" 2>&1); st=$?; echo \"$out\"; [ \"$st\" = 2 ] && [ \"$(printf '%s\\n' \"$out\" | wc -l)\" = 1 ]"
                   ${MXC} ${ARGN})
endfunction()
mxc_cli_usage_error(quantize_cli_rejects_unknown_block_format quantize --fmt mxfp9 1)
mxc_cli_usage_error(quantize_cli_rejects_missing_format quantize 1 2)
mxc_cli_usage_error(quantize_cli_rejects_empty_block quantize --fmt mxfp8_e4m3)
mxc_cli_usage_error(quantize_cli_rejects_unknown_rule quantize --fmt mxfp8_e4m3 --rule nearest 1)
mxc_cli_usage_error(quantize_cli_rejects_unknown_knob quantize --fmt mxfp8_e4m3 --knob colour=red 1)
mxc_cli_usage_error(quantize_cli_rejects_bad_block_knob_value quantize --fmt mxfp8_e4m3 --knob nan_block=purple 1)
mxc_cli_usage_error(quantize_cli_rejects_unknown_profile quantize --fmt mxfp8_e4m3 --profile no-such-profile 1)
mxc_cli_usage_error(quantize_cli_rejects_bad_value quantize --fmt mxfp8_e4m3 12abc)
mxc_cli_usage_error(quantize_cli_rejects_bits_wider_than_source quantize --fmt mxfp8_e4m3 --from bf16 0x3f800000)
mxc_cli_usage_error(quantize_cli_rejects_layout_of_other_width quantize --fmt mxfp8_e4m3 --pack fp4-low 1)
mxc_cli_usage_error(quantize_cli_rejects_non_ieee_source quantize --fmt mxfp8_e4m3 --from e4m3 1)
mxc_cli_usage_error(quantize_cli_rejects_unknown_option quantize --fmt mxfp8_e4m3 --frobnicate 1)
mxc_cli_usage_error(dequantize_cli_rejects_code_wider_than_element dequantize --fmt mxfp4_e2m1 0x7f 0x10)
mxc_cli_usage_error(dequantize_cli_rejects_scale_wider_than_e8m0 dequantize --fmt mxfp8_e4m3 0x100 0x01)
mxc_cli_usage_error(dequantize_cli_rejects_missing_codes dequantize --fmt mxint8 0x7f)
mxc_cli_usage_error(dequantize_cli_rejects_bad_destination dequantize --fmt mxint8 --to e4m3 0x7f 0x01)

# Good commands print what they promise.
add_test(NAME quantize_cli_worked_example_e4m3_clamps_largest_element
         COMMAND ${MXC} quantize --fmt mxfp8_e4m3 --impl both 1000 3 -0.142857)
set_tests_properties(quantize_cli_worked_example_e4m3_clamps_largest_element PROPERTIES PASS_REGULAR_EXPRESSION
  "scale 0x80 = 2\\^1  \\[reference\\].*e4m3 0x7e 0x1\\.cp\\+8 \\(448\\).*f32 0x44600000 0x1\\.cp\\+9 \\(896\\).*e4m3 0x99 .*reference == oracle")
add_test(NAME quantize_cli_rceil_keeps_sticky_bit_of_f32_subnormal_quotient
         COMMAND ${MXC} quantize --fmt mxfp8_e4m3 --rule rceil --impl both 0x1.c00002p-119)
set_tests_properties(quantize_cli_rceil_keeps_sticky_bit_of_f32_subnormal_quotient PROPERTIES PASS_REGULAR_EXPRESSION
  "scale 0x01 = 2\\^-126  \\[reference\\].*reference == oracle")
add_test(NAME quantize_cli_packs_fp4_first_element_low_nibble
         COMMAND ${MXC} quantize --fmt mxfp4_e2m1 --pack fp4-low --impl both 1 2 3)
set_tests_properties(quantize_cli_packs_fp4_first_element_low_nibble PROPERTIES PASS_REGULAR_EXPRESSION
  "packed \\(fp4-low\\) \\[reference\\], 2 bytes: 64 07")
add_test(NAME dequantize_cli_e8m0_zero_scale_is_2_pow_minus_127
         COMMAND ${MXC} dequantize --fmt mxfp8_e4m3 --impl both 0x00 0x38 0x01)
set_tests_properties(dequantize_cli_e8m0_zero_scale_is_2_pow_minus_127 PROPERTIES PASS_REGULAR_EXPRESSION
  "scale 0x00 = 2\\^-127.*-> f32 0x00400000 0x1p-127.*-> f32 0x00002000 0x1p-136.*reference == oracle")
add_test(NAME dequantize_cli_bf16_rounds_products_below_its_subnormals
         COMMAND ${MXC} dequantize --fmt mxfp8_e5m2 --to bf16 --impl both 0x00 0x03 0x7b)
set_tests_properties(dequantize_cli_bf16_rounds_products_below_its_subnormals PROPERTIES PASS_REGULAR_EXPRESSION
  "e5m2 0x03 [^\n]*-> bf16 0x0000 0.*reference == oracle")
