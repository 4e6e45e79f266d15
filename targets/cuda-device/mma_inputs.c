/* mxc_mma_inputs: mma_raw.cu built without CUDA — the --inputs half alone (the generator of
 * the records whose tensor-core answers mma_fit.py analyses), for machines with no toolkit. */
#include "mma_raw.cu"
