/* mxconform --version and the versions recorded in results.json (version.h). */
#include "version.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "sha256.h"

#ifndef MXC_VECTORS_DIR
#define MXC_VECTORS_DIR "vectors"
#endif

static const char *const k_tiers[] = {"smoke", "standard", NULL};

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *version_vectors_root(void) {
  static char root[PATH_MAX + 64];
  const char *env = getenv("MXCONFORM_VECTORS");
  if (env && *env) return env;
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = 0;
      snprintf(root, sizeof root, "%s/../share/mxconform/vectors", exe);
      if (is_dir(root)) return root;
    }
  }
  return MXC_VECTORS_DIR;
}

int version_manifest_digest(const char *dir, char hex[65]) {
  hex[0] = 0;
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/MANIFEST", dir);
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  sha256_ctx c;
  sha256_init(&c);
  unsigned char buf[8192];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, f)) > 0) sha256_update(&c, buf, got);
  int bad = ferror(f);
  fclose(f);
  if (bad) return -1;
  uint8_t d[32];
  sha256_final(&c, d);
  for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
  return 0;
}


static void json_common(FILE *f) {
  fprintf(f, "\"program\": \"%s\", \"target_abi\": %u, \"protocol\": %d, \"results_schema\": \"%s\"", MXC_VERSION,
          (unsigned)MXC_TARGET_ABI_VERSION, MXC_PROTOCOL_VERSION, MXC_RESULTS_SCHEMA);
}

void version_json(FILE *f, const char *vectors_dir) {
  char hex[65];
  int have = vectors_dir && version_manifest_digest(vectors_dir, hex) == 0;
  fputc('{', f);
  json_common(f);
  fprintf(f, ", \"vectors\": {\"format\": %d, \"set\": \"%s\", \"dir\": ", MXC_VECTORS_FORMAT, MXC_VECTOR_SET);
  if (have) json_write_str(f, vectors_dir);
  else fputs("null", f);
  fputs(", \"manifest_sha256\": ", f);
  if (have) fprintf(f, "\"%s\"", hex);
  else fputs("null", f);
  fputs("}}", f);
}

int version_print(FILE *f, int json) {
  const char *root = version_vectors_root();
  char dir[PATH_MAX + 64], hex[65];
  if (json) {
    fputc('{', f);
    json_common(f);
    fprintf(f, ", \"vectors\": {\"format\": %d, \"set\": \"%s\", \"root\": ", MXC_VECTORS_FORMAT, MXC_VECTOR_SET);
    json_write_str(f, root);
    fputs(", \"tiers\": {", f);
    for (int i = 0; k_tiers[i]; i++) {
      snprintf(dir, sizeof dir, "%s/%s", root, k_tiers[i]);
      fprintf(f, "%s\"%s\": ", i ? ", " : "", k_tiers[i]);
      if (version_manifest_digest(dir, hex) == 0) fprintf(f, "{\"manifest_sha256\": \"%s\"}", hex);
      else fputs("null", f);
    }
    fputs("}}}\n", f);
    return 0;
  }
  fprintf(f, "mxconform %s\n", MXC_VERSION);
  fprintf(f, "target ABI %u (include/mxconform/target.h)\n", (unsigned)MXC_TARGET_ABI_VERSION);
  fprintf(f, "process protocol %d (harness/PROTOCOL.md)\n", MXC_PROTOCOL_VERSION);
  fprintf(f, "results schema %s (harness/RESULTS.md)\n", MXC_RESULTS_SCHEMA);
  fprintf(f, "vectors format %d, vector set %s (vectors/FORMAT.md), in %s\n", MXC_VECTORS_FORMAT, MXC_VECTOR_SET, root);
  for (int i = 0; k_tiers[i]; i++) {
    snprintf(dir, sizeof dir, "%s/%s", root, k_tiers[i]);
    if (version_manifest_digest(dir, hex) == 0) fprintf(f, "vectors %-8s MANIFEST sha256 %s\n", k_tiers[i], hex);
    else fprintf(f, "vectors %-8s (no MANIFEST)\n", k_tiers[i]);
  }
  return 0;
}
