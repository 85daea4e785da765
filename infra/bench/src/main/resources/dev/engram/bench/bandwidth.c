/*
 * The machine's memory read bandwidth as native code sees it: every core sums its slice of a buffer
 * far larger than the caches (the harness compiles this with gcc -O3 -march=native -fopenmp, so the
 * loop uses the widest vectors the CPU has). Usage: bandwidth BYTES PASSES. Prints one figure per
 * measured pass, in bytes per second; the first two passes fault the pages in and are not printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s BYTES PASSES\n", argv[0]);
        return 2;
    }
    size_t words = strtoull(argv[1], NULL, 10) / sizeof(uint64_t);
    int passes = atoi(argv[2]);
    uint64_t *buffer = aligned_alloc(64, words * sizeof(uint64_t));
    if (buffer == NULL) {
        fprintf(stderr, "cannot allocate %zu bytes\n", words * sizeof(uint64_t));
        return 1;
    }
    /* Each thread first touches the slice it will read, so its pages sit near it. */
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < words; i++) {
        buffer[i] = i;
    }
    uint64_t checksum = 0;
    for (int pass = -2; pass < passes; pass++) {
        double start = seconds();
        uint64_t sum = 0;
        /* Integer sums may be reordered, so the compiler vectorises and unrolls this freely. */
#pragma omp parallel for schedule(static) reduction(+ : sum)
        for (size_t i = 0; i < words; i++) {
            sum += buffer[i];
        }
        double elapsed = seconds() - start;
        checksum += sum;
        if (pass >= 0) {
            printf("%.0f\n", words * sizeof(uint64_t) / elapsed);
        }
    }
    /* Printing the sums keeps the reads from being optimised away. */
    fprintf(stderr, "checksum %llu\n", (unsigned long long) checksum);
    free(buffer);
    return 0;
}
