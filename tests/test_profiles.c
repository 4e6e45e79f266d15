/* Profiles: the built-ins hold the values spec_notes/profiles.md documents, every built-in
 * survives write -> parse, and every kind of bad line is reported as "origin:line: reason".
 *
 * Usage: test_profiles builtins | roundtrip | conditional | dot | files DIR */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mxconform/profile.h"

/* ---- documented values ------------------------------------------------------------------------ */

/* The `ocp` value of every key (spec_notes/profiles.md, first table). */
static const char *const k_ocp_values[][2] = {
  {"round", "rne"},         {"sr_bits", "16"},          {"overflow", "sat"},
  {"nan_sign", "keep"},     {"e5m2_nan", "quiet"},      {"inf_sat", "max"},
  {"nan_finite", "pos-max"}, {"inf_finite", "max"},     {"int8_range", "twos"},
  {"src_subnormals", "exact"}, {"e8m0_zero", "min"},    {"e8m0_neg", "abs"},
  {"fnuz_zero", "positive"}, {"ovf_directed", "max"},  {"e8m0_tie", "even"},
  {"ovf_finite", "max"},    {"f64_src", "direct"},      {"ovf_nan", "nan"},
  {"e8m0_range", "round-first"},
  {"rule", "floor"},        {"nan_block", "nan-scale"}, {"inf_block", "nan-scale"},
  {"zero_block", "min"},    {"scale_overflow", "nan"},  {"dequant_overflow", "inf"},
  {"fp4_pack", "fp4-low"},  {"fp6_pack", "byte"},
  {"nvfp4_tensor_scale", "exact"}, {"nvfp4_block_scale", "exact"}, {"nvfp4_elem_scale", "exact"},
  {"nvfp4_dequant", "exact"}, {"nvfp4_scale_sign", "ignore"},
};
#define N_KEYS (sizeof k_ocp_values / sizeof k_ocp_values[0])

/* Each built-in as its differences from `ocp` (spec_notes/profiles.md). */
typedef struct builtin_doc {
  const char *name;
  const char *changes[6][2];
} builtin_doc;

static const builtin_doc k_docs[] = {
  {"ocp", {{NULL, NULL}}},
  {"nvidia-rceil",
   {{"rule", "rceil"},
    {"inf_block", "max-scale"},
    {"scale_overflow", "clamp"},
    {"nan_sign", "nan-input-positive"},
    {"e5m2_nan", "allones"},
    {NULL, NULL}}},
  {"torchao-ceil", {{"rule", "ceil"}, {"e5m2_nan", "allones"}, {NULL, NULL}}},
  {"torchao-even", {{"rule", "even"}, {"e5m2_nan", "allones"}, {NULL, NULL}}},
  {"microxcaling", {{"round", "rna"}, {"int8_range", "symmetric"}, {NULL, NULL}}},
  {"gfloat", {{"inf_block", "max-scale"}, {"scale_overflow", "clamp"}, {NULL, NULL}}},
  {"nvfp4-te",
   {{"nvfp4_tensor_scale", "te"},
    {"nvfp4_block_scale", "te"},
    {"nvfp4_elem_scale", "reciprocal"},
    {"nvfp4_dequant", "scale-first"},
    {NULL, NULL}}},
};
#define N_BUILTINS (sizeof k_docs / sizeof k_docs[0])

static const char *documented(const builtin_doc *d, const char *key) {
  for (int i = 0; d->changes[i][0]; i++)
    if (!strcmp(d->changes[i][0], key)) return d->changes[i][1];
  for (size_t i = 0; i < N_KEYS; i++)
    if (!strcmp(k_ocp_values[i][0], key)) return k_ocp_values[i][1];
  return NULL;
}

