/* mxconform merge: the shards of one run into one results.json (merge.h). */
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct shard {
  const jv *doc;
  const char *name;
  long long index, count;
} shard;

/* Statuses and verdicts from good to bad; anything unknown counts as a failure. `incomplete`
 * (results the target could not observe) is worse than a pass, better than a misbehaviour. */
#define RANK_FAIL 4
static int status_rank(const char *s) {
  static const char *const order[] = {"pass", "unsupported", "incomplete", "flaky", "fail", "protocol-error", "timeout",
                                      "crash", NULL};
  if (!s) return RANK_FAIL;
  for (int i = 0; order[i]; i++)
    if (!strcmp(s, order[i])) return i;
  return RANK_FAIL;
}

static const char *const verdict_order[] = {"pass", "incomplete", "flaky", "fail", "error", NULL};
#define VRANK_FAIL 3
static int verdict_rank(const char *s) {
  if (!s) return VRANK_FAIL;
  for (int i = 0; verdict_order[i]; i++)
    if (!strcmp(s, verdict_order[i])) return i;
  return VRANK_FAIL;
}

static int outcome_rank(const char *s) {
  static const char *const order[] = {"untested", "ok", "divergence", "nonconformance", NULL};
  if (!s) return 3;
  for (int i = 0; order[i]; i++)
    if (!strcmp(s, order[i])) return i;
  return 3;
}

/* a + b as a JSON number: integers stay integers. */
static jv *num_add(const jv *a, const jv *b) {
  if (jv_is_int(a) && jv_is_int(b)) return jv_new_int(strtoll(a->text, NULL, 10) + strtoll(b->text, NULL, 10));
  return jv_new_real(jv_num(a, 0) + jv_num(b, 0));
}

static void shard_of(const jv *doc, const char *name, shard *s) {
  const jv *sh = jv_get(doc, "shard");
  s->doc = doc;
  s->name = name;
  s->index = sh ? (long long)jv_num(jv_get(sh, "index"), -1) : 0;
  s->count = sh ? (long long)jv_num(jv_get(sh, "count"), -1) : 1;
}

static int cmp_shard(const void *a, const void *b) {
  long long x = ((const shard *)a)->index, y = ((const shard *)b)->index;
  return (x > y) - (x < y);
}

/* The first field in which shard b is of another run than shard a, or NULL. */
static const char *run_difference(const shard *a, const shard *b) {
  static const char *const top[] = {"schema", "profile", "tier", "seed", NULL};
  static const char *const target_keys[] = {"spec", "kind", "name", "version", NULL};
  for (int i = 0; top[i]; i++)
    if (!jv_equal(jv_get(a->doc, top[i]), jv_get(b->doc, top[i]))) return top[i];
  const jv *ta = jv_get(a->doc, "target"), *tb = jv_get(b->doc, "target");
  for (int i = 0; target_keys[i]; i++)
    if (!jv_equal(jv_get(ta, target_keys[i]), jv_get(tb, target_keys[i]))) return "target";
  if (a->count != b->count) return "shard count";
  return NULL;
}

static int check_shards(shard *s, size_t n, char *err, size_t errlen) {
  for (size_t i = 0; i < n; i++) {
    const char *schema = jv_str(jv_get(s[i].doc, "schema"));
    if (s[i].doc->kind != JV_OBJ || !schema || strncmp(schema, "mxconform-results/", 18) || !jv_get(s[i].doc, "suites")) {
      snprintf(err, errlen, "%s: not a results.json (no \"schema\": \"mxconform-results/N\" and \"suites\")", s[i].name);
      return 2;
    }
    if (s[i].count < 1 || s[i].index < 0 || s[i].index >= s[i].count) {
      snprintf(err, errlen, "%s: bad \"shard\" (want {\"index\": i, \"count\": n} with 0 <= i < n)", s[i].name);
      return 2;
    }
    const char *what = i ? run_difference(&s[0], &s[i]) : NULL;
    if (what) {
      snprintf(err, errlen, "%s and %s are shards of different runs (their %s differs)", s[0].name, s[i].name, what);
      return 2;
    }
  }
  qsort(s, n, sizeof *s, cmp_shard);
  for (size_t i = 1; i < n; i++)
    if (s[i].index == s[i - 1].index) {
      snprintf(err, errlen, "%s and %s are the same shard (%lld/%lld)", s[i - 1].name, s[i].name, s[i].index, s[i].count);
      return 2;
    }
  if ((long long)n != s[0].count) {
    long long missing = 0;
    for (size_t i = 0; i < n && s[i].index == missing; i++) missing++;
    snprintf(err, errlen, "shard %lld/%lld is missing (%zu of %lld shards given)", missing, s[0].count, n, s[0].count);
    return 2;
  }
  return 0;
}

