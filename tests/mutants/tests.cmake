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
