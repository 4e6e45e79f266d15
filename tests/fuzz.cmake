# Fuzzing: the replay binaries (always) and, with -DMXC_FUZZ=ON under clang, the libFuzzer
# targets; CTest replays every committed corpus and crash reproducer
# (fuzz_corpus_replays_cleanly_<name>). See fuzz/README.md.
add_subdirectory(${PROJECT_SOURCE_DIR}/fuzz ${CMAKE_BINARY_DIR}/fuzz)

# ---- mxconform fuzz (harness/cmd_fuzz.c, fuzz_*.c) ------------------------------------------
# Short, bounded runs (--cases, or a finding within seconds): the full check, every mutant
# through lib: and cmd: with 60 CPU seconds each, is fuzz/fuzz_mutants.sh (fuzz/README.md).
add_test(NAME fuzz_finds_nothing_in_the_reference
         COMMAND ${MXC} fuzz --target reference --cases 20000 --seed 1 -q)
add_test(NAME fuzz_finds_nothing_in_the_example_target
         COMMAND ${MXC} fuzz --target lib:$<TARGET_FILE:mxtarget_example> --cases 20000 --seed 1 -q)
add_test(NAME fuzz_bad_usage_is_one_line_exit_2
         COMMAND sh -c "for a in '--ops foo' '--cases 0' '--seconds x' '--seconds 1 --cases 5' '--cpu --cases 5' \
                          '--target nowhere' '--profile nosuch' '--bogus'; do \
                          \"$0\" fuzz $a >/dev/null 2>\"$1\"; s=$?; n=$(wc -l <\"$1\"); \
                          [ $s = 2 ] && [ $n = 1 ] || { echo \"fuzz $a: exit $s, $n lines\"; exit 1; }; done"
                 ${MXC} ${CMAKE_CURRENT_BINARY_DIR}/fuzz_usage.err)

find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  # the committed seed corpus is what fuzz/seeds.py writes for today's vectors, formats and
  # profiles (it had drifted: 10 seeds stale, 31 never written)
  add_test(NAME fuzz_seed_corpus_is_what_seeds_py_writes
           COMMAND ${Python3_EXECUTABLE} -B ${PROJECT_SOURCE_DIR}/fuzz/seeds.py --check)
  set_tests_properties(fuzz_seed_corpus_is_what_seeds_py_writes PROPERTIES LABELS "fuzz;smoke" TIMEOUT 60)
  set(MXC_FUZZ_CHECK ${Python3_EXECUTABLE} -B ${PROJECT_SOURCE_DIR}/fuzz/check_fuzz.py ${MXC})
  # Mutants `run --tier smoke` misses: fuzz must find and shrink each, through lib: and
  # through cmd: (`serve --lib` wrapping it). fuzz/fuzz_mutants.sh prints this list: of the
  # 82 mutants of tests/mutants/ the smoke tier misses one, scale_overflow_clamp (a legitimate
  # alternative that needs a block whose scale overflows: f64 sources near DBL_MAX). The
  # showcase mutants (one per op) keep the finding path of every op tested.
  set(MXC_FUZZ_SMOKE_MISSES scale_overflow_clamp)
  set(MXC_FUZZ_SHOWCASE log2f_shared_exponent double_rounding_via_bf16 e8m0_ff_decoded_as_inf fp4_nibble_swap)
  foreach(name ${MXC_FUZZ_SMOKE_MISSES} ${MXC_FUZZ_SHOWCASE})
    set(lib $<TARGET_FILE:mxmutant_${name}>)
    add_test(NAME fuzz_finds_and_shrinks_mutant_${name}_lib
             COMMAND ${MXC_FUZZ_CHECK} lib:${lib} mismatch:2 -- --seed 1 --seconds 20 --cpu --max-findings 1)
    add_test(NAME fuzz_finds_and_shrinks_mutant_${name}_cmd
             COMMAND ${MXC_FUZZ_CHECK} "cmd:${MXC} serve --lib ${lib}" mismatch:2 -- --seed 2 --seconds 20 --cpu --max-findings 1)
    set_tests_properties(fuzz_finds_and_shrinks_mutant_${name}_lib fuzz_finds_and_shrinks_mutant_${name}_cmd
                         PROPERTIES TIMEOUT 120 LABELS fuzz)
  endforeach()
  # Dot products: a target that accumulates in f32 one product at a time differs from the
  # exact value rounded once; the finding is shrunk (blocks dropped) and replays via run.
  add_test(NAME fuzz_finds_an_inexact_dot_accumulation
           COMMAND ${MXC_FUZZ_CHECK} "cmd:${MXC} serve --reference --dot-preset fp32-sequential" mismatch:64
                   -- --ops dot --seed 1 --cases 400 --max-findings 1)
  set_tests_properties(fuzz_finds_an_inexact_dot_accumulation PROPERTIES TIMEOUT 120 LABELS fuzz)
  # A crash or a hang is a finding, and the run goes on (containment by target.c).
  add_test(NAME fuzz_crashing_target_is_a_finding_not_the_end
           COMMAND ${MXC_FUZZ_CHECK} lib:$<TARGET_FILE:mxmisbehave_crash> crash:1 -- --ops cvt --seed 1 --cases 20000)
  add_test(NAME fuzz_hanging_target_is_a_finding_not_the_end
           COMMAND ${MXC_FUZZ_CHECK} lib:$<TARGET_FILE:mxmisbehave_hang> timeout:1
                   -- --ops cvt --seed 1 --cases 4000 --timeout 0.3 --max-findings 1)
  # An answer that changes when the same case is asked again is a finding of its own.
  add_test(NAME fuzz_flaky_target_is_a_finding
           COMMAND ${MXC_FUZZ_CHECK} "cmd:${Python3_EXECUTABLE} -B ${PROJECT_SOURCE_DIR}/fuzz/flaky_target.py ${MXC}" flaky:1
                   -- --ops cvt --seed 1 --cases 2000)
  # A foreign cmd: target: the stdlib Python example answers what it implements exactly.
  add_test(NAME fuzz_finds_nothing_in_the_python_example_target
           COMMAND ${MXC_FUZZ_CHECK} "cmd:python3 ${PROJECT_SOURCE_DIR}/targets/python/mxtarget_simple.py" none
                   -- --ops cvt --seed 1 --cases 5000)
  set_tests_properties(fuzz_crashing_target_is_a_finding_not_the_end fuzz_hanging_target_is_a_finding_not_the_end
                       fuzz_flaky_target_is_a_finding fuzz_finds_nothing_in_the_python_example_target PROPERTIES TIMEOUT 120 LABELS fuzz
                       ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
endif()
