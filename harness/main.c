/* mxconform: the conformance suite's command-line front end. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "version.h"


typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command k_commands[] = {
  {"formats", cmd_formats, "the format table"},
  {"decode", cmd_decode, "exact value and class of codes: decode --fmt e4m3 [--all | CODE...]"},
  {"convert", cmd_convert, "convert values: convert --from f32 --to e4m3 [--round rne] [--overflow sat] [--impl reference|oracle|both] VALUE..."},
  {"quantize", cmd_quantize, "quantize one block: quantize --fmt mxfp4_e2m1 [--rule floor] [--profile P] v1 ... vk"},
  {"dequantize", cmd_dequantize, "dequantize one block: dequantize --fmt mxfp4_e2m1 SCALE CODE..."},
  {"pack", cmd_pack, "pack codes into bytes by a target vs the oracle: pack --fmt mxfp4_e2m1 --layout fp4-low [--target T] CODE..."},
  {"dot", cmd_dot, "one DotGeneral by a target vs the exact value: dot --fmt mxfp8_e4m3 [--target T] SA CA SB CB [C]"},
  {"explain", cmd_explain, "the story of a run from its results file: explain results.json [--show N] [-v]"},
  {"gen", cmd_gen, "write golden vectors from the oracle: gen [--tier smoke|standard|full] [--seed S] -o DIR"},
  {"run", cmd_run, "run the conformance suites against a target: run [--target reference|lib:PATH|cmd:'CMD'] [--profile P]"},
  {"serve", cmd_serve, "serve a target over the process protocol (used by run): serve --lib PATH | --reference"},
  {"sweep", cmd_sweep, "every input of one conversion of a target vs the reference: sweep --op cvt.f32.e4m3 --target T"},
  {"probe", cmd_probe, "fingerprint a target's dot-product accumulation: probe dot --target T | --preset NAME"},
  {"fuzz", cmd_fuzz, "structured fuzzing of a target, findings shrunk: fuzz --target T [--ops cvt,dot] [--seconds N [--cpu]]"},
  {"merge", cmd_merge, "combine the results.json files of a run's shards: merge A.json B.json ... -o ALL.json"},
  {"export", cmd_export, "golden vectors for other test frameworks: export --format json|csv|c-header [--tier T] -o DIR"},
  {"prove", cmd_prove, "reference vs oracle proofs: prove [--exhaustive | --sample N] [--src f32] [--to e4m3] [--shard i/n]"},
  {NULL, NULL, NULL},
};

static void usage(FILE *f) {
  fprintf(f, "usage: mxconform COMMAND [options]\n\ncommands:\n");
  for (const command *c = k_commands; c->name; c++) fprintf(f, "  %-9s %s\n", c->name, c->summary);
  fprintf(f, "\n'mxconform COMMAND --help' describes a command; 'mxconform --version [--json]' the versions.\nExit status: 0 pass, 1 failures or incomplete, 2 bad usage or refused input, 3 target unusable (README.md, \"Exit status\").\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "mxconform: no command given (try 'mxconform --help')\n");
    return MXC_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return MXC_EXIT_OK;
  }
  if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
    return version_print(stdout, argc > 2 && !strcmp(argv[2], "--json"));
  for (const command *c = k_commands; c->name; c++)
    if (!strcmp(argv[1], c->name)) return c->run(argc - 1, argv + 1);
  fprintf(stderr, "mxconform: unknown command '%s' (try 'mxconform --help')\n", argv[1]);
  return MXC_EXIT_USAGE;
}
