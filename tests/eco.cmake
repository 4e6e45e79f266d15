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
