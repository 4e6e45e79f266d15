# microxcaling as detected by mxconform on the standard tier (scripts/peers.py; do not edit)
# matches ocp except: int8_range = symmetric; inf_sat = special (1756 cases still differ under the detected profile)
name = microxcaling-detected
base = ocp
int8_range = symmetric
inf_sat = special