/* Fold suite b into suite a of the same name (a sweep's input range split over shards). */
static void suite_fold(jv *a, const jv *b) {
  for (size_t i = 0; i < b->n; i++) {
    const char *k = b->keys[i];
    const jv *vb = b->items[i];
    jv *va = jv_get(a, k);
    if (!va) jv_set(a, k, jv_clone(vb));
    else if (!strcmp(k, "status")) {
      if (status_rank(jv_str(vb)) > status_rank(jv_str(va))) jv_set(a, k, jv_clone(vb));
    } else if (va->kind == JV_NUM && vb->kind == JV_NUM) jv_set(a, k, num_add(va, vb));
    else if (va->kind == JV_ARR && vb->kind == JV_ARR)
      for (size_t j = 0; j < vb->n; j++) jv_append(va, jv_clone(vb->items[j]));
    else if (va->kind == JV_OBJ && vb->kind == JV_OBJ) suite_fold(va, vb);
  }
}

static jv *merge_suites(const shard *s, size_t n) {
  jv *all = jv_new(JV_ARR);
  for (size_t i = 0; i < n; i++) {
    const jv *suites = jv_get(s[i].doc, "suites");
    for (size_t j = 0; suites && j < suites->n; j++) {
      const jv *su = suites->items[j];
      const char *name = jv_str(jv_get(su, "name"));
      jv *same = NULL;
      for (size_t k = 0; name && k < all->n && !same; k++) {
        const char *other = jv_str(jv_get(all->items[k], "name"));
        if (other && !strcmp(other, name)) same = all->items[k];
      }
      if (same) suite_fold(same, su);
      else jv_append(all, jv_clone(su));
    }
  }
  return all;
}

/* totals from the suites: a count per status, cases and failed_cases; the template's other
 * numeric fields added up over the shards. */
static jv *merge_totals(const shard *s, size_t n, const jv *suites) {
  const jv *tmpl = jv_get(s[0].doc, "totals");
  jv *t = tmpl && tmpl->kind == JV_OBJ ? jv_clone(tmpl) : jv_new(JV_OBJ);
  for (size_t i = 0; i < t->n; i++) {
    if (t->items[i]->kind != JV_NUM) continue;
    jv *sum = jv_new_int(0);
    for (size_t k = 0; k < n; k++) {
      const jv *v = jv_get(jv_get(s[k].doc, "totals"), t->keys[i]);
      if (v && v->kind == JV_NUM) {
        jv *x = num_add(sum, v);
        jv_free(sum);
        sum = x;
      }
    }
    jv_free(t->items[i]);
    t->items[i] = sum;
  }
  static const char *const statuses[] = {"pass", "fail", "unsupported", "crash", "timeout", "protocol_error", "incomplete",
                                         NULL};
  for (int i = 0; statuses[i]; i++) jv_set(t, statuses[i], jv_new_int(0));
  long long cases = 0, failed = 0;
  for (size_t j = 0; j < suites->n; j++) {
    const jv *su = suites->items[j];
    char key[64];
    snprintf(key, sizeof key, "%s", jv_str(jv_get(su, "status")) ? jv_str(jv_get(su, "status")) : "unknown");
    for (char *c = key; *c; c++)
      if (*c == '-') *c = '_';
    jv_set(t, key, jv_new_int((long long)jv_num(jv_get(t, key), 0) + 1));
    cases += (long long)jv_num(jv_get(su, "cases"), 0);
    failed += (long long)jv_num(jv_get(su, "failed"), 0);
  }
  jv_set(t, "suites", jv_new_int((long long)suites->n));
  jv_set(t, "cases", jv_new_int(cases));
  jv_set(t, "failed_cases", jv_new_int(failed));
  return t;
}

static const char *merge_verdict(const shard *s, size_t n, const jv *suites) {
  int worst = 0;
  for (size_t i = 0; i < n; i++) {
    int r = verdict_rank(jv_str(jv_get(s[i].doc, "verdict")));
    if (r > worst) worst = r;
  }
  for (size_t j = 0; j < suites->n; j++) {
    const char *st = jv_str(jv_get(suites->items[j], "status"));
    int sr = status_rank(st); /* pass/unsupported 0, incomplete 1, flaky 2, anything worse fail */
    int r = sr <= 1 ? 0 : sr == 2 ? 1 : sr == 3 ? 2 : VRANK_FAIL;
    if (r > worst) worst = r;
  }
  return verdict_order[worst];
}

