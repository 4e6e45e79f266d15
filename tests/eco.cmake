# Issue 17 (ecosystem): merge, sharded sweeps on GNU parallel and Slurm, exported vectors,
# the Python reader, --version, --help. Python tests use Debian's /usr/bin/python3.
find_program(MXC_ECO_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT MXC_ECO_PYTHON)
  find_program(MXC_ECO_PYTHON python3)
endif()
add_test(NAME merge_of_shards_equals_the_whole_run_and_refuses_other_runs
         COMMAND ${MXC_ECO_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/eco_merge.py ${MXC}
                 $<TARGET_FILE:mxmutant_ties_away>)
# sweep --shard on two existing engines; the 4 merged shards count what the whole sweep counts
foreach(engine parallel slurm)
  add_test(NAME sharded_sweep_on_${engine}_merges_to_the_unsharded_counts
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/eco_sweep_shards.sh ${engine} ${MXC} ${PROJECT_SOURCE_DIR}
                   lib:$<TARGET_FILE:mxmutant_ties_away>)
  set_tests_properties(sharded_sweep_on_${engine}_merges_to_the_unsharded_counts PROPERTIES SKIP_RETURN_CODE 77)
endforeach()
# vectors for other frameworks: FORMAT.md's reader, python/mxconform_vectors, export forms
add_test(NAME vectors_read_by_format_md_reader_python_module_and_every_export_form
         COMMAND ${MXC_ECO_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/eco_vectors.py ${MXC} ${PROJECT_SOURCE_DIR} ${CMAKE_C_COMPILER})
# the worked pytest example (pytest when installed, else the same tests under unittest)
add_test(NAME python_example_tests_a_toy_implementation_against_the_vectors
         COMMAND sh -c "if \"$0\" -c 'import pytest' 2>/dev/null; then \"$0\" -m pytest -q -p no:cacheprovider \"$1\"; else \"$0\" \"$1\"; fi"
                 ${MXC_ECO_PYTHON} ${PROJECT_SOURCE_DIR}/python/examples/test_toy_implementation.py)
# progress of long work (sweep, prove --exhaustive, probe dot) on standard error
add_test(NAME progress_is_plain_lines_off_a_tty_one_rewritten_line_on_a_tty_and_silent_with_q
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/eco_progress.sh ${MXC})
# conventions: COMMAND --help for every command, --version, the generated man page
add_test(NAME every_command_has_help_and_the_man_page_covers_it
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/eco_help.sh ${MXC} ${CMAKE_BINARY_DIR}/mxconform.1)
