/* Sorting: quicksort, merge sort, heap sort and radix sort on the same pseudo-random data; each result is checked. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rounds.h"

#define N 200000

static uint32_t state = 2463534242u;
static uint32_t next(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }

static void quicksort(int32_t *a, long lo, long hi) {
    while (lo < hi) {
        int32_t pivot = a[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { int32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; } else { quicksort(a, i, hi); hi = j; }
    }
}

static void merge_sort(int32_t *a, int32_t *tmp, long n) {
    for (long width = 1; width < n; width *= 2) {
        for (long lo = 0; lo < n; lo += 2 * width) {
            long mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
            while (i < mid) tmp[k++] = a[i++];
            while (j < hi) tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

static void sift(int32_t *a, long root, long n) {
    for (;;) {
        long child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[root] >= a[child]) return;
        int32_t t = a[root]; a[root] = a[child]; a[child] = t;
        root = child;
    }
}

static void heap_sort(int32_t *a, long n) {
    for (long i = n / 2 - 1; i >= 0; i--) sift(a, i, n);
    for (long end = n - 1; end > 0; end--) { int32_t t = a[0]; a[0] = a[end]; a[end] = t; sift(a, 0, end); }
}

static void radix_sort(int32_t *a, int32_t *tmp, long n) {
    for (int shift = 0; shift < 32; shift += 8) {
        long count[257] = {0};
        for (long i = 0; i < n; i++) count[(((uint32_t)a[i] ^ 0x80000000u) >> shift & 0xFF) + 1]++;
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (long i = 0; i < n; i++) tmp[count[((uint32_t)a[i] ^ 0x80000000u) >> shift & 0xFF]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
}

static int compare(const void *x, const void *y) { int32_t a = *(const int32_t *)x, b = *(const int32_t *)y; return (a > b) - (a < b); }

static uint32_t checksum(const int32_t *a, long n) {
    uint32_t h = 2166136261u;
    for (long i = 0; i < n; i++) h = (h ^ (uint32_t)a[i]) * 16777619u;
    return h;
}

static int run_once(int argc, char **argv) {
    (void)argc; (void)argv;
    static int32_t original[N], a[N], tmp[N], reference[N];
    for (long i = 0; i < N; i++) original[i] = (int32_t)next() % 1000000;
    memcpy(reference, original, sizeof original);
    qsort(reference, N, sizeof *reference, compare);
    printf("qsort      min %d max %d median %d checksum %08x\n", reference[0], reference[N - 1], reference[N / 2], checksum(reference, N));
    const char *names[] = {"quicksort", "merge", "heap", "radix"};
    for (int algorithm = 0; algorithm < 4; algorithm++) {
        memcpy(a, original, sizeof original);
        switch (algorithm) {
            case 0: quicksort(a, 0, N - 1); break;
            case 1: merge_sort(a, tmp, N); break;
            case 2: heap_sort(a, N); break;
            case 3: radix_sort(a, tmp, N); break;
        }
        printf("%-10s %s checksum %08x\n", names[algorithm], memcmp(a, reference, sizeof a) == 0 ? "sorted" : "WRONG", checksum(a, N));
    }
    /* Strings too: sort words made of random letters. */
    static char words[5000][12];
    static char *pointers[5000];
    for (int i = 0; i < 5000; i++) {
        int length = 3 + next() % 8;
        for (int j = 0; j < length; j++) words[i][j] = 'a' + next() % 26;
        words[i][length] = 0;
        pointers[i] = words[i];
    }
    for (int i = 1; i < 5000; i++) {
        char *key = pointers[i];
        int j = i - 1;
        while (j >= 0 && strcmp(pointers[j], key) > 0) { pointers[j + 1] = pointers[j]; j--; }
        pointers[j + 1] = key;
    }
    printf("words      first %s last %s middle %s\n", pointers[0], pointers[4999], pointers[2500]);
    return 0;
}
