/* mxconform quantize / dequantize — placeholder until the block layer lands. */
#include "cli.h"

int cmd_quantize(int argc, char **argv) {
  (void)argc;
  (void)argv;
  cli_usage_error("quantize", "not implemented yet");
}

int cmd_dequantize(int argc, char **argv) {
  (void)argc;
  (void)argv;
  cli_usage_error("dequantize", "not implemented yet");
}
