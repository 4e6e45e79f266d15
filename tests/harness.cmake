# The harness against targets: the example and Python targets, mutant targets that must be
# caught, misbehaving targets that must be contained, bad input files and the result
# formats. Included by tests/CMakeLists.txt (MXC is the mxconform executable).
add_subdirectory(${PROJECT_SOURCE_DIR}/targets/example ${CMAKE_BINARY_DIR}/targets/example)
add_subdirectory(${PROJECT_SOURCE_DIR}/tests/mutants ${CMAKE_BINARY_DIR}/tests/mutants)

set(MXC_HARNESS_TESTS ${CMAKE_CURRENT_LIST_DIR}/harness)

# Targets that crash, hang or lie on one input, or crash / exit on every 3rd call
# (misbehaving_target.c); a process target whose answers are mis-sized (lagging_target.c).
foreach(kind crash hang lie crash3 exit3 dot_rtz dot_flush)
  string(TOUPPER ${kind} KIND)
  add_library(mxmisbehave_${kind} SHARED ${MXC_HARNESS_TESTS}/misbehaving_target.c)
  target_compile_definitions(mxmisbehave_${kind} PRIVATE MISBEHAVE=${KIND})
  target_link_libraries(mxmisbehave_${kind} PRIVATE mxref)
  set_target_properties(mxmisbehave_${kind} PROPERTIES C_VISIBILITY_PRESET hidden)
  target_link_options(mxmisbehave_${kind} PRIVATE -Wl,--exclude-libs,ALL)
endforeach()

add_executable(mxlagging_target ${MXC_HARNESS_TESTS}/lagging_target.c)
target_link_libraries(mxlagging_target PRIVATE mxref)

# ---- the example target (targets/example) -------------------------------------------------
# It needs nothing from mxconform but include/mxconform/target.h: built alone, strictly.
add_test(NAME example_target_builds_alone_from_the_public_header
         COMMAND ${CMAKE_C_COMPILER} -std=c11 -pedantic -Wall -Wextra -Werror -shared -fPIC
                 -I${PROJECT_SOURCE_DIR}/include -o ${CMAKE_CURRENT_BINARY_DIR}/libexample_alone.so
                 ${PROJECT_SOURCE_DIR}/targets/example/example_target.c -lm)

# ---- the Python process target (targets/python) -------------------------------------------
# Started with the first python3 on PATH, as its README says; skipped (77) without one.
add_test(NAME python_process_target_passes
         COMMAND sh ${MXC_HARNESS_TESTS}/python_target.sh ${MXC}
                 ${PROJECT_SOURCE_DIR}/targets/python/mxtarget_simple.py)