static void builtins_have_documented_values(void) {
  /* the key list: every scalar knob, then the block and packing keys, each documented */
  size_t n = 0;
  for (const char *const *k = mx_profile_keys(); *k; k++, n++) {
    CHECK(n < N_KEYS && !strcmp(*k, k_ocp_values[n][0]), "key %zu is '%s', profiles.md lists '%s'", n, *k,
          n < N_KEYS ? k_ocp_values[n][0] : "(nothing)");
    char buf[256];
    CHECK(mx_profile_key_values(*k, buf, sizeof buf) != NULL && buf[0], "key %s has no list of values", *k);
  }
  CHECK(n == N_KEYS, "%zu keys, profiles.md documents %zu", n, N_KEYS);
  for (const mx_knob *k = mx_knob_table; k->name; k++) {
    int found = 0;
    for (const char *const *p = mx_profile_keys(); *p; p++) found |= !strcmp(*p, k->name);
    CHECK(found, "scalar knob %s is not a profile key", k->name);
  }

  size_t nb = 0;
  for (const char *const *b = mx_profile_builtin_names; *b; b++) nb++;
  CHECK(nb == N_BUILTINS, "%zu built-ins, %zu documented", nb, N_BUILTINS);
  for (size_t i = 0; i < N_BUILTINS; i++) {
    mx_profile p;
    CHECK(mx_profile_builtin(k_docs[i].name, &p) == 0, "built-in %s does not load", k_docs[i].name);
    CHECK(!strcmp(p.name, k_docs[i].name), "built-in %s is named '%s'", k_docs[i].name, p.name);
    for (size_t k = 0; k < N_KEYS; k++) {
      char buf[64];
      const char *key = k_ocp_values[k][0], *got = mx_profile_get(&p, key, buf, sizeof buf);
      const char *want = documented(&k_docs[i], key);
      CHECK(got && !strcmp(got, want), "%s: %s = %s, profiles.md says %s", k_docs[i].name, key, got ? got : "(null)",
            want);
    }
  }

  /* ocp is mx_block_opts_default with fp4-low and byte packing */
  mx_profile p;
  mx_block_opts d;
  mx_block_opts_default(&d);
  mx_profile_builtin("ocp", &p);
  CHECK(!memcmp(&p.o, &d, sizeof d), "ocp differs from mx_block_opts_default");
  CHECK(p.fp4_layout == MX_PACK_FP4_LOW && p.fp6_layout == MX_PACK_BYTE, "ocp packing %d %d", p.fp4_layout,
        p.fp6_layout);
  mx_profile_builtin("nvidia-rceil", &p);
  CHECK(p.o.rule == MX_RULE_RCEIL && p.o.inf_block == MX_INFB_MAX_SCALE, "nvidia-rceil enum fields");
  mx_profile_builtin("microxcaling", &p);
  CHECK(p.o.elem.round == MX_RNA && p.o.elem.int8_range == MX_INT8_SYMMETRIC, "microxcaling enum fields");

  CHECK(mx_profile_builtin("no-such-profile", &p) == -1, "unknown built-in accepted");

  /* set / get / values */
  mx_profile_builtin("ocp", &p);
  CHECK(mx_profile_set(&p, "rule", "even-tiedown") == 0 && p.o.rule == MX_RULE_EVEN_TIEDOWN, "set rule");
  CHECK(mx_profile_set(&p, "fp6_pack", "fp6-lsb") == 0 && p.fp6_layout == MX_PACK_FP6_LSB, "set fp6_pack");
  CHECK(mx_profile_set(&p, "fp4_pack", "fp4-high") == 0 && p.fp4_layout == MX_PACK_FP4_HIGH, "set fp4_pack");
  CHECK(mx_profile_set(&p, "fp4_pack", "byte") == -2, "fp4_pack=byte must be a bad value");
  CHECK(mx_profile_set(&p, "sr_bits", "32") == 0 && p.o.elem.sr_bits == 32, "set sr_bits");
  CHECK(mx_profile_set(&p, "sr_bits", "33") == -2, "sr_bits=33 accepted");
  CHECK(mx_profile_set(&p, "sr_bits", "+5") == -2, "sr_bits=+5 accepted");
  CHECK(mx_profile_set(&p, "sr_bits", "-18446744073709551615") == -2, "a wrapped negative sr_bits accepted");
  CHECK(mx_profile_set(&p, "colour", "red") == -1, "unknown key accepted");
  CHECK(mx_profile_set(&p, "rule", "Floor") == -2, "values are case-sensitive");
  char buf[128];
  CHECK(mx_profile_get(&p, "colour", buf, sizeof buf) == NULL, "get of an unknown key");
  CHECK(mx_profile_key_values("colour", buf, sizeof buf) == NULL, "values of an unknown key");
  CHECK(!strcmp(mx_profile_key_values("rule", buf, sizeof buf), "floor ceil rceil even even-tiedown"), "rule values '%s'",
        buf);
  CHECK(!strcmp(mx_profile_key_values("sr_bits", buf, sizeof buf), "1..32"), "sr_bits values '%s'", buf);
  /* the NaN knobs: every value of profiles.md, each a distinct enum value */
  CHECK(!strcmp(mx_profile_key_values("nan_sign", buf, sizeof buf), "keep positive nan-input-positive negative"),
        "nan_sign values '%s'", buf);
  CHECK(!strcmp(mx_profile_key_values("e5m2_nan", buf, sizeof buf), "quiet allones propagate"), "e5m2_nan values '%s'",
        buf);
  CHECK(mx_profile_set(&p, "nan_sign", "nan-input-positive") == 0 && p.o.elem.nan_sign == MX_NAN_SIGN_NAN_INPUT_POSITIVE,
        "set nan_sign=nan-input-positive");
  CHECK(mx_profile_set(&p, "e5m2_nan", "propagate") == 0 && p.o.elem.e5m2_nan == MX_E5M2_NAN_PROPAGATE,
        "set e5m2_nan=propagate");
  CHECK(!strcmp(mx_profile_get(&p, "nan_sign", buf, sizeof buf), "nan-input-positive"), "get nan_sign '%s'", buf);
  CHECK(!strcmp(mx_profile_get(&p, "e5m2_nan", buf, sizeof buf), "propagate"), "get e5m2_nan '%s'", buf);
  CHECK(mx_profile_set(&p, "e5m2_nan", "payload") == -2, "e5m2_nan=payload accepted");
  CHECK(!strcmp(mx_profile_key_values("inf_block", buf, sizeof buf), "nan-scale max-scale ignore"), "'%s'", buf);

  /* diff */
  mx_profile a, b;
  mx_profile_builtin("ocp", &a);
  mx_profile_builtin("gfloat", &b);
  char diff[256];
  int nd = mx_profile_diff(&a, &b, diff, sizeof diff);
  CHECK(nd == 2 && !strcmp(diff, "inf_block: nan-scale -> max-scale; scale_overflow: nan -> clamp"), "diff %d '%s'",
        nd, diff);
  CHECK(mx_profile_diff(&a, &a, diff, sizeof diff) == 0 && diff[0] == 0, "self diff '%s'", diff);
  char tiny[8];
  CHECK(mx_profile_diff(&a, &b, tiny, sizeof tiny) == 2 && strlen(tiny) == 7, "diff truncates safely");
}

