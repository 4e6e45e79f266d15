/* Combining the shards of one run (results.json documents, RESULTS.md) into the document of
 * the whole run: `mxconform merge`. */
#ifndef MXCONFORM_MERGE_H
#define MXCONFORM_MERGE_H

#include <stddef.h>

#include "jsonv.h"

/* Merge n shard documents (names[i]: their file names, for messages). The shards must be of
 * one run: the same schema, target (spec, kind, name, version), profile, tier, seed and
 * shard count, each shard index once, none missing (a document without "shard" is shard
 * 0/1). On success *out is the merged document: the lowest shard's fields, with
 *   suites       every shard's suites in shard order; a suite name in several shards (a
 *                sweep whose inputs were split) becomes one suite: numbers added, arrays
 *                (failures, ranges) joined, the worst status
 *   totals       recomputed from the suites (unknown numeric totals: added up)
 *   verdict      recomputed: the worst of the shards' verdicts and of the suites' statuses
 *   code_maps    cells joined code by code (cases added, the worst outcome, first failure)
 *   detected_profile  the shards' diffs joined by knob and value (explains added)
 *   started_utc  the earliest; wall_seconds the longest shard
 *   shard        removed; "merged": {"shards": n, "files": [...], "wall_seconds_sum": s} added
 *   any other field: arrays joined in shard order, anything else the lowest shard's.
 * Returns 0, or 2 with one line saying why in err (nothing in *out). */
int merge_results(jv *const *docs, const char *const *names, size_t n, jv **out, char *err, size_t errlen);

#endif
