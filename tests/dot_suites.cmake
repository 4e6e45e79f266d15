# Dot suites in the conformance run: the reference passes them (exact-rne is the ideal), and a
# target with another accumulation model fails them with the model named.
foreach(preset nvidia-hopper-fp8 fp32-sequential amd-cdna3)
  add_test(NAME dot_suites_name_the_accumulation_model_${preset}
           COMMAND sh -c "out=$(\"$0\" run --tier smoke --suites 'dot.*' --target \"cmd:$0 serve --reference --dot-preset $1\" -q); st=$?; echo \"$out\"; [ $st = 1 ] && echo \"$out\" | grep -q \"dot_model = $1\$\""
                   ${MXC} ${preset})
endforeach()

# A profile's `dot` line (spec_notes/profiles.md "The dot model"): the dot suites expect that
# model's results, so a target with that model fails under ocp (exit 1) and passes under the
# profile (exit 0); a malformed dot line is `file:line: ...` and exit 2.
add_test(NAME profile_dot_line_makes_a_dot_run_under_that_model_pass
         COMMAND sh -c "t=\"cmd:$0 serve --reference --dot-model 'group=1 accum=f32-rne c_at=last'\"; \"$0\" run --tier smoke --suites 'dot.*' --target \"$t\" -q > /dev/null; st=$?; [ $st = 1 ] || { echo \"under ocp: exit $st, want 1\"; exit 1; }; \"$0\" run --tier smoke --suites 'dot.*' --profile \"$1\" --target \"$t\" -q"
                 ${MXC} ${CMAKE_CURRENT_SOURCE_DIR}/data/profiles/fp32-blas-loop.profile)
add_test(NAME profile_dot_line_malformed_is_a_file_line_error
         COMMAND sh -c "out=$(\"$0\" run --tier smoke --suites 'dot.*' --profile \"$1\" -q 2>&1); st=$?; echo \"$out\"; [ $st = 2 ] && echo \"$out\" | grep -q \"bad-dot-model.profile:3: bad value 'group=1 accum=f32 c_at=last' for dot: bad value 'f32' for accum\""
                 ${MXC} ${CMAKE_CURRENT_SOURCE_DIR}/data/profiles/bad-dot-model.profile)
# run --write-profile carries the dot model detection named, and the run under that file passes
add_test(NAME detected_dot_model_profile_makes_the_run_pass
         COMMAND sh -c "t=\"cmd:$0 serve --reference --dot-preset amd-cdna3\"; \"$0\" run --tier smoke --suites 'dot.*' --target \"$t\" -q --write-profile \"$1\" > /dev/null; grep -q '^dot = group=16 presum=0 frac_bits=24 align=floor ' \"$1\" && \"$0\" run --tier smoke --suites 'dot.*' --target \"$t\" -q --profile \"$1\""
                 ${MXC} ${CMAKE_CURRENT_BINARY_DIR}/detected_dot.profile)