/* ---- write -> parse --------------------------------------------------------------------------- */

static int parse_text(const char *text, size_t len, mx_profile *p, char *err, size_t errlen) {
  return mx_profile_parse(text, len, "mem.profile", p, err, errlen);
}

static void write_parse_round_trip(void) {
  for (const char *const *b = mx_profile_builtin_names; *b; b++) {
    mx_profile p, q;
    mx_profile_builtin(*b, &p);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
      CHECK(0, "open_memstream: %s", strerror(errno));
      return;
    }
    mx_profile_write(f, &p);
    fclose(f);
    char err[512];
    int rc = parse_text(text, len, &q, err, sizeof err);
    CHECK(rc == 0, "%s: written profile does not parse back: %s", *b, err);
    char diff[512];
    CHECK(rc == 0 && mx_profile_diff(&p, &q, diff, sizeof diff) == 0, "%s: round trip changed %s", *b, diff);
    CHECK(rc == 0 && !strcmp(p.name, q.name), "%s: name came back as '%s'", *b, q.name);
    /* every key is in the text (a complete profile) */
    for (const char *const *k = mx_profile_keys(); *k; k++) {
      char line[80];
      snprintf(line, sizeof line, "\n%s = ", *k);
      CHECK(strstr(text, line) != NULL, "%s: written profile lacks key %s", *b, *k);
    }
    free(text);
    /* and a profile that changes every key from ocp also survives */
  }
  mx_profile p, q;
  mx_profile_builtin("ocp", &p);
  const char *const changes[][2] = {
    {"round", "rdn"},          {"sr_bits", "7"},           {"overflow", "ovf"},         {"nan_sign", "nan-input-positive"},
    {"e5m2_nan", "propagate"}, {"inf_sat", "special"},     {"nan_finite", "inverted-zero"}, {"inf_finite", "signed-zero"},
    {"int8_range", "symmetric"}, {"src_subnormals", "flush"}, {"e8m0_zero", "nan"},     {"e8m0_neg", "min"},
    {"rule", "even-tiedown"},  {"nan_block", "ignore"},    {"inf_block", "ignore"},     {"zero_block", "one"},
    {"scale_overflow", "clamp"}, {"dequant_overflow", "sat"}, {"fp4_pack", "fp4-high"}, {"fp6_pack", "fp6-lsb"},
  };
  for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++)
    CHECK(mx_profile_set(&p, changes[i][0], changes[i][1]) == 0, "set %s", changes[i][0]);
  snprintf(p.name, sizeof p.name, "every-key-changed");
  mx_profile o;
  mx_profile_builtin("ocp", &o);
  char diff[1024];
  CHECK(mx_profile_diff(&o, &p, diff, sizeof diff) == (int)(sizeof changes / sizeof changes[0]),
        "not every key changed: %s", diff);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  mx_profile_write(f, &p);
  fclose(f);
  char err[512];
  CHECK(parse_text(text, len, &q, err, sizeof err) == 0, "every-key profile: %s", err);
  CHECK(mx_profile_diff(&p, &q, diff, sizeof diff) == 0 && !strcmp(q.name, p.name), "every-key round trip: %s", diff);
  free(text);
}

