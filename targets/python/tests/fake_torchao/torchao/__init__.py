"""FAKE torchao (the few names targets/python/mxtarget_torch.py uses), on top of the FAKE
torch in ../fake_torch. Plumbing only: not pytorch/ao. See mx_formats/mx_tensor.py."""
__version__ = "0.0-fake"
FAKE = True
