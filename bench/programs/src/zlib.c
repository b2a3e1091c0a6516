/* zlib (https://github.com/madler/zlib, sources unchanged in ../third_party/zlib, zlib licence there) compressing
 * and decompressing 2 MiB of generated text (words from a small vocabulary with pseudo-random numbers, as in a log
 * file) at levels 1, 6 and 9 and with the filtered and Huffman-only strategies; every round trip is checked and
 * its sizes and checksums printed. "zlib [ROUNDS]" repeats the work (see rounds.h). zlib's sources are compiled
 * with this file (zlib.sources). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../third_party/zlib/zlib.h"
#include "rounds.h"

#define SIZE (1 << 20)

static unsigned seed = 12345;
static unsigned next(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

static const char *words[] = {"request", "served", "from", "cache", "user", "session", "opened", "closed", "error",
                              "timeout", "retry", "GET", "POST", "/index.html", "/api/v1/items", "status", "200", "404"};

static int run_once(int argc, char **argv) {
    (void)argc; (void)argv;
    unsigned char *input = malloc(SIZE), *packed = malloc(SIZE + SIZE / 10 + 1024), *unpacked = malloc(SIZE);
    seed = 12345;
    size_t n = 0;
    while (n < SIZE - 64) {
        const char *w = words[next() % (sizeof words / sizeof *words)];
        size_t len = strlen(w);
        memcpy(input + n, w, len);
        n += len;
        if (next() % 4 == 0) n += (size_t)sprintf((char *)input + n, " %u", next() % 100000);
        input[n++] = next() % 8 == 0 ? '\n' : ' ';
    }
    while (n < SIZE) input[n++] = '.';
    printf("input %d bytes, crc32 %08lx, adler32 %08lx\n", SIZE, crc32(0, input, SIZE), adler32(1, input, SIZE));
    static const struct { int level, strategy; const char *name; } modes[] = {
        {1, Z_DEFAULT_STRATEGY, "level 1"}, {6, Z_DEFAULT_STRATEGY, "level 6"}, {9, Z_DEFAULT_STRATEGY, "level 9"},
        {6, Z_FILTERED, "filtered"}, {6, Z_HUFFMAN_ONLY, "huffman only"}};
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        z_stream d;
        memset(&d, 0, sizeof d);
        if (deflateInit2(&d, modes[m].level, Z_DEFLATED, 15, 8, modes[m].strategy) != Z_OK) return 1;
        d.next_in = input; d.avail_in = SIZE;
        d.next_out = packed; d.avail_out = SIZE + SIZE / 10 + 1024;
        if (deflate(&d, Z_FINISH) != Z_STREAM_END) { printf("deflate failed\n"); return 1; }
        unsigned long packedSize = d.total_out;
        deflateEnd(&d);
        z_stream i;
        memset(&i, 0, sizeof i);
        if (inflateInit(&i) != Z_OK) return 1;
        i.next_in = packed; i.avail_in = (unsigned)packedSize;
        i.next_out = unpacked; i.avail_out = SIZE;
        if (inflate(&i, Z_FINISH) != Z_STREAM_END || i.total_out != SIZE || memcmp(input, unpacked, SIZE) != 0) {
            printf("%s: round trip failed\n", modes[m].name);
            return 1;
        }
        inflateEnd(&i);
        printf("%-12s %7lu bytes, crc32 of the stream %08lx\n", modes[m].name, packedSize, crc32(0, packed, (unsigned)packedSize));
    }
    free(input); free(packed); free(unpacked);
    return 0;
}
