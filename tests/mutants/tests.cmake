# Mutants (mutant_target.c): each must be caught, by the smoke tier or, where smoke misses
# it, by the standard tier (what `make run` runs). Where the bug is a legitimate
# alternative (its line in mutant_target.c says [KNOB=VALUE; ...]), detection must name it
# and explain every failure; where it is a bug, detection must not explain it away.
# Included by tests/harness.cmake where Python is found (MXC_PY, MXC).
foreach(name ${MXC_MUTANTS})
  add_test(NAME mutant_${name}_is_caught
           COMMAND ${MXC_PY} ${PROJECT_SOURCE_DIR}/tests/mutants/check_mutants.py ${MXC} $<TARGET_FILE:mxmutant_${name}>
                   --expect-from ${PROJECT_SOURCE_DIR}/tests/mutants/mutant_target.c --tiers smoke,standard)
  set_tests_properties(mutant_${name}_is_caught PROPERTIES TIMEOUT 300 LABELS mutants)
endforeach()

# Conditional values (profile rules) found by detection are ones a profile holds: the profile
# file of results.json, and the one `explain` says to write, each make the same run pass.
# The E8M0 suites only, so each takes a few seconds.
add_test(NAME detected_rules_profile_makes_the_run_pass_by_overflow
         COMMAND ${MXC_PY} ${PROJECT_SOURCE_DIR}/tests/mutants/check_detected_rules.py ${MXC}
                 $<TARGET_FILE:mxmutant_e8m0_neg_by_overflow> "cvt.*.e8m0.*" "e8m0_neg = nan when overflow=ovf")
add_test(NAME detected_rules_profile_makes_the_run_pass_by_source
         COMMAND ${MXC_PY} ${PROJECT_SOURCE_DIR}/tests/mutants/check_detected_rules.py ${MXC}
                 $<TARGET_FILE:mxmutant_nan_sign_keep_f64_only> "cvt.*.e4m3.*,cvt.*.e5m2.*" "nan_sign = keep when src=f64")
set_tests_properties(detected_rules_profile_makes_the_run_pass_by_overflow
                     detected_rules_profile_makes_the_run_pass_by_source PROPERTIES TIMEOUT 120 LABELS mutants)
