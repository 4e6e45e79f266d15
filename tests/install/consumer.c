/* A program outside mxconform, built against an installed tree (tests/install.sh): the spec's
 * worked example 464 -> E4M3 saturates to 448 (0x7e) under the OCP defaults. */
#include <stdio.h>

#include <mxconform/mxref.h>

int main(void) {
  uint32_t code = mxref_convert_one(MX_E4M3, MX_F32, 0x43e80000u, NULL, 0);
  printf("%s: f32 464 -> e4m3 0x%02x\n", mxref_version(), (unsigned)code);
  return code == 0x7e ? 0 : 1;
}
