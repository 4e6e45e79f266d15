/* `quantize --fmt nvfp4`, `dequantize --fmt nvfp4` and `dot --fmt nvfp4` (harness/nvfp4_cli.c): the NVFP4
 * two-scale flow from the command line. cmd_quantize.c hands such a command line over. */
#ifndef MXCONFORM_NVFP4_CLI_H
#define MXCONFORM_NVFP4_CLI_H

/* 1 when the command line names --fmt nvfp4 (or --fmt=nvfp4). */
int nvfp4_cli_wanted(int argc, char **argv);
int nvfp4_cli_quantize(int argc, char **argv);
int nvfp4_cli_dequantize(int argc, char **argv);
int nvfp4_cli_dot(int argc, char **argv); /* dot --fmt nvfp4 (cmd_dot.c hands it over) */

#endif
