# NVFP4 through every route a target can take (spec_notes/nvfp4.md §8): the op table's
# nvfp4_* suites against the reference (both NVFP4 profiles), a shared library through the
# ABI (targets/example, independent of libmxref), a process through the protocol (exact
# Python over targets/python/mxproto.py), `serve --reference` as a process, and an old ABI
# table without the NVFP4 entries. The command line route is tests/nvfp4.cmake.
add_test(NAME reference_passes_nvfp4_suites_under_nvfp4_te
         COMMAND ${MXC} run --target reference --profile nvfp4-te --tier standard --suites "nvfp4_*" -q)
add_test(NAME nvfp4_through_the_abi_example_target_passes
         COMMAND ${MXC} run --target lib:$<TARGET_FILE:mxtarget_example> --tier standard --suites "nvfp4_*" -q)
add_test(NAME nvfp4_abi_table_without_the_entries_is_unsupported_not_failed
         COMMAND sh -c "out=$(\"$0\" run --target lib:$1 --tier smoke --suites 'nvfp4_*' 2>&1); st=$?; echo \"$out\";
                        [ $st = 0 ] && echo \"$out\" | grep -q 'unsupported 7,'"
                 ${MXC} $<TARGET_FILE:mxtarget_refusing>)
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND)
  set(mxc_nvfp4_py "${Python3_EXECUTABLE} -B ${CMAKE_CURRENT_LIST_DIR}/nvfp4_proto_target.py")
  add_test(NAME nvfp4_through_the_protocol_exact_python_target_passes
           COMMAND ${MXC} run --target "cmd:${mxc_nvfp4_py}" --tier smoke --suites "nvfp4_*" -q)
  # the same target with its block scale rounded toward zero: the smoke tier catches it
  # the families, checked on the committed standard tier by an independent reader
  add_test(NAME standard_tier_holds_every_nvfp4_vector_family
           COMMAND ${Python3_EXECUTABLE} -B ${CMAKE_CURRENT_LIST_DIR}/nvfp4_vectors_cover_families.py
                   ${PROJECT_SOURCE_DIR}/vectors/standard)
  add_test(NAME nvfp4_through_the_protocol_block_scale_rtz_is_caught
           COMMAND sh -c "\"$0\" run --target \"cmd:$1 --bug block-scale-rtz\" --tier smoke --suites 'nvfp4_*' -q; [ $? = 1 ]"
                   ${MXC} ${mxc_nvfp4_py})
endif()
# serve --reference under Transformer Engine's profile, run under ocp: detection names the
# three quantize knobs and the dequantize knob, with nothing left unexplained
add_test(NAME nvfp4_detection_names_transformer_engine_over_the_protocol
         COMMAND sh -c "out=$(\"$0\" run --target \"cmd:$0 serve --reference --profile nvfp4-te\" --tier standard
                                --suites 'nvfp4_*' -q 2>&1); echo \"$out\";
                        echo \"$out\" | grep -q 'nvfp4_tensor_scale = te' &&
                        echo \"$out\" | grep -q 'nvfp4_block_scale = te' &&
                        echo \"$out\" | grep -q 'nvfp4_elem_scale = reciprocal' &&
                        echo \"$out\" | grep -q 'nvfp4_dequant = scale-first' &&
                        ! echo \"$out\" | grep -q 'still differ'"
                 ${MXC})
# The reproduce line of a failing NVFP4 case (quantize/dequantize --fmt nvfp4 --target T): the
# worked example of spec_notes/nvfp4.md §5.1 (s_b = RN8(448 / (1 + 3 * 2^-26)) = 448, rounded
# up) passes on the example target and differs on the mutant whose block scale rounds toward
# zero (416); a dequantize of the same block passes on the example target.
set(mxc_nvfp4_51 6 5 3 2.5 1.5 1 0.75 0.5 0.25 0 -0 -1 -2 -4 -5 -6)
add_test(NAME nvfp4_cli_target_matches_the_oracle_on_the_worked_example
         COMMAND ${MXC} quantize --fmt nvfp4 --target lib:$<TARGET_FILE:mxtarget_example> ${mxc_nvfp4_51})
