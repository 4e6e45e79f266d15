/* mxconform's version numbers, in one place: what `mxconform --version` prints and what a
 * results.json records (version_json). What bumps each one:
 *   MXC_VERSION            the program and libmxref (semantic versioning; the library's
 *                          SONAME is the major number). CMakeLists.txt's project(VERSION)
 *                          must say the same (tests/install.sh compares mxref.pc with it).
 *   MXC_TARGET_ABI_VERSION include/mxconform/target.h: a change a built target would notice.
 *   MXC_PROTOCOL_VERSION   harness/PROTOCOL.md: the hello line `mxconform-protocol N`.
 *   MXC_RESULTS_SCHEMA     harness/RESULTS.md: only a removal or a change of meaning (fields
 *                          are added without a bump).
 *   MXC_VECTORS_FORMAT     vectors/FORMAT.md: the `# mxconform-vectors N` magic line.
 *   MXC_VECTOR_SET         the content of the committed tiers (rule in vectors/FORMAT.md,
 *                          "Versions"); the MANIFEST digest names the exact bytes. */
#ifndef MXCONFORM_VERSION_H
#define MXCONFORM_VERSION_H

#include <stddef.h>
#include <stdio.h>

#include "mxconform/target.h"

#define MXC_VERSION "0.1.0"
#define MXC_PROTOCOL_VERSION 1
#define MXC_RESULTS_SCHEMA "mxconform-results/1"
#define MXC_VECTORS_FORMAT 1
#define MXC_VECTOR_SET "1.4"

/* The vectors root (holding smoke/, standard/): $MXCONFORM_VECTORS when set, else
 * share/mxconform/vectors beside an installed binary (EXE/../share/mxconform/vectors),
 * else the source tree's vectors/ the binary was built from. */
const char *version_vectors_root(void);

/* SHA-256 of DIR/MANIFEST as 64 hex digits into hex[65]; -1 (hex = "") when unreadable. */
int version_manifest_digest(const char *dir, char hex[65]);

/* Write the versions as one JSON object (no trailing newline), for results.json:
 *   {"program": "0.1.0", "target_abi": 1, "protocol": 1, "results_schema": "mxconform-results/1",
 *    "vectors": {"format": 1, "set": "1.0", "dir": "vectors/standard", "manifest_sha256": "…"}}
 * `vectors_dir` is the tier directory read (its MANIFEST is digested); NULL or a directory
 * without a MANIFEST gives "dir": null / "manifest_sha256": null. */
void version_json(FILE *f, const char *vectors_dir);

/* `mxconform --version [--json]`: the lines (or the JSON object with every tier's digest). */
int version_print(FILE *f, int json);

#endif
