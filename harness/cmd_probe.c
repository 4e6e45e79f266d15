/* mxconform probe — placeholder until the dot-product probes land. */
#include "cli.h"

int cmd_probe(int argc, char **argv) {
  (void)argc;
  (void)argv;
  cli_usage_error("probe", "not implemented yet");
}
