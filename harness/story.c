/* The terminal story of a run (story.h). Placeholder until the story lands: prints nothing,
 * so `run`'s own summary lines stay the whole terminal output. */
#include "story.h"

int story_print(FILE *f, const char *json, size_t len, const story_opts *o) {
  (void)f;
  (void)json;
  (void)len;
  (void)o;
  return 0;
}
