# cuda-host as detected by mxconform on the standard tier (scripts/peers.py; do not edit)
# matches ocp except: e5m2_nan = allones; nan_sign = nan-input-positive (26 cases still differ under the detected profile)
name = cuda-host-detected
base = ocp
e5m2_nan = allones
nan_sign = nan-input-positive
