/* An LZ77 compressor with a hash chain matcher and its decompressor, run on generated text and binary data. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rounds.h"

#define WINDOW 4096
#define MIN_MATCH 3
#define MAX_MATCH 258
#define HASH_SIZE (1 << 14)

/* Output format: a flag byte for every 8 items; a literal is one byte, a match is offset (2 bytes) and length-3 (1 byte). */
static size_t compress(const uint8_t *in, size_t n, uint8_t *out) {
    static int32_t head[HASH_SIZE], prev[WINDOW];
    for (int i = 0; i < HASH_SIZE; i++) head[i] = -1;
    size_t o = 0, flag_at = 0;
    int items = 8;
    size_t i = 0;
    while (i < n) {
        if (items == 8) { flag_at = o++; out[flag_at] = 0; items = 0; }
        size_t best = 0, best_offset = 0;
        if (i + MIN_MATCH <= n) {
            uint32_t h = ((in[i] << 10) ^ (in[i + 1] << 5) ^ in[i + 2]) & (HASH_SIZE - 1);
            int32_t candidate = head[h];
            int chain = 64;
            while (candidate >= 0 && i - candidate <= WINDOW - 1 && chain-- > 0) {
                size_t length = 0, limit = n - i < MAX_MATCH ? n - i : MAX_MATCH;
                while (length < limit && in[candidate + length] == in[i + length]) length++;
                if (length > best) { best = length; best_offset = i - candidate; }
                int32_t p = prev[candidate % WINDOW];
                if (p >= candidate) break;
                candidate = p;
            }
            prev[i % WINDOW] = head[h];
            head[h] = (int32_t)i;
        }
        if (best >= MIN_MATCH) {
            out[flag_at] |= 1 << items;
            out[o++] = best_offset & 0xFF; out[o++] = best_offset >> 8; out[o++] = (uint8_t)(best - MIN_MATCH);
            for (size_t k = 1; k < best; k++) {
                size_t j = i + k;
                if (j + MIN_MATCH <= n) {
                    uint32_t h = ((in[j] << 10) ^ (in[j + 1] << 5) ^ in[j + 2]) & (HASH_SIZE - 1);
                    prev[j % WINDOW] = head[h];
                    head[h] = (int32_t)j;
                }
            }
            i += best;
        } else {
            out[o++] = in[i++];
        }
        items++;
    }
    return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t flags = in[i++];
        for (int bit = 0; bit < 8 && i < n; bit++) {
            if (flags & (1 << bit)) {
                size_t offset = in[i] | in[i + 1] << 8, length = in[i + 2] + MIN_MATCH;
                i += 3;
                for (size_t k = 0; k < length; k++, o++) out[o] = out[o - offset];
            } else {
                out[o++] = in[i++];
            }
        }
    }
    return o;
}

static uint32_t crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
    }
    return ~c;
}

static void run(const char *name, const uint8_t *data, size_t n) {
    uint8_t *packed = malloc(n + n / 8 + 16), *unpacked = malloc(n);
    size_t p = compress(data, n, packed);
    size_t u = decompress(packed, p, unpacked);
    int ok = u == n && memcmp(data, unpacked, n) == 0;
    printf("%-8s %7zu -> %7zu bytes (%5.1f%%) crc %08x packed-crc %08x %s\n", name, n, p, 100.0 * p / n, crc32(data, n), crc32(packed, p), ok ? "round-trip ok" : "ROUND-TRIP FAILED");
    free(packed);
    free(unpacked);
}

static int run_once(int argc, char **argv) {
    (void)argc; (void)argv;
    static const char *words[] = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "webassembly", "engine",
                                  "compiles", "modules", "to", "native", "code", "and", "runs", "them", "safely", "."};
    size_t n = 300000;
    uint8_t *text = malloc(n);
    uint32_t x = 1;
    size_t at = 0;
    while (at < n) {
        x = x * 1664525u + 1013904223u;
        const char *w = words[(x >> 16) % 20];
        for (size_t k = 0; w[k] && at < n; k++) text[at++] = (uint8_t)w[k];
        if (at < n) text[at++] = (x >> 8) % 13 == 0 ? '\n' : ' ';
    }
    run("text", text, n);
    uint8_t *noise = malloc(n);
    for (size_t i = 0; i < n; i++) { x = x * 1664525u + 1013904223u; noise[i] = (uint8_t)(x >> 24); }
    run("noise", noise, n);
    uint8_t *runs = malloc(n);
    for (size_t i = 0; i < n; i++) runs[i] = (uint8_t)((i / 1000) % 7);
    run("runs", runs, n);
    return 0;
}
