# cuda-host as detected by mxconform on the standard tier (scripts/peers.sh; do not edit)
# matches ocp except: e5m2_nan = allones (75 failing cases unexplained)
name = cuda-host-detected
base = ocp
e5m2_nan = allones
