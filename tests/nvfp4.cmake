# NVFP4 (include/mxconform/nvfp4.h, spec_notes/nvfp4.md): hand-derived worked examples, the
# reference equal to the oracle on random tensors under every knob, and the command line.
add_executable(test_nvfp4 ${CMAKE_CURRENT_LIST_DIR}/test_nvfp4.c)
target_include_directories(test_nvfp4 PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(test_nvfp4 PRIVATE mxref mxoracle m)
add_test(NAME nvfp4_worked_examples_and_reference_equals_oracle COMMAND test_nvfp4)

add_test(NAME nvfp4_cli_quantize_reference_equals_oracle_every_profile
         COMMAND sh -c "for p in ocp nvfp4-te; do \"$0\" quantize --fmt nvfp4 --profile $p --impl both --pack fp4-low \
                          6 5 3 2.5 1.5 1 0.75 0.5 0.25 0 -0 -1 -2 -4 -5 -6 0.01 -0.005 0.0025 0.001 0 0 0 0 0 0 0 0 0 0 0 0 \
                          | grep -q '^reference == oracle$' || exit 1; done" ${MXC})
add_test(NAME nvfp4_cli_dequantize_ignores_the_scale_sign_like_cublas
         COMMAND sh -c "\"$0\" dequantize --fmt nvfp4 --tensor-scale 0x3A800000 --impl both 0xFE 0x7 | grep -q '(2.625)'" ${MXC})
# Bad input: one line, exit status 2.
foreach(case "partial_block;quantize --fmt nvfp4 1 2 3" "nan_value;quantize --fmt nvfp4 nan 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"
             "missing_tensor_scale;dequantize --fmt nvfp4 0x7e 0x1" "code_too_wide;dequantize --fmt nvfp4 --tensor-scale 1 0x7e 0x10"
             "dot_infinite_tensor_scale;dot --fmt nvfp4 inf 7e 7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0 1 7e 7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"
             "dot_block_counts_differ;dot --fmt nvfp4 1 7e,7e 7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0 1 7e 7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"
             "dot_unknown_model_parameter;dot --fmt nvfp4 --param bogus=1 1 7e 7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0 1 7e 7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0")
  list(GET case 0 name)
  list(GET case 1 args)
  separate_arguments(args)
  add_test(NAME nvfp4_cli_rejects_${name}
           COMMAND sh -c "out=$(\"$0\" \"$@\" 2>&1); st=$?; echo \"$out\"; [ \"$st\" = 2 ] && [ \"$(printf '%s\\n' \"$out\" | wc -l)\" = 1 ]"
                   ${MXC} ${args})
endforeach()
