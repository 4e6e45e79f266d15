/* NVFP4 knob value names (include/mxconform/nvfp4.h), as data for the profile keys. */
#include "mxconform/nvfp4.h"

#include <stddef.h>

const char *const mx_nvfp4_tensor_scale_names[] = {"exact", "te", NULL};
const char *const mx_nvfp4_block_scale_names[] = {"exact", "te", NULL};
const char *const mx_nvfp4_elem_scale_names[] = {"exact", "reciprocal", NULL};
const char *const mx_nvfp4_dequant_names[] = {"exact", "scale-first", NULL};
const char *const mx_nvfp4_scale_sign_names[] = {"ignore", "signed", NULL};
