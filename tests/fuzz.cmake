# Fuzzing: the replay binaries (always) and, with -DMXC_FUZZ=ON under clang, the libFuzzer
# targets; CTest replays every committed corpus and crash reproducer
# (fuzz_corpus_replays_cleanly_<name>). See fuzz/README.md.
add_subdirectory(${PROJECT_SOURCE_DIR}/fuzz ${CMAKE_BINARY_DIR}/fuzz)
