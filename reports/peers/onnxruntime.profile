# onnxruntime as detected by mxconform on the standard tier (scripts/peers.py; do not edit)
# matches ocp except: e8m0_neg = min (18806 cases still differ under the detected profile)
name = onnxruntime-detected
base = ocp
e8m0_neg = min
