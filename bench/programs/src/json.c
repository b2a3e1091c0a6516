/* A JSON parser (RFC 8259) building a tree, a serializer, and queries over a generated document. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rounds.h"

typedef enum { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } kind;
typedef struct value {
    kind kind;
    double number;
    char *string;              /* J_STRING, or the key of an object member */
    struct value *first, *next; /* children of arrays and objects, siblings */
    char *key;
} value;

static const char *p;
static int failed;

static void skip(void) { while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++; }
static value *make(kind k) { value *v = calloc(1, sizeof *v); v->kind = k; return v; }
static value *parse_value(void);

static char *parse_string(void) {
    if (*p != '"') { failed = 1; return NULL; }
    p++;
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            char e = *p++;
            switch (e) {
                case 'n': c = '\n'; break; case 't': c = '\t'; break; case 'r': c = '\r'; break;
                case 'b': c = '\b'; break; case 'f': c = '\f'; break;
                case 'u': { unsigned code = 0; for (int i = 0; i < 4; i++) { char h = *p++; code = code * 16 + (h <= '9' ? h - '0' : (h | 32) - 'a' + 10); }
                            c = code < 128 ? (char)code : '?'; break; }
                default: c = e;
            }
        }
        if (n + 1 >= cap) s = realloc(s, cap *= 2);
        s[n++] = c;
    }
    if (*p != '"') failed = 1; else p++;
    s[n] = 0;
    return s;
}

static value *parse_value(void) {
    skip();
    if (*p == '{' || *p == '[') {
        int object = *p == '{';
        value *v = make(object ? J_OBJECT : J_ARRAY), **tail = &v->first;
        p++; skip();
        if (*p == (object ? '}' : ']')) { p++; return v; }
        for (;;) {
            char *key = NULL;
            if (object) { skip(); key = parse_string(); skip(); if (*p++ != ':') { failed = 1; return v; } }
            value *item = parse_value();
            item->key = key;
            *tail = item; tail = &item->next;
            skip();
            if (*p == ',') { p++; continue; }
            if (*p == (object ? '}' : ']')) { p++; return v; }
            failed = 1; return v;
        }
    }
    if (*p == '"') { value *v = make(J_STRING); v->string = parse_string(); return v; }
    if (!strncmp(p, "null", 4)) { p += 4; return make(J_NULL); }
    if (!strncmp(p, "true", 4)) { p += 4; return make(J_TRUE); }
    if (!strncmp(p, "false", 5)) { p += 5; return make(J_FALSE); }
    /* Numbers: validated by hand (RFC 8259 grammar), converted by strtod, which rounds correctly. */
    value *v = make(J_NUMBER);
    const char *begin = p;
    if (*p == '-') p++;
    if (*p < '0' || *p > '9') { failed = 1; return v; }
    while (*p >= '0' && *p <= '9') p++;
    if (*p == '.') { p++; while (*p >= '0' && *p <= '9') p++; }
    if (*p == 'e' || *p == 'E') { p++; if (*p == '+' || *p == '-') p++; while (*p >= '0' && *p <= '9') p++; }
    v->number = strtod(begin, NULL);
    return v;
}

static size_t out_len, out_cap;
static char *out;
static void emit(const char *s) { size_t n = strlen(s); if (out_len + n + 1 > out_cap) out = realloc(out, out_cap = (out_cap + n) * 2); memcpy(out + out_len, s, n + 1); out_len += n; }

static void serialize(const value *v) {
    char number[64];
    switch (v->kind) {
        case J_NULL: emit("null"); break; case J_TRUE: emit("true"); break; case J_FALSE: emit("false"); break;
        case J_NUMBER: snprintf(number, sizeof number, "%.17g", v->number); emit(number); break;
        case J_STRING: emit("\""); emit(v->string); emit("\""); break;
        default: {
            emit(v->kind == J_ARRAY ? "[" : "{");
            for (const value *c = v->first; c; c = c->next) {
                if (c != v->first) emit(",");
                if (c->key) { emit("\""); emit(c->key); emit("\":"); }
                serialize(c);
            }
            emit(v->kind == J_ARRAY ? "]" : "}");
        }
    }
}

static const value *member(const value *object, const char *key) {
    for (const value *c = object->first; c; c = c->next) if (c->key && !strcmp(c->key, key)) return c;
    return NULL;
}

static int run_once(int argc, char **argv) {
    (void)argc; (void)argv;
    /* Generate a document: an array of user records. */
    size_t cap = 1 << 22, n = 0;
    char *doc = malloc(cap);
    uint32_t x = 7;
    n += sprintf(doc + n, "{\"version\": 3, \"users\": [");
    for (int i = 0; i < 3000; i++) {
        x = x * 1103515245u + 12345u;
        n += sprintf(doc + n, "%s\n  {\"id\": %d, \"name\": \"user\\u0041%d\", \"active\": %s, \"score\": %d.%02d, \"tags\": [\"a%u\", \"b%u\"], \"ratio\": %de-3, \"extra\": null}",
                     i ? "," : "", i, i, (x >> 8) % 3 ? "true" : "false", (int)((x >> 4) % 1000), (int)(x % 100), (x >> 3) % 17, (x >> 5) % 5, (int)((x >> 2) % 5000));
    }
    n += sprintf(doc + n, "\n]}");
    p = doc;
    value *root = parse_value();
    printf("parsed %zu bytes: %s\n", n, failed ? "ERROR" : "ok");
    const value *users = member(root, "users");
    int count = 0, active = 0;
    double total = 0, best = -1;
    const char *best_name = "";
    for (const value *u = users->first; u; u = u->next) {
        count++;
        if (member(u, "active")->kind == J_TRUE) active++;
        double score = member(u, "score")->number;
        total += score;
        if (score > best) { best = score; best_name = member(u, "name")->string; }
    }
    printf("users %d active %d mean score %.4f best %.2f (%s)\n", count, active, total / count, best, best_name);
    serialize(root);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < out_len; i++) h = (h ^ (uint8_t)out[i]) * 16777619u;
    printf("serialized %zu bytes, fnv %08x\n", out_len, h);
    printf("prefix %.80s\n", out);
    /* Parse the serialization again: the same text must come out. */
    p = out;
    char *first = out; size_t first_len = out_len;
    out = NULL; out_len = out_cap = 0;
    serialize(parse_value());
    printf("round trip %s\n", first_len == out_len && !memcmp(first, out, out_len) ? "identical" : "DIFFERENT");
    return 0;
}
