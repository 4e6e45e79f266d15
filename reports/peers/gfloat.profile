# gfloat as detected by mxconform on the standard tier (scripts/peers.py; do not edit)
# matches ocp except: e8m0_neg = refuse; ovf_finite = refuse; nan_finite = refuse; nan_sign = negative; e5m2_nan = allones; inf_block = max-scale; scale_overflow = clamp; inf_finite = refuse when overflow=ovf (238 cases still differ under the detected profile)
# mxconform profile: every key, so the file stands on its own
name = gfloat-detected
round = rne
sr_bits = 16
overflow = sat
nan_sign = negative
e5m2_nan = allones
inf_sat = max
nan_finite = refuse
inf_finite = max
int8_range = twos
src_subnormals = exact
e8m0_zero = min
e8m0_neg = refuse
fnuz_zero = positive
ovf_directed = max
e8m0_tie = even
ovf_finite = refuse
f64_src = direct
ovf_nan = nan
e8m0_range = round-first
rule = floor
nan_block = nan-scale
inf_block = max-scale
zero_block = min
scale_overflow = clamp
dequant_overflow = inf
fp4_pack = fp4-low
fp6_pack = byte
nvfp4_tensor_scale = exact
nvfp4_block_scale = exact
nvfp4_elem_scale = exact
nvfp4_dequant = exact
nvfp4_scale_sign = ignore
# conditional values: the last rule whose condition holds wins
inf_finite = refuse when overflow=ovf
