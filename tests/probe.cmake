# Dot-product probes (`mxconform probe dot`, harness/probe.c; spec_notes/dot.md "Probes").
# Included by tests/CMakeLists.txt. Times (Release, 2 shared cores): the preset recovery over
# 7 format pairs x 6 presets (2 x 10^4 confirmation cases each) and 4 synthetic configurations
# of the step parameters (assign, step_frac; 10^5 each) about 170 s of CPU in all (the fit,
# not the confirmation, is most of it), the end-to-end run through a process target about 5 s.
add_executable(test_probe ${CMAKE_CURRENT_SOURCE_DIR}/test_probe.c ${PROJECT_SOURCE_DIR}/harness/probe.c)
target_link_libraries(test_probe PRIVATE mxref m)
# One test per format pair (test_probe.c's pairs[], in order): the whole matrix was CI's longest
# single test (170-270 s), and as seven it spreads over both cores.
set(MXC_PROBE_PAIRS e4m3xe4m3 e5m2xe5m2 e3m2xe3m2 int8xint8 e2m3xe2m3 e2m1xe2m1 e2m1xe3m2)
list(LENGTH MXC_PROBE_PAIRS _probe_pair_count)
math(EXPR _probe_last "${_probe_pair_count} - 1")
foreach(_q RANGE ${_probe_last})
  list(GET MXC_PROBE_PAIRS ${_q} _pair)
  add_test(NAME probe_recovers_every_preset_exactly_${_pair} COMMAND test_probe 20000 100000 ${_q})
  set_tests_properties(probe_recovers_every_preset_exactly_${_pair} PROPERTIES TIMEOUT 300)
endforeach()
# microxcaling's mx.matmul emulated without torch (operands re-quantized, then the FP32 BLAS
# loop): the fit names group=1 accum=f32-rne c_at=last exactly and every probe it misses has a
# caveat (an operand the target does not see as given), none is left unexplained.
add_test(NAME probe_names_the_fp32_loop_behind_requantized_operands COMMAND test_probe requantized)

# A preset served by `mxconform serve --reference --dot-preset` through the process protocol
# (`dot` requests): the fit names it and 10^5 random DotGenerals agree (exit 0).
add_test(NAME probe_end_to_end_through_a_process_target
         COMMAND sh -c "\"$1\" probe dot --target \"cmd:$1 serve --reference --dot-preset nvidia-hopper-fp8\" --confirm 100000 -o \"$2\" > \"$2.txt\"; rc=$?; cat \"$2.txt\"; [ $rc -eq 0 ] && grep -q 'nearest:  nvidia-hopper-fp8 (0 parameters differ)' \"$2.txt\" && grep -q '\"confirm\": {\"cases\": 100000, \"agree\": 100000' \"$2\""
                 sh $<TARGET_FILE:mxconform> ${CMAKE_CURRENT_BINARY_DIR}/probe_hopper.json)
set_tests_properties(probe_end_to_end_through_a_process_target PROPERTIES TIMEOUT 200)
# --preset runs in process; a wrong model is reported with exit 1 only through a target, so
# check the exit status of a clean run too.
add_test(NAME probe_cli_preset_in_process_exit_0
         COMMAND $<TARGET_FILE:mxconform> probe dot --preset amd-cdna3 --fmt mxfp4_e2m1,mxfp6_e3m2 --confirm 20000)
