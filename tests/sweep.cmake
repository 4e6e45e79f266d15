# mxconform sweep: every input of one conversion of a target against libmxref.
add_test(NAME sweep_reference_every_bf16_input_matches
         COMMAND ${MXC} sweep --op cvt.bf16.e2m1 --round rne --overflow sat --target reference)
add_test(NAME sweep_over_the_process_protocol_every_f16_input_matches
         COMMAND ${MXC} sweep --op cvt.f16.e4m3 --round rtz --target "cmd:$<TARGET_FILE:mxconform> serve --reference")
# A target whose MXINT8 encoder is symmetric differs from ocp exactly where -2 is reachable:
# the sweep must exit 1 and name the mismatches.
add_test(NAME sweep_finds_a_symmetric_int8_encoder
         COMMAND sh -c "out=$(\"$0\" sweep --op cvt.f16.int8 --target \"cmd:$0 serve --reference --profile microxcaling\"); st=$?; echo \"$out\"; [ $st = 1 ] && echo \"$out\" | grep -q ' mismatches' && echo \"$out\" | grep -q 'expected 0x80, target 0x81'"
                 ${MXC})
# --profile / --knob set the expected codes' knobs. A symmetric MXINT8 encoder matches under
# int8_range=symmetric, through the process protocol (the cmd: child compares nothing: the
# harness does) and through the serve child of a lib: target (the knob travels on the
# `sweep` line, where the child compares).
add_test(NAME sweep_profile_sets_the_expected_knobs_cmd_target
         COMMAND ${MXC} sweep --op cvt.f16.int8 --profile microxcaling --target "cmd:$<TARGET_FILE:mxconform> serve --reference --profile microxcaling")
add_test(NAME sweep_knob_travels_to_the_lib_child_and_explains_a_symmetric_int8_encoder
         COMMAND sh -c "\"$0\" sweep --op cvt.bf16.int8 --target \"lib:$1\" >/dev/null; [ $? = 1 ] || exit 1; out=$(\"$0\" sweep --op cvt.bf16.int8 --knob int8_range=symmetric --target \"lib:$1\"); st=$?; echo \"$out\"; [ $st = 0 ] && echo \"$out\" | grep -q 'profile ocp --knob int8_range=symmetric, .* 0 mismatches'"
                 ${MXC} $<TARGET_FILE:mxmutant_int8_symmetric>)
add_test(NAME sweep_reproduce_line_carries_the_knobs
         COMMAND sh -c "out=$(\"$0\" sweep --op cvt.f16.int8 --knob e5m2_nan=propagate --show 1 --target \"lib:$1\"); st=$?; echo \"$out\"; [ $st = 1 ] && echo \"$out\" | grep -q 'expected 0x80, target 0x81 .* --overflow sat --knob e5m2_nan=propagate 0xbff8'"
                 ${MXC} $<TARGET_FILE:mxmutant_int8_symmetric>)
add_test(NAME sweep_rejects_round_and_overflow_as_knobs
         COMMAND sh -c "\"$0\" sweep --op cvt.f16.e4m3 --knob overflow=ovf; [ $? = 2 ] && { \"$0\" sweep --op cvt.f16.e4m3 --knob round=rtz; [ $? = 2 ]; }"
                 ${MXC})
# sweep --list FILE: every mismatch, one line each, as many lines as the summary counts (far
# more than it prints), the same set through the lib: child's target as through a cmd: one;
# with -o beside it (both files written); an unwritable path is exit 2 and leaves nothing behind.
add_test(NAME sweep_list_writes_every_mismatch_atomically
         COMMAND sh -c "d=$2; rm -rf $d; mkdir -p $d || exit 1
out=$(\"$0\" sweep --op cvt.f32.int8 --shard 3071/4096 --target lib:$1 --list $d/lib.txt -o $d/lib.json); [ $? = 1 ] || exit 1; echo \"$out\" | head -n 1
n=$(echo \"$out\" | sed -n 's/.* checked, \\([0-9]*\\) mismatches.*/\\1/p' | head -n 1)
m=$(\"$0\" sweep --op cvt.f32.int8 --shard 3071/4096 --target lib:$1 | sed -n 's/.* checked, \\([0-9]*\\) mismatches.*/\\1/p' | head -n 1)
\"$0\" sweep --op cvt.f32.int8 --shard 3071/4096 --target \"cmd:$0 serve --lib $1\" --list $d/cmd.txt >/dev/null; [ $? = 1 ] || exit 1
echo \"mismatches $n (without --list $m), lines $(grep -vc '^#' $d/lib.txt)\"
[ \"$n\" -gt 64 ] && [ \"$n\" = \"$m\" ] && [ \"$(grep -vc '^#' $d/lib.txt)\" = \"$n\" ] || exit 1
grep -qx 'bfff0000 80 81' $d/lib.txt && [ \"$(grep -v '^#' $d/lib.txt)\" = \"$(grep -v '^#' $d/cmd.txt)\" ] || exit 1
\"$0\" sweep --op cvt.bf16.int8 --target lib:$1 --list $d/no/such/dir/x.txt >/dev/null 2>&1; [ $? = 2 ] || exit 1
[ \"$(ls $d)\" = \"$(printf 'cmd.txt\\nlib.json\\nlib.txt')\" ]"
                 ${MXC} $<TARGET_FILE:mxmutant_int8_symmetric> ${CMAKE_CURRENT_BINARY_DIR}/sweep_list)
