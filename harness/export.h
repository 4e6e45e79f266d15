/* Golden vectors in forms other test frameworks read without our parser (mxconform export):
 * JSON, CSV and C headers, one file per suite, from the canonical text of a suite
 * (vec_write), so every exported value is the .mxv file's. */
#ifndef MXCONFORM_EXPORT_H
#define MXCONFORM_EXPORT_H

#include <stdio.h>

#include "vectors.h"

typedef enum export_format { EXPORT_JSON, EXPORT_CSV, EXPORT_C_HEADER } export_format;

/* "json" "csv" "c-header"; -1 when unknown. */
int export_format_parse(const char *name);
/* The file name extension of a format: "json" "csv" "h". */
const char *export_format_ext(export_format fmt);

/* Write suite s in `fmt` to f:
 *   json      {"format": "mxconform-vectors-json/1", "suite", "header": {every "# key: value"},
 *              "columns": [...], "cases": [[field, ...], ...]}; a field is a "0x…" string, a
 *              list column (values codes scales_a codes_a scales_b codes_b) an array of them,
 *              pack's packed bytes an array of "0x…" bytes, dot's absent C null
 *   csv       a header row of the column names, then one row per case; list fields are their
 *              "0x…" values separated by spaces, an absent C an empty field
 *   c-header  static const uint64_t mxv_<suite>[][W] (one flat row of W words per case, list
 *              columns and packed bytes spread over their words, an absent C as MXV_NONE) with
 *              MXV_<SUITE>_CASES and per column _COL_<NAME> (first word) and _LEN_<NAME>
 * Returns 0, or -1 on a write error. */
int export_suite(FILE *f, export_format fmt, const vec_suite *s);

/* The header object of a suite as JSON ({"suite": ..., "op": ..., ...}), for index.json. */
int export_header_json(FILE *f, const vec_suite *s);

#endif