/* ---- bad lines --------------------------------------------------------------------------------- */

/* Parse `text`; the error must start "mem.profile:LINE: " and contain `phrase`. */
static void expect_error(const char *what, const char *text, size_t len, int line, const char *phrase) {
  mx_profile p, before;
  mx_profile_builtin("gfloat", &p);
  before = p;
  char err[1024];
  int rc = parse_text(text, len, &p, err, sizeof err);
  char prefix[64];
  snprintf(prefix, sizeof prefix, "mem.profile:%d: ", line);
  CHECK(rc != 0, "%s: accepted", what);
  CHECK(!strncmp(err, prefix, strlen(prefix)), "%s: message '%s' does not start with '%s'", what, err, prefix);
  CHECK(strstr(err, phrase) != NULL, "%s: message '%s' lacks '%s'", what, err, phrase);
  CHECK(!strchr(err, '\n'), "%s: message is more than one line", what);
  CHECK(!memcmp(&p, &before, sizeof p), "%s: a failed parse changed the profile", what);
}

#define EXPECT_ERROR(what, text, line, phrase) expect_error(what, text, sizeof(text) - 1, line, phrase)

static void bad_lines_are_reported(void) {
  EXPECT_ERROR("unknown key", "round = rne\nfoo = 1\n", 2, "unknown key 'foo' (valid keys: name base dot round sr_bits");
  EXPECT_ERROR("unknown key lists the block keys", "foo = 1", 1, "fp4_pack fp6_pack nvfp4_tensor_scale nvfp4_block_scale nvfp4_elem_scale nvfp4_dequant nvfp4_scale_sign)");
  EXPECT_ERROR("bad value", "rule = sideways\n", 1,
               "bad value 'sideways' for rule (allowed: floor ceil rceil even even-tiedown)");
  EXPECT_ERROR("bad number", "\nsr_bits = 0\n", 2, "bad value '0' for sr_bits (allowed: 1..32)");
  EXPECT_ERROR("empty value", "inf_block =\n", 1, "bad value '' for inf_block (allowed: nan-scale max-scale ignore)");
  EXPECT_ERROR("duplicate key", "rule = ceil\n# a comment\nrule = even\n", 3,
               "duplicate key 'rule' (first set on line 1)");
  EXPECT_ERROR("duplicate name", "name = a\nname = b\n", 2, "duplicate key 'name'");
  EXPECT_ERROR("duplicate base", "base = ocp\nbase = ocp\n", 2, "duplicate key 'base'");
  EXPECT_ERROR("missing '='", "\n\nround rne\n", 3, "missing '='");
  EXPECT_ERROR("missing key", "  = rne", 1, "missing key before '='");
  EXPECT_ERROR("base not first", "round = rna\nbase = gfloat\n", 2, "base must come before any knob");
  EXPECT_ERROR("unknown base", "base = nvidia\n", 1,
               "bad value 'nvidia' for base (allowed: ocp nvidia-rceil torchao-ceil torchao-even microxcaling gfloat nvfp4-te)");
  EXPECT_ERROR("bad name", "name = two words\n", 1, "bad value 'two words' for name");
  EXPECT_ERROR("NUL byte", "round = rne\nrule = floor\0ceil\n", 2, "control byte 0x00");
  EXPECT_ERROR("escape byte", "rule = \x1b[31mfloor\n", 1, "control byte 0x1b");
  EXPECT_ERROR("values are case-sensitive", "rule = FLOOR", 1, "bad value 'FLOOR'");
  /* the dot model's line: its parser's reason after the line number */
  EXPECT_ERROR("dot: bad number", "round = rne\ndot = group=x c_at=last\n", 2,
               "bad value 'group=x c_at=last' for dot: bad value 'x' for group (allowed: 0..1000)");
  EXPECT_ERROR("dot: unknown parameter", "dot = groups=1", 1, "for dot: unknown parameter 'groups'");
  EXPECT_ERROR("dot: bad enum value", "dot = c_at=end", 1, "bad value 'end' for c_at (allowed: first last)");
  EXPECT_ERROR("dot: unknown preset", "dot = blas", 1, "for dot: unknown preset 'blas'");
  EXPECT_ERROR("dot: preset not first", "dot = group=1 fp32-sequential", 1, "is not parameter=value");
  EXPECT_ERROR("dot: parameter twice", "dot = c_at=last accum=f32-rne c_at=first", 1, "parameter c_at given twice");
  EXPECT_ERROR("dot: empty", "dot =\n", 1, "for dot: empty model");
  EXPECT_ERROR("dot: invalid model", "dot = acc=fused scale_at=group", 1, "for dot: not a valid model: acc=fused");
  EXPECT_ERROR("dot: duplicate", "dot = exact-rne\ndot = fp32-sequential\n", 2,
               "duplicate key 'dot' (first set on line 1)");
  EXPECT_ERROR("dot: base after it", "dot = fp32-sequential\nbase = ocp\n", 2, "base must come before any knob");
  EXPECT_ERROR("key with spaces", "in f_block = ignore", 1, "unknown key 'in f_block'");
  /* a 5000-byte key and value: messages are cut, nothing overflows */
  static char long_line[12000];
  size_t n = 0;
  for (int i = 0; i < 5000; i++) long_line[n++] = 'k';
  memcpy(long_line + n, " = ", 3);
  n += 3;
  for (int i = 0; i < 5000; i++) long_line[n++] = 'v';
  expect_error("very long key", long_line, n, 1, "unknown key 'kkkk");
  memcpy(long_line, "rule", 4);
  for (int i = 4; i < 5000; i++) long_line[i] = ' ';
  expect_error("very long value", long_line, n, 1, "for rule (allowed:");

  /* good text in odd shapes */
  mx_profile p;
  char err[512];
  const char ok[] = "  # leading comment\n\n\tname = odd-shapes  \nbase = gfloat # trailing comment\r\n"
                    "rule=even\nzero_block   =   one";
  CHECK(parse_text(ok, sizeof ok - 1, &p, err, sizeof err) == 0, "odd-shaped good text: %s", err);
  CHECK(!strcmp(p.name, "odd-shapes") && p.o.rule == MX_RULE_EVEN && p.o.zero_block == MX_ZEROB_ONE &&
          p.o.inf_block == MX_INFB_MAX_SCALE && p.o.scale_overflow == MX_SCALEOVF_CLAMP,
        "odd-shaped text gave name %s rule %d", p.name, p.o.rule);
  /* the name after base keeps the file's name; no name -> the origin's file name */
  const char nb[] = "base = microxcaling\n";
  CHECK(mx_profile_parse(nb, sizeof nb - 1, "dir.d/vendor-x.profile", &p, err, sizeof err) == 0 &&
          !strcmp(p.name, "vendor-x") && p.o.elem.round == MX_RNA,
        "default name '%s'", p.name);
  CHECK(mx_profile_parse("", 0, "empty.profile", &p, err, sizeof err) == 0 && p.o.rule == MX_RULE_FLOOR &&
          !strcmp(p.name, "empty"),
        "an empty profile is ocp named after its file");
  CHECK(mx_profile_parse(NULL, 0, "null", &p, err, sizeof err) == 0, "NULL text with length 0");
  /* a tiny error buffer is still terminated */
  char small[10];
  CHECK(mx_profile_parse("x", 1, "mem.profile", &p, small, sizeof small) != 0 && strlen(small) == 9, "small buffer");

  /* arbitrary bytes never crash the parser, and errors always name the origin */
  uint64_t state = 0x9E3779B97F4A7C15ull;
  static const char alphabet[] = "=#\n\r\t abcdefghijklmnopqrstuvwxyz_-019";
  for (int round = 0; round < 20000; round++) {
    char buf[96];
    size_t len = (size_t)(round % 96);
    for (size_t i = 0; i < len; i++) {
      state ^= state << 13, state ^= state >> 7, state ^= state << 17;
      buf[i] = (round & 1) ? (char)(state >> 24) : alphabet[(state >> 24) % (sizeof alphabet - 1)];
    }
    if (mx_profile_parse(buf, len, "fuzz", &p, err, sizeof err) != 0 && strncmp(err, "fuzz:", 5)) {
      CHECK(0, "fuzz round %d: error '%s' does not name its origin", round, err);
      break;
    }
  }
}

