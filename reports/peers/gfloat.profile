# gfloat as detected by mxconform on the standard tier (scripts/peers.py; do not edit)
# matches ocp except: e5m2_nan = allones; inf_block = max-scale (982 cases still differ under the detected profile)
name = gfloat-detected
base = ocp
e5m2_nan = allones
inf_block = max-scale
