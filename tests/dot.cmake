# Dot products (MX §6.1/§6.2): hand-checked worked examples, reference-vs-oracle proofs of
# the exact value and of every accumulation model, and the mxbench_dot benchmark.
# Included by tests/CMakeLists.txt. spec_notes/dot.md §6 says which test covers which rule.
# Run times (Release, 2 shared cores, ctest -j2): the exact proof (10^6 cases) 15-20 s, the
# other proofs 2-12 s each, the worked examples < 0.1 s; about 25 s wall for the group.

add_executable(test_dot_worked_examples ${CMAKE_CURRENT_SOURCE_DIR}/test_dot_worked_examples.c)
target_link_libraries(test_dot_worked_examples PRIVATE mxoracle mxref)
add_test(NAME dot_exact_worked_examples_hand_checked COMMAND test_dot_worked_examples exact)
add_test(NAME dot_special_values_worked_examples COMMAND test_dot_worked_examples specials)
add_test(NAME dot_model_presets_worked_examples_hand_checked COMMAND test_dot_worked_examples models)
add_test(NAME dot_api_rejects_bad_arguments_and_lists_presets COMMAND test_dot_worked_examples api)

# N-version proofs on random DotGenerals aimed at hard cases (test_dot_random.c says which).
add_executable(test_dot_random ${CMAKE_CURRENT_SOURCE_DIR}/test_dot_random.c)
target_link_libraries(test_dot_random PRIVATE mxoracle mxref m)
# Under the sanitizers a fifth of the exact proof's cases (70 s instead of 15 under ASan):
# the sanitizers check the buffers each case touches, alike in every case; make test runs
# all 10^6 for the arithmetic.
if(MXC_SANITIZE)
  set(mxc_dot_exact_cases 200000)
else()
  set(mxc_dot_exact_cases 1000000)
endif()
add_test(NAME dot_reference_equals_oracle_exact COMMAND test_dot_random exact ${mxc_dot_exact_cases})
add_test(NAME dot_fp32_sequential_matches_oracle COMMAND test_dot_random sequential 200000)
add_test(NAME dot_reference_equals_oracle_every_preset COMMAND test_dot_random presets 200000)
add_test(NAME dot_reference_equals_oracle_random_models COMMAND test_dot_random models 200000)
add_test(NAME dot_oracle_wide_alignment_cuts_nothing COMMAND test_dot_random alignment 50000)
add_test(NAME dot_oracle_f32_rounding_equals_mpfr_subnormalize COMMAND test_dot_random round 1000000)
add_test(NAME dot_model_group1_c_last_is_the_fp32_blas_loop COMMAND test_dot_random blas-loop 20000)

# microxcaling's dot classes (scripts/peers_bugs.py): the stdlib emulation of mx.matmul on the
# CPU names the answers the real library gave, and not others (no torch needed; < 1 s).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME dot_peer_classes_name_the_answers_microxcaling_gave
           COMMAND ${Python3_EXECUTABLE} -B ${CMAKE_CURRENT_SOURCE_DIR}/peers_bugs_dot.py)
endif()
