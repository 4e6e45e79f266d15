/* cuda_device_query — is there a CUDA device the cuda-device target can use? For the tests
 * (tests/peers.cmake) and gpu_check.sh. Prints one line and exits
 *   0  device MXC_CUDA_DEVICE (default 0) exists, compute capability >= 8.9, and a kernel of
 *      this build runs on it;
 *   1  no CUDA device (cudaGetDeviceCount fails, e.g. no driver, or returns 0);
 *   2  a device exists but cannot be used (compute capability < 8.9, no kernel image, ...). */
#include <cuda_runtime.h>

#include <stdio.h>
#include <stdlib.h>

__global__ void k_probe(int *out) { *out = 42; }

int main(void) {
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count <= 0) {
    printf("no CUDA device (cudaGetDeviceCount: %s)\n", e != cudaSuccess ? cudaGetErrorName(e) : "0 devices");
    return 1;
  }
  int dev = 0;
  const char *env = getenv("MXC_CUDA_DEVICE");
  if (env && *env) dev = atoi(env);
  cudaDeviceProp p;
  if (dev < 0 || dev >= count || cudaGetDeviceProperties(&p, dev) != cudaSuccess || cudaSetDevice(dev) != cudaSuccess) {
    printf("%d CUDA device(s), device %d unusable\n", count, dev);
    return 2;
  }
  int rt = 0, drv = 0;
  cudaRuntimeGetVersion(&rt);
  cudaDriverGetVersion(&drv);
  printf("device %d of %d: %s, compute capability %d.%d, %d SMs, runtime %d.%d, driver %d.%d\n", dev, count, p.name,
         p.major, p.minor, p.multiProcessorCount, rt / 1000, rt % 1000 / 10, drv / 1000, drv % 1000 / 10);
  if (p.major * 10 + p.minor < 89) {
    printf("compute capability below 8.9: the cuda-device target cannot run here\n");
    return 2;
  }
  int *d = NULL, h = 0;
  if ((e = cudaMalloc(&d, sizeof(int))) == cudaSuccess) {
    k_probe<<<1, 1>>>(d);
    if ((e = cudaGetLastError()) == cudaSuccess && (e = cudaMemcpy(&h, d, sizeof h, cudaMemcpyDeviceToHost)) == cudaSuccess &&
        h != 42)
      e = cudaErrorUnknown;
    cudaFree(d);
  }
  if (e != cudaSuccess) {
    printf("a test kernel failed: %s\n", cudaGetErrorString(e));
    return 2;
  }
  return 0;
}
