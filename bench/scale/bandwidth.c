// Memory read bandwidth with N threads: each thread sums its share of a 1 GiB buffer with 256-bit loads; best of 5.
// Built and run by bench/scale/run.ts: cc -O3 -march=native -pthread bandwidth.c -o bandwidth && ./bandwidth THREADS
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BYTES (1ul << 30)
static char *buffer;
static int threads;

static void *read_share(void *arg) {
  long t = (long)arg;
  size_t share = BYTES / threads;
  const __m256i *p = (const __m256i *)(buffer + t * share), *end = (const __m256i *)(buffer + (t + 1) * share);
  __m256i a = _mm256_setzero_si256(), b = a, c = a, d = a;
  for (; p < end; p += 4) {
    a = _mm256_xor_si256(a, _mm256_load_si256(p));
    b = _mm256_xor_si256(b, _mm256_load_si256(p + 1));
    c = _mm256_xor_si256(c, _mm256_load_si256(p + 2));
    d = _mm256_xor_si256(d, _mm256_load_si256(p + 3));
  }
  __m256i x = _mm256_xor_si256(_mm256_xor_si256(a, b), _mm256_xor_si256(c, d));
  return (void *)(long)_mm256_extract_epi64(x, 0);
}

int main(int argc, char **argv) {
  threads = argc > 1 ? atoi(argv[1]) : 2;
  if (posix_memalign((void **)&buffer, 64, BYTES)) return 1;
  memset(buffer, 1, BYTES);
  double best = 0;
  long sink = 0;
  for (int r = 0; r < 5; r++) {
    pthread_t ids[64];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long t = 0; t < threads; t++) pthread_create(&ids[t], 0, read_share, (void *)t);
    for (int t = 0; t < threads; t++) { void *v; pthread_join(ids[t], &v); sink ^= (long)v; }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (BYTES / s / 1e9 > best) best = BYTES / s / 1e9;
  }
  printf("{\"threads\": %d, \"readGBps\": %.2f, \"sink\": %ld}\n", threads, best, sink & 1);
  return 0;
}
