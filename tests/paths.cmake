# libmxref code paths (mxref.h: scalar, avx2). The proofs in tests/CMakeLists.txt and
# blocks_reference.cmake run on the default path (the best this CPU has); here the scalar
# path gets the same proofs, and every path is compared with the scalar one on long arrays,
# packed tensors and several threads. An AVX2-less CPU runs the scalar path twice.

add_executable(test_reference_paths ${CMAKE_CURRENT_SOURCE_DIR}/test_reference_paths.c)
target_link_libraries(test_reference_paths PRIVATE mxref m)
add_test(NAME every_reference_path_equals_scalar_on_arrays_tensors_and_threads COMMAND test_reference_paths)

add_test(NAME reference_scalar_path_equals_oracle_sampled_f32
         COMMAND ${MXC} prove --path scalar --op convert --src f32 --sample 1000000 --sr-sample 100000)
add_test(NAME reference_scalar_path_equals_oracle_every_bf16_and_f16_input
         COMMAND ${MXC} prove --path scalar --op convert --src bf16,f16 --exhaustive)
add_test(NAME reference_scalar_path_decode_equals_oracle_every_code COMMAND ${MXC} prove --path scalar --op decode)
add_test(NAME reference_scalar_path_equals_oracle_every_knob_value COMMAND ${MXC} prove --path scalar --op knobs)
add_test(NAME block_quantize_scalar_path_equals_oracle_sampled_blocks
         COMMAND ${MXC} prove --path scalar --op quantize --sample 2000000)
mxc_cli_usage_error(prove_cli_rejects_unknown_path prove --path sse9 --op decode)

# `--paths all`: every path this CPU runs, in one prove run that shares the oracle's work
# (spec_notes/proof.md). f64 sources exercise the f64 AVX2 kernel against the oracle.
add_test(NAME every_path_equals_oracle_sampled_f64_sharing_the_oracle
         COMMAND ${MXC} prove --paths all --op convert --src f64 --sample 30000 --sr-sample 1000)
# make exhaustive's scheme on the shards [1, 2) and [-2, -1): the full path on every input,
# the other on run pieces and exponent fields 0/255 (E8M0, INT8 and the FP8 variants included)
add_test(NAME exhaustive_scheme_proves_every_path_on_shards_near_one
         COMMAND ${MXC} prove --paths all --exhaustive --op convert --src f32 --to e4m3,e2m1,int8,e8m0,e4m3fnuz,e3m4
                 --round rne,rup --overflow sat,ovf --shard 254/1024 --jobs 2)
add_test(NAME exhaustive_scheme_proves_every_path_on_negative_shard
         COMMAND ${MXC} prove --paths all --exhaustive --op convert --src f32
                 --to e5m2,e3m2,int8,e8m0,e5m2fnuz,e4m3b11fnuz,e4m3ieee --round rna,rdn --shard 766/1024 --jobs 2)
# -0 and the negative f32 subnormals below 2^-127 (every one rounds to zero): the AVX2 kernel's
# fnuz_zero codes (underflow-nan tells the -0 input's +0 from the rounded value's 0x80)
add_test(NAME fnuz_zero_on_every_path_equals_oracle_below_negative_zero
         COMMAND ${MXC} prove --paths all --exhaustive --op convert --src f32 --to e4m3fnuz,e5m2fnuz,e4m3b11fnuz
                 --knob fnuz_zero=underflow-nan --round rne,rup --overflow sat --shard 512/1024 --jobs 2)
# the scale proof's pieces (f32 amax, every input by the argument) and the AVX2 kernel's
# floor scale on them; one combination per source
add_test(NAME block_scale_pieces_prove_every_f32_amax_on_every_path
         COMMAND ${MXC} prove --paths all --exhaustive --op scale --shard 0/37)
add_test(NAME block_quantize_every_path_equals_one_oracle_result
         COMMAND ${MXC} prove --paths all --op quantize --sample 30000 --shard 0/3)
mxc_cli_usage_error(prove_cli_rejects_unknown_path_in_paths prove --paths scalar,sse9 --op decode)
# The prover's own self-test (--canary): one code changed in one bit must come out as a
# difference at exactly that input, inside a run where only the every-input range check sees
# it (f32: the full path), and in the batches every path checks (bf16). A blind comparison
# would turn every proof above into a false PASS.
add_test(NAME exhaustive_range_check_reports_a_planted_difference_at_its_input
         COMMAND sh -c "out=$(\"$0\" prove --paths all --exhaustive --op convert --src f32 --to e2m3,int8 --round rne --overflow sat --shard 254/1024 --jobs 2 --canary 0x3f80104d -q); st=$?; echo \"$out\"; [ $st = 1 ] && [ \"$(echo \"$out\" | grep -c 'DIFF cvt.f32.* input 0x3f80104d:')\" = 2 ] && echo \"$out\" | grep -q '^SUMMARY: .* 2 differences'"
                 ${MXC})
add_test(NAME exhaustive_batch_check_reports_a_planted_difference_on_every_path
         COMMAND sh -c "out=$(\"$0\" prove --paths all --exhaustive --op convert --src bf16 --to e4m3 --round rne --overflow sat --canary 0x3f81 -q); st=$?; echo \"$out\"; [ $st = 1 ] || exit 1; for p in $(echo \"$out\" | head -1 | grep -o 'path [a-z0-9,]*' | cut -d' ' -f2 | tr , ' '); do echo \"$out\" | grep -q \"input 0x3f81: .*(path $p)\" || { echo \"path $p: no difference reported\"; exit 1; }; done"
                 ${MXC})
