# microxcaling quantize through mxtarget_torch.py --quantize=microxcaling, with PyTorch core
# casts for decode/cvt: the built-in microxcaling profile (rna elements, symmetric INT8) plus
# PyTorch's E5M2 NaN (peers.md D3).
name = torch-microxcaling
base = microxcaling
e5m2_nan = allones