/* code_maps: cells joined by position (every map lists every code in order). */
static jv *merge_code_maps(const shard *s, size_t n) {
  jv *out = NULL;
  for (size_t i = 0; i < n; i++) {
    const jv *maps = jv_get(s[i].doc, "code_maps");
    if (!maps || maps->kind != JV_OBJ) continue;
    if (!out) {
      out = jv_clone(maps);
      continue;
    }
    for (size_t m = 0; m < maps->n; m++) {
      jv *mine = jv_get(out, maps->keys[m]);
      if (!mine) {
        jv_set(out, maps->keys[m], jv_clone(maps->items[m]));
        continue;
      }
      jv *ca = jv_get(mine, "cells");
      const jv *cb = jv_get(maps->items[m], "cells");
      for (size_t c = 0; ca && cb && c < ca->n && c < cb->n; c++) {
        jv *x = ca->items[c];
        const jv *y = cb->items[c];
        const jv *xc = jv_get(x, "cases"), *yc = jv_get(y, "cases");
        if (xc && yc) jv_set(x, "cases", num_add(xc, yc));
        else if (yc) jv_set(x, "cases", jv_clone(yc));
        if (outcome_rank(jv_str(jv_get(y, "outcome"))) > outcome_rank(jv_str(jv_get(x, "outcome"))))
          jv_set(x, "outcome", jv_clone(jv_get(y, "outcome")));
        const jv *ff = jv_get(x, "first_failure");
        if ((!ff || ff->kind == JV_NULL) && jv_get(y, "first_failure"))
          jv_set(x, "first_failure", jv_clone(jv_get(y, "first_failure")));
      }
    }
  }
  return out;
}

/* The shards' rule lines, each once, in the order first seen; the profile file only where
 * every shard wrote the same one (shards that saw different failures can fit different plain
 * values: no one file is then the run's, and `profile_file_differs` says so). */
static void merge_rules(jv *out, const jv *d) {
  jv *rules = jv_get(out, "rules");
  const jv *more = jv_get(d, "rules");
  for (size_t j = 0; rules && more && j < more->n; j++) {
    int seen = 0;
    for (size_t k = 0; k < rules->n && !seen; k++) seen = jv_equal(rules->items[k], more->items[j]);
    if (!seen) jv_append(rules, jv_clone(more->items[j]));
  }
  if (jv_get(out, "profile_file") && !jv_equal(jv_get(out, "profile_file"), jv_get(d, "profile_file"))) {
    jv_remove(out, "profile_file");
    jv *differs = jv_new(JV_BOOL);
    differs->b = 1;
    jv_set(out, "profile_file_differs", differs);
  }
}

/* detected_profile: each shard fitted its own failures; the diffs are joined by knob,
 * detected value and condition (explains added, evidence from the first shard that has it). */
static jv *merge_detected(const shard *s, size_t n) {
  jv *out = NULL;
  long long unexplained = 0;
  int matches = 1, having = 0;
  for (size_t i = 0; i < n; i++) {
    const jv *d = jv_get(s[i].doc, "detected_profile");
    if (!d || d->kind != JV_OBJ) continue;
    having++;
    unexplained += (long long)jv_num(jv_get(d, "unexplained_failures"), 0);
    const jv *m = jv_get(d, "matches");
    if (m && m->kind == JV_BOOL && !m->b) matches = 0;
    if (!out) {
      out = jv_clone(d);
      continue;
    }
    merge_rules(out, d);
    jv *diff = jv_get(out, "diff");
    const jv *more = jv_get(d, "diff");
    for (size_t j = 0; diff && more && j < more->n; j++) {
      const jv *e = more->items[j];
      jv *same = NULL;
      for (size_t k = 0; k < diff->n && !same; k++)
        if (jv_equal(jv_get(diff->items[k], "knob"), jv_get(e, "knob")) &&
            jv_equal(jv_get(diff->items[k], "detected_value"), jv_get(e, "detected_value")) &&
            jv_equal(jv_get(diff->items[k], "condition"), jv_get(e, "condition"))) /* a rule's condition */
          same = diff->items[k];
      if (!same) jv_append(diff, jv_clone(e));
      else if (jv_get(same, "explains") && jv_get(e, "explains"))
        jv_set(same, "explains", num_add(jv_get(same, "explains"), jv_get(e, "explains")));
    }
  }
  if (having < 2) return out; /* one shard failed: its fit is the run's */
  jv_set(out, "unexplained_failures", jv_new_int(unexplained));
  jv *mb = jv_new(JV_BOOL);
  mb->b = matches;
  jv_set(out, "matches", mb);
  /* the summary line, rebuilt from the joined diff */
  const jv *diff = jv_get(out, "diff");
  const char *base = jv_str(jv_get(out, "base"));
  char line[1024];
  int used = snprintf(line, sizeof line, "matches %s", base ? base : "the profile");
  for (size_t k = 0; diff && k < diff->n && used < (int)sizeof line - 1; k++) {
    const char *knob = jv_str(jv_get(diff->items[k], "knob"));
    const char *val = jv_str(jv_get(diff->items[k], "detected_value"));
    const char *cond = jv_str(jv_get(diff->items[k], "condition"));
    used += snprintf(line + used, sizeof line - (size_t)used, "%s%s = %s%s%s", k ? ", " : " except: ", knob ? knob : "?",
                     val ? val : "?", cond ? " when " : "", cond ? cond : "");
  }
  jv_set(out, "summary", jv_new_str(line));
  jv *from = jv_new(JV_BOOL);
  from->b = 1;
  jv_set(out, "joined_from_shards", from);
  return out;
}

