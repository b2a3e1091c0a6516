/* A file tool working through WASI: writes files into a directory given as its argument, copies and appends, lists
   the directory, counts lines and words, renames and removes files. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rounds.h"

static char path[512];
static const char *at(const char *dir, const char *name) { snprintf(path, sizeof path, "%s/%s", dir, name); return path; }

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void count(const char *dir, const char *name) {
    FILE *f = fopen(at(dir, name), "r");
    if (!f) { printf("open %s failed: %s\n", name, strerror(errno)); return; }
    long lines = 0, words = 0, bytes = 0;
    int c, in_word = 0;
    while ((c = fgetc(f)) != EOF) {
        bytes++;
        if (c == '\n') lines++;
        if (c == ' ' || c == '\n' || c == '\t') in_word = 0; else if (!in_word) { in_word = 1; words++; }
    }
    fclose(f);
    printf("%-12s %6ld lines %6ld words %7ld bytes\n", name, lines, words, bytes);
}

static void list(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) { printf("opendir failed: %s\n", strerror(errno)); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, compare);
    printf("listing:");
    for (int i = 0; i < n; i++) {
        struct stat st;
        stat(at(dir, names[i]), &st);
        printf(" %s(%s%lld)", names[i], S_ISDIR(st.st_mode) ? "dir " : "", (long long)(S_ISDIR(st.st_mode) ? 0 : st.st_size));
        free(names[i]);
    }
    printf("\n");
}

static int run_once(int argc, char **argv) {
    if (argc < 2) { printf("usage: files DIR\n"); return 2; }
    const char *dir = argv[1];
    FILE *f = fopen(at(dir, "poem.txt"), "w");
    for (int i = 0; i < 500; i++) fprintf(f, "line %d: the quick brown fox jumps over the lazy dog %d times\n", i, i * i % 97);
    fclose(f);

    /* Copy in chunks with read/write. */
    FILE *in = fopen(at(dir, "poem.txt"), "rb");
    char copy_path[512];
    snprintf(copy_path, sizeof copy_path, "%s/copy.txt", dir);
    FILE *out = fopen(copy_path, "wb");
    char buffer[1000];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, in)) > 0) fwrite(buffer, 1, n, out);
    fclose(in);
    fclose(out);

    f = fopen(at(dir, "copy.txt"), "a");
    fprintf(f, "appended line\n");
    fclose(f);

    /* Random access: overwrite a few bytes in the middle, read them back. */
    f = fopen(at(dir, "copy.txt"), "r+");
    fseek(f, 100, SEEK_SET);
    fputs("XXXX", f);
    fseek(f, 98, SEEK_SET);
    char peek[9] = {0};
    fread(peek, 1, 8, f);
    printf("at 98: \"%s\" size %ld\n", peek, (fseek(f, 0, SEEK_END), ftell(f)));
    fclose(f);

    mkdir(at(dir, "sub"), 0755);
    rename(at(dir, "copy.txt"), (snprintf(buffer, sizeof buffer, "%s/sub/moved.txt", dir), buffer));
    count(dir, "poem.txt");
    count(dir, "sub/moved.txt");
    list(dir);
    printf("missing: %s\n", fopen(at(dir, "no-such-file"), "r") ? "found?" : strerror(errno));
    unlink(at(dir, "sub/moved.txt"));
    printf("rmdir: %s\n", rmdir(at(dir, "sub")) == 0 ? "ok" : strerror(errno));
    unlink(at(dir, "poem.txt"));
    list(dir);
    return 0;
}
