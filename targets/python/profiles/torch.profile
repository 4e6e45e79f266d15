# PyTorch core casts + torchao's default FLOOR rule, as documented (peers.md D3, D5;
# spec_notes/profiles.md torchao-*): E5M2 NaN -> S.11111.11. Use with
#   mxconform run --target cmd:'python3 targets/python/mxtarget_torch.py' --profile THIS
# For CEIL / EVEN use the built-ins torchao-ceil / torchao-even, for RCEIL torchao-rceil.profile.
name = torch
e5m2_nan = allones
