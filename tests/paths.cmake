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
