/* Reading and writing the harness's files: one atomic writer (results, vectors, merged
 * documents) and one JSON string writer, so that every output is written the same way. */
#ifndef MXCONFORM_FILEIO_H
#define MXCONFORM_FILEIO_H

#include <stddef.h>
#include <stdio.h>

/* The whole file (NUL-terminated one byte past *len; the caller frees), or NULL with errno
 * set when it cannot be read. */
char *file_read_all(const char *path, size_t *len);

/* Write data to path atomically: a temporary PATH.tmp.PID in the same directory, then a
 * rename, so a reader sees the old file or the new one, never a part. A SIGINT, SIGTERM,
 * SIGHUP or SIGQUIT while it writes removes the temporary file before the process ends.
 * 0, or -1 with errno set (nothing left behind). */
int file_write_atomic(const char *path, const char *data, size_t len);

/* The same for an output too large to hold in memory, written as it is produced: a FILE on
 * PATH.tmp.PID (removed by the same signals, and by exit()), then file_stream_close(f, path, keep) renames it
 * onto path when keep is set and every write succeeded, and removes it otherwise. One such
 * file at a time (EBUSY). NULL / -1 with errno set; close with keep = 0 returns 0. */
FILE *file_stream_open(const char *path);
int file_stream_close(FILE *f, const char *path, int keep);

/* s as a JSON string literal, quotes included (control characters escaped). */
void json_write_str(FILE *f, const char *s);

#endif
