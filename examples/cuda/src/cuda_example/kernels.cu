#include <cuda_runtime.h>

__global__ static void add_kernel(float *values, float amount, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        values[i] += amount;
    }
}

/* Add `amount` to `n` floats on the GPU; returns a cudaError_t (0 on success). */
extern "C" int cuda_example_add(float *values, float amount, int n) {
    float *device = NULL;
    cudaError_t status = cudaMalloc((void **)&device, sizeof(float) * (size_t)n);
    if (status != cudaSuccess) {
        return (int)status;
    }
    status = cudaMemcpy(device, values, sizeof(float) * (size_t)n, cudaMemcpyHostToDevice);
    if (status == cudaSuccess) {
        add_kernel<<<(n + 255) / 256, 256>>>(device, amount, n);
        status = cudaMemcpy(values, device, sizeof(float) * (size_t)n, cudaMemcpyDeviceToHost);
    }
    cudaFree(device);
    return (int)status;
}

/* The number of CUDA devices, or -1 when the runtime finds no driver or no device. */
extern "C" int cuda_example_devices(void) {
    int count = 0;
    return cudaGetDeviceCount(&count) == cudaSuccess ? count : -1;
}