/* ---- files -------------------------------------------------------------------------------------- */

static void profile_files(const char *dir) {
  char path[1024], err[1024];
  mx_profile p;
  snprintf(path, sizeof path, "%s/my-accelerator.profile", dir);
  CHECK(mx_profile_load(path, &p, err, sizeof err) == 0, "%s: %s", path, err);
  char buf[64];
  CHECK(!strcmp(p.name, "my-accelerator"), "name '%s'", p.name);
  CHECK(!strcmp(mx_profile_get(&p, "rule", buf, sizeof buf), "rceil"), "base nvidia-rceil: rule");
  CHECK(!strcmp(mx_profile_get(&p, "inf_block", buf, sizeof buf), "max-scale"), "base nvidia-rceil: inf_block");
  CHECK(!strcmp(mx_profile_get(&p, "int8_range", buf, sizeof buf), "symmetric"), "int8_range");
  CHECK(!strcmp(mx_profile_get(&p, "nan_finite", buf, sizeof buf), "signed-zero"), "nan_finite");
  CHECK(p.fp6_layout == MX_PACK_FP6_LSB, "fp6_pack");

  snprintf(path, sizeof path, "%s/crlf-no-final-newline.profile", dir);
  CHECK(mx_profile_load(path, &p, err, sizeof err) == 0, "%s: %s", path, err);
  CHECK(p.o.rule == MX_RULE_EVEN && p.o.zero_block == MX_ZEROB_ONE && p.fp4_layout == MX_PACK_FP4_HIGH,
        "CRLF file values");

  char want[1200];
  snprintf(path, sizeof path, "%s/bad-unknown-key.profile", dir);
  snprintf(want, sizeof want, "%s:3: unknown key 'scale_rule' (valid keys: ", path);
  CHECK(mx_profile_load(path, &p, err, sizeof err) != 0 && !strncmp(err, want, strlen(want)), "got '%s'", err);

  snprintf(path, sizeof path, "%s/bad-base-late.profile", dir);
  snprintf(want, sizeof want, "%s:3: base must come before any knob", path);
  CHECK(mx_profile_load(path, &p, err, sizeof err) != 0 && !strncmp(err, want, strlen(want)), "got '%s'", err);

  snprintf(path, sizeof path, "%s/no-such.profile", dir);
  snprintf(want, sizeof want, "%s: cannot read: %s", path, strerror(ENOENT));
  CHECK(mx_profile_load(path, &p, err, sizeof err) != 0 && !strcmp(err, want), "got '%s', want '%s'", err, want);

  CHECK(mx_profile_load(dir, &p, err, sizeof err) != 0 && strstr(err, ": cannot read: "), "a directory: '%s'", err);

  CHECK(mx_profile_load("torchao-even", &p, err, sizeof err) == 0 && p.o.rule == MX_RULE_EVEN, "built-in by name");
}

