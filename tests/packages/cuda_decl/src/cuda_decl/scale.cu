#include <cuda_runtime.h>

__global__ static void scale(float *values, float factor, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        values[i] *= factor;
    }
}

extern "C" int cuda_decl_runtime_version(void) {
    int version = 0;
    cudaRuntimeGetVersion(&version);
    return version;
}

extern "C" void cuda_decl_scale(float *device_values, float factor, int n) {
    scale<<<(n + 255) / 256, 256>>>(device_values, factor, n);
}