set_tests_properties(python_process_target_passes PROPERTIES
                     SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")

# A sweep whose target crashes on every 3rd call (no input to blame) is not a pass either.
add_test(NAME sweep_of_a_target_crashing_every_third_call_is_never_pass
         COMMAND sh -c "out=$(\"$0\" sweep --op cvt.f16.e4m3 --target lib:$1); st=$?; echo \"$out\"; [ $st = 1 ] && echo \"$out\" | grep -q FLAKY"
                 ${MXC} $<TARGET_FILE:mxmisbehave_crash3>)

# run --shard i/n: a deterministic, documented split (harness/RESULTS.md "shard").
add_test(NAME run_shards_cover_the_selection_exactly_once
         COMMAND sh ${MXC_HARNESS_TESTS}/check_shards.sh ${MXC})

# ---- containment of processes: nothing outlives a run ------------------------------------
add_test(NAME no_target_process_outlives_its_run
         COMMAND sh ${MXC_HARNESS_TESTS}/no_orphans.sh ${MXC} $<TARGET_FILE:mxmisbehave_hang>)
set_tests_properties(no_target_process_outlives_its_run PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)

# ---- bad input files and command-line values -------------------------------------------
add_test(NAME bad_inputs_are_one_line_exit_2
         COMMAND sh ${MXC_HARNESS_TESTS}/bad_inputs.sh ${MXC} ${CMAKE_CURRENT_LIST_DIR}/data/bad_vectors)

add_test(NAME a_signal_while_writing_leaves_no_temporary_file
         COMMAND sh ${MXC_HARNESS_TESTS}/signal_leaves_no_tmp.sh ${MXC} ${CMAKE_CURRENT_LIST_DIR}/data/bad_vectors/good)
set_tests_properties(a_signal_while_writing_leaves_no_temporary_file PROPERTIES TIMEOUT 60)

# ---- the checks that read results.json (Python 3 standard library) ------------------------
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  set(MXC_PY ${Python3_EXECUTABLE} -B)

  add_test(NAME example_target_passes_its_suites_and_reports_the_rest_unsupported
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_example_target.py ${MXC} $<TARGET_FILE:mxtarget_example>)

  # Containment: one input crashes, hangs or garbles the target; the run finishes, names
  # that input, and passes the other suites.
  add_test(NAME crashing_target_is_contained
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_isolation.py ${MXC} lib:$<TARGET_FILE:mxmisbehave_crash> crash)
  add_test(NAME hanging_target_is_contained
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_isolation.py ${MXC} lib:$<TARGET_FILE:mxmisbehave_hang> timeout)
  add_test(NAME lying_target_is_reported
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_isolation.py ${MXC} lib:$<TARGET_FILE:mxmisbehave_lie> protocol-error)
  set_tests_properties(crashing_target_is_contained hanging_target_is_contained lying_target_is_reported
                       PROPERTIES TIMEOUT 120)

  # Nothing is forgiven: a target that goes wrong on some attempt, whatever the input, so
  # that every retry passes, is `flaky` (exit 1) with the attempts listed, never PASS.
  add_test(NAME target_crashing_every_third_call_is_flaky_never_pass
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_never_pass.py ${MXC} lib:$<TARGET_FILE:mxmisbehave_crash3> flaky crash)
  add_test(NAME target_exiting_every_third_call_is_flaky_never_pass
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_never_pass.py ${MXC} lib:$<TARGET_FILE:mxmisbehave_exit3> flaky crash)
  add_test(NAME lagging_answers_are_protocol_errors_never_pass
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_never_pass.py ${MXC} "cmd:$<TARGET_FILE:mxlagging_target> lag"
                   flaky protocol-error)
  add_test(NAME answers_with_extra_codes_are_protocol_errors_never_pass
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_never_pass.py ${MXC} "cmd:$<TARGET_FILE:mxlagging_target> extra3"
                   flaky protocol-error)
  set_tests_properties(target_crashing_every_third_call_is_flaky_never_pass
                       target_exiting_every_third_call_is_flaky_never_pass
                       lagging_answers_are_protocol_errors_never_pass
                       answers_with_extra_codes_are_protocol_errors_never_pass PROPERTIES TIMEOUT 120)

  # A result the target cannot observe (`?`, `??`: harness/PROTOCOL.md "Not observable") is a
  # class of its own: never compared, never a pass, and never hiding a certain divergence.
  set(MXC_UNOBS ${MXC_PY} ${MXC_HARNESS_TESTS}/check_unobserved.py ${MXC} ${MXC_HARNESS_TESTS}/unobserved_target.py)
  add_test(NAME unobserved_values_make_a_suite_incomplete_never_pass COMMAND ${MXC_UNOBS} run)
  add_test(NAME a_target_observing_nothing_can_never_pass COMMAND ${MXC_UNOBS} all)
  add_test(NAME sweep_counts_unobserved_ranged_values_apart_from_mismatches COMMAND ${MXC_UNOBS} sweep)
  add_test(NAME sweep_of_a_target_observing_nothing_is_incomplete_not_unsupported COMMAND ${MXC_UNOBS} sweepall)
  add_test(NAME an_ambiguity_without_the_expected_code_is_a_failure_never_hidden COMMAND ${MXC_UNOBS} lie)
  add_test(NAME a_malformed_unobserved_answer_is_a_protocol_error COMMAND ${MXC_UNOBS} bad)
  set_tests_properties(unobserved_values_make_a_suite_incomplete_never_pass a_target_observing_nothing_can_never_pass
                       sweep_counts_unobserved_ranged_values_apart_from_mismatches
                       sweep_of_a_target_observing_nothing_is_incomplete_not_unsupported
                       an_ambiguity_without_the_expected_code_is_a_failure_never_hidden
                       a_malformed_unobserved_answer_is_a_protocol_error PROPERTIES TIMEOUT 60)

  # Dot detection fits every parameter `probe dot` fits: a legitimate model that no preset
  # is (RTZ final rounding, flushed FP32 subnormal results) is named, not "unexplained".
  add_test(NAME dot_detection_names_rtz_final_rounding
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_dot_detection.py ${MXC} $<TARGET_FILE:mxmisbehave_dot_rtz> final=rtz)
  add_test(NAME dot_detection_names_flushed_subnormal_results
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_dot_detection.py ${MXC} $<TARGET_FILE:mxmisbehave_dot_flush> subnormal=flush)
  set_tests_properties(dot_detection_names_rtz_final_rounding dot_detection_names_flushed_subnormal_results
                       PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

  add_test(NAME results_json_and_junit_are_valid
           COMMAND ${MXC_PY} ${MXC_HARNESS_TESTS}/check_results_schema.py ${MXC}
                   $<TARGET_FILE:mxmutant_ties_away> $<TARGET_FILE:mxtarget_example>)

  # A sweep's reproduce line carries each --knob of the sweep, also the knobs added after the
  # vector format's knob lists were first written (ovf_directed here): run as printed, it
  # differs again. It once dropped them and the printed command said "same".
  add_test(NAME sweep_reproduce_line_carries_every_knob_and_differs_again
           COMMAND sh -c "line=$(\"$0\" sweep --op cvt.bf16.e4m3 --round rtz --overflow ovf --knob ovf_directed=special --target lib:$1 --show 1 | sed -n 's/.*reproduce: //p' | head -n 1); echo \"$line\"; case $line in *--knob\\ ovf_directed=special*) ;; *) exit 1;; esac; PATH=$(dirname \"$0\"):$PATH; eval \"$line\" | tail -n 1 | grep -q '^DIFFERENT'"
                   ${MXC} $<TARGET_FILE:mxmutant_ties_away>)

  include(${PROJECT_SOURCE_DIR}/tests/mutants/tests.cmake) # mutant_<name>_is_caught
else()
  message(STATUS "python3 not found: the harness tests that read results.json are not registered")
endif()

# A target that never answers the handshake: run, probe and sweep say so and exit 3, and
# free what they loaded (the sanitizer configuration runs these with leak checking on).
foreach(cmdname run probe sweep)
  if(cmdname STREQUAL "run")
    set(args run --target cmd:false --tier smoke)
  elseif(cmdname STREQUAL "probe")
    set(args probe dot --target cmd:false)
  else()
    set(args sweep --op cvt.f16.e4m3 --round rne --target cmd:false)
  endif()
  add_test(NAME ${cmdname}_reports_an_unusable_target_with_exit_3
           COMMAND sh -c "\"$0\" \"$@\" >/dev/null 2>&1; st=$?; echo \"exit $st\"; [ \"$st\" = 3 ]" ${MXC} ${args})
endforeach()
