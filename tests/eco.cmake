# Issue 17 (ecosystem): merge, sharded sweeps on GNU parallel and Slurm, exported vectors,
# the Python reader, --version, --help. Python tests use Debian's /usr/bin/python3.
find_program(MXC_ECO_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT MXC_ECO_PYTHON)
  find_program(MXC_ECO_PYTHON python3)
endif()
add_test(NAME merge_of_shards_equals_the_whole_run_and_refuses_other_runs
         COMMAND ${MXC_ECO_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/eco_merge.py ${MXC}
                 $<TARGET_FILE:mxmutant_ties_away>)