static jv *merged_note(const shard *s, size_t n, double wall_sum) {
  jv *m = jv_new(JV_OBJ);
  jv_set(m, "shards", jv_new_int((long long)n));
  jv *files = jv_new(JV_ARR);
  for (size_t i = 0; i < n; i++) {
    char esc[1024];
    size_t o = 0;
    for (const char *c = s[i].name; *c && o + 7 < sizeof esc; c++) {
      if (*c == '"' || *c == '\\') esc[o++] = '\\';
      esc[o++] = *c;
    }
    esc[o] = 0;
    jv_append(files, jv_new_str(esc));
  }
  jv_set(m, "files", files);
  jv_set(m, "wall_seconds_sum", jv_new_real(wall_sum));
  return m;
}

int merge_results(jv *const *docs, const char *const *names, size_t n, jv **out, char *err, size_t errlen) {
  *out = NULL;
  if (!n) {
    snprintf(err, errlen, "no shard files given");
    return 2;
  }
  shard *s = calloc(n, sizeof *s);
  if (!s) abort();
  for (size_t i = 0; i < n; i++) shard_of(docs[i], names[i], &s[i]);
  if (check_shards(s, n, err, errlen)) {
    free(s);
    return 2;
  }
  jv *m = jv_clone(s[0].doc);
  jv *suites = merge_suites(s, n);
  jv_set(m, "totals", merge_totals(s, n, suites));
  jv_set(m, "verdict", jv_new_str(merge_verdict(s, n, suites)));
  jv_set(m, "suites", suites);
  jv *maps = merge_code_maps(s, n);
  if (maps) jv_set(m, "code_maps", maps);
  jv *det = merge_detected(s, n);
  if (det) jv_set(m, "detected_profile", det);
  double wall_max = 0, wall_sum = 0;
  for (size_t i = 0; i < n; i++) {
    double w = jv_num(jv_get(s[i].doc, "wall_seconds"), 0);
    wall_sum += w;
    if (w > wall_max) wall_max = w;
    const jv *st = jv_get(s[i].doc, "started_utc");
    const char *first = jv_str(jv_get(m, "started_utc"));
    if (jv_str(st) && first && strcmp(jv_str(st), first) < 0) jv_set(m, "started_utc", jv_clone(st));
  }
  if (jv_get(m, "wall_seconds")) jv_set(m, "wall_seconds", jv_new_real(wall_max));
  /* other fields: arrays (events, ...) joined in shard order; the rest stays the lowest shard's */
  static const char *const handled[] = {"totals", "verdict", "suites", "code_maps", "detected_profile", "shard",
                                        "wall_seconds", "started_utc", NULL};
  for (size_t f = 0; f < m->n; f++) {
    int known = 0;
    for (int h = 0; handled[h]; h++) known |= !strcmp(m->keys[f], handled[h]);
    if (known || m->items[f]->kind != JV_ARR) continue;
    for (size_t i = 1; i < n; i++) {
      const jv *more = jv_get(s[i].doc, m->keys[f]);
      for (size_t j = 0; more && more->kind == JV_ARR && j < more->n; j++) jv_append(m->items[f], jv_clone(more->items[j]));
    }
  }
  jv_remove(m, "shard");
  jv_set(m, "merged", merged_note(s, n, wall_sum));
  free(s);
  *out = m;
  return 0;
}
