# microxcaling as detected by mxconform on the standard tier (scripts/peers.py; do not edit)
# matches ocp except: ovf_directed = special; ovf_nan = refuse; nan_finite = refuse; int8_range = symmetric; nan_sign = negative; inf_finite = refuse; inf_sat = special; ovf_finite = refuse; ovf_finite = max when dst=int8 (2695 cases still differ under the detected profile)
# mxconform profile: every key, so the file stands on its own
name = microxcaling-detected
round = rne
sr_bits = 16
overflow = sat
nan_sign = negative
e5m2_nan = quiet
inf_sat = special
nan_finite = refuse
inf_finite = refuse
int8_range = symmetric
src_subnormals = exact
e8m0_zero = min
e8m0_neg = abs
fnuz_zero = positive
ovf_directed = special
e8m0_tie = even
ovf_finite = refuse
f64_src = direct
ovf_nan = refuse
e8m0_range = round-first
rule = floor
nan_block = nan-scale
inf_block = nan-scale
zero_block = min
scale_overflow = nan
dequant_overflow = inf
fp4_pack = fp4-low
fp6_pack = byte
nvfp4_tensor_scale = exact
nvfp4_block_scale = exact
nvfp4_elem_scale = exact
nvfp4_dequant = exact
nvfp4_scale_sign = ignore
# conditional values: the last rule whose condition holds wins
ovf_finite = max when dst=int8
# the dot model measured for this library (scripts/peers.py PEERS; spec_notes/profiles.md)
dot = group=1 presum=0 frac_bits=exact accum=f32-rne c_at=last
