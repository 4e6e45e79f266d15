# The story of a failing run (issue 19): reproduce commands that run the same target on one
# input, `mxconform explain`, and the single-case commands. Included by tests/CMakeLists.txt
# after harness.cmake (which builds the mutant targets). Each test takes about a second.
set(MXC_STORY_TESTS ${CMAKE_CURRENT_LIST_DIR}/story)

# Every op's reproduce command, taken from results.json of a run against a target that gets
# that op wrong, shows the wrong answer (exit 1, actual != expected).
set(MXC_STORY_OPS cvt decode quantize dequantize pack dot)
set(MXC_STORY_cvt_target lib:$<TARGET_FILE:mxmutant_ties_away>)
set(MXC_STORY_cvt_suites cvt.f32.e2m1.rne.sat)
set(MXC_STORY_decode_target lib:$<TARGET_FILE:mxmutant_e8m0_00_decoded_as_zero>)
set(MXC_STORY_decode_suites decode.e8m0)
set(MXC_STORY_quantize_target lib:$<TARGET_FILE:mxmutant_ceil_scale_rule>)
set(MXC_STORY_quantize_suites quantize.mxfp4_e2m1.f32)
set(MXC_STORY_dequantize_target lib:$<TARGET_FILE:mxmutant_e8m0_ff_decoded_as_inf>)
set(MXC_STORY_dequantize_suites dequantize.mxfp8_e4m3.f32)
set(MXC_STORY_pack_target lib:$<TARGET_FILE:mxmutant_fp4_nibble_swap>)
set(MXC_STORY_pack_suites pack.mxfp4_e2m1.fp4-low)
set(MXC_STORY_dot_target "cmd:$<TARGET_FILE:mxconform> serve --reference --dot-preset nvidia-hopper-fp8")
set(MXC_STORY_dot_suites dot.mxfp8_e4m3.mxfp8_e4m3)
foreach(op ${MXC_STORY_OPS})
  add_test(NAME reproduce_command_shows_the_bug_against_the_target_${op}
           COMMAND sh ${MXC_STORY_TESTS}/reproduce_shows_the_bug.sh ${MXC} "${MXC_STORY_${op}_target}"
                   ${MXC_STORY_${op}_suites})
  set_tests_properties(reproduce_command_shows_the_bug_against_the_target_${op} PROPERTIES TIMEOUT 60)
endforeach()

# The single-case commands against the built-in reference: the same answer as the oracle,
# exit 0 (one of each op, with the arguments a reproduce line gives them).
add_test(NAME single_case_commands_against_the_reference_say_same
         COMMAND sh -c "set -e; m=$0; t=--target=reference
           $m convert $t --profile ocp --from f32 --to e2m1 --round rne --overflow sat 0x40a00000 | grep -q '^SAME'
           $m decode $t --fmt e8m0 0x00 0xff | grep -q '^SAME'
           $m quantize $t --profile ocp --fmt mxfp4_e2m1 --from f32 --rule floor 7 -3.3 0.25 0.001 | grep -q '^SAME'
           $m dequantize $t --profile ocp --fmt mxfp8_e4m3 --to bf16 0x80 0x7e 0x01 | grep -q '^SAME'
           $m pack $t --fmt mxfp6_e3m2 --layout fp6-lsb 0x3f 1 2 3 | grep -q '^SAME'
           $m dot $t --fmt mxfp8_e4m3 --fmt-b mxfp4_e2m1 7f 38,40 80 1,2 3f800000 | grep -q '^SAME'"
                 ${MXC})

# mxconform explain: the story from a results file (a mutant run takes ~5 s of the budget).
add_test(NAME explain_tells_a_failing_run_in_under_40_lines_with_reproduce_commands
         COMMAND sh ${MXC_STORY_TESTS}/explain.sh ${MXC} mutant lib:$<TARGET_FILE:mxmutant_ties_away>)
add_test(NAME explain_of_a_passing_run_says_pass
         COMMAND sh ${MXC_STORY_TESTS}/explain.sh ${MXC} passing)
add_test(NAME explain_rejects_a_bad_file_in_one_line_exit_2
         COMMAND sh ${MXC_STORY_TESTS}/explain.sh ${MXC} bad-file)
add_test(NAME explain_colours_a_terminal_only_without_no_color
         COMMAND sh ${MXC_STORY_TESTS}/explain.sh ${MXC} color lib:$<TARGET_FILE:mxmutant_ties_away>)
set_tests_properties(explain_colours_a_terminal_only_without_no_color PROPERTIES SKIP_RETURN_CODE 77)
set_tests_properties(explain_tells_a_failing_run_in_under_40_lines_with_reproduce_commands PROPERTIES TIMEOUT 120)

# Bad arguments to the single-case commands: one line, exit 2; an unusable target: exit 3.
add_test(NAME single_case_commands_bad_usage_exit_2_unusable_target_exit_3
         COMMAND sh -c "m=$0; one() { \"$@\" >/dev/null 2>/tmp/mxc_story_err.$$; st=$?; n=$(wc -l </tmp/mxc_story_err.$$); rm -f /tmp/mxc_story_err.$$; echo \"$* -> $st ($n line)\"; [ $st = $want ] && { [ $want = 3 ] || [ $n = 1 ]; } || exit 1; }
           want=2
           one $m pack --fmt mxfp9 --layout byte 1
           one $m pack --fmt mxfp4_e2m1 --layout fp6-lsb 1 2
           one $m pack --fmt mxfp4_e2m1 --layout fp4-low 0x10
           one $m dot --fmt mxfp8_e4m3 7f 1,2 7f,7f 1,2,3,4
           one $m dot --fmt mxfp8_e4m3 7f 1,zz 7f 1,2
           one $m dot --fmt mxfp8_e4m3 7f 1,2 7f
           one $m quantize --target reference --fmt mxfp4_e2m1 --sr-random 5 1 2
           one $m decode --target reference --fmt e4m3 --all
           want=3
           one $m convert --target cmd:false --to e4m3 1
           one $m pack --target cmd:false --fmt mxfp4_e2m1 --layout fp4-low 1 2
           one $m dot --target cmd:false --fmt mxint8 7f 1 7f 1"
                 ${MXC})

# sweep mismatches reproduce against the target too (knobs included).
add_test(NAME sweep_reproduce_command_shows_the_bug_against_the_target
         COMMAND sh ${MXC_STORY_TESTS}/sweep_reproduce_shows_the_bug.sh ${MXC} lib:$<TARGET_FILE:mxmutant_int8_symmetric>
                 cvt.f16.int8 --profile ocp --knob e5m2_nan=propagate)
