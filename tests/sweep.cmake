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