add_test(NAME nvfp4_cli_target_shows_a_block_scale_rounded_toward_zero
         COMMAND sh -c "lib=$1; shift; \"$0\" quantize --fmt nvfp4 --target lib:$lib \"$@\"; [ $? = 1 ]"
                 ${MXC} $<TARGET_FILE:mxmutant_nvfp4_block_scale_rtz> ${mxc_nvfp4_51})
add_test(NAME nvfp4_cli_target_dequantizes_like_the_oracle
         COMMAND ${MXC} dequantize --fmt nvfp4 --target lib:$<TARGET_FILE:mxtarget_example> --tensor-scale 0x3B124925
                 0x7e 0x7 0x6 0x5 0x4 0x3 0x2 0x1 0x1 0x0 0x0 0x8 0xa 0xc 0xe 0xe 0xf)
# NVFP4 dot (spec_notes/nvfp4.md §7), the worked example 6 x 6 x 448 x 448 x 2^-10 x 2^-10 =
# 6.890625 = 0x40dc8000 (tests/test_nvfp4.c `worked_dot`, derived by hand) through each route:
# the protocol (serve --reference), the ABI (serve --lib of the example target, independent of
# libmxref), and the command line against a target; every preset gives the same libmxref and
# oracle answer on it; the mutant whose tensor scales are one FP32 alpha is caught.
set(mxc_nvfp4_dot_zeros "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0")
set(mxc_nvfp4_dot_line "nvfp4_dot 1 - 3a800000 7e 7 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3a800000 7e 7 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0")
add_test(NAME nvfp4_dot_worked_example_through_the_protocol
         COMMAND sh -c "printf 'mxconform-protocol 1\\n%s\\nquit\\n' \"$1\" | \"$0\" serve --reference | tail -1 | grep -qx 'ok 40dc8000'"
                 ${MXC} ${mxc_nvfp4_dot_line})
add_test(NAME nvfp4_dot_worked_example_through_the_abi
         COMMAND sh -c "printf 'mxconform-protocol 1\\n%s\\nquit\\n' \"$1\" | \"$0\" serve --lib \"$2\" | tail -1 | grep -qx 'ok 40dc8000'"
                 ${MXC} ${mxc_nvfp4_dot_line} $<TARGET_FILE:mxtarget_example>)
add_test(NAME nvfp4_dot_cli_target_matches_the_oracle_on_the_worked_example
         COMMAND ${MXC} dot --fmt nvfp4 --target lib:$<TARGET_FILE:mxtarget_example>
                 0x3A800000 7e 7,${mxc_nvfp4_dot_zeros} 0x3A800000 7e 7,${mxc_nvfp4_dot_zeros})
add_test(NAME nvfp4_dot_cli_every_preset_reference_equals_oracle
         COMMAND sh -c "for m in exact-rne fp32-sequential nvidia-hopper-fp8 nvidia-blackwell-mxf8f6f4 nvidia-blackwell-mxf4 amd-cdna3; do \
                          \"$0\" dot --fmt nvfp4 --impl both --model $m 0x3B124925 7e,35 7,1,2,3,4,5,6,7,8,9,a,b,c,d,e,f,0,1,2,3,4,5,6,7,0,0,0,0,0,0,0,1 \
                            0x3DCCCCCD 38,7e f,e,d,c,b,a,9,8,7,6,5,4,3,2,1,0,7,7,7,7,7,7,7,7,1,1,1,1,1,1,1,1 0x3f800001 \
                          | grep -q '^reference == oracle$' || exit 1; done" ${MXC})
add_test(NAME nvfp4_dot_cli_target_shows_tensor_scales_rounded_to_one_f32_alpha
         COMMAND sh -c "\"$0\" dot --fmt nvfp4 --target lib:$1 0x3B124925 7e 7,$2 0x3DCCCCCD 7e 7,$2; [ $? = 1 ]"
                 ${MXC} $<TARGET_FILE:mxmutant_nvfp4_dot_tensor_scales_f32> ${mxc_nvfp4_dot_zeros})