/* Conditional values (profile.h): resolved by request, later rules win, written and read
 * back unchanged, --knob-style set drops the key's rules, bad conditions are errors. */
static void conditional_values(void) {
  const char text[] = "name = cond\n"
                      "nan_sign = nan-input-positive\n"
                      "e8m0_zero = nan when overflow=ovf\n"
                      "nan_sign = keep when src=f64 dst=e4m3,e5m2\n"
                      "nan_sign = positive when src=f64 round=rtz\n"
                      "nan_finite = refuse when op=cvt\n";
  mx_profile p, q;
  char err[256];
  CHECK(parse_text(text, sizeof text - 1, &p, err, sizeof err) == 0, "parse: %s", err);
  CHECK(p.nrules == 4, "4 rules, got %d", p.nrules);
  mx_convert_opts o;
  mx_knob_context c = {MX_OPK_CVT, MX_F32, MX_E8M0, MX_RNE, MX_OVF};
  mx_profile_resolve(&p, &c, &o);
  CHECK(o.e8m0_zero == MX_E8M0_ZERO_NAN && o.overflow == MX_OVF, "e8m0_zero under ovf");
  c.overflow = MX_SAT;
  mx_profile_resolve(&p, &c, &o);
  CHECK(o.e8m0_zero == MX_E8M0_ZERO_MIN, "e8m0_zero under sat");
  c = (mx_knob_context){MX_OPK_CVT, MX_F64, MX_E4M3, MX_RNE, MX_SAT};
  mx_profile_resolve(&p, &c, &o);
  CHECK(o.nan_sign == MX_NAN_SIGN_KEEP, "f64 -> e4m3: keep");
  c.dst = MX_E2M1;
  mx_profile_resolve(&p, &c, &o);
  CHECK(o.nan_sign == MX_NAN_SIGN_NAN_INPUT_POSITIVE && o.nan_finite == MX_NANF_REFUSE, "f64 -> e2m1: the plain value");
  c = (mx_knob_context){MX_OPK_CVT, MX_F64, MX_E4M3, MX_RTZ, MX_SAT};
  mx_profile_resolve(&p, &c, &o);
  CHECK(o.nan_sign == MX_NAN_SIGN_POSITIVE, "the later rule wins");
  mx_block_opts b = mx_profile_block_opts(&p, MX_OPK_QUANTIZE, MX_F32, MX_E2M1);
  CHECK(b.elem.nan_finite == MX_NANF_POS_MAX, "a block op gets no per-value refusal");
  /* write -> parse: the same profile */
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  mx_profile_write(f, &p);
  fclose(f);
  CHECK(parse_text(out, len, &q, err, sizeof err) == 0, "re-parse: %s\n%s", err, out);
  CHECK(mx_profile_diff(&p, &q, err, sizeof err) == 0, "round trip differs: %s", err);
  free(out);
  q.nrules--;
  CHECK(mx_profile_diff(&p, &q, err, sizeof err) == 1 && strstr(err, "-nan_finite = refuse when op=cvt"), "diff names the rule: %s", err);
  CHECK(mx_profile_set(&p, "nan_sign", "keep") == 0 && p.nrules == 2, "set drops the key's rules (%d left)", p.nrules);
  static const struct { const char *text, *phrase; } bad[] = {
    {"e8m0_zero = nan when overflw=ovf\n", "unknown condition 'overflw'"},
    {"e8m0_zero = nan when overflow=maybe\n", "bad value 'maybe' for condition overflow"},
    {"e8m0_zero = nan when\n", "empty condition"},
    {"round = rtz when dst=e4m3\n", "takes no rule"},
    {"rule = ceil when dst=e4m3\n", "not a scalar knob"},
    {"e8m0_zero = never when overflow=ovf\n", "bad value 'never' for e8m0_zero"},
    {"e8m0_zero = nan when overflow=ovf\ne8m0_zero = min when overflow=ovf\n", "already set"},
    {"e8m0_zero = nan when src=f64 src=f32\n", "given twice"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int rc = parse_text(bad[i].text, strlen(bad[i].text), &q, err, sizeof err);
    CHECK(rc != 0 && strstr(err, bad[i].phrase) && strstr(err, "mem.profile:"), "'%s': got '%s'", bad[i].text, err);
  }
}

/* ---- the dot model ------------------------------------------------------------------------------ */

/* A `dot` line (profile.h): parsed by the model's own parser, the model in force for dot
 * expectations, written back with all thirteen parameters and read again unchanged; no line
 * means exact-rne. */
static void dot_line(void) {
  const char text[] = "base = microxcaling\ndot = group=1 presum=0 frac_bits=exact accum=f32-rne c_at=last\n";
  mx_profile p, q, o;
  char err[512], diff[1024];
  CHECK(parse_text(text, sizeof text - 1, &p, err, sizeof err) == 0, "dot line: %s", err);
  const mx_dot_model *m = mx_profile_dot_model(&p);
  CHECK(p.has_dot && m->group == 1 && m->presum == 0 && m->frac_bits == MX_DOT_FRAC_EXACT &&
            m->accum == MX_DOT_ACCUM_F32_RNE && m->c_at == MX_DOT_C_LAST && m->acc == MX_DOT_ACC_SEPARATE &&
            m->final_round == MX_DOT_RNE && m->scale_at == MX_DOT_SCALE_PRODUCT,
        "dot line: model not group=1 accum=f32-rne c_at=last over exact-rne");
  CHECK(p.o.elem.round == MX_RNA, "dot line: the base's knobs stay");
  /* the same model from a preset and `with`, as run names fitted models */
  const char alt[] = "dot = fp32-sequential with group=1,c_at=last\n";
  CHECK(parse_text(alt, sizeof alt - 1, &q, err, sizeof err) == 0, "preset with: %s", err);
  CHECK(mx_dot_model_equal(mx_profile_dot_model(&q), m), "preset with: another model");
  /* written and read back */
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  mx_profile_write(f, &p);
  fclose(f);
  CHECK(strstr(out, "\ndot = group=1 presum=0 frac_bits=exact align=trunc scale_at=product acc=separate c_at=last "
                    "final=rne accum=f32-rne subnormal=keep assign=contiguous step_frac=23 step_round=rne\n") != NULL,
        "written dot line: %s", out);
  CHECK(parse_text(out, len, &q, err, sizeof err) == 0, "written profile: %s", err);
  CHECK(mx_profile_diff(&p, &q, diff, sizeof diff) == 0 && q.has_dot, "round trip changed %s", diff);
  free(out);
  /* no line: exact-rne; a diff names the model */
  mx_profile_builtin("microxcaling", &o);
  const mx_dot_model ideal = MX_DOT_MODEL_EXACT_RNE;
  CHECK(!o.has_dot && mx_dot_model_equal(mx_profile_dot_model(&o), &ideal), "built-in: not exact-rne");
  CHECK(mx_profile_diff(&o, &p, diff, sizeof diff) == 1 && strstr(diff, "dot: group=0 ") && strstr(diff, "-> group=1 "),
        "diff: '%s'", diff);
  /* every preset's text form reads back as the preset */
  for (const mx_dot_preset *pr = mx_dot_presets; pr->name; pr++) {
    char t[256];
    mx_dot_model r;
    mx_dot_model_format(&pr->model, t, sizeof t);
    CHECK(mx_dot_model_parse(t, &r, err, sizeof err) == 0 && mx_dot_model_equal(&r, &pr->model), "%s: '%s' %s",
          pr->name, t, err);
    CHECK(mx_dot_model_parse(pr->name, &r, err, sizeof err) == 0 && mx_dot_model_equal(&r, &pr->model), "%s by name",
          pr->name);
  }
}

int main(int argc, char **argv) {
  const char *group = argc > 1 ? argv[1] : "builtins";
  if (!strcmp(group, "builtins")) builtins_have_documented_values();
  else if (!strcmp(group, "roundtrip")) write_parse_round_trip();
  else if (!strcmp(group, "conditional")) conditional_values();
  else if (!strcmp(group, "dot")) dot_line();
  else if (!strcmp(group, "files")) {
    bad_lines_are_reported();
    profile_files(argc > 2 ? argv[2] : "tests/data/profiles");
  } else {
    fprintf(stderr, "usage: test_profiles builtins|roundtrip|conditional|dot|files DIR\n");
    return 2;
  }
  return CHECK_DONE();
}
